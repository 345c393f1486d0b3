"""Evidence tables: every format written and read back with the same rows and column order."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    FunctionalCategory,
    FunctionalCue,
    Phenotype,
    RecordStatus,
    VariantClass,
)
from genelit.outputs.columns import COLUMN_DOCS, COLUMNS, records_to_frame
from genelit.outputs.tables import neutralize_formula, resolve_format, write_table
from genelit.outputs.xlsx import REVIEW_COLUMNS
from openpyxl import load_workbook

from genelit.errors import InputError


def _records() -> list[EvidenceRecord]:
    deletion = EvidenceRecord(
        record_id=EvidenceRecord.make_id("9401537", "HGNC:5464", "IGF1:del(exons 4-5)"),
        pmid="9401537", title="Insulin-like growth factor I gene deletion causing intrauterine growth "
        "retardation and severe short stature.", year=1997, journal="Acta Paediatr Suppl",
        gene_symbol="IGF1", hgnc_id="HGNC:5464", ncbi_gene_id="3479",
        variant="partial IGF-I gene deletion involving exons 4 and 5", variant_key="IGF1:del(exons 4-5)",
        variant_class=VariantClass.NULL, zygosity="homozygous", inheritance="autosomal recessive",
        inheritance_hpo="HP:0000007", consanguinity=True, proband_count=1,
        phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation"),
                    Phenotype(hpo_id="HP:0000407", label="Sensorineural hearing impairment")],
        evidence=[EvidenceSentence(text="a homozygous partial IGF-I gene deletion", start=10, end=50)],
        confidence=0.9, confidence_reasons=["gene and variant in one sentence", "zygosity attached"],
        updated_at=datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc), pipeline_version="0.1.0",
        lexicon_version="hgnc-2024",
    )
    missense = EvidenceRecord(
        record_id=EvidenceRecord.make_id("15769976", "HGNC:5464", "p.Val92Met"),
        pmid="15769976", title="=HYPERLINK(\"http://evil\",\"click\")", year=2005,
        gene_symbol="IGF1", hgnc_id="HGNC:5464", variant="c.274G>A", variant_key="p.Val92Met",
        hgvs_c="c.274G>A", hgvs_p="p.Val92Met", variant_class=VariantClass.MISSENSE, zygosity="homozygous",
        functional_evidence=[FunctionalCue(category=FunctionalCategory.NON_PATIENT_CELLS,
                                           text="90-fold lower affinity", start=0, end=5)],
        status=RecordStatus.ACCEPTED, curator="jdoe", note="-check the pedigree", confidence=0.75,
    )
    upstream = EvidenceRecord(
        record_id=EvidenceRecord.make_id("1", "HGNC:5464", "c.-13G>A"), pmid="1", gene_symbol="IGF1",
        variant="c.-13G>A", hgvs_c="c.-13G>A", note="@SUM(A1:A2)", title="+1 and -1 tests",
    )
    return [deletion, missense, upstream]


def _as_strings(frame: pd.DataFrame) -> list[list[str]]:
    """Cell values normalized across formats (missing -> '', numbers and booleans as text)."""
    def norm(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, bool):
            return str(value)
        try:
            number = float(str(value))
        except ValueError:
            return str(value)
        return str(int(number)) if number.is_integer() else str(number)
    return [[norm(v) for v in row] for row in frame.astype(object).itertuples(index=False)]


def test_columns_are_documented_in_order() -> None:
    assert COLUMNS[0] == "record_id" and COLUMNS[-1] == "lexicon_version"
    assert list(COLUMN_DOCS) == list(COLUMNS)
    assert all(doc.strip() and "\n" not in doc for doc in COLUMN_DOCS.values())
    frame = records_to_frame(_records())
    assert list(frame.columns) == list(COLUMNS)
    first = frame.iloc[0]
    assert first["phenotypes_hpo"] == "HP:0001511|HP:0000407"
    assert first["phenotypes"] == "Intrauterine growth retardation|Sensorineural hearing impairment"
    assert first["variant_class"] == "null" and first["status"] == "draft"
    assert frame.iloc[1]["functional_evidence"] == "functional_alteration_non_patient_cells"
    assert pd.isna(frame.iloc[2]["year"])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet", "jsonl"])
def test_data_formats_round_trip(tmp_path: Path, fmt: str) -> None:
    records = _records()
    path = tmp_path / f"evidence.{fmt}"
    assert write_table(records, path) == len(records)
    if fmt in ("csv", "tsv"):
        back = pd.read_csv(path, sep="," if fmt == "csv" else "\t", dtype=str, keep_default_na=False)
    elif fmt == "parquet":
        back = pd.read_parquet(path)
    else:
        back = pd.read_json(path, lines=True, dtype=False)
    assert list(back.columns) == list(COLUMNS)
    expected = _as_strings(records_to_frame(records))
    got = _as_strings(back)
    if fmt in ("csv", "tsv"):  # only the formula-injection prefix differs
        expected = [[neutralize_formula(v) for v in row] for row in expected]
    assert got == expected


def test_csv_neutralizes_formulas_but_keeps_hgvs(tmp_path: Path) -> None:
    path = tmp_path / "evidence.csv"
    write_table(_records(), path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back.loc[1, "title"].startswith("'=HYPERLINK")
    assert back.loc[1, "note"] == "'-check the pedigree"
    assert back.loc[2, "note"] == "'@SUM(A1:A2)"
    assert back.loc[2, "title"] == "'+1 and -1 tests"
    assert back.loc[2, "hgvs_c"] == "c.-13G>A"  # starts with 'c', not '-'
    assert back.loc[0, "confidence"] == "0.9"


def test_xlsx_round_trip_keeps_rows_and_order(tmp_path: Path) -> None:
    records = _records()
    path = tmp_path / "review.xlsx"
    write_table(records, path)
    back = pd.read_excel(path, sheet_name="review", dtype=object, keep_default_na=False)
    assert list(back.columns) == list(REVIEW_COLUMNS)
    assert list(back["record_id"]) == [r.record_id for r in records]
    expected = records_to_frame(records)
    for column in COLUMNS:
        assert _as_strings(back[[column]]) == _as_strings(expected[[column]]), column
    cell = load_workbook(path)["review"].cell(row=3, column=REVIEW_COLUMNS.index("title") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula


def test_xlsx_has_decision_dropdown_frozen_header_and_filter(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write_table(_records(), path)
    sheet = load_workbook(path)["review"]
    assert [c.value for c in sheet[1]][:3] == ["decision", "note", "record_id"]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "list" and validations[0].formula1 == '"accept,reject,edit"'
    assert "A2" in validations[0].sqref and "A4" in validations[0].sqref
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width > 8


def test_html_delegates_to_report(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    assert write_table(_records(), path, fmt="html") == 3
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "PMID:9401537" in text


def test_format_resolution() -> None:
    assert resolve_format(Path("x.TSV")) == "tsv"
    assert resolve_format(Path("x.txt"), "Parquet") == "parquet"
    with pytest.raises(InputError, match="unknown format 'xls'"):
        resolve_format(Path("x.csv"), "xls")
    with pytest.raises(InputError, match="--format"):
        resolve_format(Path("x.txt"))


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "evidence.jsonl"
    path.write_text("old content\n")
    write_table(_records(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["pmid"] == "9401537"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.jsonl"]
    with pytest.raises(InputError, match="does not exist"):
        write_table(_records(), tmp_path / "missing" / "out.csv")


def _genelit(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process, on a temporary SQLite store."""
    env = {**os.environ, "GENELIT_DB_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-c", "from genelit.flows.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_cli_export_filters_formats_and_errors(tmp_path: Path) -> None:
    from genelit.models.article import AbstractSection, Article
    from genelit.models.store import Store

    db = tmp_path / "genelit.db"
    store = Store(f"sqlite:///{db}")
    for record in _records():
        store.upsert_drafts(record.pmid, [record])
    store.save_articles([Article(pmid="9401537", title="IGF1 <b>deletion</b>",
                                 abstract_sections=[AbstractSection(text="A homozygous deletion.")])])
    store.close()

    result = _genelit(db, "export", "--gene", "IGF1", "--pmid", "9401537", "--out", str(tmp_path / "one.tsv"))
    assert result.returncode == 0, result.stderr
    assert "wrote 1 record(s)" in result.stdout
    assert list(pd.read_csv(tmp_path / "one.tsv", sep="\t", dtype=str)["pmid"]) == ["9401537"]

    result = _genelit(db, "export", "--format", "html", "--out", str(tmp_path / "report.out"))
    assert result.returncode == 0, result.stderr
    assert "IGF1 &lt;b&gt;deletion&lt;/b&gt;" in (tmp_path / "report.out").read_text(encoding="utf-8")

    result = _genelit(db, "export", "--format", "xls", "--out", str(tmp_path / "x.xls"))
    assert result.returncode == 2 and "unknown format 'xls'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.xls").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_written_files_follow_the_umask(tmp_path: Path, fmt: str) -> None:
    """Exports and the report get the mode any file the curator writes gets (not a private 0600)."""
    previous = os.umask(0o022)
    try:
        path = tmp_path / f"records.{fmt}"
        write_table(_records(), path)
        assert path.stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        write_table(_records(), path)
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(previous)
