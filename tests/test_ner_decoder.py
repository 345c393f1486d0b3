"""``GreedyBiluoDecoder`` (numpy greedy NER decoding) must find exactly what spaCy's parser finds."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from genelit.extractors.ner import GreedyBiluoDecoder, load_trained_model
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.pubtator import read_pubtator
from spacy.util import minibatch

ROOT = Path(__file__).resolve().parent.parent
BIORED_DEV = ROOT / "corpora" / "biored" / "Dev.PubTator"

needs_corpus = pytest.mark.skipif(not BIORED_DEV.is_file(), reason="BioRED corpus (corpora/) not available")


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    return tuple(f"{d.title} {d.abstract}" for d in read_pubtator(BIORED_DEV)[:120])


def _spacy_ents(nlp: spacy.language.Language, docs: list[spacy.tokens.Doc]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.get_pipe("ner").pipe(docs)]


def _decoded(decoder: GreedyBiluoDecoder, docs: list[spacy.tokens.Doc], size: int) -> list[list[tuple[int, int, str]]]:
    return [spans for batch in minibatch(docs, size=size) for spans in decoder(list(batch))]


@needs_corpus
def test_decoder_reproduces_spacy_greedy_parse_on_abstracts() -> None:
    model = load_trained_model()
    assert GreedyBiluoDecoder.applies(model)
    decoder = GreedyBiluoDecoder(model.get_pipe("ner"))
    expected = _spacy_ents(model, [model.make_doc(t) for t in _texts()])
    assert sum(map(len, expected)) > 300  # the comparison covers many entities
    for size in (1, 7, 64):  # batch composition must not change any document's result
        assert _decoded(decoder, [model.make_doc(t) for t in _texts()], size) == expected


@needs_corpus
def test_decoder_keeps_entities_inside_sentences_like_spacy() -> None:
    """With sentence starts set (the pipeline's sentencizer), no entity may cross a sentence start."""
    model = load_trained_model()
    decoder = GreedyBiluoDecoder(model.get_pipe("ner"))
    splitter = spacy.blank("en").add_pipe("sentencizer")
    docs = [splitter(model.make_doc(t)) for t in _texts()]
    expected = _spacy_ents(model, [splitter(model.make_doc(t)) for t in _texts()])
    assert _decoded(decoder, docs, 64) == expected


def test_decoder_handles_empty_and_one_token_documents() -> None:
    model = load_trained_model()
    decoder = GreedyBiluoDecoder(model.get_pipe("ner"))
    texts = ["", "IGF1", "", "Mutations in IGF1 cause short stature."]
    docs = [model.make_doc(t) for t in texts]
    assert decoder(docs) == _spacy_ents(model, [model.make_doc(t) for t in texts])
    assert decoder([model.make_doc("")]) == [[]]


def test_component_uses_the_decoder_for_the_shipped_model() -> None:
    nlp = build_pipeline(PipelineConfig(components=("genelit_ner",)))
    assert nlp.get_pipe("genelit_ner").decoder is not None
