"""Regression guard: variant F1 on the tmVar and BioRED gold corpora must not fall below what we measured.

The figures were produced by ``python benchmarks/eval_variants.py`` (exact span; tmVar with the tmVar
guideline options ``include_descriptions=False, include_alleles=False``, BioRED with the defaults the
pipeline uses; see ``benchmarks/eval_variants.GUIDELINES``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
sys.path.insert(0, str(ROOT / "benchmarks"))

# Measured with: cd /work/main && /tmp/venv/bin/python benchmarks/eval_variants.py
TMVAR_HELDOUT_F1 = 0.915  # held-out third of tmvar/train.PubTator (P 0.948, R 0.885)
TMVAR_ALL_F1 = 0.956  # whole tmvar/train.PubTator (P 0.967, R 0.944)
BIORED_DEV_F1 = 0.963  # biored/Dev.PubTator SequenceVariant (P 0.992, R 0.936)
TOLERANCE = 0.01

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPORA.is_dir(), reason="gold corpora (corpora/) not available"),
]


@pytest.mark.parametrize(
    ("split", "floor"),
    [("tmvar-heldout", TMVAR_HELDOUT_F1), ("tmvar-all", TMVAR_ALL_F1), ("biored-dev", BIORED_DEV_F1)],
)
def test_variant_f1_does_not_regress(split: str, floor: float) -> None:
    import eval_variants

    docs, preset = eval_variants.splits()[split]
    score = eval_variants.score_split(docs, preset)
    assert score.f1 >= floor - TOLERANCE, f"{split}: F1 {score.f1:.3f} < {floor} - {TOLERANCE}"
