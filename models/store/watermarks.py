"""Scan watermarks: per gene, the Entrez date up to which the watchlist scan has completed.

The incremental scan (:mod:`flows.scan_steps`) reads a gene's watermark to choose its search window and
advances it only when the gene's scan succeeded.  One small table, independent of articles and records.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from genelit.models.store.engine import StoreEngine, _now
from genelit.models.tables import scan_watermarks
from sqlalchemy.engine import Connection


class ScanWatermarks(StoreEngine):
    """Get and set the watermark of a gene (keyed by what the scan passes, its HGNC id)."""

    def get_watermark(self, gene: str) -> date | None:
        """The publication date up to which the watchlist scan for ``gene`` has run."""
        query = sa.select(scan_watermarks.c.value).where(scan_watermarks.c.gene == gene.strip())
        return self._read(lambda conn: conn.scalar(query))

    def set_watermark(self, gene: str, value: date) -> None:
        def work(conn: Connection) -> None:
            stmt = self._insert(conn, scan_watermarks).values(gene=gene.strip(), value=value, updated_at=_now())
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[scan_watermarks.c.gene],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                )
            )

        self._write(work)
