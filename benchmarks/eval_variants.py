"""Score ``extractors.variants.find_variants`` on the tmVar and BioRED gold variant spans.

Usage::

    python benchmarks/eval_variants.py                 # all splits, P/R/F1
    python benchmarks/eval_variants.py --errors 40     # plus up to 40 FP and FN examples per development split
    python benchmarks/eval_variants.py --split tmvar-heldout

tmVar ships only a training file: we develop on a fixed 2/3 of its documents (every document whose
index in the file is not ≡ 2 mod 3) and report the held-out third (index ≡ 2 mod 3) and the full file.
BioRED: develop on Train, report Dev.  Exact-span matching, types collapsed to "Variant"; options per corpus guideline in ``GUIDELINES``
(``extractors.evaluation`` presets ``tmvar`` / ``biored``).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from genelit.extractors.evaluation import Score, evaluate
from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator
from genelit.extractors.variants import find_variants

CORPORA = Path(os.environ.get("GENELIT_CORPORA", Path(__file__).resolve().parents[1] / "corpora"))
GOLD_TYPES = frozenset({"DNAMutation", "ProteinMutation", "SNP", "SequenceVariant"})
# Splits whose errors may be read while developing rules; the others are scored only (reading their errors
# would tune the rules to the figures we report).
DEVELOPMENT_SPLITS = frozenset({"tmvar-dev", "biored-train"})


def tmvar_split(docs: list[PubTatorDoc], part: str) -> list[PubTatorDoc]:
    """The fixed development (2/3) or held-out (1/3) part of the tmVar training file."""
    if part == "all":
        return docs
    held = part == "heldout"
    return [d for i, d in enumerate(docs) if (i % 3 == 2) == held]


def splits() -> dict[str, tuple[list[PubTatorDoc], str]]:
    tmvar = read_pubtator(CORPORA / "tmvar" / "train.PubTator")
    return {
        "tmvar-dev": (tmvar_split(tmvar, "dev"), "tmvar"),
        "tmvar-heldout": (tmvar_split(tmvar, "heldout"), "tmvar"),
        "tmvar-all": (tmvar, "tmvar"),
        "biored-train": (read_pubtator(CORPORA / "biored" / "Train.PubTator"), "biored"),
        "biored-dev": (read_pubtator(CORPORA / "biored" / "Dev.PubTator"), "biored"),
    }


# Corpus guideline -> find_variants options.  BioRED = the defaults, which the pipeline uses: changes in
# notation and in words, single alleles/genotypes ("-511CC", "326Ile allele").  tmVar annotates neither
# descriptions in words nor alleles.  Copy-number descriptions are annotated by neither corpus but stay on
# (curators need them; they cost a few false positives in both scores).
GUIDELINES: dict[str, dict[str, bool]] = {
    "tmvar": {"include_descriptions": False, "include_alleles": False},
    "biored": {},
}


def predict(docs: list[PubTatorDoc], preset: str) -> list[PubTatorDoc]:
    """Run the extractor over each document's text and return PubTator-shaped predictions."""
    out = []
    for d in docs:
        anns = [
            Annotation(d.pmid, v.start, v.end, v.text, "Variant", v.key)
            for v in find_variants(d.text, **GUIDELINES[preset])
        ]
        out.append(PubTatorDoc(d.pmid, d.title, d.abstract, anns))
    return out


def score_split(docs: list[PubTatorDoc], preset: str) -> Score:
    return evaluate(docs, predict(docs, preset), preset)["Variant"]


def errors(
    gold: list[PubTatorDoc], pred: list[PubTatorDoc], limit: int, hidden: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """FP and FN examples with a little context, leaving out the documents whose PMIDs are ``hidden``."""
    fps, fns = [], []
    for g, p in zip(gold, pred):
        if g.pmid in hidden:
            continue
        gs = {(a.start, a.end) for a in g.annotations if a.type in GOLD_TYPES}
        ps = {(a.start, a.end): a.concept_id for a in p.annotations}
        def ctx(s: int, e: int, g: PubTatorDoc = g) -> str:
            return f"{g.pmid} [{g.text[s:e]}]   …{g.text[max(0, s - 40):s]}⟦{g.text[s:e]}⟧{g.text[e:e + 40]}…".replace("\n", " ")
        fps += [ctx(s, e) + f"  key={k}" for (s, e), k in ps.items() if (s, e) not in gs]
        fns += [ctx(s, e) for s, e in gs if (s, e) not in ps]
    return fps[:limit], fns[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", action="append", help="split name(s); default all")
    parser.add_argument("--errors", type=int, default=0, help="print up to N FP and FN examples per split")
    args = parser.parse_args()
    all_splits = splits()
    # BioRED Train re-annotates some tmVar abstracts: the errors of those in the held-out third stay unread.
    held_out = frozenset(d.pmid for d in all_splits["tmvar-heldout"][0])
    for name, (docs, preset) in all_splits.items():
        if args.split and name not in args.split:
            continue
        t0 = time.perf_counter()
        pred = predict(docs, preset)
        ms = (time.perf_counter() - t0) * 1000 / max(len(docs), 1)
        s = evaluate(docs, pred, preset)["Variant"]
        print(f"{name:15s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
              f"(tp={s.tp} fp={s.fp} fn={s.fn}; {ms:.3f} ms/abstract)")
        if args.errors and name in DEVELOPMENT_SPLITS:
            fps, fns = errors(docs, pred, args.errors, held_out)
            print("  FP:\n    " + "\n    ".join(fps))
            print("  FN:\n    " + "\n    ".join(fns))


if __name__ == "__main__":
    main()
