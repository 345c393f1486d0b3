"""Quality regression guard: ``genelit annotate`` over BioRED Dev must score at least the F1 last
recorded by ``python benchmarks/eval_ner.py --record`` (``benchmarks/quality.json``) minus a margin."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from genelit.extractors.evaluation import evaluate
from genelit.extractors.pubtator import read_pubtator
from genelit.flows.cli.app import app
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
BIORED_DEV = ROOT / "corpora" / "biored" / "Dev.PubTator"
RECORDED = json.loads((ROOT / "benchmarks" / "quality.json").read_text(encoding="utf-8"))
MARGIN = 0.01


@pytest.mark.slow
def test_annotate_on_biored_dev_keeps_its_recorded_f1(tmp_path: Path) -> None:
    pred_path = tmp_path / "pred.PubTator"
    result = CliRunner().invoke(app, ["annotate", "--input", str(BIORED_DEV), "--output", str(pred_path)])
    assert result.exit_code == 0, result.output
    gold, pred = read_pubtator(BIORED_DEV), read_pubtator(pred_path)
    assert [d.pmid for d in pred] == [d.pmid for d in gold]
    assert all(not a.type.startswith(("GeneOrGene", "SequenceVariant", "DiseaseOr")) for d in pred for a in d.annotations)
    scores = evaluate(gold, pred, "biored")
    for metric in ("Gene", "Variant", "Disease∪Phenotype"):
        floor = RECORDED["biored"][metric] - MARGIN
        assert scores[metric].f1 >= floor, f"{metric} F1 {scores[metric].f1:.3f} < recorded {RECORDED['biored'][metric]:.3f} - {MARGIN}"
