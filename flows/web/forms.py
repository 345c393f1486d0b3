"""Reading what a page's forms send, and what the record form shows.

The forms are plain ``application/x-www-form-urlencoded`` posts, read with the standard library
(Starlette's own form parser needs python-multipart, which genelit does not otherwise use).  The
record form's fields are the review spreadsheet's editable columns, shown as the spreadsheet shows
them (:func:`~genelit.outputs.columns.record_row`), so a curator types the same values in both and
:func:`~genelit.outputs.edits.validated_edit` reads them the same way.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl

from genelit.extractors.cues import INHERITANCE_TERMS
from genelit.models.evidence import EvidenceRecord, VariantClass
from genelit.outputs.columns import COLUMN_DOCS, record_row
from genelit.outputs.xlsx import EDITABLE_COLUMNS, ZYGOSITIES
from starlette.requests import Request

from genelit.errors import InputError

MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 100
FORM_TYPE = "application/x-www-form-urlencoded"
# fields chosen from a list rather than typed
CHOICES: dict[str, list[str]] = {
    "zygosity": sorted(ZYGOSITIES),
    "variant_class": [v.value for v in VariantClass],
    "consanguinity": ["FALSE", "TRUE"],
}
SUGGESTIONS: dict[str, list[str]] = {"inheritance": list(INHERITANCE_TERMS.values())}


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (last value wins); InputError for another encoding or an oversized form."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM_TYPE:
        raise InputError(f"forms must be sent as {FORM_TYPE}")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise InputError("form too large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS,
                          strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise InputError("unreadable form") from None
    return dict(pairs)


def parse_version(raw: str | None) -> datetime:
    """The record version a form was rendered with (ISO 8601, as :func:`field_values` writes it)."""
    try:
        return datetime.fromisoformat((raw or "").strip())
    except ValueError:
        raise InputError("the form has no record version: reload the page") from None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def field_values(record: EvidenceRecord) -> dict[str, str]:
    """The record form's initial values: every editable column as the spreadsheet shows it."""
    row = record_row(record)
    return {name: _text(row[name]) for name in EDITABLE_COLUMNS}


def edit_fields(values: dict[str, str]) -> list[dict[str, object]]:
    """What the template needs per editable field: name, value, help text, choices or suggestions."""
    return [
        {"name": name, "value": values.get(name, ""), "help": COLUMN_DOCS.get(name, ""),
         "choices": CHOICES.get(name), "suggestions": SUGGESTIONS.get(name)}
        for name in EDITABLE_COLUMNS
    ]


def submitted_edits(form: dict[str, str]) -> dict[str, str]:
    """The editable columns present in a posted record form."""
    return {name: form[name].strip() for name in EDITABLE_COLUMNS if name in form}
