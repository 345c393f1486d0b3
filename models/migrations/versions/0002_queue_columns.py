"""Review-queue columns: each record's confidence and role beside its JSON, and one index holding every
column the review queue filters, sorts and counts on, so the review app pages through 10,000+ records
reading the index instead of every record's JSON (see models.store.queue).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BACKFILL = {
    "sqlite": "UPDATE evidence_records SET confidence = json_extract(data, '$.confidence'), "
              "role = json_extract(data, '$.role')",
    "postgresql": "UPDATE evidence_records SET confidence = (data->>'confidence')::double precision, "
                  "role = data->>'role'",
}


def upgrade() -> None:
    op.add_column("evidence_records", sa.Column("confidence", sa.Float(), nullable=True))
    op.add_column("evidence_records", sa.Column("role", sa.String(16), nullable=True))
    op.execute(_BACKFILL[op.get_bind().dialect.name])
    op.create_index("ix_evidence_records_queue", "evidence_records", [
        "retired_at", "status", "gene_symbol", "pmid", "variant_key", "hgnc_id", "confidence", "role", "updated_at",
        "record_id",
    ])


def downgrade() -> None:
    op.drop_index("ix_evidence_records_queue", "evidence_records")
    op.drop_column("evidence_records", "role")
    op.drop_column("evidence_records", "confidence")
