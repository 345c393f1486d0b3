"""The SQL schema of the evidence store (SQLAlchemy Core), as the latest migration leaves it.

The schema is owned by the Alembic migrations in :mod:`models.migrations`; this module mirrors the
result so queries can be written against typed ``Table`` objects.  ``tests/test_store.py`` checks
that the two agree, so a column added here without a migration fails the tests.

Every evidence record is kept whole as JSON (``data``: what the curator sees, including their edits)
next to indexed copies of the fields curators filter on.  ``extracted`` holds the machine extraction
the current record derives from, so a re-run is compared with what the pipeline said before, not
with the curator's edits; ``pending`` holds a newer extraction that disagrees with a reviewed record.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

# Alembic's bookkeeping table; named for genelit so a shared PostgreSQL database can host other apps.
VERSION_TABLE = "genelit_alembic_version"

# Python ``None`` is stored as SQL NULL (not JSON ``null``) so "IS NULL" filters mean "absent".
JSONColumn = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no timezone type, so values come back naive; attaching UTC on the way out keeps
    comparisons and ISO output identical on SQLite and PostgreSQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("pmid", sa.String(16), primary_key=True),
    sa.Column("data", JSONColumn, nullable=False),
    sa.Column("fetched_at", UTCDateTime(), nullable=False),
)

fetch_failures = sa.Table(
    "fetch_failures",
    metadata,
    sa.Column("pmid", sa.String(16), primary_key=True),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("last_attempt_at", UTCDateTime(), nullable=False),
)

def free_length(sqlite_declared: int) -> sa.types.TypeEngine:
    """TEXT on PostgreSQL, for values whose length real data decides (a gene symbol of 75 characters
    once stopped a run at varchar(64)); on SQLite, which never enforces a declared length, the
    ``VARCHAR(n)`` of the first migration stays (see migration 0003_text_columns)."""
    return sa.Text().with_variant(sa.String(sqlite_declared), "sqlite")


evidence_records = sa.Table(
    "evidence_records",
    metadata,
    sa.Column("record_id", sa.String(32), primary_key=True),
    sa.Column("pmid", sa.String(16), nullable=False, index=True),
    sa.Column("gene_symbol", free_length(64), nullable=False, index=True),
    sa.Column("hgnc_id", free_length(32), nullable=True),
    sa.Column("variant_key", free_length(255), nullable=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("retired_at", UTCDateTime(), nullable=True),
    sa.Column("data", JSONColumn, nullable=False),
    sa.Column("extracted", JSONColumn, nullable=False),
    sa.Column("pending", JSONColumn, nullable=True),
    # copies of two JSON fields the review queue filters and sorts on (models.store.queue)
    sa.Column("confidence", sa.Float(), nullable=True),
    sa.Column("role", sa.String(16), nullable=True),
    # every column a queue filters, sorts or counts on: its queries read this index, not the large rows
    sa.Index("ix_evidence_records_queue", "retired_at", "status", "gene_symbol", "pmid", "variant_key", "hgnc_id",
             "confidence", "role", "updated_at", "record_id"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column(
        "record_id",
        sa.String(32),
        sa.ForeignKey("evidence_records.record_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("curator", free_length(128), nullable=False),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("via", sa.String(16), nullable=False),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("before", JSONColumn, nullable=True),
    sa.Column("after", JSONColumn, nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
)

scan_watermarks = sa.Table(
    "scan_watermarks",
    metadata,
    sa.Column("gene", free_length(64), primary_key=True),
    sa.Column("value", sa.Date(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)
