"""Regression guard: variant F1 on the tmVar and BioRED gold corpora must not fall below what we measured.

The figures were produced by ``python benchmarks/eval_variants.py`` (exact span; tmVar with the tmVar
guideline options ``include_descriptions=False, include_alleles=False``, BioRED with the defaults the
pipeline uses; see ``benchmarks/eval_variants.GUIDELINES``).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
sys.path.insert(0, str(ROOT / "benchmarks"))

# Measured with: cd /work/main && /tmp/venv/bin/python benchmarks/eval_variants.py
TMVAR_HELDOUT_F1 = 0.915  # held-out third of tmvar/train.PubTator (P 0.948, R 0.885; unchanged by the 2026-11-30 dev-part rules)
TMVAR_ALL_F1 = 0.964  # whole tmvar/train.PubTator (P 0.974, R 0.954)
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


# Keys that are deliberately not HGVS variants (documented in extractors.variants): a residue or region named
# without a change ("p.Asn62"), an insertion or duplication given only by its length ("c.1222ins27"), a
# repeat count range ("c.2193ATCT[5-13]").
NOT_HGVS_BY_DESIGN = re.compile(r"^p\.[A-Z][a-z]{2}\d+(?:_[A-Z][a-z]{2}\d+)?$|(?:ins|dup)\d+$|\[\d+-\d+\]$")
REFERENCE_FOR = {"c": "NM_000000.1", "g": "NC_000001.11", "m": "NC_012920.1", "n": "NR_000000.1",
                 "r": "NM_000000.1", "p": "NP_000000.1"}


def test_canonical_keys_parse_as_hgvs() -> None:
    """Every c./g./m./n./r./p. key genelit writes for the corpora's variants is valid HGVS by the biocommons
    ``hgvs`` grammar (its parser only: `make` installs ``hgvs`` without its database dependencies), apart from
    the documented non-HGVS keys and HGVS the author wrote that genelit keeps as written."""
    hgvs_parser = pytest.importorskip("hgvs.parser", reason="biocommons hgvs (installed by `make test`)")
    from genelit.extractors.pubtator import read_pubtator
    from genelit.extractors.variants import find_variants
    from hgvs.exceptions import HGVSError

    parser = hgvs_parser.Parser()
    docs = [d for name in ("biored/Train", "biored/Dev", "tmvar/train") for d in read_pubtator(CORPORA / f"{name}.PubTator")]
    checked, invalid = 0, []
    for doc in docs:
        for variant in find_variants(f"{doc.title} {doc.abstract}"):
            level = variant.key[0] if variant.key[1:2] == "." else ""
            as_written = variant.text.replace(" ", "") == variant.key
            if level not in REFERENCE_FOR or variant.is_allele or as_written or NOT_HGVS_BY_DESIGN.search(variant.key):
                continue
            checked += 1
            try:
                parser.parse_hgvs_variant(f"{REFERENCE_FOR[level]}:{variant.key}")
            except HGVSError:
                invalid.append((variant.text, variant.key))
    assert checked > 1000
    assert invalid == []
