"""Per-word caching of the lexical half of a spaCy ``HashEmbedCNN`` tok2vec, for inference.

Why: the first half of spaCy's ``HashEmbedCNN`` (``MultiHashEmbed``: hash embeddings of NORM, PREFIX, SUFFIX
and SHAPE, mixed by a maxout layer with layer norm) is a function of the token's lexical attributes only, so
its output for "the" or "mutation" is the same in every document.  Abstracts reuse most of their words, so
computing it once per distinct attribute row and caching the vectors saves the hashing, the four embedding
look-ups and the widest matrix product of the model (128 → 32 × 3 pieces) for nearly every token.  The
context-dependent half (the CNN over neighbouring tokens) still runs on every document.

Same arithmetic per row as the uncached model (the last float bits can differ, as between spaCy batches of
different shapes); tests/test_ner_decoder.py checks the decoded entities are exactly spaCy's on BioRED.
"""
from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

# Entries kept before the cache is emptied and refilled: ~60 MB of vectors and keys at width 32.
MAX_ENTRIES = 200_000


class CachedTok2Vec:
    """``predict(docs)`` equal to ``tok2vec.predict(docs)`` for a ``spacy.HashEmbedCNN.v2`` tok2vec (the
    layers ``extract_features >> list2ragged >> with_array(hash embeds) >> with_array(mix) >> ragged2list``,
    then the encoder, ``list2array`` and the output ``linear``, as spaCy's parser wraps it)."""

    def __init__(self, tok2vec: Any, max_entries: int = MAX_ENTRIES) -> None:
        embed_and_encode, self.list2array, self.linear = tok2vec.layers
        embed, self.encode = embed_and_encode.layers
        self.columns = embed.layers[0].attrs["columns"]
        self.hash_embed = embed.layers[2].layers[0]
        self.mix = embed.layers[3].layers[0]
        self.max_entries = max_entries
        self.rows: dict[tuple[int, ...], int] = {}
        self.vectors = numpy.zeros((1024, self.mix.get_dim("nO")), dtype="float32")  # grown by doubling

    @staticmethod
    def applies(tok2vec: Any) -> bool:
        """Whether ``tok2vec`` has the layer layout this class reproduces."""
        try:
            embed_and_encode, to_array, linear = tok2vec.layers
            embed, _ = embed_and_encode.layers
            names = [layer.name for layer in embed.layers]
        except ValueError:
            return False
        return (
            to_array.name == "list2array"
            and linear.name == "linear"
            and len(names) == 5
            and names[0] == "extract_features"
            and names[1] == "list2ragged"
            and names[4] == "ragged2list"
        )

    def predict(self, docs: list[Doc]) -> Any:
        with_orth = [doc.to_array([ORTH, *self.columns]).reshape(-1, 1 + len(self.columns)) for doc in docs]
        stacked = numpy.concatenate(with_orth)
        features = [f[:, 1:] for f in with_orth]
        if len(stacked):
            unique, inverse = _unique_rows(stacked[:, 0], stacked[:, 1:])
            rows = self._rows_for(unique)  # may grow self.vectors
            lexical = self.vectors[rows[inverse.reshape(-1)]]
        else:
            lexical = self.vectors[:0]
        bounds = numpy.cumsum([len(f) for f in features])[:-1]
        encoded = self.encode.predict(numpy.split(lexical, bounds))
        return self.linear.predict(self.list2array.predict(encoded))

    def _rows_for(self, unique: Any) -> Any:
        """Cache rows of each distinct feature row, computing the vectors of those not seen yet."""
        keys = list(map(tuple, unique.tolist()))
        missing = [i for i, key in enumerate(keys) if key not in self.rows]
        if len(self.rows) + len(missing) > self.max_entries:
            self.rows.clear()
            missing = list(range(len(keys)))
        if missing:
            first, needed = len(self.rows), len(self.rows) + len(missing)
            if needed > len(self.vectors):
                grown = numpy.zeros((max(needed, 2 * len(self.vectors)), self.vectors.shape[1]), dtype="float32")
                grown[:first] = self.vectors[:first]
                self.vectors = grown
            self.vectors[first:needed] = self.mix.predict(self.hash_embed.predict(unique[missing]))
            for offset, i in enumerate(missing):
                self.rows[keys[i]] = first + offset
        return numpy.array([self.rows[key] for key in keys], dtype=numpy.int64)


def _unique_rows(orth: Any, features: Any) -> tuple[Any, Any]:
    """``numpy.unique(features, axis=0, return_inverse=True)``, fast: rows are grouped by the token's ORTH
    (a plain integer sort; the lexical attributes are the word's), and only if some group holds different
    rows (a tokenizer exception that sets its own NORM) by whole rows, which sorts ~5x slower."""
    _, first, inverse = numpy.unique(orth, return_index=True, return_inverse=True)
    unique = features[first]
    if (unique[inverse] == features).all():
        return unique, inverse
    return numpy.unique(features, axis=0, return_inverse=True)
