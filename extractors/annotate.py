"""Run the pipeline over PubTator documents and express mentions as PubTator annotations."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from extractors.pipeline import extract_texts
from extractors.pubtator import Annotation, PubTatorDoc
from models.mentions import DocumentExtraction, Mention, MentionKind

# mention kind -> PubTator type written by `genelit annotate`
PUBTATOR_TYPES: dict[MentionKind, str] = {
    MentionKind.GENE: "Gene",
    MentionKind.VARIANT: "Variant",
    MentionKind.DISEASE: "Disease",
    MentionKind.PHENOTYPE: "Phenotype",
    MentionKind.ZYGOSITY: "Zygosity",
    MentionKind.INHERITANCE: "Inheritance",
}


def pubtator_id(mention: Mention) -> str:
    """The identifier column: NCBI Gene id for genes (as the corpora use), else the concept id."""
    if mention.kind == MentionKind.GENE:
        return str(mention.attrs.get("ncbi_gene_id") or "")
    return mention.concept_id or ""


def to_annotations(extraction: DocumentExtraction) -> list[Annotation]:
    return [
        Annotation(extraction.pmid, m.start, m.end, m.text, PUBTATOR_TYPES[m.kind], pubtator_id(m))
        for m in extraction.mentions
        if m.kind in PUBTATOR_TYPES
    ]


def annotate_docs(docs: Iterable[PubTatorDoc], nlp: Language | None = None) -> Iterator[PubTatorDoc]:
    """Predicted annotations for each document (input annotations are ignored, never copied)."""
    docs = list(docs)
    for doc, extraction in zip(docs, extract_texts(((d.text, d.pmid) for d in docs), nlp), strict=True):
        yield PubTatorDoc(doc.pmid, doc.title, doc.abstract, to_annotations(extraction))
