"""The XLSX review sheet: export records for curators, read their decisions back.

Layout of sheet ``review``: ``decision`` (drop-down accept/reject/edit) and ``note`` first, then the
evidence columns of :data:`outputs.tables.COLUMNS` (the record's own note is the ``note`` column).
For an ``edit`` row the curator simply overwrites cells in the :data:`EDITABLE_COLUMNS`; the reader
returns those values and the CLI keeps only the ones that differ from the stored record.  Cells must hold
values: a formula (``=HYPERLINK(...)``, ``=cmd|...``) anywhere in the sheet is refused with its row and
column, since reading it would import whatever value a spreadsheet program last cached -- often none,
which would silently clear the field.

:func:`read_decisions` never applies anything half-way: every bad row is collected and one
:class:`~flows.errors.InputError` names them all by the row number Excel shows.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from genelit.models.evidence import EvidenceRecord, VariantClass
from genelit.models.review import Decision
from genelit.outputs.columns import COLUMN_DOCS, COLUMNS, records_to_frame
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from genelit.errors import InputError

SHEET_NAME = "review"
DECISIONS: tuple[str, ...] = ("accept", "reject", "edit")
REVIEW_COLUMNS: tuple[str, ...] = ("decision", "note") + tuple(c for c in COLUMNS if c != "note")

ZYGOSITIES = frozenset(
    {"homozygous", "heterozygous", "compound heterozygous", "hemizygous", "mosaic",
     "heteroplasmic", "homoplasmic"}
)

_WIDTHS = {"decision": 11, "note": 30, "record_id": 18, "status": 10, "pmid": 10, "year": 6,
           "title": 50, "evidence_sentence": 80, "phenotypes": 40, "phenotypes_hpo": 30,
           "confidence_reasons": 40, "functional_evidence": 30, "disease_label": 30}
_DEFAULT_WIDTH = 16
_MAX_VALIDATED_ROWS = 10_000
FORMULA_SHOWN = 40  # characters of a refused formula quoted in the error


def _text(value: str) -> str:
    return value.strip()


def _optional_int(value: str) -> int:
    if not re.fullmatch(r"\d+", value):
        raise ValueError("must be a whole number ≥ 0")
    return int(value)


def _bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"true", "yes", "1", "y"}:
        return True
    if lowered in {"false", "no", "0", "n"}:
        return False
    raise ValueError("must be TRUE or FALSE")


def _pattern(regex: str, example: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must look like {example}")
        return value

    return check


def _zygosity(value: str) -> str:
    normalized = re.sub(r"[\s_-]+", " ", value.lower()).strip()
    if normalized not in ZYGOSITIES:
        raise ValueError(f"must be one of {', '.join(sorted(ZYGOSITIES))}")
    return normalized


def _variant_class(value: str) -> str:
    try:
        return VariantClass(value.lower()).value
    except ValueError:
        raise ValueError(f"must be one of {', '.join(v.value for v in VariantClass)}") from None


def _hpo_list(value: str) -> list[str]:
    ids = [part.strip() for part in value.split("|") if part.strip()]
    bad = [i for i in ids if not re.fullmatch(r"HP:\d{7}", i)]
    if bad:
        raise ValueError(f"HPO ids must look like HP:0001511 ('|'-separated), not {bad[0]!r}")
    return ids


def _label_list(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


# Columns a curator may change on an "edit" row, with the parser that validates each value.
# Empty cells mean "no value" (None / empty list).
EDITABLE_COLUMNS: dict[str, Callable[[str], Any]] = {
    "gene_symbol": _pattern(r"[A-Za-z0-9][A-Za-z0-9@._-]*", "IGF1"),
    "hgnc_id": _pattern(r"HGNC:\d+", "HGNC:5464"),
    "ncbi_gene_id": _pattern(r"\d+", "3479"),
    "variant": _text,
    "variant_key": _text,
    "hgvs_c": _pattern(r"(\S+:)?[cnmr]\.\S+", "c.274G>A"),
    "hgvs_p": _pattern(r"(\S+:)?p\.\S+", "p.Val92Met"),
    "hgvs_g": _pattern(r"(\S+:)?[gm]\.\S+", "NC_000012.12:g.102403500C>T"),
    "rsid": _pattern(r"rs\d+", "rs121913529"),
    "variant_class": _variant_class,
    "zygosity": _zygosity,
    "inheritance": _text,
    "inheritance_hpo": _pattern(r"HP:\d{7}", "HP:0000007"),
    "disease_id": _pattern(r"(OMIM|MIM|ORPHA|MONDO|MESH|DOID):[A-Za-z0-9_]+|MESHTREE:[A-Z]\d{2}(\.\d{3})*",
                           "OMIM:608747"),
    "disease_label": _text,
    "phenotypes_hpo": _hpo_list,
    "phenotypes": _label_list,
    "proband_count": _optional_int,
    "family_count": _optional_int,
    "consanguinity": _bool,
    "segregation": _text,
}


def write_review_sheet(records: Sequence[EvidenceRecord], path: Path) -> None:
    """Write the review workbook: decision drop-down, frozen header, autofilter, readable widths.

    Text is stored as typed string cells, so paper text starting with ``=`` is never a formula.
    """
    frame = records_to_frame(records)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(REVIEW_COLUMNS))
    for row in frame.itertuples(index=False):
        values = dict(zip(frame.columns, row))
        sheet.append([None] + [_cell_value(values[c]) for c in REVIEW_COLUMNS[1:]])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # openpyxl reads a leading '=' as a formula: keep it text
                cell.data_type = "s"
    last_row = max(sheet.max_row, 2)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="decision", error="Choose accept, reject or edit.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"A2:A{max(last_row, _MAX_VALIDATED_ROWS)}")
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{last_row}"
    for index, name in enumerate(REVIEW_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, _DEFAULT_WIDTH)
    _add_column_guide(workbook)
    workbook.save(path)


def _cell_value(value: Any) -> Any:
    """A frame value as openpyxl wants it: ``None`` for missing, plain Python scalars otherwise."""
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _add_column_guide(workbook: Workbook) -> None:
    guide = workbook.create_sheet("columns")
    guide.append(["column", "meaning", "editable on an 'edit' row"])
    guide.append(["decision", "accept, reject or edit (empty = not reviewed yet)", "yes"])
    guide.append(["note", "your note; stored with the decision", "yes"])
    for name in COLUMNS:
        if name != "note":
            guide.append([name, COLUMN_DOCS[name], "yes" if name in EDITABLE_COLUMNS else "no"])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 90


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, str]]]:
    """All rows of the review sheet as values, and its formula cells as (row, column, formula).

    Formulas are read as written (not as the value a spreadsheet program last computed, which a file may
    not even hold), so the caller can refuse them.  Unreadable files become one-line InputErrors.
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except FileNotFoundError:
        raise InputError(f"review file not found: {path}") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"cannot read {path.name} as an .xlsx workbook ({type(exc).__name__})") from None
    try:
        if SHEET_NAME not in workbook.sheetnames:
            raise InputError(
                f"{path.name} has no '{SHEET_NAME}' sheet: export one with `genelit export --format xlsx`"
            )
        rows: list[tuple[Any, ...]] = []
        formulas: list[tuple[int, int, str]] = []
        for row_number, cells in enumerate(workbook[SHEET_NAME].iter_rows(), start=1):
            rows.append(tuple(cell.value for cell in cells))
            formulas += [(row_number, column, str(cell.value)) for column, cell in enumerate(cells, start=1)
                         if cell.data_type == "f"]
        return rows, formulas
    finally:
        workbook.close()


def _formula_problems(formulas: Sequence[tuple[int, int, str]], header: Sequence[str]) -> list[str]:
    """One line per formula cell: its row, column name and letter, and the start of the formula."""
    problems = []
    for row, column, formula in formulas:
        name = header[column - 1] if column <= len(header) and header[column - 1] else "a column without a header"
        shown = formula if len(formula) <= FORMULA_SHOWN else formula[:FORMULA_SHOWN] + "…"
        problems.append(f"row {row}, {name} (column {get_column_letter(column)}): formula {shown!r}")
    return problems


def parse_edits(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Validated editable values of one row, keyed by :class:`EvidenceRecord` field names.

    ``phenotypes_hpo`` and ``phenotypes`` are paired into ``phenotypes``
    (``[{"hpo_id", "label"}]``), so the store receives the record's own shape.
    """
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for column, parse in EDITABLE_COLUMNS.items():
        if column not in values:
            continue
        raw = values[column]
        if raw == "":
            parsed[column] = [] if parse in (_hpo_list, _label_list) else None
            continue
        try:
            parsed[column] = parse(raw)
        except ValueError as exc:
            problems.append(f"{column} {raw!r} {exc}")
    hpo_ids = parsed.pop("phenotypes_hpo", None)
    labels = parsed.pop("phenotypes", None)
    if hpo_ids is not None:
        labels = labels or []
        if labels and len(labels) != len(hpo_ids):
            problems.append(f"phenotypes has {len(labels)} label(s) for {len(hpo_ids)} HPO id(s)")
        else:
            parsed["phenotypes"] = [
                {"hpo_id": hpo_id, "label": labels[i] if labels else ""} for i, hpo_id in enumerate(hpo_ids)
            ]
    return parsed, problems


def sheet_cells(records: Sequence[EvidenceRecord]) -> dict[str, dict[str, str]]:
    """Record id -> editable column -> the text the review sheet shows for it, as read back."""
    frame = records_to_frame(records)
    return {
        str(row["record_id"]): {column: _as_text(_cell_value(row[column])) for column in EDITABLE_COLUMNS}
        for row in frame.to_dict("records")
    }


# read and written together: a changed id or label changes the pairing of both
_PHENOTYPE_COLUMNS = frozenset({"phenotypes_hpo", "phenotypes"})


def _typed_cells(values: dict[str, str], shown: Mapping[str, str] | None) -> dict[str, str]:
    """The editable cells of an edit row the curator changed (every one when the stored row is unknown).

    A cell still holding the exported text is the pipeline's value, not the curator's: it is neither
    checked nor applied, so a stored value the checks would refuse never blocks an edit of another cell.
    """
    if shown is None:
        return values
    changed = {c: v for c, v in values.items() if c in EDITABLE_COLUMNS and v != shown.get(c, "")}
    if changed.keys() & _PHENOTYPE_COLUMNS:
        changed.update({c: values[c] for c in _PHENOTYPE_COLUMNS if c in values})
    return changed


def invalid_stored_values(records: Sequence[EvidenceRecord]) -> dict[str, list[str]]:
    """Record id -> the record's own values the sheet's checks would refuse if a curator typed them (a
    gene symbol the pipeline took from a protein name...): to say so when such a record is edited."""
    problems: dict[str, list[str]] = {}
    for record_id, cells in (sheet_cells(records) if records else {}).items():
        for column, text in cells.items():
            try:
                if text:
                    EDITABLE_COLUMNS[column](text)
            except ValueError as exc:
                problems.setdefault(record_id, []).append(f"{column} {text!r} {exc}")
    return problems


def read_decisions(
    path: Path | str, known_record_ids: Collection[str] | None = None,
    stored: Mapping[str, EvidenceRecord] | None = None,
) -> list[Decision]:
    """Curator decisions from a review sheet; raises one :class:`InputError` listing every bad row.

    Rows with an empty ``decision`` are skipped (not reviewed yet).  Decisions are case- and
    space-insensitive.  For ``edit`` rows, ``changes`` holds the validated value of every editable
    column present -- or, given the ``stored`` records, of every editable cell whose text differs from
    what the sheet was exported with; callers compare it with the stored record to keep what actually
    changed.  ``known_record_ids`` (when given) flags rows whose ``record_id`` is not in the store.
    """
    path = Path(path)
    all_rows, formulas = _sheet_rows(path)
    rows = iter(all_rows)
    header = [_as_text(h).lower() for h in next(rows, ())]
    if formulas:
        raise InputError(
            f"{path.name}: {len(formulas)} cell(s) hold a formula, nothing imported (type the value itself; "
            "a formula is not a value genelit can check): " + " | ".join(_formula_problems(formulas, header))
        )
    missing = [c for c in ("decision", "record_id") if c not in header]
    if missing:
        raise InputError(f"{path.name}: sheet '{SHEET_NAME}' has no {' or '.join(missing)} column")
    decided: list[tuple[int, dict[str, str]]] = []
    for row_number, row in enumerate(rows, start=2):
        values = {name: _as_text(v) for name, v in zip(header, row) if name}
        if values.get("decision"):
            decided.append((row_number, values))
    shown: dict[str, dict[str, str]] | None = None
    if stored is not None:
        edited = dict.fromkeys(v.get("record_id", "") for _, v in decided if _decision(v) == "edit")
        records = [stored[i] for i in edited if i in stored]
        shown = sheet_cells(records) if records else {}
    decisions: list[Decision] = []
    errors: list[str] = []
    for row_number, values in decided:
        raw_decision = values["decision"]
        decision = _decision(values)
        record_id = values.get("record_id", "")
        problems: list[str] = []
        if decision not in DECISIONS:
            problems.append(f"decision {raw_decision!r} is not one of {', '.join(DECISIONS)}")
        if not record_id:
            problems.append("record_id is empty")
        elif known_record_ids is not None and record_id not in known_record_ids:
            problems.append(f"record_id {record_id!r} is not in the store")
        changes: dict[str, Any] = {}
        if decision == "edit":
            changes, edit_problems = parse_edits(_typed_cells(values, None if shown is None else shown.get(record_id)))
            problems.extend(edit_problems)
        if problems:
            errors.append(f"row {row_number}: " + "; ".join(problems))
            continue
        decisions.append(
            Decision(row=row_number, record_id=record_id, decision=decision,  # type: ignore[arg-type]
                     note=values.get("note") or None, changes=changes)
        )
    if errors:
        raise InputError(f"{path.name}: {len(errors)} bad row(s), nothing imported: " + " | ".join(errors))
    return decisions


def _decision(values: Mapping[str, str]) -> str:
    """The decision cell as a decision: case and spaces do not matter."""
    return re.sub(r"\s+", "", values.get("decision", "")).lower()


def changed_fields(changes: dict[str, Any], record: EvidenceRecord) -> dict[str, Any]:
    """The subset of an edit row's ``changes`` that differs from the stored ``record``.

    A phenotype whose label cell was left empty keeps the stored label for the same HPO id.
    """
    stored_labels = {p.hpo_id: p.label for p in record.phenotypes}
    current = record.model_dump(mode="json", include=set(changes))
    differing: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "phenotypes":
            value = [{"hpo_id": p["hpo_id"], "label": p["label"] or stored_labels.get(p["hpo_id"], "")}
                     for p in value]
        if current.get(name) != value:
            differing[name] = value
    return differing
