"""Score ``genelit_phenotypes`` on GSC+ (HPO span and span+id) and BioRED (Disease ∪ Phenotype span).

    /tmp/venv/bin/python benchmarks/eval_phenotypes.py                 # all corpora, linker on
    /tmp/venv/bin/python benchmarks/eval_phenotypes.py --no-linker --examples 15 --corpus gscplus
    /tmp/venv/bin/python benchmarks/eval_phenotypes.py --no-linker --nested     # the `hpo` annotation profile

Prints P/R/F1 per metric (``extractors.evaluation``), the component's time per abstract, and
false-positive / false-negative examples to guide lexicon work.
"""
from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from genelit.extractors.evaluation import evaluate
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator
from genelit.models.mentions import MentionKind

CORPORA_DIR = Path(os.environ.get("GENELIT_CORPORA", Path(__file__).resolve().parents[1] / "corpora"))
CORPORA = {
    "gscplus": (CORPORA_DIR / "gscplus/dev.PubTator", "gscplus"),
    "biored-train": (CORPORA_DIR / "biored/Train.PubTator", "biored"),
    "biored-dev": (CORPORA_DIR / "biored/Dev.PubTator", "biored"),
}
_TYPES = {MentionKind.PHENOTYPE: "Phenotype", MentionKind.DISEASE: "Disease"}


def predict(gold: list[PubTatorDoc], use_linker: bool, nested: bool = False) -> tuple[list[PubTatorDoc], float]:
    """Run the phenotype component over the gold texts; returns predictions and ms/abstract of it alone."""
    config = PipelineConfig(
        components=("genelit_phenotypes",),
        component_config=(("genelit_phenotypes", (("use_linker", use_linker), ("nested", nested))),),
    )
    nlp = build_pipeline(config)
    component = nlp.get_pipe("genelit_phenotypes")
    docs = list(nlp.pipe((d.text for d in gold), disable=["genelit_phenotypes"]))
    t0 = time.perf_counter()
    docs = [component(doc) for doc in docs]
    elapsed_ms = (time.perf_counter() - t0) * 1000 / max(len(docs), 1)
    preds = []
    for g, doc in zip(gold, docs):
        anns = [
            Annotation(g.pmid, m.start, m.end, m.text, _TYPES[m.kind], m.concept_id or "")
            for m in doc._.mentions or [] if m.kind in _TYPES
        ]
        preds.append(PubTatorDoc(g.pmid, g.title, g.abstract, anns))
    return preds, elapsed_ms


def _examples(gold: list[PubTatorDoc], pred: list[PubTatorDoc], gold_type: str, pred_types: set[str], n: int) -> None:
    fp, fn = Counter(), Counter()
    for g, p in zip(gold, pred):
        gs = {(a.start, a.end): a for a in g.annotations if a.type == gold_type}
        ps = {(a.start, a.end): a for a in p.annotations if a.type in pred_types}
        fp.update(f"{ps[k].text} [{ps[k].concept_id}]" for k in ps.keys() - gs.keys())
        fn.update(f"{gs[k].text} [{gs[k].concept_id}]" for k in gs.keys() - ps.keys())
    print("  FP:", "; ".join(f"{t} x{c}" for t, c in fp.most_common(n)))
    print("  FN:", "; ".join(f"{t} x{c}" for t, c in fn.most_common(n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--no-linker", action="store_true", help="dictionary + abbreviations only")
    parser.add_argument("--nested", action="store_true", help="also emit nested head phenotypes (GSC+ style)")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    for name in names:
        path, preset = CORPORA[name]
        gold = read_pubtator(path)
        pred, ms = predict(gold, use_linker=not args.no_linker, nested=args.nested)
        print(f"{name} ({len(gold)} docs, linker={'off' if args.no_linker else 'on'}, nested={args.nested}, "
              f"{ms:.2f} ms/abstract)")
        for metric, s in evaluate(gold, pred, preset).items():
            print(f"  {metric:28s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  (tp={s.tp} fp={s.fp} fn={s.fn})")
        if args.examples:
            gold_type = "Phenotype" if preset == "gscplus" else "DiseaseOrPhenotypicFeature"
            pred_types = {"Phenotype"} if preset == "gscplus" else {"Phenotype", "Disease"}
            _examples(gold, pred, gold_type, pred_types, args.examples)


if __name__ == "__main__":
    main()
