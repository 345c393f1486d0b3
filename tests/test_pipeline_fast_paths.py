"""Speed-ups in the pipeline assembly must not change what is found."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from genelit.extractors import base
from genelit.extractors.abbreviations import ParenthesisMatcher, long_form_start
from genelit.extractors.pipeline import (
    PipelineConfig,
    build_pipeline,
    extract_text,
    load_pipeline,
)
from genelit.extractors.pubtator import read_pubtator
from spacy.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
BIORED_DEV = ROOT / "corpora" / "biored" / "Dev.PubTator"


def _both(nlp: spacy.language.Language, text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    reference = Matcher(nlp.vocab)
    reference.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    doc = nlp.make_doc(text)
    return reference(doc), ParenthesisMatcher(nlp.vocab)(doc)


@pytest.mark.parametrize(
    "text",
    [
        "growth hormone (GH) and insulin-like growth factor I (IGF-I) ( ( nested ) ) ) ()",
        "no brackets at all",
        "",
        "( ) (x) ((y)) ) (",
    ],
)
def test_parenthesis_matcher_equals_spacy_matcher(text: str) -> None:
    expected, fast = _both(build_pipeline(PipelineConfig(components=())), text)
    assert fast == expected


@pytest.mark.skipif(not BIORED_DEV.is_file(), reason="BioRED corpus (corpora/) not available")
def test_parenthesis_matcher_equals_spacy_matcher_on_abstracts() -> None:
    nlp = build_pipeline(PipelineConfig(components=()))
    docs = read_pubtator(BIORED_DEV)
    pairs = [_both(nlp, f"{d.title} {d.abstract}") for d in docs]
    assert sum(len(expected) for expected, _ in pairs) > 500
    assert all(fast == expected for expected, fast in pairs)


def test_abbreviations_still_found() -> None:
    doc = build_pipeline(PipelineConfig(components=()))("Insulin-like growth factor I (IGF-I) is low; IGF-I rises.")
    assert [(a.text, a._.long_form.text) for a in doc._.abbreviations] == [("IGF-I", "Insulin-like growth factor I")] * 2


def test_extract_text_keeps_mentions_and_sentences() -> None:
    nlp = load_pipeline(PipelineConfig(components=("genelit_variants",)))
    extraction = extract_text("The c.35delG variant of GJB2.", nlp=nlp)
    assert extraction.mentions and extraction.sentences == base.sentence_bounds(nlp("The c.35delG variant of GJB2."))


def test_fine_tokenizer_lets_the_ner_model_run_in_place() -> None:
    fine = build_pipeline(PipelineConfig(tokenizer="fine", components=("genelit_ner",)))
    default = build_pipeline(PipelineConfig(tokenizer="scispacy", components=("genelit_ner",)))
    assert fine.get_pipe("genelit_ner").in_place and not default.get_pipe("genelit_ner").in_place
    text = "The p62/SQSTM1 protein binds IGF1R."
    assert [(m.start, m.end) for m in base.mentions(fine(text))] == [(m.start, m.end) for m in base.mentions(default(text))]


def _definitions(nlp: spacy.language.Language, texts: list[str]) -> list[set[tuple[int, int, int, int]]]:
    return [
        {(a.start_char, a.end_char, a._.long_form.start_char, a._.long_form.end_char) for a in doc._.abbreviations}
        for doc in nlp.pipe(texts)
    ]


@pytest.mark.skipif(not BIORED_DEV.is_file(), reason="BioRED corpus (corpora/) not available")
def test_abbreviation_detector_agrees_with_scispacy_on_abstracts() -> None:
    """On scispaCy's own tokens genelit's detector finds every definition scispaCy's finds; on the fine
    tokens (the default) it still finds nearly all of them, where scispaCy's own detector loses ~10%."""
    import scispacy.abbreviation  # noqa: F401  registers abbreviation_detector

    texts = [f"{d.title} {d.abstract}" for d in read_pubtator(BIORED_DEV)]
    reference_nlp = build_pipeline(PipelineConfig(tokenizer="scispacy", abbreviations=False, components=()))
    reference_nlp.add_pipe("abbreviation_detector")
    # scispaCy's pairs, less those whose "long form" is no longer than the short form ("database" <-
    # "database"), which genelit's detector drops as no definition
    reference = [{p for p in pairs if p[3] - p[2] > p[1] - p[0]} for pairs in _definitions(reference_nlp, texts)]
    coarse = _definitions(build_pipeline(PipelineConfig(tokenizer="scispacy", components=())), texts)
    fine = _definitions(build_pipeline(PipelineConfig(components=())), texts)
    total = sum(map(len, reference))
    assert total > 500
    assert all(ref <= ours for ref, ours in zip(reference, coarse))
    assert sum(len(ref & ours) for ref, ours in zip(reference, fine)) >= 0.98 * total


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Levels of tissue-type plasminogen activator (tPA) rose.", [("tPA", "tissue-type plasminogen activator")]),
        ("the c-Jun N-terminal kinase (JNK) pathway; JNK-dependent death", [("JNK", "c-Jun N-terminal kinase")] * 2),
        ("Cells lacking the protein (which was described above) died.", []),
        ("SMA (spinal muscular atrophy type 1) is common.", [("SMA", "spinal muscular atrophy type 1")]),
        ("an online database (formerly the gene mutation database) of variants", []),
    ],
)
def test_abbreviation_definitions_on_fine_tokens(text: str, expected: list[tuple[str, str]]) -> None:
    doc = load_pipeline(PipelineConfig(components=()))(text)
    assert [(a.text, a._.long_form.text) for a in doc._.abbreviations] == expected


def test_long_form_start_is_schwartz_hearst() -> None:
    assert long_form_start("growth hormone", "GH") == 0
    assert long_form_start("the heat shock protein", "HSP") == 4
    assert long_form_start("kinase", "JNK") is None


def test_extraction_keeps_the_input_text() -> None:
    """The text handed to the pipeline is what offsets refer to, without rebuilding it from tokens."""
    text = "A homozygous  c.274G>A\tchange in IGF1 .\n"
    extraction = extract_text(text, nlp=load_pipeline(PipelineConfig(components=("genelit_variants",))))
    assert extraction.text == text
    assert [text[m.start : m.end] for m in extraction.mentions] == ["c.274G>A"]
