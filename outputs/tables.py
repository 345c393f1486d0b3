"""Evidence tables: one row per evidence record, the same columns in every format.

The column order is a contract (curators build spreadsheets and scripts on it), so it lives in
:data:`~genelit.outputs.columns.COLUMNS` and every writer uses
:func:`~genelit.outputs.columns.records_to_frame`.

Formula-injection rule (CSV/TSV only): a text cell whose first character is ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is written with a leading apostrophe, so Excel/LibreOffice show it
as text instead of running it as a formula.  Only the *first* character matters: HGVS such as
``c.-13G>A`` or ``p.(Arg97*)`` start with a letter and are written unchanged; numbers (``year``,
``confidence``, counts) are never touched.  XLSX cells are typed as strings directly (no apostrophe
needed) and Parquet/JSONL are data formats that spreadsheets do not evaluate.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord
from genelit.outputs.columns import records_to_frame
from genelit.outputs.report import render_report
from genelit.outputs.xlsx import write_review_sheet

from genelit.errors import InputError
from genelit.files import atomic_write
from genelit.outputs.formats import FORMATS, resolve_format  # noqa: F401  (part of this module's API)

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """Prefix an apostrophe to a text cell a spreadsheet would run as a formula (see module doc)."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def _write_delimited(frame: pd.DataFrame, path: Path, sep: str) -> None:
    safe = frame.copy()
    text_columns = [c for c in safe.columns if safe[c].dtype == "string"]
    for column in text_columns:
        safe[column] = safe[column].map(neutralize_formula, na_action="ignore")
    safe.to_csv(path, sep=sep, index=False, encoding="utf-8")


def _write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        _write_delimited(frame, path, ",")
    elif fmt == "tsv":
        _write_delimited(frame, path, "\t")
    elif fmt == "parquet":
        frame.to_parquet(path, index=False, engine="pyarrow")
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="iso")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write an output file atomically (:func:`genelit.files.atomic_write`) into an existing folder.

    A crash or a full disk never leaves a half-written table where a curator expects a whole one.
    """
    path = Path(path)
    if not path.parent.exists():
        raise InputError(f"output folder does not exist: {path.parent}")
    atomic_write(path, write)


def write_table(
    records: Sequence[EvidenceRecord],
    path: Path | str,
    fmt: str | None = None,
    articles: Sequence[Article] = (),
) -> int:
    """Write ``records`` to ``path`` as csv/tsv/xlsx/parquet/jsonl/html; returns the row count.

    ``xlsx`` is the curator review sheet (:mod:`outputs.xlsx`), ``html`` the review report
    (:mod:`outputs.report`, which uses ``articles`` for abstracts and highlights).
    """
    path = Path(path)
    resolved = resolve_format(path, fmt)
    if resolved == "xlsx":
        write_atomically(path, lambda tmp: write_review_sheet(records, tmp))
    elif resolved == "html":
        document = render_report(records, articles)
        write_atomically(path, lambda tmp: tmp.write_text(document, encoding="utf-8"))
    else:
        frame = records_to_frame(records)
        write_atomically(path, lambda tmp: _write_frame(frame, tmp, resolved))
    return len(records)
