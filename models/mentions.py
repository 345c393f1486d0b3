"""What the extraction pipeline finds in a text.

A :class:`Mention` is a span of the document text (``start``/``end`` are character offsets into
``Article.text``) with the sentence it sits in and, where the extractor could normalize it, a concept id:

==============  ===============================================  ===========================
kind            concept_id                                       attrs (examples)
==============  ===============================================  ===========================
gene            ``HGNC:5464``                                    ``symbol``, ``ncbi_gene_id``
variant         canonical key, e.g. ``p.Val92Met``, ``c.274G>A``  ``hgvs_c``, ``hgvs_p``, ``rsid``,
                ``rs121913529``, ``IGF1:del(exons 4-5)``           ``variant_class``
zygosity        ``homozygous`` ...                               ``variant_spans`` (attached)
inheritance     ``HP:0000007`` (autosomal recessive) ...         ``label``
phenotype       ``HP:0001511``                                   ``label``
disease         ``OMIM:608747`` / ``ORPHA:...`` / ``MESH:...``   ``label``
consanguinity   ``consanguineous``                               —
proband_count   ``probands`` / ``families``                      ``count``
segregation     ``segregates`` / ``de_novo`` / ...               —
functional      ClinGen experimental category                    ``category``
==============  ===============================================  ===========================
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
