"""The evidence store: fetched articles, draft evidence records, curator decisions and their audit trail.

One :class:`Store` wraps one database (SQLite file or PostgreSQL, from the URL its caller passes: the CLI
and the flows pass ``GENELIT_DB_URL``).  Opening it migrates the schema to head, so users never run
Alembic.  What curators can rely on:

* A re-run of extraction never overwrites a curator's work.  Records are keyed by the deterministic
  :meth:`EvidenceRecord.make_id`; a *draft* is replaced by the new extraction, but an accepted,
  rejected or edited record keeps its status, edits, curator and note.  When the new extraction
  disagrees with the extraction the curator reviewed, it is kept alongside as a *pending update*
  (:meth:`Store.pending_extraction`) and ``review list``/``show`` flag it.
* Drafts that a newer extraction of the same PMID no longer produces are *retired*, not deleted: they
  disappear from :meth:`Store.list_records` (ask for ``status="retired"`` to see them) and come back if
  a later run produces them again.  Reviewed records are never retired or deleted.
* Every decision (accept, reject, edit, spreadsheet import) writes one audit row per changed field.

Concurrency: every write is one transaction.  On SQLite it starts with ``BEGIN IMMEDIATE`` (writers
queue on the busy timeout instead of failing half-way) and is retried as a whole if the database is
still locked; on PostgreSQL the rows a write reads are locked with ``SELECT ... FOR UPDATE`` so a
curator's review and a concurrent re-run are applied one after the other, never one over the other.

:class:`Store` is this package's public API; it is assembled from one part per concern:

* :mod:`models.store.engine`     — engine, SQLite pragmas, transactions and retries, Alembic migrations;
* :mod:`models.store.articles`   — the article cache and fetch failures;
* :mod:`models.store.records`    — the evidence-records table: row layout, lookup, listing;
* :mod:`models.store.drafts`     — upserting a paper's latest extraction as drafts;
* :mod:`models.store.curation`   — curator decisions and the audit trail;
* :mod:`models.store.queue`      — pages of records for the review queue (filtered, sorted, counted in SQL);
* :mod:`models.store.watermarks` — watchlist scan watermarks.

The values it exchanges with callers (:class:`~models.review.Decision`, :class:`~models.review.AuditEntry`,
:class:`~models.review.UpsertSummary`) are plain dataclasses in :mod:`models.review`.
"""
from __future__ import annotations

from genelit.models.store.articles import ArticleCache
from genelit.models.store.curation import Curation
from genelit.models.store.drafts import DraftRecords
from genelit.models.store.queue import ReviewQueue
from genelit.models.store.watermarks import ScanWatermarks


class Store(ArticleCache, DraftRecords, Curation, ReviewQueue, ScanWatermarks):
    """Persistence for articles, evidence records, curator decisions and scan watermarks.

    ``Store(url)`` opens (and migrates) the database at the SQLAlchemy ``url``.
    """


__all__ = ["Store"]
