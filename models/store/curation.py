"""Curation: accept, reject and edit decisions on evidence records, and the audit trail they leave.

Every decision -- one from ``genelit review`` or a whole reviewed spreadsheet -- is checked against the
:class:`EvidenceRecord` model before anything is written, applied in one transaction, and leaves one
audit row per changed field.  Separate from drafting: this is the only code that changes a record's
status away from draft.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.review import AuditEntry, Decision
from genelit.models.store.engine import _now
from genelit.models.store.records import (
    PROVENANCE_FIELDS,
    REVIEW_FIELDS,
    RecordQueries,
    _differing_fields,
    _record_row,
)
from genelit.models.tables import audit_log, evidence_records
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from genelit.errors import ConflictError, InputError

EDITABLE_FIELDS = frozenset(EvidenceRecord.model_fields) - REVIEW_FIELDS - PROVENANCE_FIELDS - {
    "record_id",
    "pmid",
}


def _validated_edit(current: EvidenceRecord, changes: Mapping[str, Any]) -> EvidenceRecord:
    """``current`` with ``changes`` applied, checked against the :class:`EvidenceRecord` model.

    Raises InputError naming every unknown/read-only field or invalid value, in one line.
    """
    if not changes:
        raise InputError("no field to change (give at least one, e.g. zygosity=heterozygous)")
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise InputError(
            f"cannot edit {', '.join(unknown)}; editable fields: {', '.join(sorted(EDITABLE_FIELDS))}"
        )
    try:
        return EvidenceRecord.model_validate({**current.model_dump(), **dict(changes)})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']} (got {err.get('input')!r})"
            for err in exc.errors()
        )
        raise InputError(f"invalid value: {problems}") from None


def _checked_curator(curator: str) -> str:
    curator = (curator or "").strip()
    if not curator:
        raise InputError("a curator name is required (use --curator or set GENELIT_CURATOR)")
    return curator


def _check_version(row: sa.Row[Any], expected: datetime | None) -> None:
    """Compare-and-set for decisions: the (locked) row must still be at the version the curator saw.

    Every write to a record row moves its ``updated_at``: another curator's decision, a newer
    extraction of a draft, a newly pending update, retirement.
    """
    if expected is None or row.updated_at == expected:
        return
    data = row.data
    decided = bool(data.get("curator") and data.get("updated_at")) and (
        datetime.fromisoformat(data["updated_at"]) == row.updated_at)
    if decided:
        why = f"{data['curator']} {data['status']} it"
    elif row.retired_at is not None:
        why = "a newer extraction retired it"
    else:
        why = "a newer extraction of the paper changed it"
    raise ConflictError(
        f"record {row.record_id} changed after you opened it: {why} at {row.updated_at:%Y-%m-%d %H:%M:%S} UTC; "
        "nothing was saved: check its current state and decide again"
    )


class Curation(RecordQueries):
    """The curator's side of the evidence records: decisions, edits and who made them when."""

    def audit_trail(self, record_id: str) -> list[AuditEntry]:
        """Every change curators made to the record, oldest first."""

        def work(conn: Connection) -> list[AuditEntry]:
            row = self._resolve(conn, record_id)
            query = sa.select(audit_log).where(audit_log.c.record_id == row.record_id).order_by(audit_log.c.id)
            return [
                AuditEntry(
                    record_id=e.record_id, curator=e.curator, at=e.at, action=e.action, via=e.via,
                    field=e.field, before=e.before, after=e.after, note=e.note,
                )
                for e in conn.execute(query)
            ]

        return self._read(work)

    def review(
        self, record_id: str, decision: Literal["accept", "reject"], curator: str, note: str | None = None,
        expected_version: datetime | None = None,
    ) -> EvidenceRecord:
        """Accept or reject a record.  A pending update is considered seen and is dismissed.

        ``expected_version`` (the version :meth:`record_page` showed): ConflictError, and nothing
        written, if the record has changed since.
        """
        if decision not in ("accept", "reject"):
            raise InputError(f"decision must be accept or reject, not {decision!r}")
        curator = _checked_curator(curator)

        def work(conn: Connection) -> EvidenceRecord:
            row = self._resolve(conn, record_id, lock=True)
            _check_version(row, expected_version)
            current = EvidenceRecord.model_validate(row.data)
            return self._apply(conn, row, current, decision, curator, note, "review", _now())

        return self._write(work)

    def edit(
        self, record_id: str, changes: Mapping[str, Any], curator: str, note: str | None = None,
        expected_version: datetime | None = None,
    ) -> EvidenceRecord:
        """Change fields of a record (status becomes ``edited``); values are checked like the model's.

        ``expected_version``: as for :meth:`review`.
        """
        curator = _checked_curator(curator)

        def work(conn: Connection) -> EvidenceRecord:
            row = self._resolve(conn, record_id, lock=True)
            _check_version(row, expected_version)
            edited = _validated_edit(EvidenceRecord.model_validate(row.data), changes)
            return self._apply(conn, row, edited, "edit", curator, note, "review", _now())

        return self._write(work)

    def apply_decisions(self, decisions: Sequence[Decision], curator: str) -> int:
        """Apply a batch of decisions (a reviewed spreadsheet) all or nothing, in one transaction.

        Every decision is checked first; if any is invalid, InputError names every bad row and
        nothing is applied.  Returns the number of decisions applied.
        """
        curator = _checked_curator(curator)

        def work(conn: Connection) -> int:
            planned: list[tuple[sa.Row[Any], EvidenceRecord, Decision]] = []
            problems: list[str] = []
            seen: dict[str, int] = {}
            for d in decisions:
                try:
                    planned.append(self._plan(conn, d, seen))
                except InputError as exc:
                    problems.append(f"row {d.row}: {exc}")
            if problems:
                raise InputError(
                    f"{len(problems)} invalid row(s), nothing imported: " + "; ".join(problems)
                )
            now = _now()
            for row, target, d in planned:
                self._apply(conn, row, target, d.decision, curator, d.note, "import", now)
            return len(planned)

        return self._write(work)

    def _plan(self, conn: Connection, d: Decision, seen: dict[str, int]) -> tuple[sa.Row[Any], EvidenceRecord, Decision]:
        """Check one decision and return (locked row, record after the decision, decision)."""
        if d.decision not in ("accept", "reject", "edit"):
            raise InputError(f"decision must be accept, reject or edit, not {d.decision!r}")
        row = self._resolve(conn, str(d.record_id or ""), lock=True)
        if row.record_id in seen:
            raise InputError(f"record {row.record_id} is already decided in row {seen[row.record_id]}")
        seen[row.record_id] = d.row
        current = EvidenceRecord.model_validate(row.data)
        if d.decision == "edit":
            return row, _validated_edit(current, d.changes), d
        if d.changes:
            raise InputError(f"field changes given with {d.decision}; use decision 'edit' to change fields")
        return row, current, d

    @staticmethod
    def _apply(
        conn: Connection, row: sa.Row[Any], target: EvidenceRecord, action: str, curator: str,
        note: str | None, via: str, now: datetime,
    ) -> EvidenceRecord:
        """Write a decision: new status, field values, curator and note, plus one audit row per change.

        A pending update is dismissed: the curator decided with it in view (``review show`` displays
        it), and the extraction it came from becomes the baseline later re-runs are compared with.
        """
        status = {"accept": RecordStatus.ACCEPTED, "reject": RecordStatus.REJECTED, "edit": RecordStatus.EDITED}[action]
        before = row.data
        result = target.model_copy(
            update={
                "status": status,
                "curator": curator,
                "note": note if note is not None else target.note,
                "updated_at": now,
            }
        )
        after = result.model_dump(mode="json")
        # the note travels with every audit row, so it is not a changed field of its own
        changed = [f for f in after if f not in ("curator", "note", "updated_at") and before.get(f) != after[f]]
        entries = [
            {"record_id": row.record_id, "curator": curator, "at": now, "action": action, "via": via,
             "field": f, "before": before.get(f), "after": after[f], "note": note}
            for f in changed
        ]
        if row.pending is not None:
            entries.append(
                {"record_id": row.record_id, "curator": curator, "at": now, "action": action, "via": via,
                 "field": "pending_update", "before": _differing_fields(row.extracted, row.pending),
                 "after": None, "note": note}
            )
        if not entries:  # re-confirming an unchanged decision still records who confirmed it, and when
            entries.append(
                {"record_id": row.record_id, "curator": curator, "at": now, "action": action, "via": via,
                 "field": "status", "before": before.get("status"), "after": after["status"], "note": note}
            )
        baseline = row.pending if row.pending is not None else row.extracted
        conn.execute(
            sa.update(evidence_records)
            .where(evidence_records.c.record_id == row.record_id)
            .values(**_record_row(result, baseline, None, None))
        )
        conn.execute(sa.insert(audit_log), entries)
        return result
