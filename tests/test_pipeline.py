"""Pipeline assembly from configuration: components by name, settings → PipelineConfig, optional scispaCy model."""
from __future__ import annotations

import pytest
from genelit.extractors.pipeline import (
    COMPONENT_MODULES,
    DEFAULT_COMPONENTS,
    PipelineConfig,
    build_pipeline,
)
from genelit.flows.steps import pipeline_config

from genelit.config import load_settings
from genelit.errors import InputError


def test_settings_choose_components_and_base_model() -> None:
    assert pipeline_config(load_settings()).components == DEFAULT_COMPONENTS
    fast = pipeline_config(load_settings(trained_ner=False, use_scispacy_model="en_core_sci_sm"))
    assert "genelit_ner" not in fast.components and fast.scispacy_model == "en_core_sci_sm"


def test_an_official_scispacy_model_that_is_not_installed_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="en_core_sci_sm.*not installed"):
        build_pipeline(PipelineConfig(scispacy_model="en_core_sci_sm"))


def test_unknown_component_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown component 'genelit_nope'"):
        build_pipeline(PipelineConfig(components=("genelit_nope",)))


def test_only_the_configured_components_run() -> None:
    nlp = build_pipeline(PipelineConfig(components=("genelit_variants",)))
    assert [name for name in nlp.pipe_names if name in COMPONENT_MODULES] == ["genelit_variants"]
    doc = nlp("A homozygous c.274G>A (p.Val92Met) change in IGF1.")
    kinds = {m.kind for m in doc._.mentions}
    assert kinds == {"variant"}


def test_mentions_are_the_doc_extension() -> None:
    """``base.mentions`` reads spaCy's storage of ``doc._.mentions`` directly: the same list either way."""
    from genelit.extractors import base

    nlp = build_pipeline(PipelineConfig(components=("genelit_variants",)))
    doc = nlp("A homozygous c.274G>A change in IGF1.")
    assert doc._.mentions is base.mentions(doc) and [m.text for m in doc._.mentions] == ["c.274G>A"]
    empty = nlp.make_doc("nothing here")
    assert empty._.mentions is None
    assert base.mentions(empty) is empty._.mentions == []


def test_components_declare_what_they_need_and_the_default_order_satisfies_it() -> None:
    nlp = build_pipeline(PipelineConfig())
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values())
    summary = analysis["summary"]
    for name in ("genelit_variants", "genelit_genes", "genelit_phenotypes", "genelit_ner", "genelit_cues"):
        assert "doc._.mentions" in summary[name]["assigns"]
    assert "doc._.abbreviations" in summary["genelit_abbreviation_detector"]["assigns"]


def test_a_pipeline_missing_what_a_component_reads_is_refused() -> None:
    """Without the abbreviation detector the gene and phenotype components would silently find less."""
    with pytest.raises(ValueError, match="genelit_genes needs doc._.abbreviations"):
        build_pipeline(PipelineConfig(abbreviations=False, components=("genelit_genes",)))
