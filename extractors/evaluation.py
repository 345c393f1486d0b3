"""Mention-level and document-level scoring of predictions against gold PubTator annotations.

Used by ``benchmarks/eval_ner.py`` (figures in ``benchmarks/RESULTS.md``) and by the regression test.
Gold and predicted type names differ per corpus, so each corpus has a *preset* mapping our output
types (Gene, Variant, Disease, Phenotype) onto the gold types it annotates.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extractors.pubtator import Annotation, PubTatorDoc

# metric name -> (our predicted types, gold types, compare ids?)
PRESETS: dict[str, dict[str, tuple[frozenset[str], frozenset[str], bool]]] = {
    "biored": {
        "Gene": (frozenset({"Gene"}), frozenset({"GeneOrGeneProduct"}), False),
        "Gene+id": (frozenset({"Gene"}), frozenset({"GeneOrGeneProduct"}), True),
        "Variant": (frozenset({"Variant"}), frozenset({"SequenceVariant"}), False),
        "Disease∪Phenotype": (
            frozenset({"Disease", "Phenotype"}),
            frozenset({"DiseaseOrPhenotypicFeature"}),
            False,
        ),
    },
    "tmvar": {
        "Variant": (frozenset({"Variant"}), frozenset({"DNAMutation", "ProteinMutation", "SNP"}), False),
    },
    "gscplus": {
        "Phenotype": (frozenset({"Phenotype"}), frozenset({"Phenotype"}), False),
        "Phenotype+id": (frozenset({"Phenotype"}), frozenset({"Phenotype"}), True),
    },
}


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _ids(concept_id: str) -> frozenset[str]:
    """Gold ids may list several concepts ("1234;5678", "1234,5678"); prefixes like NCBIGene: dropped."""
    parts = concept_id.replace(",", ";").split(";")
    return frozenset(p.strip().split(":", 1)[-1] if p.strip().startswith(("NCBIGene:",)) else p.strip() for p in parts if p.strip())


def _spans(anns: Iterable[Annotation], types: frozenset[str]) -> dict[tuple[str, int, int], frozenset[str]]:
    """(pmid, start, end) -> concept ids, for the annotations of the given types."""
    spans: dict[tuple[str, int, int], frozenset[str]] = {}
    for a in anns:
        if a.type in types:
            key = (a.pmid, a.start, a.end)
            spans[key] = spans.get(key, frozenset()) | _ids(a.concept_id)
    return spans


def score_mentions(
    gold: Iterable[PubTatorDoc], pred: Iterable[PubTatorDoc], pred_types: frozenset[str],
    gold_types: frozenset[str], with_ids: bool = False,
) -> Score:
    """Exact-span P/R/F1; with ``with_ids`` a prediction must also share a concept id with the gold.

    For id scoring, gold spans the corpus left without an id are ignored on both sides (neither a hit
    nor a false positive), since the corpus could not say which concept they are.
    """
    pred_docs = {d.pmid: d for d in pred}
    tp = fp = fn = 0
    for gdoc in gold:
        pdoc = pred_docs.get(gdoc.pmid)
        g = _spans(gdoc.annotations, gold_types)
        p = _spans(pdoc.annotations if pdoc else [], pred_types)
        if not with_ids:
            tp += len(g.keys() & p.keys())
            fp += len(p.keys() - g.keys())
            fn += len(g.keys() - p.keys())
            continue
        unnormalized = {span for span, ids in g.items() if not ids}
        for span, ids in p.items():
            if span in unnormalized:
                continue
            if ids & g.get(span, frozenset()):
                tp += 1
            else:
                fp += 1
        fn += sum(1 for span, ids in g.items() if ids and not (ids & p.get(span, frozenset())))
    return Score(tp, fp, fn)


def score_concepts(
    gold: Iterable[PubTatorDoc], pred: Iterable[PubTatorDoc], pred_types: frozenset[str], gold_types: frozenset[str]
) -> Score:
    """Document-level concept F1: the set of (pmid, id) pairs, whatever the spans."""
    def pairs(docs: Iterable[PubTatorDoc], types: frozenset[str]) -> set[tuple[str, str]]:
        return {(a.pmid, i) for d in docs for a in d.annotations if a.type in types for i in _ids(a.concept_id)}

    gold_list, pred_list = list(gold), list(pred)
    g = pairs(gold_list, gold_types)
    pmids = {d.pmid for d in gold_list}
    p = {x for x in pairs(pred_list, pred_types) if x[0] in pmids}
    return Score(len(g & p), len(p - g), len(g - p))


def evaluate(gold: list[PubTatorDoc], pred: list[PubTatorDoc], preset: str) -> dict[str, Score]:
    """All metrics of a corpus preset, plus document-level concept scores for the id metrics."""
    results: dict[str, Score] = {}
    for name, (ptypes, gtypes, with_ids) in PRESETS[preset].items():
        results[name] = score_mentions(gold, pred, ptypes, gtypes, with_ids)
        if with_ids:
            results[name.replace("+id", " (doc concepts)")] = score_concepts(gold, pred, ptypes, gtypes)
    return results
