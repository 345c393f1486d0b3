"""Initial schema: article cache, fetch failures, evidence records, audit log, scan watermarks.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from genelit.models.tables import JSONColumn, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pmid", sa.String(16), primary_key=True),
        sa.Column("data", JSONColumn, nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "fetch_failures",
        sa.Column("pmid", sa.String(16), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "evidence_records",
        sa.Column("record_id", sa.String(32), primary_key=True),
        sa.Column("pmid", sa.String(16), nullable=False),
        sa.Column("gene_symbol", sa.String(64), nullable=False),
        sa.Column("hgnc_id", sa.String(32), nullable=True),
        sa.Column("variant_key", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.Column("data", JSONColumn, nullable=False),
        sa.Column("extracted", JSONColumn, nullable=False),
        sa.Column("pending", JSONColumn, nullable=True),
    )
    op.create_index("ix_evidence_records_pmid", "evidence_records", ["pmid"])
    op.create_index("ix_evidence_records_gene_symbol", "evidence_records", ["gene_symbol"])
    op.create_index("ix_evidence_records_status", "evidence_records", ["status"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "record_id",
            sa.String(32),
            sa.ForeignKey("evidence_records.record_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("curator", sa.String(128), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("before", JSONColumn, nullable=True),
        sa.Column("after", JSONColumn, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_audit_log_record_id", "audit_log", ["record_id"])
    op.create_table(
        "scan_watermarks",
        sa.Column("gene", sa.String(64), primary_key=True),
        sa.Column("value", sa.Date(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scan_watermarks")
    op.drop_table("audit_log")
    op.drop_table("evidence_records")
    op.drop_table("fetch_failures")
    op.drop_table("articles")
