"""Train genelit's NER model on BioRED Train and ship it to ``extractors/data/ner_model``.

Reproducible: fixed seed, one CPU thread, BioRED Dev never seen (the early-stopping set is every 10th
document of BioRED Train).  Run from the repository root::

    python training/train_ner.py                       # GENE + DISEASE, shipped model
    python training/train_ner.py --labels GENE,DISEASE,VARIANT --output /tmp/ner_variant

The corpus defaults to ``corpora/biored/Train.PubTator`` (``--corpus`` to point elsewhere).
"""
from __future__ import annotations

import os

# one thread, set before numpy is imported: the box is shared and runs must be reproducible
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import genelit.extractors.ner  # noqa: E402,F401  registers genelit.ner_tokenizer.v1

from training.corpus import (  # noqa: E402
    BIORED_LABELS,
    AlignmentReport,
    read_corpus,
    split_train,
    to_docs,
    write_docbin,
)

DEFAULT_CORPUS = REPO / "corpora" / "biored" / "Train.PubTator"
CONFIG = REPO / "training" / "ner.cfg"
# files of a spaCy model directory that the shipped model needs (no training leftovers)
SHIPPED = ("config.cfg", "meta.json", "tokenizer", "vocab", "ner")


def convert(corpus: Path, labels: set[str], work: Path) -> tuple[Path, Path, AlignmentReport]:
    """Write train/early-stopping DocBins of the wanted labels; returns their paths and the alignment report."""
    wanted = {t: label for t, label in BIORED_LABELS.items() if label in labels}
    train_src, holdout_src = split_train(read_corpus(corpus))
    report = AlignmentReport()
    train_path, dev_path = work / "train.spacy", work / "holdout.spacy"
    write_docbin(to_docs(train_src, wanted, report), train_path)
    write_docbin(to_docs(holdout_src, wanted, report), dev_path)
    return train_path, dev_path, report


def ship(model_best: Path, output: Path) -> None:
    """Copy the best model's needed parts to ``output`` (replacing what was there)."""
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    for name in SHIPPED:
        src = model_best / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, output / name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--labels", default="GENE,DISEASE,VARIANT")
    parser.add_argument("--output", type=Path, default=REPO / "extractors" / "data" / "ner_model")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "genelit_ner_work")
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--embed-size", type=int, default=3000)
    parser.add_argument("--hidden-width", type=int, default=32)
    parser.add_argument("--max-epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    from spacy.cli.train import train

    labels = {label.strip() for label in args.labels.split(",") if label.strip()}
    train_path, dev_path, report = convert(args.corpus, labels, args.work)
    print(f"alignment: {report}")
    overrides = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": args.seed,
        "training.max_epochs": args.max_epochs,
        "components.ner.model.tok2vec.width": args.width,
        "components.ner.model.tok2vec.depth": args.depth,
        "components.ner.model.tok2vec.embed_size": args.embed_size,
        "components.ner.model.hidden_width": args.hidden_width,
    }
    started = time.perf_counter()
    train(CONFIG, args.work / "output", overrides=overrides, use_gpu=-1)
    print(f"trained in {time.perf_counter() - started:.0f} s")
    ship(args.work / "output" / "model-best", args.output)
    print(f"model written to {args.output}")


if __name__ == "__main__":
    main()
