#!/usr/bin/env python
"""Mention-level P/R/F1 of genelit's extractors against gold PubTator corpora.

Usage:
    python benchmarks/eval_ner.py                     # all dev corpora, default pipeline
    python benchmarks/eval_ner.py --corpus biored     # one corpus
    python benchmarks/eval_ner.py --record            # also append the table to benchmarks/RESULTS.md
                                                      # and store the figures in benchmarks/quality.json
                                                      # (the floor of tests/test_annotate_regression.py)
    python benchmarks/eval_ner.py --pred pred.PubTator --corpus biored   # score an existing prediction file

Corpora (offsets over title + " " + abstract): BioRED Dev (Gene, Variant, Disease∪Phenotype),
tmVar train (Variant; tmVar has no separate dev part here), GSC+ dev (HPO Phenotype).

GSC+ is scored twice: with the default pipeline (row label ``gscplus``, BioRED's convention) and with the
HPO concept-recognition profile (``gscplus [hpo profile]``, ``genelit annotate --profile hpo``), the
convention GSC+ annotates; the latter is the figure to compare with HPO recognizers (FastHPOCR: 0.76).

HP ids are compared as current ids: gold and predicted ids that today's HPO merged into another term
(``alt_id``) or obsoleted with a ``replaced_by`` are mapped to that term first
(``extractors.evaluation.remap_hp_ids``); GSC+ (2017) uses older ids.  The output says how many gold
annotations this changed per corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from genelit.extractors.annotate import DEFAULT_PROFILE, annotate_docs, load_profile  # noqa: E402
from genelit.extractors.evaluation import evaluate, remap_hp_ids  # noqa: E402
from genelit.extractors.pubtator import read_pubtator  # noqa: E402

CORPORA_DIR = ROOT / "corpora"
CORPORA = {
    "biored": CORPORA_DIR / "biored" / "Dev.PubTator",
    "tmvar": CORPORA_DIR / "tmvar" / "train.PubTator",
    "gscplus": CORPORA_DIR / "gscplus" / "dev.PubTator",
}
# annotation profiles (extractors.annotate.PROFILES) each corpus is scored with, default first
CORPUS_PROFILES = {"biored": (DEFAULT_PROFILE,), "tmvar": (DEFAULT_PROFILE,), "gscplus": (DEFAULT_PROFILE, "hpo")}


def label(corpus: str, profile: str) -> str:
    """Row label: the corpus name for the default profile, else "corpus [profile profile]"."""
    return corpus if profile == DEFAULT_PROFILE else f"{corpus} [{profile} profile]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    ap.add_argument("--gold", type=Path, help="gold file (overrides the corpus default path)")
    ap.add_argument("--pred", type=Path, help="score this prediction file instead of running the pipeline")
    ap.add_argument("--record", action="store_true", help="append the table to benchmarks/RESULTS.md")
    args = ap.parse_args()
    corpora = args.corpus or list(CORPORA)
    lines = ["| corpus | metric | P | R | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|---|"]
    figures: dict[str, dict[str, float]] = {}
    notes: list[str] = []
    for name in corpora:
        gold = read_pubtator(args.gold or CORPORA[name])
        hp_ids = sum(1 for d in gold for a in d.annotations if "HP:" in a.concept_id)
        if hp_ids:
            notes.append(f"{name}: {remap_hp_ids(gold)[1]} of {hp_ids} gold HP ids mapped to their current id "
                         "(alt_id / replaced_by) before scoring")
        for profile in (DEFAULT_PROFILE,) if args.pred else CORPUS_PROFILES[name]:
            row = label(name, profile)
            t0 = time.perf_counter()
            pred = read_pubtator(args.pred) if args.pred else list(annotate_docs(gold, load_profile(profile)))
            dt = time.perf_counter() - t0
            for metric, s in evaluate(gold, pred, name).items():
                figures.setdefault(row, {})[metric] = round(s.f1, 4)
                lines.append(
                    f"| {row} | {metric} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |"
                )
            print(f"{row}: {len(gold)} docs in {dt:.1f} s", file=sys.stderr)
    table = "\n".join(lines + ([""] if notes else []) + notes)
    print(table)
    if args.record:
        cmd = "python benchmarks/eval_ner.py " + " ".join(sys.argv[1:])
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n### Extraction quality ({date.today().isoformat()})\n\nCommand: `{cmd.strip()}`\n\n{table}\n")
        quality = ROOT / "benchmarks" / "quality.json"
        recorded = json.loads(quality.read_text(encoding="utf-8")) if quality.exists() else {}
        recorded.update(figures)
        quality.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
