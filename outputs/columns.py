"""The evidence table's columns: their order, their documentation, and one record as one row.

The column order is a contract (curators build spreadsheets and scripts on it), so it lives here,
below every writer (:mod:`~genelit.outputs.tables`, :mod:`~genelit.outputs.xlsx`).  Multi-valued fields
are joined with ``|`` (:data:`LIST_SEPARATOR`) so a row stays one line in CSV/TSV and one cell per field
in Excel.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from genelit.models.evidence import EvidenceRecord

LIST_SEPARATOR = "|"

COLUMN_DOCS: dict[str, str] = {
    "record_id": "Stable id of the record (paper × gene × canonical variant); quote it in decisions.",
    "status": "Review status: draft, accepted, rejected or edited.",
    "pmid": "PubMed id of the paper the evidence comes from.",
    "year": "Publication year.",
    "journal": "Journal title.",
    "title": "Article title.",
    "gene_symbol": "HGNC-approved gene symbol.",
    "hgnc_id": "HGNC id, e.g. HGNC:5464.",
    "ncbi_gene_id": "NCBI Gene id, e.g. 3479.",
    "variant": "Variant as written in the paper.",
    "variant_key": "Canonical variant key used to merge mentions (e.g. c.274G>A, p.Val92Met, del(exons 4-5)).",
    "hgvs_c": "Coding-DNA HGVS, e.g. c.274G>A.",
    "hgvs_p": "Protein HGVS, e.g. p.Val92Met.",
    "hgvs_g": "Genomic HGVS, when reported.",
    "rsid": "dbSNP id, e.g. rs121913529.",
    "variant_class": "Coarse consequence class used for ClinGen scoring (null, missense, in-frame, ...).",
    "zygosity": "Zygosity of the proband(s): homozygous, heterozygous, compound heterozygous, hemizygous.",
    "inheritance": "Mode of inheritance as stated in the paper.",
    "inheritance_hpo": "HPO id of the mode of inheritance, e.g. HP:0000007 (autosomal recessive).",
    "disease_id": "Disease id (OMIM/ORPHA/MONDO/MeSH).",
    "disease_label": "Disease name.",
    "phenotypes_hpo": "HPO phenotype ids, '|'-separated, in the same order as 'phenotypes'.",
    "phenotypes": "HPO phenotype labels, '|'-separated.",
    "proband_count": "Number of probands the paper reports for this variant.",
    "family_count": "Number of families reported.",
    "consanguinity": "True when the paper reports a consanguineous pedigree.",
    "segregation": "Segregation cue (segregates, de_novo, ...).",
    "functional_evidence": "ClinGen experimental evidence categories found, '|'-separated.",
    "evidence_sentence": "Sentence(s) supporting the record, ' | '-separated.",
    "confidence": "Extraction confidence, 0-1.",
    "confidence_reasons": "Why the confidence is what it is, '|'-separated.",
    "is_retracted": "True when PubMed flags the paper as retracted.",
    "curator": "Curator who last decided on the record.",
    "note": "Curator's note.",
    "updated_at": "When the record last changed (ISO 8601, UTC).",
    "pipeline_version": "genelit pipeline version that produced the record.",
    "lexicon_version": "Lexicon (HGNC/HPO) version used for extraction.",
}
COLUMNS: tuple[str, ...] = tuple(COLUMN_DOCS)

def _join(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def record_row(record: EvidenceRecord) -> dict[str, Any]:
    """One record as a flat row keyed by :data:`COLUMNS` (lists joined, enums as their values)."""
    return {
        "record_id": record.record_id,
        "status": record.status.value,
        "pmid": record.pmid,
        "year": record.year,
        "journal": record.journal,
        "title": record.title,
        "gene_symbol": record.gene_symbol,
        "hgnc_id": record.hgnc_id,
        "ncbi_gene_id": record.ncbi_gene_id,
        "variant": record.variant,
        "variant_key": record.variant_key,
        "hgvs_c": record.hgvs_c,
        "hgvs_p": record.hgvs_p,
        "hgvs_g": record.hgvs_g,
        "rsid": record.rsid,
        "variant_class": record.variant_class.value if record.variant_class else None,
        "zygosity": record.zygosity,
        "inheritance": record.inheritance,
        "inheritance_hpo": record.inheritance_hpo,
        "disease_id": record.disease_id,
        "disease_label": record.disease_label,
        "phenotypes_hpo": _join(p.hpo_id for p in record.phenotypes),
        "phenotypes": _join(p.label for p in record.phenotypes),
        "proband_count": record.proband_count,
        "family_count": record.family_count,
        "consanguinity": record.consanguinity,
        "segregation": record.segregation,
        "functional_evidence": _join(dict.fromkeys(c.category.value for c in record.functional_evidence)),
        "evidence_sentence": " | ".join(s.text for s in record.evidence),
        "confidence": record.confidence,
        "confidence_reasons": _join(record.confidence_reasons),
        "is_retracted": record.is_retracted,
        "curator": record.curator,
        "note": record.note,
        "updated_at": record.updated_at.isoformat() if record.updated_at else None,
        "pipeline_version": record.pipeline_version,
        "lexicon_version": record.lexicon_version,
    }


def records_to_frame(records: Sequence[EvidenceRecord]) -> pd.DataFrame:
    """The evidence table, columns in :data:`COLUMNS` order and typed so every format round-trips.

    Counts and years are nullable integers (``Int64``) so a missing value stays missing instead of
    turning the whole column into floats.
    """
    frame = pd.DataFrame([record_row(r) for r in records], columns=list(COLUMNS))
    for column in ("year", "proband_count", "family_count"):
        frame[column] = frame[column].astype("Int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    for column in ("consanguinity", "is_retracted"):
        frame[column] = frame[column].astype("bool")
    text_columns = [c for c in COLUMNS if frame[c].dtype == object]
    frame[text_columns] = frame[text_columns].astype("string")
    return frame
