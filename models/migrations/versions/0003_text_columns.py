"""Text columns for values whose length real data decides: gene symbols, HGNC ids, variant keys, curators.

A 75-character gene_symbol from a real abstract stopped a PostgreSQL run at ``varchar(64)``, while SQLite
stored it (SQLite never enforces declared lengths).  PostgreSQL columns become TEXT; SQLite keeps its
declarations, which change nothing there (rewriting them would mean recreating tables, and dropping
evidence_records cascades into the audit log).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (table, column, the type 0001 declared)
WIDENED = (
    ("evidence_records", "gene_symbol", sa.String(64)),
    ("evidence_records", "hgnc_id", sa.String(32)),
    ("evidence_records", "variant_key", sa.String(255)),
    ("audit_log", "curator", sa.String(128)),
    ("scan_watermarks", "gene", sa.String(64)),
)


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column, old in WIDENED:
        op.alter_column(table, column, type_=sa.Text(), existing_type=old)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column, old in WIDENED:
        op.alter_column(table, column, type_=old, existing_type=sa.Text())
