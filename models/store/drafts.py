"""Drafting: storing the latest extraction of a paper without ever overwriting a curator's work.

:meth:`DraftRecords.upsert_drafts` is the only writer of machine extractions.  It decides, per record,
whether a re-run replaces a draft, leaves a reviewed record alone (keeping a disagreeing extraction as a
pending update) or retires a draft the extraction no longer produces; the rules are in its docstring.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.review import UpsertSummary
from genelit.models.store.engine import _now
from genelit.models.store.records import (
    REVIEW_FIELDS,
    RecordQueries,
    _content,
    _record_row,
    _same_extraction,
)
from genelit.models.tables import evidence_records
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from genelit.errors import InputError


@lru_cache(maxsize=2)
def _insert_draft_statement(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING record_id``, values bound at execution.

    Built once per dialect: a statement built per record with ``.values(...)`` made SQLAlchemy coerce
    every value and recompute the cache key each time (3/4 of the first upsert's time, see
    benchmarks/bench_store.py).  RETURNING yields the row only if it was inserted (rowcount is
    unreliable across drivers here).
    """
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(evidence_records)
    return stmt.on_conflict_do_nothing(index_elements=[evidence_records.c.record_id]).returning(evidence_records.c.record_id)


class DraftRecords(RecordQueries):
    """The machine's side of the evidence records: drafts created, replaced, flagged or retired."""

    def upsert_drafts(self, pmid: str, records: Sequence[EvidenceRecord]) -> UpsertSummary:
        """Store the latest extraction of one paper, without touching curator work.

        ``records`` is everything the extraction now finds in ``pmid``.  Per record id:

        * new -> stored as a draft (``created``);
        * existing draft -> replaced by the new extraction (``updated``/``unchanged``);
        * reviewed (accepted/rejected/edited) -> left as the curator left it.  If the new extraction
          disagrees with the one the curator reviewed it is kept as a pending update (``conflicts``);
          if it agrees again, a stale pending update is dropped (``updated``).

        Drafts of this PMID missing from ``records`` are retired (hidden, not deleted: ``retired``);
        reviewed records missing from it are kept unchanged.  An empty ``records`` thus retires all
        drafts of the paper, so only pass the result of an extraction that actually ran.
        """
        pmid = str(pmid).strip()
        wrong = sorted({r.pmid for r in records if r.pmid != pmid})
        if wrong:
            raise InputError(f"records for PMID {', '.join(wrong)} passed to upsert_drafts for PMID {pmid}")
        ids = [r.record_id for r in records]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise InputError(f"duplicate record ids for PMID {pmid}: {', '.join(duplicates)}")

        def work(conn: Connection) -> UpsertSummary:
            now = _now()
            existing = {
                row.record_id: row
                for row in conn.execute(
                    sa.select(evidence_records)
                    .where(evidence_records.c.pmid == pmid)
                    .order_by(evidence_records.c.record_id)
                    .with_for_update()
                )
            }
            counts = dict.fromkeys(("created", "updated", "unchanged", "conflicts", "retired"), 0)
            for record in records:
                row = existing.get(record.record_id)
                if row is None and self._insert_draft(conn, record, now):
                    counts["created"] += 1
                    continue
                if row is None:  # another process inserted it after our SELECT; merge into theirs
                    row = self._locked_row(conn, record.record_id)
                counts[self._merge_extraction(conn, row, record, now)] += 1
            for record_id, row in existing.items():
                if record_id not in ids and row.status == RecordStatus.DRAFT and row.retired_at is None:
                    conn.execute(
                        sa.update(evidence_records)
                        .where(evidence_records.c.record_id == record_id)
                        .values(retired_at=now, updated_at=now)
                    )
                    counts["retired"] += 1
            return UpsertSummary(**counts)

        return self._write(work)

    def _insert_draft(self, conn: Connection, record: EvidenceRecord, now: datetime) -> bool:
        draft = record.model_copy(
            update={"status": RecordStatus.DRAFT, "curator": None, "note": None, "created_at": now, "updated_at": now}
        )
        row = _record_row(draft, draft.model_dump(mode="json"), None, None)
        return conn.execute(_insert_draft_statement(conn.dialect.name), row).first() is not None

    @staticmethod
    def _merge_extraction(conn: Connection, row: sa.Row[Any], record: EvidenceRecord, now: datetime) -> str:
        """Apply a newer extraction to an existing (locked) row; returns the summary bucket."""
        new = record.model_dump(mode="json")
        if row.status == RecordStatus.DRAFT:
            if row.retired_at is None and _content(row.data, REVIEW_FIELDS) == _content(new, REVIEW_FIELDS):
                return "unchanged"
            draft = record.model_copy(
                update={
                    "status": RecordStatus.DRAFT,
                    "curator": None,
                    "note": None,
                    "created_at": EvidenceRecord.model_validate(row.data).created_at or now,
                    "updated_at": now,
                }
            )
            values = _record_row(draft, draft.model_dump(mode="json"), None, None)
            conn.execute(sa.update(evidence_records).where(evidence_records.c.record_id == row.record_id).values(**values))
            return "updated"
        if _same_extraction(new, row.extracted):
            if row.pending is None:
                return "unchanged"
            pending: dict[str, Any] | None = None
            bucket = "updated"
        elif row.pending is not None and _same_extraction(new, row.pending):
            return "unchanged"
        else:
            pending, bucket = new, "conflicts"
        conn.execute(
            sa.update(evidence_records)
            .where(evidence_records.c.record_id == row.record_id)
            .values(pending=pending, updated_at=now)
        )
        return bucket
