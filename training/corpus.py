"""Convert PubTator gold annotations into spaCy ``DocBin`` training data.

Docs are tokenized with the model's tokenizer (scispaCy's ``combined_rule_tokenizer`` plus the infixes
of :func:`extractors.ner.ner_tokenizer`) so that the trained model sees exactly the tokens it will meet
at run time.  Gold spans that do not fall on token boundaries are counted (each is a recall loss the
model cannot recover) and by default their tokens are marked *missing* (no gradient either way):
widening them would teach wrong boundaries, and leaving them "outside" would teach that
``deafness`` in ``deafness-associated`` is not a disease.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import spacy
from genelit.extractors.pubtator import PubTatorDoc, read_pubtator
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

# PubTator type -> model label
BIORED_LABELS: dict[str, str] = {
    "GeneOrGeneProduct": "GENE",
    "DiseaseOrPhenotypicFeature": "DISEASE",
    "SequenceVariant": "VARIANT",
}
TMVAR_LABELS: dict[str, str] = {"DNAMutation": "VARIANT", "ProteinMutation": "VARIANT", "SNP": "VARIANT"}


@lru_cache(maxsize=1)
def model_tokenizer_nlp() -> Language:
    """A blank English pipeline with the NER model's tokenizer (:func:`extractors.ner.ner_tokenizer`)."""
    from genelit.extractors.ner import ner_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = ner_tokenizer(nlp)
    return nlp


@dataclass
class AlignmentReport:
    """How well gold spans fit the tokenizer: a curator-readable summary of conversion losses."""

    aligned: int = 0
    expanded: int = 0  # did not fall on token boundaries; widened to the covering tokens ("expand")
    missing: int = 0  # did not fall on token boundaries; covering tokens marked missing ("missing")
    skipped: int = 0  # lost to an overlapping, longer span
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        total = self.aligned + self.expanded + self.missing + self.skipped
        return (
            f"{total} gold spans: {self.aligned} aligned to tokens, {self.missing} misaligned (marked missing), "
            f"{self.expanded} misaligned (expanded), {self.skipped} dropped as overlapping"
        )


def gold_spans(
    doc: Doc,
    source: PubTatorDoc,
    labels: Mapping[str, str],
    report: AlignmentReport,
    alignment_mode: Literal["missing", "expand"] = "missing",
) -> tuple[list[Span], list[Span]]:
    """(entity spans, spans to mark missing) for the source's annotations of the wanted types."""
    spans: list[Span] = []
    missing: list[Span] = []
    for ann in source.annotations:
        label = labels.get(ann.type)
        if label is None:
            continue
        span = doc.char_span(ann.start, ann.end, label=label)
        if span is not None:
            report.aligned += 1
            spans.append(span)
            continue
        covering = doc.char_span(ann.start, ann.end, label=label, alignment_mode="expand")
        if covering is None:
            report.missing += 1
            continue
        if len(report.examples) < 20:
            report.examples.append(f"{ann.text!r} in {covering.text!r}")
        if alignment_mode == "expand":
            report.expanded += 1
            spans.append(covering)
        else:
            report.missing += 1
            missing.append(covering)
    kept = filter_spans(spans)
    report.skipped += len(spans) - len(kept)
    kept_tokens = {i for span in kept for i in range(span.start, span.end)}
    missing = [m for m in missing if not kept_tokens.intersection(range(m.start, m.end))]
    return kept, filter_spans(missing)


def to_docs(
    sources: Iterable[PubTatorDoc],
    labels: Mapping[str, str],
    report: AlignmentReport,
    alignment_mode: Literal["missing", "expand"] = "missing",
) -> list[Doc]:
    """Tokenized docs with ``doc.ents`` set to the gold spans (misaligned ones handled per ``alignment_mode``)."""
    nlp = model_tokenizer_nlp()
    docs = []
    for source in sources:
        doc = nlp.make_doc(source.text)
        entities, missing = gold_spans(doc, source, labels, report, alignment_mode)
        doc.set_ents(entities, missing=missing, default="outside")
        docs.append(doc)
    return docs


def write_docbin(docs: Iterable[Doc], path: Path) -> int:
    """Serialize docs to a ``.spacy`` file; returns how many were written."""
    docs = list(docs)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return len(docs)


def split_train(sources: list[PubTatorDoc], holdout_fraction: float = 0.1) -> tuple[list, list]:
    """Deterministic train / early-stopping split of a training corpus (every k-th doc held out)."""
    every = max(round(1 / holdout_fraction), 2)
    train = [d for i, d in enumerate(sources) if i % every != every - 1]
    holdout = [d for i, d in enumerate(sources) if i % every == every - 1]
    return train, holdout


def read_corpus(path: Path) -> list[PubTatorDoc]:
    return read_pubtator(path)
