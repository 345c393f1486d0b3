"""BioRED GeneOrGeneProduct scores of the ``genelit_genes`` component (lexicon + rules only).

Exact-span P/R/F1 and span+NCBI-Gene-id F1 (``extractors.evaluation``), with the most frequent false
positive and false negative strings, so a rule change can be judged on Train and confirmed on Dev.

    python benchmarks/eval_genes.py                  # Train (development) and Dev (report)
    python benchmarks/eval_genes.py --split dev --top 40
    python benchmarks/eval_genes.py --split dev --with-ner   # also lexicon + genelit_ner, as shipped
    python benchmarks/eval_genes.py --split dev --ner-veto   # ... if genelit_ner applied implausible_gene_span
    python benchmarks/eval_genes.py --split train --cv 5     # Train with the gazetteer learned on other folds

The vendored gazetteer is learned from BioRED Train, so Train scores with it are optimistic; ``--cv K``
learns it on K-1 folds of Train for each held-out fold (and also scores the plain HGNC lexicon), which
is what a rule has to improve to generalize.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the training package (the gazetteer learner)

from genelit.extractors import hgnc  # noqa: E402
from genelit.extractors.evaluation import PRESETS, Score, score_mentions  # noqa: E402
from genelit.extractors.gene_filters import implausible_gene_span  # noqa: E402
from genelit.extractors.gene_index import build_index  # noqa: E402
from genelit.extractors.pipeline import PipelineConfig, build_pipeline  # noqa: E402
from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator  # noqa: E402
from genelit.models.mentions import MentionKind  # noqa: E402
from spacy.language import Language  # noqa: E402

from training.learn_gene_gazetteer import corpus_gazetteer  # noqa: E402

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpora" / "biored"
SPLITS = {"train": "Train.PubTator", "dev": "Dev.PubTator"}
GOLD_TYPE = "GeneOrGeneProduct"


def predict(docs: list[PubTatorDoc], config: PipelineConfig | None = None, nlp: Language | None = None,
            ) -> tuple[list[PubTatorDoc], float]:
    """Run the gene component over the corpus texts; returns predictions and ms per abstract."""
    nlp = nlp or build_pipeline(config or PipelineConfig(components=("genelit_genes",)))
    texts = [d.text for d in docs]
    genes = nlp.get_pipe("genelit_genes")
    pre = list(nlp.pipe(texts, disable=["genelit_genes"]))
    t0 = time.perf_counter()
    for doc in pre:
        genes(doc)
    ms = (time.perf_counter() - t0) * 1000 / max(len(docs), 1)
    out = []
    for d, doc in zip(docs, pre):
        anns = [
            Annotation(d.pmid, m.start, m.end, m.text, "Gene", str(m.attrs.get("ncbi_gene_id", "")))
            for m in doc._.mentions or [] if m.kind == MentionKind.GENE
        ]
        out.append(PubTatorDoc(d.pmid, d.title, d.abstract, anns))
    return out, ms


NER_COMPONENTS = ("genelit_variants", "genelit_genes", "genelit_phenotypes", "genelit_ner")


def predict_with_ner(docs: list[PubTatorDoc], veto: bool = False) -> list[PubTatorDoc]:
    """Gene mentions of the lexicon components plus ``genelit_ner``, the way the default pipeline runs
    (the other lexicon components matter: the model may not add spans they already claimed).
    ``veto``: drop the model's gene spans :func:`extractors.gene_filters.implausible_gene_span` rejects (what
    ``genelit_ner`` would gain by calling it)."""
    nlp = build_pipeline(PipelineConfig(components=NER_COMPONENTS))
    out = []
    for d, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=64)):
        anns = [
            Annotation(d.pmid, m.start, m.end, m.text, "Gene", str(m.attrs.get("ncbi_gene_id", "")))
            for m in doc._.mentions or [] if m.kind == MentionKind.GENE
            and not (veto and m.source == "genelit_ner" and implausible_gene_span(doc, m.start, m.end))
        ]
        out.append(PubTatorDoc(d.pmid, d.title, d.abstract, anns))
    return out


def cross_validated(docs: list[PubTatorDoc], folds: int) -> tuple[list[PubTatorDoc], list[PubTatorDoc]]:
    """Predictions of the plain HGNC lexicon, and with a gazetteer learned on the other ``folds - 1``
    folds (abstract i is in fold i mod folds)."""
    nlp = build_pipeline(PipelineConfig(components=("genelit_genes",)))
    recognizer = nlp.get_pipe("genelit_genes")
    _, records = hgnc.load_lexicon()
    plain = recognizer.index = build_index("plain HGNC", records, ())
    plain_pred, _ = predict(docs, nlp=nlp)
    cv_pred: list[PubTatorDoc] = list(docs)
    for fold in range(folds):
        held = [i for i in range(len(docs)) if i % folds == fold]
        recognizer.index = plain
        rows = corpus_gazetteer([d for i, d in enumerate(docs) if i % folds != fold], nlp)
        recognizer.index = build_index(f"fold {fold}", records, tuple(rows))
        pred, _ = predict([docs[i] for i in held], nlp=nlp)
        for i, p in zip(held, pred):
            cv_pred[i] = p
    return plain_pred, cv_pred


def errors(gold: list[PubTatorDoc], pred: list[PubTatorDoc]) -> tuple[Counter[str], Counter[str]]:
    """False-positive and false-negative mention strings."""
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        gs = {(a.start, a.end): a.text for a in g.annotations if a.type == GOLD_TYPE}
        ps = {(a.start, a.end): a.text for a in p.annotations}
        fp.update(ps[k] for k in ps.keys() - gs.keys())
        fn.update(gs[k] for k in gs.keys() - ps.keys())
    return fp, fn


def _fmt(name: str, s: Score) -> str:
    return f"  {name:<10} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})"


def report(label: str, gold: list[PubTatorDoc], pred: list[PubTatorDoc], top: int) -> dict[str, Score]:
    ptypes, gtypes, _ = PRESETS["biored"]["Gene"]
    scores = {
        "span": score_mentions(gold, pred, ptypes, gtypes),
        "span+id": score_mentions(gold, pred, ptypes, gtypes, with_ids=True),
    }
    print(label)
    for name, s in scores.items():
        print(_fmt(name, s))
    if top:
        fp, fn = errors(gold, pred)
        print("  top FP:", ", ".join(f"{t!r}×{n}" for t, n in fp.most_common(top)))
        print("  top FN:", ", ".join(f"{t!r}×{n}" for t, n in fn.most_common(top)))
    return scores


def evaluate_split(split: str, top: int, with_ner: bool = False, ner_veto: bool = False, cv: int = 0,
                   ) -> dict[str, Score]:
    gold = read_pubtator(CORPUS_DIR / SPLITS[split])
    if cv:
        plain, folded = cross_validated(gold, cv)
        report(f"BioRED {split}, plain HGNC lexicon (no gazetteer)", gold, plain, top)
        report(f"BioRED {split}, gazetteer learned on the other {cv - 1} of {cv} folds", gold, folded, top)
    pred, ms = predict(gold)
    scores = report(f"BioRED {split} ({len(gold)} abstracts), genelit_genes {ms:.3f} ms/abstract", gold, pred, top)
    if with_ner:
        report(f"BioRED {split}, lexicon components + genelit_ner", gold, predict_with_ner(gold), top)
    if ner_veto:
        report(f"BioRED {split}, lexicon components + genelit_ner filtered by implausible_gene_span", gold,
               predict_with_ner(gold, veto=True), top)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--top", type=int, default=25, help="how many FP/FN strings to print")
    parser.add_argument("--with-ner", action="store_true", help="also score lexicon + genelit_ner")
    parser.add_argument("--ner-veto", action="store_true",
                        help="also score lexicon + genelit_ner with the model's spans filtered by implausible_gene_span")
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="also score without the gazetteer and with it learned on K-1 of K folds")
    args = parser.parse_args()
    for split in SPLITS if args.split == "both" else [args.split]:
        evaluate_split(split, args.top, args.with_ner, args.ner_veto, args.cv)


if __name__ == "__main__":
    main()
