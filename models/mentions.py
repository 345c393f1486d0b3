"""What the extraction pipeline finds in a text.

A :class:`Mention` is a span of the document text (``start``/``end`` are character offsets into
``Article.text``) with the sentence it sits in and, where the extractor could normalize it, a concept id.
``label`` is the concept's name (phenotype, disease, inheritance).  ``attrs`` holds what else the
extractor knows, per kind -- every key any component sets is listed in :data:`MENTION_ATTRS` below
(``tests/test_mentions.py`` checks the pipeline sets no other):

==============  ===============================================  ===============================================
kind            concept_id                                       attrs
==============  ===============================================  ===============================================
gene            ``HGNC:5464``                                    ``symbol``, ``ncbi_gene_id``
variant         canonical key, e.g. ``p.Val92Met``, ``c.274G>A``  ``hgvs_c``, ``hgvs_p``, ``hgvs_g``, ``rsid``,
                ``rs121913529``, ``IGF1:del(exons 4-5)``           ``variant_class``, ``is_copy_number``,
                                                                 ``is_allele`` (a residue or allele, not a change)
zygosity        ``homozygous`` ...                               ``variant_spans`` (the variants it is said of),
                                                                 ``carrier`` (said of a relative/carrier),
                                                                 ``notation`` (from genotype notation ``[X];[Y]``)
inheritance     ``HP:0000007`` (autosomal recessive) ...         ``autosomal_assumed`` ("recessive" alone)
phenotype       ``HP:0001511``                                   ``match`` (dictionary / bag / abbreviation ...),
                                                                 ``disease_id`` (a disease name that is also an
                                                                 HPO phenotype)
disease         ``OMIM:608747`` / ``ORPHA:...`` / ``MESH:...``   ``match``
consanguinity   ``consanguineous``                               —
proband_count   ``probands`` / ``families``                      ``count``, ``unit`` (the word counted)
segregation     ``segregates`` / ``de_novo`` / ...               ``lod`` (a LOD score stated with it)
functional      ClinGen experimental category                    ``category``
==============  ===============================================  ===============================================
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class MentionKind(StrEnum):
    GENE = "gene"
    VARIANT = "variant"
    ZYGOSITY = "zygosity"
    INHERITANCE = "inheritance"
    PHENOTYPE = "phenotype"
    DISEASE = "disease"
    CONSANGUINITY = "consanguinity"
    PROBAND_COUNT = "proband_count"
    SEGREGATION = "segregation"
    FUNCTIONAL = "functional"


class Mention(BaseModel):
    """One extracted span, with provenance (sentence and offsets) and normalization."""

    kind: MentionKind
    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    concept_id: str | None = None
    label: str | None = None
    negated: bool = False
    score: float = 1.0
    source: str = ""
    attrs: dict[str, Any] = Field(default_factory=dict)


class DocumentExtraction(BaseModel):
    """All mentions found in one document, plus its sentence boundaries."""

    pmid: str
    text: str
    sentences: list[tuple[int, int]] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    pipeline_version: str = ""
    lexicon_version: str = ""
    # the per-document time limit stopped extraction before the last passage (a very long document)
    truncated: bool = False

    def of_kind(self, kind: MentionKind) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def sentence_of(self, mention: Mention) -> str:
        return self.text[mention.sentence_start : mention.sentence_end]


# Every ``attrs`` key a component may set, per mention kind (the table in the module docstring).
MENTION_ATTRS: dict[MentionKind, frozenset[str]] = {
    MentionKind.GENE: frozenset({"symbol", "ncbi_gene_id"}),
    MentionKind.VARIANT: frozenset({"hgvs_c", "hgvs_p", "hgvs_g", "rsid", "variant_class", "is_copy_number", "is_allele"}),
    MentionKind.ZYGOSITY: frozenset({"variant_spans", "carrier", "notation"}),
    MentionKind.INHERITANCE: frozenset({"autosomal_assumed"}),
    MentionKind.PHENOTYPE: frozenset({"match", "disease_id"}),
    MentionKind.DISEASE: frozenset({"match"}),
    MentionKind.CONSANGUINITY: frozenset(),
    MentionKind.PROBAND_COUNT: frozenset({"count", "unit"}),
    MentionKind.SEGREGATION: frozenset({"lod"}),
    MentionKind.FUNCTIONAL: frozenset({"category"}),
}
