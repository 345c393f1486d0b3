"""The draft evidence record: one gene × variant × paper, as a curator reviews it.

The record id is deterministic (paper, gene, canonical variant) so that a re-run of extraction
updates the same draft instead of adding a duplicate, and a curator's decision stays attached to it.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer


class RecordStatus(StrEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EDITED = "edited"


class VariantClass(StrEnum):
    """Coarse consequence classes used by the ClinGen SOP's variant scoring."""

    NULL = "null"  # nonsense, frameshift, canonical splice, start loss, whole/partial gene deletion
    MISSENSE = "missense"
    INFRAME = "in-frame"
    SPLICE = "splice"  # non-canonical splice-region changes
    COPY_NUMBER = "copy-number"
    OTHER = "other"


class VariantRole(StrEnum):
    """What a variant is in the paper that mentions it (only ``case`` alleles are case-level evidence).

    A curator records the alleles found in the paper's own patients; every other variant mention is kept
    with its role so that nothing is silently dropped, and the store and exports filter on ``case``.
    """

    CASE = "case"  # found in this paper's patients, families or cohort
    REPORTED = "reported"  # previously published: literature review, table of known mutations
    POPULATION = "population"  # polymorphism, control or association-study SNP
    EXPERIMENTAL = "experimental"  # engineered construct, cell line or model-organism allele, mutagenesis
    OTHER = "other"  # primers, numbering, figure labels, genomic coordinates, an unresolved gene


class Zygosity(StrEnum):
    """Zygosity of the allele in the patients.  Origin (de novo, mosaic) is not a zygosity."""

    HOMOZYGOUS = "homozygous"
    HETEROZYGOUS = "heterozygous"
    COMPOUND_HETEROZYGOUS = "compound_heterozygous"
    HEMIZYGOUS = "hemizygous"


class ParentalOrigin(StrEnum):
    MATERNAL = "maternal"
    PATERNAL = "paternal"
    BOTH = "both"


class FunctionalCategory(StrEnum):
    """ClinGen gene–disease validity experimental evidence categories."""

    BIOCHEMICAL_FUNCTION = "biochemical_function"
    PROTEIN_INTERACTION = "protein_interaction"
    EXPRESSION = "expression"
    PATIENT_CELLS = "functional_alteration_patient_cells"
    NON_PATIENT_CELLS = "functional_alteration_non_patient_cells"
    MODEL_ORGANISM = "model_organism"
    CELL_CULTURE_MODEL = "cell_culture_model"
    RESCUE = "rescue"


class EvidenceSentence(BaseModel):
    """A sentence that supports the record, with offsets into ``Article.text``."""

    text: str
    start: int
    end: int
    # (start, end, kind) of the highlighted spans, offsets into Article.text
    highlights: list[tuple[int, int, str]] = Field(default_factory=list)
    # where in a full text the sentence is (None for abstracts): the section as written, its kind
    # (models.article.SectionKind value), the table and the PDF page
    section: str | None = None
    section_kind: str | None = None
    table_id: str | None = None
    page: int | None = None

    @model_serializer(mode="wrap")
    def _without_empty_citation(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Abstract sentences serialize exactly as before full text existed (no null section keys), so
        stored records of abstracts compare equal across the upgrade."""
        data = handler(self)
        if isinstance(data, dict):
            for key in _CITATION_FIELDS:
                if data.get(key, 0) is None:
                    del data[key]
        return data

    @property
    def citation(self) -> str | None:
        """"Case Report", "Table 2 (Results)", "p. 5, Discussion" -- None for an abstract sentence."""
        if self.section_kind is None or self.section_kind in ("title", "abstract"):
            return None
        parts = [f"p. {self.page}"] if self.page is not None else []
        where = self.section or self.section_kind.capitalize()
        if self.table_id:
            where = f"{self.table_id} ({self.section})" if self.section else self.table_id
        parts.append(where)
        return ", ".join(parts)


_CITATION_FIELDS = ("section", "section_kind", "table_id", "page")


class Phenotype(BaseModel):
    hpo_id: str
    label: str


class FunctionalCue(BaseModel):
    category: FunctionalCategory
    text: str
    start: int
    end: int


class EvidenceRecord(BaseModel):
    """A case-level evidence draft.  Field names follow curator vocabulary."""

    record_id: str
    # paper
    pmid: str
    title: str = ""
    year: int | None = None
    journal: str | None = None
    is_retracted: bool = False
    # gene
    gene_symbol: str
    hgnc_id: str | None = None
    ncbi_gene_id: str | None = None
    # variant
    variant: str | None = None  # mention text as written in the paper
    variant_key: str | None = None  # canonical key (see extractors.variants)
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    hgvs_g: str | None = None
    rsid: str | None = None
    variant_class: VariantClass | None = None
    # every spelling of the allele in the paper, as written ("c.920A→C", "p.K307T")
    synonyms: list[str] = Field(default_factory=list)
    # what the allele is in this paper; only ``case`` records are case-level evidence
    role: VariantRole = VariantRole.CASE
    role_reason: str = ""  # the cue behind the role, e.g. "sentence cue 'previously reported'"
    # case-level evidence.  Drafts write a ``Zygosity`` value; the field stays a string because curators'
    # edits and stores written before the origin fields existed hold other spellings.
    zygosity: str | None = None
    # origin, separate from zygosity: None = the paper does not say
    de_novo: bool | None = None
    inherited_from: ParentalOrigin | None = None
    mosaic: bool | None = None
    inheritance: str | None = None
    inheritance_hpo: str | None = None
    disease_id: str | None = None
    disease_label: str | None = None
    phenotypes: list[Phenotype] = Field(default_factory=list)
    proband_count: int | None = None
    family_count: int | None = None
    consanguinity: bool = False
    segregation: str | None = None
    functional_evidence: list[FunctionalCue] = Field(default_factory=list)
    evidence: list[EvidenceSentence] = Field(default_factory=list)
    confidence: float = 0.0
    confidence_reasons: list[str] = Field(default_factory=list)
    # review
    status: RecordStatus = RecordStatus.DRAFT
    curator: str | None = None
    note: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    pipeline_version: str = ""
    lexicon_version: str = ""

    @staticmethod
    def make_id(pmid: str, hgnc_id_or_symbol: str, variant_key: str | None) -> str:
        """Stable id from paper, gene and canonical variant (``-`` for gene-level evidence)."""
        raw = f"{pmid}|{hgnc_id_or_symbol}|{variant_key or '-'}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    @property
    def hpo_ids(self) -> list[str]:
        return [p.hpo_id for p in self.phenotypes]
