"""The trained NER model (``genelit_ner``): training-data conversion, shipped weights, the component."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from genelit.extractors import base
from genelit.extractors.evaluation import evaluate
from genelit.extractors.ner import (
    DEFAULT_MODEL_PATH,
    SOURCE,
    load_trained_model,
    ner_tokenizer,
)
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator
from genelit.models.mentions import MentionKind

from genelit.errors import InputError
from training.corpus import BIORED_LABELS, AlignmentReport, to_docs

ROOT = Path(__file__).resolve().parent.parent
BIORED = ROOT / "corpora" / "biored"
# figures written by `python benchmarks/eval_ner_model.py --json training/measured.json` (BioRED Dev)
MEASURED = json.loads((ROOT / "training" / "measured.json").read_text())["scores"]

needs_corpus = pytest.mark.skipif(not BIORED.is_dir(), reason="BioRED corpus (corpora/) not available")


@lru_cache(maxsize=2)
def _corpus(name: str) -> list[PubTatorDoc]:
    return read_pubtator(BIORED / name)


@lru_cache(maxsize=1)
def _model() -> spacy.language.Language:
    return load_trained_model()


def _ner_only_pipeline(**config: object) -> spacy.language.Language:
    """scispaCy's own tokenizer, so the model re-tokenizes each text (the path other tokenizers take)."""
    return build_pipeline(
        PipelineConfig(
            tokenizer="scispacy", components=("genelit_ner",), component_config=(("genelit_ner", tuple(config.items())),)
        )
    )


@needs_corpus
def test_conversion_round_trips_aligned_gold_offsets() -> None:
    sources = _corpus("Train.PubTator")[:40]
    report = AlignmentReport()
    docs = to_docs(sources, BIORED_LABELS, report)
    assert report.aligned > 500
    for source, doc in zip(sources, docs):
        wanted = [a for a in source.annotations if a.type in BIORED_LABELS]
        aligned = {
            (a.start, a.end, BIORED_LABELS[a.type]) for a in wanted if doc.char_span(a.start, a.end) is not None
        }
        ents = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        # every entity is a gold span; every aligned gold span survives unless a longer overlapping one won
        assert ents <= aligned
        lost = aligned - ents
        assert all(any(s < e_end and e_start < e for e_start, e_end, _ in ents) for s, e, _ in lost)
        for a in wanted:
            if doc.char_span(a.start, a.end) is None:  # misaligned gold: its tokens carry no label
                covering = doc.char_span(a.start, a.end, alignment_mode="expand")
                assert covering is None or all(t.ent_iob_ in ("", "B", "I") for t in covering)


def test_ner_tokenizer_splits_slashes_and_hyphens_where_gold_needs_it() -> None:
    nlp = spacy.blank("en")
    nlp.tokenizer = ner_tokenizer(nlp)
    text = "p62/SQSTM1 and deafness-associated VIP(-/-) mice"
    doc = nlp(text)
    for gold in ("SQSTM1", "deafness", "VIP"):
        start = text.index(gold)
        assert doc.char_span(start, start + len(gold)) is not None, gold


@needs_corpus
def test_shipped_model_finds_genes_and_diseases_in_unseen_dev_abstracts() -> None:
    """On BioRED Dev (never trained on) the model predicts gold GENE and DISEASE spans exactly."""
    model = _model()
    hits = {"GENE": 0, "DISEASE": 0}
    gold_types = {"GeneOrGeneProduct": "GENE", "DiseaseOrPhenotypicFeature": "DISEASE"}
    for source in _corpus("Dev.PubTator")[:5]:
        gold = {(a.start, a.end, gold_types[a.type]) for a in source.annotations if a.type in gold_types}
        for ent in model(source.text).ents:
            if (ent.start_char, ent.end_char, ent.label_) in gold:
                hits[ent.label_] += 1
    assert hits["GENE"] >= 5 and hits["DISEASE"] >= 5, hits


@needs_corpus
def test_genelit_ner_adds_nothing_overlapping_an_existing_lexicon_mention() -> None:
    nlp = _ner_only_pipeline(labels=["GENE", "DISEASE"])
    text = _corpus("Dev.PubTator")[0].text
    alone = [m for m in base.mentions(nlp(text)) if m.source == SOURCE]
    assert len(alone) >= 2
    claimed = alone[0]

    # the same text, with a lexicon component having claimed the first span (and a bit more)
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline[:-1]:
        doc = proc(doc)
    base.add_mention(doc, MentionKind.PHENOTYPE, claimed.start, claimed.end + 1, source="genelit_phenotypes")
    doc = nlp.get_pipe("genelit_ner")(doc)
    added = [m for m in base.mentions(doc) if m.source == SOURCE]
    assert all(m.end <= claimed.start or m.start >= claimed.end + 1 for m in added)
    assert [(m.start, m.end) for m in added] == [(m.start, m.end) for m in alone[1:]]


@needs_corpus
def test_model_on_pipeline_tokens_equals_retokenized() -> None:
    """With the model's tokenizer in the pipeline, the model runs in place with the same result."""
    text = _corpus("Dev.PubTator")[1].text
    retokenized = _ner_only_pipeline(labels=["GENE", "DISEASE"])
    in_place = spacy.blank("en")
    in_place.tokenizer = ner_tokenizer(in_place)
    in_place.add_pipe("sentencizer")
    in_place.add_pipe("genelit_ner", config={"labels": ["GENE", "DISEASE"]})
    assert in_place.get_pipe("genelit_ner").in_place and not retokenized.get_pipe("genelit_ner").in_place
    spans = [(m.start, m.end, m.kind) for m in base.mentions(retokenized(text))]
    doc = in_place(text)
    assert spans and [(m.start, m.end, m.kind) for m in base.mentions(doc)] == spans
    assert not doc.has_annotation("ENT_IOB")  # doc.ents left as it was


@needs_corpus
def test_labels_config_restricts_what_is_added() -> None:
    text = _corpus("Dev.PubTator")[0].text
    both = {m.kind for m in base.mentions(_ner_only_pipeline(labels=["GENE", "DISEASE"])(text))}
    only_genes = {m.kind for m in base.mentions(_ner_only_pipeline(labels=["GENE"])(text))}
    assert MentionKind.GENE in both and len(both) > 1
    assert only_genes == {MentionKind.GENE}


def test_missing_model_path_explains_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"python training/train_ner\.py"):
        _ner_only_pipeline(model_path=str(tmp_path / "nowhere"))


def test_missing_scispacy_model_is_a_clear_input_error() -> None:
    with pytest.raises(InputError, match="en_ner_bc5cdr_md.*not installed"):
        _ner_only_pipeline(scispacy_model="en_ner_bc5cdr_md")


def test_shipped_weights_are_small() -> None:
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_PATH.rglob("*") if p.is_file())
    assert size < 15_000_000


@needs_corpus
@pytest.mark.slow
def test_model_alone_on_biored_dev_does_not_regress() -> None:
    gold = _corpus("Dev.PubTator")
    types = {"GENE": "Gene", "DISEASE": "Disease", "VARIANT": "Variant"}
    pred = [
        PubTatorDoc(g.pmid, g.title, g.abstract,
                    [Annotation(g.pmid, e.start_char, e.end_char, e.text, types[e.label_]) for e in doc.ents])
        for g, doc in zip(gold, _model().pipe(g.text for g in gold))
    ]
    scores = evaluate(gold, pred, "biored")
    for metric in ("Gene", "Disease∪Phenotype"):
        assert scores[metric].f1 >= MEASURED["(a) model alone"][metric]["f1"] - 0.01, metric


@needs_corpus
@pytest.mark.slow
def test_lexicon_plus_genelit_ner_on_biored_dev_does_not_regress() -> None:
    from genelit.extractors.annotate import annotate_docs

    gold = _corpus("Dev.PubTator")
    nlp = build_pipeline(PipelineConfig(components=("genelit_variants", "genelit_genes", "genelit_phenotypes", "genelit_ner")))
    scores = evaluate(gold, list(annotate_docs(gold, nlp)), "biored")
    for metric in ("Gene", "Disease∪Phenotype"):
        assert scores[metric].f1 >= MEASURED["(c) lexicon + genelit_ner (default: GENE)"][metric]["f1"] - 0.01, metric


def test_malformed_model_spans_are_not_mentions() -> None:
    from genelit.extractors.ner import well_formed

    assert all(well_formed(t) for t in ("HNF-6", "TNF(alpha)", "Crohn's disease", "p53"))
    assert not any(well_formed(t) for t in ("bone marrow (BM", "X-linked inhibitor of", "-2", "and TP53"))
