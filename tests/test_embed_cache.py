"""``CachedTok2Vec`` must give the tok2vec output of the trained NER model, batch after batch.

Equal up to float rounding: BLAS sums a row in an order that can depend on the matrix's shape, so the
last bits differ as they do between spaCy batches of different sizes; tests/test_ner_decoder.py checks the
decoded entities are exactly spaCy's."""
from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from genelit.extractors.embed_cache import CachedTok2Vec
from genelit.extractors.ner import load_trained_model
from genelit.extractors.pubtator import read_pubtator

ROOT = Path(__file__).resolve().parent.parent
TMVAR = ROOT / "corpora" / "tmvar" / "train.PubTator"


@pytest.mark.skipif(not TMVAR.is_file(), reason="tmVar corpus (corpora/) not available")
@pytest.mark.parametrize("max_entries", [200_000, 3_000])  # the second empties the cache several times
def test_cached_tok2vec_equals_model(max_entries: int) -> None:
    model = load_trained_model()
    tok2vec = model.get_pipe("ner").model.layers[0]
    assert CachedTok2Vec.applies(tok2vec)
    cached = CachedTok2Vec(tok2vec, max_entries=max_entries)
    docs = [model.make_doc(f"{d.title} {d.abstract}") for d in read_pubtator(TMVAR)[:160]]
    docs.insert(5, model.make_doc(""))  # an empty document inside a batch
    for start in range(0, len(docs), 40):
        batch = docs[start : start + 40]
        numpy.testing.assert_allclose(cached.predict(batch), tok2vec.predict(batch), rtol=1e-4, atol=1e-5)
    assert 0 < len(cached.rows) <= max_entries


def test_cached_tok2vec_on_empty_batch_and_unknown_layout() -> None:
    model = load_trained_model()
    tok2vec = model.get_pipe("ner").model.layers[0]
    empty = [model.make_doc("")]
    assert CachedTok2Vec(tok2vec).predict(empty).shape == tok2vec.predict(empty).shape == (0, 32)
    assert not CachedTok2Vec.applies(model.get_pipe("ner").model)  # not a tok2vec
