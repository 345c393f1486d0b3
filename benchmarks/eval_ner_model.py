#!/usr/bin/env python
"""How much the trained NER model (``genelit_ner``) adds to the lexicon extractors, on BioRED Dev.

Usage:
    python benchmarks/eval_ner_model.py                         # shipped model
    python benchmarks/eval_ner_model.py --model-path /tmp/ner_x  # another trained model
    python benchmarks/eval_ner_model.py --json out.json          # also write the figures as JSON

Reports exact-span P/R/F1 (Gene, Variant, Disease∪Phenotype) of
  (a) the trained model alone, (b) the lexicon components alone (variants, genes, phenotypes),
  (c) the union through ``genelit_ner`` in the pipeline: default (GENE), GENE spans a lexicon could
      link only, GENE+DISEASE, GENE+DISEASE+VARIANT,
and throughput: the model alone (its tokenizer + NER, and NER on pre-tokenized docs) and each pipeline,
in abstracts per CPU-second of this single-threaded process (the build box is shared, so wall-clock
rates mostly measure the neighbours).  BioRED Dev was never used in training (not even for early stopping).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=FutureWarning)

from genelit.extractors.annotate import to_annotations  # noqa: E402
from genelit.extractors.evaluation import Score, evaluate  # noqa: E402
from genelit.extractors.ner import LINKED_SCORE, load_trained_model  # noqa: E402
from genelit.extractors.pipeline import (  # noqa: E402
    COMPONENT_MODULES,
    PipelineConfig,
    _to_extraction,
    build_pipeline,
)
from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator  # noqa: E402
from spacy.language import Language  # noqa: E402

DEV = ROOT / "corpora" / "biored" / "Dev.PubTator"
LEXICON_COMPONENTS = ("genelit_variants", "genelit_genes", "genelit_phenotypes")
MODEL_TYPES = {"GENE": "Gene", "DISEASE": "Disease", "VARIANT": "Variant"}


def available(components: tuple[str, ...]) -> tuple[str, ...]:
    """The lexicon components whose modules exist yet (they are written in parallel)."""
    found = []
    for name in components:
        try:
            importlib.import_module(COMPONENT_MODULES[name])
            found.append(name)
        except ImportError:
            print(f"note: {name} not available, skipped", file=sys.stderr)
    return tuple(found)


def model_alone(gold: list[PubTatorDoc], model_path: Path | None) -> tuple[list[PubTatorDoc], dict[str, float]]:
    """Predictions of the trained model by itself, and its speed with and without tokenization."""
    model = load_trained_model(model_path)
    texts = [d.text for d in gold]
    t0 = time.process_time()
    docs = list(model.pipe(texts, batch_size=64))
    with_tokenizer = time.process_time() - t0
    tokenized = [model.make_doc(t) for t in texts]
    t0 = time.process_time()
    list(model.get_pipe("ner").pipe(tokenized, batch_size=64))
    ner_only = time.process_time() - t0
    preds = [
        PubTatorDoc(g.pmid, g.title, g.abstract, [
            Annotation(g.pmid, e.start_char, e.end_char, e.text, MODEL_TYPES[e.label_]) for e in doc.ents
        ])
        for g, doc in zip(gold, docs)
    ]
    speed = {"model abstracts/s (tokenizer+NER)": len(gold) / with_tokenizer, "model abstracts/s (NER only)": len(gold) / ner_only}
    return preds, speed


def run_pipeline(gold: list[PubTatorDoc], nlp: Language) -> tuple[list[PubTatorDoc], float]:
    """Pipeline predictions (batched, as ``extract_articles`` runs it) and abstracts/s."""
    t0 = time.process_time()
    docs = list(nlp.pipe((g.text for g in gold), batch_size=64))
    seconds = time.process_time() - t0
    preds = [
        PubTatorDoc(g.pmid, g.title, g.abstract, to_annotations(_to_extraction(g.pmid, doc)))
        for g, doc in zip(gold, docs)
    ]
    return preds, len(gold) / seconds


def ner_config(
    model_path: Path | None, labels: list[str], min_score: float
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    config: list[tuple[str, Any]] = [("labels", labels), ("min_score", min_score)]
    if model_path:
        config.append(("model_path", str(model_path)))
    return (("genelit_ner", tuple(config)),)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-path", type=Path, default=None)
    ap.add_argument("--gold", type=Path, default=DEV)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    gold = read_pubtator(args.gold)

    results: dict[str, dict[str, Score]] = {}
    speeds: dict[str, float] = {}
    preds, speed = model_alone(gold, args.model_path)
    results["(a) model alone"] = evaluate(gold, preds, "biored")
    speeds.update(speed)

    lexicon = available(LEXICON_COMPONENTS)
    if lexicon:
        nlp = build_pipeline(PipelineConfig(components=lexicon))
        list(nlp.pipe(d.text for d in gold[:5]))  # warm lexicon caches before timing
        preds, speeds["(b) lexicon pipeline abstracts/s"] = run_pipeline(gold, nlp)
        results["(b) lexicon alone"] = evaluate(gold, preds, "biored")
    for name, labels, min_score in (
        ("(c) lexicon + genelit_ner (default: GENE)", ["GENE"], 0.0),
        ("(c1) lexicon + genelit_ner GENE, linked spans only", ["GENE"], LINKED_SCORE),
        ("(c2) lexicon + genelit_ner GENE+DISEASE", ["GENE", "DISEASE"], 0.0),
        ("(c3) lexicon + genelit_ner GENE+DISEASE+VARIANT", ["GENE", "DISEASE", "VARIANT"], 0.0),
    ):
        config = PipelineConfig(
            components=(*lexicon, "genelit_ner"), component_config=ner_config(args.model_path, labels, min_score)
        )
        nlp = build_pipeline(config)
        list(nlp.pipe(d.text for d in gold[:5]))
        preds, speeds[f"{name} pipeline abstracts/s"] = run_pipeline(gold, nlp)
        results[name] = evaluate(gold, preds, "biored")

    print("| system | metric | P | R | F1 | tp | fp | fn |\n|---|---|---|---|---|---|---|---|")
    for system, scores in results.items():
        for metric in ("Gene", "Variant", "Disease∪Phenotype", "Gene+id"):
            s = scores[metric]
            print(f"| {system} | {metric} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |")
    print()
    for name, value in speeds.items():
        print(f"{name}: {value:.0f}")
    if args.json:
        args.json.write_text(json.dumps({
            "scores": {sys_: {m: {"p": s.precision, "r": s.recall, "f1": s.f1} for m, s in sc.items()}
                       for sys_, sc in results.items()},
            "abstracts_per_second": speeds,
        }, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
