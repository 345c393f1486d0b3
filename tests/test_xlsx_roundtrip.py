"""XLSX review round trip: export, edit like a curator with openpyxl, read the decisions back."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from genelit.models.evidence import EvidenceRecord, Phenotype, VariantClass
from genelit.outputs.tables import write_table
from genelit.outputs.xlsx import REVIEW_COLUMNS, changed_fields, read_decisions
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from genelit.errors import InputError


def _records() -> list[EvidenceRecord]:
    variants = [("c.274G>A", "p.Val92Met", "homozygous"), ("c.100C>T", "p.Arg34Ter", "heterozygous"),
                ("c.5A>G", "p.Asp2Gly", "heterozygous"), ("c.7del", "p.Ala3fs", "homozygous")]
    return [
        EvidenceRecord(
            record_id=EvidenceRecord.make_id(f"1000{i}", "HGNC:5464", p), pmid=f"1000{i}", gene_symbol="IGF1",
            hgnc_id="HGNC:5464", variant=c, variant_key=p, hgvs_c=c, hgvs_p=p, zygosity=z,
            variant_class=VariantClass.MISSENSE, title=f"paper {i}",
            phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation")],
        )
        for i, (c, p, z) in enumerate(variants)
    ]


def _col(name: str) -> int:
    return REVIEW_COLUMNS.index(name) + 1


def _edit_cells(path: Path, edits: dict[tuple[int, str], object]) -> None:
    """Type values into the review sheet like a curator in Excel: ``{(row, column name): value}``."""
    workbook = load_workbook(path)
    sheet = workbook["review"]
    for (row, column), value in edits.items():
        sheet.cell(row=row, column=_col(column), value=value)
    workbook.save(path)


def _curate(path: Path, typo_row_decision: str) -> None:
    """What a curator does in Excel: accept row 2, reject row 3 with a note, edit zygosity on row 4,
    and type ``typo_row_decision`` on row 5."""
    _edit_cells(
        path,
        {
            (2, "decision"): "Accept ",
            (3, "decision"): "reject",
            (3, "note"): "phenotype does not fit",
            (4, "decision"): " EDIT",
            (4, "zygosity"): "homozygous",
            (5, "decision"): typo_row_decision,
        },
    )


def test_round_trip_reports_typo_row_then_parses_fixed_sheet(tmp_path: Path) -> None:
    records = _records()
    path = tmp_path / "review.xlsx"
    write_table(records, path)
    _curate(path, "acept")
    with pytest.raises(InputError) as error:
        read_decisions(path)
    message = str(error.value)
    assert "row 5" in message and "'acept'" in message
    assert "row 2" not in message and "row 3" not in message and "row 4" not in message
    assert "\n" not in message

    _curate(path, "accept")
    decisions = read_decisions(path, known_record_ids={r.record_id for r in records})
    assert [(d.row, d.record_id, d.decision) for d in decisions] == [
        (2, records[0].record_id, "accept"), (3, records[1].record_id, "reject"),
        (4, records[2].record_id, "edit"), (5, records[3].record_id, "accept"),
    ]
    assert decisions[1].note == "phenotype does not fit"
    assert decisions[0].changes == {} and decisions[1].changes == {}
    assert changed_fields(decisions[2].changes, records[2]) == {"zygosity": "homozygous"}


def test_empty_decisions_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write_table(_records(), path)
    assert read_decisions(path) == []


def test_all_bad_rows_are_listed_together(tmp_path: Path) -> None:
    records = _records()
    path = tmp_path / "review.xlsx"
    write_table(records, path)
    _edit_cells(
        path,
        {
            (2, "decision"): "edit",
            (2, "zygosity"): "homozygus",
            (3, "decision"): "edit",
            (3, "phenotypes_hpo"): "HP:0001511|HP:12",
            (4, "decision"): "accept",
            (4, "record_id"): "0000000000000000",
            (5, "decision"): "edit",
            (5, "proband_count"): "two",
        },
    )
    with pytest.raises(InputError) as error:
        read_decisions(path, known_record_ids={r.record_id for r in records})
    message = str(error.value)
    assert "4 bad row(s)" in message
    assert "row 2: zygosity 'homozygus'" in message
    assert "row 3: phenotypes_hpo" in message and "'HP:12'" in message
    assert "row 4: record_id '0000000000000000' is not in the store" in message
    assert "row 5: proband_count 'two'" in message


def test_edit_of_phenotypes_and_counts_is_typed(tmp_path: Path) -> None:
    records = _records()
    path = tmp_path / "review.xlsx"
    write_table(records, path)
    _edit_cells(
        path,
        {
            (2, "decision"): "edit",
            (2, "phenotypes_hpo"): "HP:0001511|HP:0000407",
            (2, "phenotypes"): "",
            (2, "proband_count"): 2,
            (2, "consanguinity"): "TRUE",
        },
    )
    (decision,) = read_decisions(path)
    assert changed_fields(decision.changes, records[0]) == {
        "phenotypes": [{"hpo_id": "HP:0001511", "label": "Intrauterine growth retardation"},
                       {"hpo_id": "HP:0000407", "label": ""}],
        "proband_count": 2,
        "consanguinity": True,
    }


def test_formula_cells_are_refused_with_row_and_column_and_nothing_is_imported(tmp_path: Path) -> None:
    """A formula is read as written, not as its cached value (none, in a file openpyxl saved): importing it
    used to clear the field silently."""
    records = _records()
    records[0] = records[0].model_copy(update={"title": "=SUM(A1:A2) is how the paper's title starts"})
    path = tmp_path / "review.xlsx"
    write_table(records, path, "xlsx")
    _edit_cells(path, {(2, "decision"): "accept", (3, "decision"): "edit"})
    assert [d.decision for d in read_decisions(path)] == ["accept", "edit"]  # paper text "=..." is not a formula

    _edit_cells(path, {
        (3, "disease_label"): "=cmd|' /C calc'!A0",
        (4, "note"): '=HYPERLINK("https://example.org/a-very-long-address-for-the-link","click")',
    })
    with pytest.raises(InputError) as err:
        read_decisions(path)
    message = str(err.value)
    assert "\n" not in message and "2 cell(s) hold a formula, nothing imported" in message
    letter = {name: get_column_letter(_col(name)) for name in ("note", "disease_label")}
    assert f"row 3, disease_label (column {letter['disease_label']}): formula \"=cmd|' /C calc'!A0\"" in message
    assert f"row 4, note (column {letter['note']}): formula '=HYPERLINK(\"https://example.org/a-very-l…'" in message


def _pipeline_oddities() -> list[EvidenceRecord]:
    """Values the pipeline really writes that a curator could not type: a gene named by its protein,
    a MeSH tree number as the disease id."""
    odd = _records()[0].model_copy(update={
        "gene_symbol": "UL97 protein kinase", "disease_id": "MESHTREE:C15.378.071.141",
        "disease_label": "Anemia, Hemolytic",
    })
    return [odd, *_records()[1:]]


def test_only_cells_the_curator_changed_are_checked(tmp_path: Path) -> None:
    records = _pipeline_oddities()
    stored = {r.record_id: r for r in records}
    path = tmp_path / "review.xlsx"
    write_table(records, path, "xlsx")
    _edit_cells(path, {(2, "decision"): "edit", (2, "zygosity"): "heterozygous", (3, "decision"): "accept"})
    with pytest.raises(InputError, match="gene_symbol 'UL97 protein kinase' must look like IGF1"):
        read_decisions(path)  # without the stored records every editable cell is checked
    edit, accept = read_decisions(path, stored=stored)
    assert (edit.decision, edit.changes) == ("edit", {"zygosity": "heterozygous"})
    assert accept.decision == "accept"

    _edit_cells(path, {(2, "gene_symbol"): "UL97 kinase"})  # now the curator typed it: checked
    with pytest.raises(InputError, match="row 2: gene_symbol 'UL97 kinase' must look like IGF1"):
        read_decisions(path, stored=stored)
    _edit_cells(path, {(2, "gene_symbol"): "UL97 protein kinase", (2, "phenotypes_hpo"): "HP:0001511|HP:0000252",
                       (2, "phenotypes"): "Intrauterine growth retardation|Microcephaly"})
    (edit, _) = read_decisions(path, stored=stored)
    assert edit.changes["phenotypes"][1] == {"hpo_id": "HP:0000252", "label": "Microcephaly"}
    assert set(edit.changes) == {"zygosity", "phenotypes"}


def test_cli_import_edits_a_record_with_odd_stored_values_and_says_so(tmp_path: Path) -> None:
    from genelit.models.store import Store

    url = f"sqlite:///{tmp_path / 'genelit.db'}"
    records = _pipeline_oddities()
    with Store(url) as store:
        for record in records:
            store.upsert_drafts(record.pmid, [record])
    env = {**os.environ, "GENELIT_DB_URL": url}
    sheet = tmp_path / "review.xlsx"
    command = [sys.executable, "-c", "from genelit.flows.cli import main; main()"]
    assert subprocess.run([*command, "export", "--out", str(sheet)], env=env, timeout=300).returncode == 0
    row = next(r for r in range(2, 6) if load_workbook(sheet)["review"].cell(r, _col("record_id")).value == records[0].record_id)
    _edit_cells(sheet, {(row, "decision"): "edit", (row, "zygosity"): "heterozygous"})
    done = subprocess.run([*command, "review", "import", str(sheet)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "applied 1 decision(s)" in done.stdout and "Traceback" not in done.stderr
    assert f"note: row {row}: kept as stored" in done.stderr and "gene_symbol 'UL97 protein kinase'" in done.stderr
    with Store(url) as store:
        edited = store.get_record(records[0].record_id)
    assert (edited.status.value, edited.zygosity, edited.gene_symbol) == ("edited", "heterozygous", "UL97 protein kinase")


def test_unreadable_files_give_one_line_errors(tmp_path: Path) -> None:
    not_xlsx = tmp_path / "review.xlsx"
    not_xlsx.write_text("record_id,decision\nabc,accept\n")
    with pytest.raises(InputError, match="cannot read review.xlsx as an .xlsx workbook"):
        read_decisions(not_xlsx)
    with pytest.raises(InputError, match="not found"):
        read_decisions(tmp_path / "missing.xlsx")


def test_cli_review_import_is_all_or_nothing(tmp_path: Path) -> None:
    from genelit.models.store import Store

    db = tmp_path / "genelit.db"
    url = f"sqlite:///{db}"
    records = _records()
    store = Store(url)
    for record in records:
        store.upsert_drafts(record.pmid, [record])
    store.close()
    env = {**os.environ, "GENELIT_DB_URL": url}

    def genelit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from genelit.flows.cli import main; main()", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    sheet = tmp_path / "review.xlsx"
    assert genelit("export", "--out", str(sheet)).returncode == 0
    _curate(sheet, "acept")
    failed = genelit("review", "import", str(sheet), "--curator", "J. Doe")
    assert failed.returncode == 2 and "row 5" in failed.stderr and "'acept'" in failed.stderr
    store = Store(url)
    assert {r.status.value for r in store.list_records()} == {"draft"}  # nothing applied
    store.close()

    _curate(sheet, "accept")
    done = genelit("review", "import", str(sheet), "--curator", "J. Doe")
    assert done.returncode == 0, done.stderr
    assert "applied 4 decision(s)" in done.stdout
    store = Store(url)
    after = {r.record_id: r for r in store.list_records()}
    store.close()
    assert [after[r.record_id].status.value for r in records] == ["accepted", "rejected", "edited", "accepted"]
    assert after[records[1].record_id].note == "phenotype does not fit"
    assert after[records[2].record_id].zygosity == "homozygous"
    assert {r.curator for r in after.values()} == {"J. Doe"}

    garbage = tmp_path / "notes.xlsx"
    garbage.write_bytes(b"not a zip")
    bad = genelit("review", "import", str(garbage))
    assert bad.returncode == 2 and "cannot read notes.xlsx" in bad.stderr and "Traceback" not in bad.stderr
