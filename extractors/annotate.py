"""Run the pipeline over PubTator documents and express mentions as PubTator annotations.

Corpora disagree on what a phenotype/disease mention *is*, so annotation comes in named **profiles**
(:data:`PROFILES`), each a :class:`~extractors.pipeline.PipelineConfig` preset:

* ``biored`` (default) — BioRED's convention, the one curators want: a disease name is one mention
  ("nevoid basal cell carcinoma syndrome"), nothing nested inside it.
* ``hpo`` — HPO concept recognition as GSC+ annotates it: the HPO phenotypes are also marked *inside*
  disease names and longer phenotypes ("basal cell carcinoma" in "nevoid basal cell carcinoma syndrome",
  "colitis" in "ulcerative colitis" — only where HPO files the whole under the nested term), each with
  its HP id, and an organ's "signs"/"symptoms" are its abnormality ("neurological signs" = *Abnormality of
  the nervous system*; BioRED leaves such generic phrases out).  Use it to compare with HPO concept
  recognizers (FastHPOCR, Doc2Hpo, PhenoTagger); scored BioRED-style it over-generates (BioRED Dev
  Disease∪Phenotype F1 0.824 -> 0.784, ~100 more false positives).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from genelit.extractors.pipeline import PipelineConfig, extract_texts, load_pipeline
from genelit.extractors.pubtator import Annotation, PubTatorDoc
from genelit.models.mentions import DocumentExtraction, Mention, MentionKind
from spacy.language import Language

# mention kind -> PubTator type written by `genelit annotate`
PUBTATOR_TYPES: dict[MentionKind, str] = {
    MentionKind.GENE: "Gene",
    MentionKind.VARIANT: "Variant",
    MentionKind.DISEASE: "Disease",
    MentionKind.PHENOTYPE: "Phenotype",
    MentionKind.ZYGOSITY: "Zygosity",
    MentionKind.INHERITANCE: "Inheritance",
}


# profile name -> pipeline preset (the module docstring says what each annotates)
PROFILES: dict[str, PipelineConfig] = {
    "biored": PipelineConfig(),
    "hpo": PipelineConfig(component_config=(("genelit_phenotypes", (("nested", True),)),)),
}
DEFAULT_PROFILE = "biored"


def profile_config(name: str) -> PipelineConfig:
    """The pipeline preset of profile ``name``; ``ValueError`` naming the known profiles otherwise."""
    config = PROFILES.get(name)
    if config is None:
        raise ValueError(f"unknown annotation profile {name!r}; known: {', '.join(PROFILES)}")
    return config


def load_profile(name: str = DEFAULT_PROFILE) -> Language:
    """The (process-cached) pipeline of profile ``name``."""
    return load_pipeline(profile_config(name))


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
