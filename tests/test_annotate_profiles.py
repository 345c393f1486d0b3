"""``genelit annotate --profile``: named annotation conventions (BioRED default, HPO concept recognition)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from genelit.extractors.annotate import DEFAULT_PROFILE, PROFILES, profile_config
from genelit.extractors.pubtator import read_pubtator
from genelit.flows.cli.app import app
from typer.testing import CliRunner

from genelit.errors import InputError

# GSC+ / BioRED spelling: a syndrome named after the phenotype it causes
TEXT = "1|t|Nevoid basal cell carcinoma syndrome in two sibs with ulcerative colitis.\n1|a|\n\n"


def _annotate(tmp_path: Path, *extra: str) -> tuple[Result, dict[str, tuple[str, str]]]:
    source, target = tmp_path / "in.PubTator", tmp_path / "out.PubTator"
    source.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", "--input", str(source), "--output", str(target), *extra])
    found = {a.text: (a.type, a.concept_id) for d in read_pubtator(target) for a in d.annotations} \
        if target.exists() else {}
    return result, found


def test_profiles_are_named_pipeline_presets() -> None:
    assert DEFAULT_PROFILE == "biored" and set(PROFILES) == {"biored", "hpo"}
    assert profile_config("hpo").config_for("genelit_phenotypes")["nested"] is True
    assert profile_config("biored").config_for("genelit_phenotypes") == {}
    with pytest.raises(ValueError, match="known: biored, hpo"):
        profile_config("gsc")


def test_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    result, found = _annotate(tmp_path, "--profile", "gsc")
    # flows.cli.main prints an InputError as one line and exits with its code (2)
    assert isinstance(result.exception, InputError) and result.exception.exit_code == 2
    assert str(result.exception) == "unknown --profile 'gsc'; choose one of: biored, hpo"
    assert not found


@pytest.mark.slow
def test_hpo_profile_marks_phenotypes_inside_disease_names(tmp_path: Path) -> None:
    result, biored = _annotate(tmp_path)
    assert result.exit_code == 0, result.output
    assert biored["Nevoid basal cell carcinoma syndrome"][0] == "Disease"
    assert "basal cell carcinoma" not in biored and "colitis" not in biored
    result, hpo = _annotate(tmp_path, "--profile", "hpo")
    assert result.exit_code == 0, result.output
    assert hpo["basal cell carcinoma"] == ("Phenotype", "HP:0002671")
    assert hpo["colitis"] == ("Phenotype", "HP:0002583")
    assert hpo["ulcerative colitis"] == ("Phenotype", "HP:0100279")
