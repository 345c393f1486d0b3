"""A Markdown first draft of a gene–disease validity summary, in the spirit of ClinGen summaries.

It states what the evidence records say (classification with points, inheritance, probands,
variants with zygosity, phenotypes, functional evidence, PMIDs) and shows the per-point score sheet,
so a curator can check every number.  It is always labelled as an unreviewed machine draft.
"""
from __future__ import annotations

from collections.abc import Sequence

from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.outputs.clingen import ClinGenScore, score_gene_disease

REVIEWED_STATUSES = frozenset({RecordStatus.ACCEPTED, RecordStatus.EDITED})


def select_records(
    gene: str, records: Sequence[EvidenceRecord], disease: str | None = None, include_drafts: bool = False
) -> list[EvidenceRecord]:
    """Records that count: this gene, this disease (id or label, if given), accepted or edited —
    plus drafts when ``include_drafts``; rejected records never count."""
    allowed = REVIEWED_STATUSES | ({RecordStatus.DRAFT} if include_drafts else set())
    symbol = gene.strip().upper()
    return [r for r in records
            if r.gene_symbol.upper() == symbol and r.status in allowed and _matches_disease(r, disease)]


def _matches_disease(record: EvidenceRecord, disease: str | None) -> bool:
    """No disease asked: everything matches; else the exact id or a part of the label."""
    if not disease:
        return True
    wanted = disease.strip().lower()
    return wanted == (record.disease_id or "").lower() or wanted in (record.disease_label or "").lower()


def matches_disease(records: Sequence[EvidenceRecord], disease: str) -> bool:
    """Whether any of ``records`` is about ``disease`` (its exact id, or a part of its label)."""
    return any(_matches_disease(r, disease) for r in records)


def disease_names(records: Sequence[EvidenceRecord]) -> list[str]:
    """The diseases the records name, once each, as ``label (id)``, in first-seen order."""
    return list(dict.fromkeys(
        " ".join(x for x in (r.disease_label, f"({r.disease_id})" if r.disease_id else None) if x)
        for r in records if r.disease_label or r.disease_id
    ))


def _cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, newlines flattened."""
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _pmid(pmid: str) -> str:
    return f"[PMID:{pmid}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/)"


def _variant_lines(records: Sequence[EvidenceRecord]) -> list[str]:
    rows = ["| Variant (as written) | HGVS c. | HGVS p. | Class | Zygosity | PMID |", "|---|---|---|---|---|---|"]
    for r in records:
        if not (r.variant or r.variant_key or r.hgvs_c or r.hgvs_p):
            continue
        rows.append("| " + " | ".join(_cell(x) for x in (
            r.variant or r.variant_key, r.hgvs_c, r.hgvs_p,
            r.variant_class.value if r.variant_class else "", r.zygosity or "not stated", f"PMID:{r.pmid}",
        )) + " |")
    return rows if len(rows) > 2 else ["No variant-level records."]


def _phenotype_lines(records: Sequence[EvidenceRecord]) -> list[str]:
    seen: dict[str, tuple[str, list[str]]] = {}
    for r in records:
        for p in r.phenotypes:
            label, pmids = seen.setdefault(p.hpo_id, (p.label, []))
            if r.pmid not in pmids:
                pmids.append(r.pmid)
    return [f"- {hpo} {label} ({', '.join(f'PMID:{m}' for m in pmids)})" for hpo, (label, pmids) in seen.items()] \
        or ["- none extracted"]


def _functional_lines(records: Sequence[EvidenceRecord]) -> list[str]:
    lines = [f"- {c.category.value}: \"{c.text}\" (PMID:{r.pmid})" for r in records for c in r.functional_evidence]
    return list(dict.fromkeys(lines)) or ["- none extracted"]


def _score_lines(score: ClinGenScore) -> list[str]:
    rows = ["| Category | Points | Records | PMIDs | Reason |", "|---|---:|---|---|---|"]
    for item in score.items:
        rows.append("| " + " | ".join(_cell(x) for x in (
            item.category, f"{item.points:g}", ", ".join(item.record_ids),
            ", ".join(f"PMID:{p}" for p in item.pmids), item.reason,
        )) + " |")
    return rows if len(rows) > 2 else ["No scorable evidence."]


def _proband_count(records: Sequence[EvidenceRecord]) -> int:
    """Probands per paper = the largest count any of its records states (default 1), summed."""
    per_paper: dict[str, int] = {}
    for r in records:
        per_paper[r.pmid] = max(per_paper.get(r.pmid, 0), r.proband_count or 1)
    return sum(per_paper.values())


def draft_summary(
    gene: str,
    records: Sequence[EvidenceRecord],
    disease: str | None = None,
    include_drafts: bool = False,
    as_of_year: int | None = None,
) -> str:
    """Markdown draft summary of ``gene`` (and ``disease``) from the records that count."""
    counted = select_records(gene, records, disease, include_drafts)
    score = score_gene_disease(counted, as_of_year=as_of_year)
    diseases = disease_names(counted)
    disease_text = disease or (", ".join(diseases) if diseases else "disease not stated")
    pmids = list(dict.fromkeys(r.pmid for r in counted))
    consanguineous = sorted({r.pmid for r in counted if r.consanguinity})
    which = "accepted and edited records" + (" plus unreviewed drafts" if include_drafts else " only")
    lines = [
        f"# {gene.upper()} — {disease_text}: gene–disease validity draft",
        "",
        "> **MACHINE DRAFT — not reviewed.** Generated by genelit from literature-mined evidence records; "
        f"counts {which} ({len(counted)} of {len(records)} records given). "
        "A curator must check every statement and point against the papers before use.",
        "",
        f"**Draft classification: {score.classification.value}** — {score.total_points:g} points "
        f"(genetic {score.genetic_points:g}/12, experimental {score.experimental_points:g}/6; "
        f"replicated over time: {'yes' if score.replicated_over_time else 'no'}). Scored per {score.sop_version}.",
        "",
        f"**Inheritance:** {score.inheritance.value}.",
        "",
        f"**Probands:** {_proband_count(counted)} from {len(pmids)} publication(s)"
        + (f"; consanguineous pedigree reported in {', '.join(f'PMID:{p}' for p in consanguineous)}."
           if consanguineous else "."),
        "",
        "## Variants", "", *_variant_lines(counted), "",
        "## Phenotypes (HPO)", "", *_phenotype_lines(counted), "",
        "## Functional evidence", "", *_functional_lines(counted), "",
        "## Score sheet", "", *_score_lines(score), "",
    ]
    if score.notes:
        lines += ["Notes: " + "; ".join(score.notes), ""]
    lines += ["## PMIDs cited", "", *([f"- {_pmid(p)}" for p in pmids] or ["- none"]), ""]
    return "\n".join(lines)
