"""The export formats and how a file name chooses one: light enough for the CLI to import at start-up
(the writers in :mod:`outputs.tables` need pandas and openpyxl)."""
from __future__ import annotations

from pathlib import Path

from genelit.errors import InputError

FORMATS: tuple[str, ...] = ("csv", "tsv", "xlsx", "parquet", "jsonl", "html")
_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
}


def resolve_format(path: Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file suffix; unknown -> :class:`InputError`."""
    choices = ", ".join(FORMATS)
    if fmt:
        normalized = fmt.strip().lower().lstrip(".")
        if normalized not in FORMATS:
            raise InputError(f"unknown format {fmt!r}: choose one of {choices}")
        return normalized
    inferred = _SUFFIX_FORMATS.get(path.suffix.lower())
    if inferred is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its suffix: use --format ({choices})"
        )
    return inferred
