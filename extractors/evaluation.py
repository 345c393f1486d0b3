"""Mention-level and document-level scoring of predictions against gold PubTator annotations.

Used by ``benchmarks/eval_ner.py`` (figures in ``benchmarks/RESULTS.md``) and by the regression test.
Gold and predicted type names differ per corpus, so each corpus has a *preset* mapping our output
types (Gene, Variant, Disease, Phenotype) onto the gold types it annotates.

HPO ids are compared as *current* ids: before scoring, every HP id of gold and prediction that a later
HPO release merged into another term (``alt_id``) or obsoleted with a ``replaced_by`` is mapped to the
term it now is (:func:`remap_hp_ids`, map from :func:`extractors.hpo_sources.current_ids` over the vendored
hp.obo).  GSC+ (2017) was annotated with older ids, and a recognizer using today's HPO must not be
scored wrong for naming the same concept.  Gold ids of a different, non-merged term are left as they are.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from genelit.extractors.pubtator import Annotation, PubTatorDoc

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


@lru_cache(maxsize=1)
def hp_id_map() -> dict[str, str]:
    """Outdated HP id -> current primary id, from the vendored hp.obo (see the module docstring)."""
    from genelit.extractors.hpo_sources import current_ids, hpo_data_dir, read_obo

    return current_ids(read_obo(hpo_data_dir() / "hp.obo"))


def _remap_field(concept_id: str, id_map: dict[str, str]) -> str:
    """The id column with each outdated HP id replaced (separators and other ids kept)."""
    return ";".join(id_map.get(part.strip(), part.strip()) for part in concept_id.replace(",", ";").split(";"))


def remap_hp_ids(docs: list[PubTatorDoc], id_map: dict[str, str] | None = None) -> tuple[list[PubTatorDoc], int]:
    """``docs`` with outdated HP ids mapped to current ones, and how many annotations changed.

    Documents without an outdated HP id are returned as they are (no copy, no hp.obo read for corpora
    without HP ids).
    """
    if not any(a.concept_id.startswith("HP:") or ";HP:" in a.concept_id for d in docs for a in d.annotations):
        return docs, 0
    id_map = hp_id_map() if id_map is None else id_map
    out, changed = [], 0
    for doc in docs:
        anns = []
        for a in doc.annotations:
            new = _remap_field(a.concept_id, id_map) if "HP:" in a.concept_id else a.concept_id
            if new != a.concept_id and _ids(new) != _ids(a.concept_id):
                changed += 1
                a = replace(a, concept_id=new)
            anns.append(a)
        out.append(replace(doc, annotations=anns))
    return out, changed


@lru_cache(maxsize=1)
def human_gene_ids() -> frozenset[str]:
    """NCBI Gene ids of the human genes in genelit's HGNC lexicon."""
    from genelit.extractors import hgnc

    _, records = hgnc.load_lexicon()
    return frozenset(str(r.ncbi_gene_id) for r in records if r.ncbi_gene_id)


def human_genes_only(
    gold: list[PubTatorDoc], pred: list[PubTatorDoc], gold_type: str = "GeneOrGeneProduct", pred_type: str = "Gene"
) -> tuple[list[PubTatorDoc], list[PubTatorDoc]]:
    """Gold and predictions without the gene mentions the gold identifies as another species' genes.

    BioRED links a mouse or rat gene to its own NCBI Gene id; genelit, built for human genetics, links every
    gene to its human HGNC entry.  Scoring ids on the human-gene mentions says how often a curator gets the
    right gene; the mentions of other species' genes are left out on both sides.
    """
    human = human_gene_ids()
    pred_docs = {d.pmid: d for d in pred}
    kept_gold, kept_pred = [], []
    for doc in gold:
        other_species = {
            (a.start, a.end) for a in doc.annotations
            if a.type == gold_type and _ids(a.concept_id) and not _ids(a.concept_id) & human
        }
        kept_gold.append(replace(doc, annotations=[
            a for a in doc.annotations if a.type != gold_type or (a.start, a.end) not in other_species
        ]))
        if doc.pmid in pred_docs:
            pdoc = pred_docs[doc.pmid]
            kept_pred.append(replace(pdoc, annotations=[
                a for a in pdoc.annotations if a.type != pred_type or (a.start, a.end) not in other_species
            ]))
    return kept_gold, kept_pred


def evaluate(gold: list[PubTatorDoc], pred: list[PubTatorDoc], preset: str) -> dict[str, Score]:
    """All metrics of a corpus preset, plus document-level concept scores for the id metrics, and for
    BioRED the gene ids on human-gene mentions (:func:`human_genes_only`).

    HP ids of both sides are current ids first (:func:`remap_hp_ids`).
    """
    gold, _ = remap_hp_ids(list(gold))
    pred, _ = remap_hp_ids(list(pred))
    results: dict[str, Score] = {}
    for name, (ptypes, gtypes, with_ids) in PRESETS[preset].items():
        results[name] = score_mentions(gold, pred, ptypes, gtypes, with_ids)
        if with_ids:
            results[name.replace("+id", " (doc concepts)")] = score_concepts(gold, pred, ptypes, gtypes)
        if preset == "biored" and name == "Gene+id":
            human_gold, human_pred = human_genes_only(gold, pred)
            results["Gene+id (human genes)"] = score_mentions(human_gold, human_pred, ptypes, gtypes, True)
    return results
