"""Mention.attrs: every key the pipeline sets is documented (models.mentions.MENTION_ATTRS and its table)."""
from __future__ import annotations

from pathlib import Path

import pytest

from genelit.extractors.pipeline import extract_texts
from genelit.extractors.pubtator import read_pubtator
from genelit.models.mentions import MENTION_ATTRS, MentionKind

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [(ROOT / "corpora" / "biored" / "Dev.PubTator", 100), (ROOT / "corpora" / "casereports" / "casereports.PubTator", 10),
           (ROOT / "corpora" / "nala" / "train.PubTator", 60)]


@pytest.mark.slow
def test_every_attrs_key_the_pipeline_sets_is_documented() -> None:
    docs = [d for path, n in SAMPLES for d in read_pubtator(path)[:n]]
    seen: dict[MentionKind, set[str]] = {}
    for extraction in extract_texts((d.text, d.pmid) for d in docs):
        for mention in extraction.mentions:
            seen.setdefault(mention.kind, set()).update(mention.attrs)
    undocumented = {kind.value: sorted(keys - MENTION_ATTRS[kind]) for kind, keys in seen.items() if keys - MENTION_ATTRS[kind]}
    assert undocumented == {}
    assert seen[MentionKind.VARIANT] and seen[MentionKind.GENE]  # the sample exercised the components


def test_every_kind_has_its_documented_keys() -> None:
    assert set(MENTION_ATTRS) == set(MentionKind)
    table = Path(__file__).resolve().parent.parent / "models" / "mentions.py"
    text = table.read_text(encoding="utf-8")
    for keys in MENTION_ATTRS.values():
        for key in keys:
            assert f"``{key}``" in text  # in the docstring's table too
