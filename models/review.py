"""What the evidence store takes from and gives back to curators' tools, as plain values.

Kept apart from :mod:`models.store` (SQLAlchemy, Alembic) so that code that only builds or reads these
values -- e.g. the review spreadsheet reader in :mod:`outputs.xlsx`, which turns rows into
:class:`Decision` objects -- does not load the database layer for a dataclass.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True)
class UpsertSummary:
    """What one :meth:`Store.upsert_drafts` call did.

    ``conflicts`` counts reviewed records whose newer extraction disagrees and was newly kept as a
    pending update; a re-run that repeats an already-pending update counts as ``unchanged``.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    retired: int = 0


@dataclass(frozen=True)
class Decision:
    """One curator decision, e.g. one row of a reviewed spreadsheet (``row`` is its row number)."""

    row: int
    record_id: str
    decision: Literal["accept", "reject", "edit"]
    note: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One changed field of one decision: who changed what, when, from what to what, and why."""

    record_id: str
    curator: str
    at: datetime
    action: str  # accept | reject | edit
    via: str  # review (CLI/API) | import (spreadsheet)
    field: str
    before: Any
    after: Any
    note: str | None
