"""The review queue: one page of evidence records, filtered, sorted and counted in SQL.

:meth:`Store.list_records` validates every matching record into an :class:`EvidenceRecord`, which takes
over a second at 10,000 records; a queue shows 50 at a time.  Here the database filters, sorts, counts
and cuts the page on indexed columns (confidence and role are copied out of the record's JSON for that,
migration 0002), and only the page's rows are validated.

Each row also carries the record's *version* (the row's ``updated_at``, which every write to the row
moves: a curator's decision, a newer extraction of a draft, a pending update, retirement), for the
optimistic check of :meth:`Store.review` / :meth:`Store.edit`, and whether a newer, disagreeing
extraction is pending.  :class:`RecordQuery`, :class:`QueueRow` and :class:`RecordPage` are the values
exchanged with callers (the review web app).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.store.engine import StoreEngine
from genelit.models.tables import evidence_records
from sqlalchemy.engine import Connection

from genelit.errors import InputError

RETIRED = "retired"
ROLES = ("case", "reported", "population", "experimental", "other")  # EvidenceRecord.role (issue #8)
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
TOP_GENES = 30  # genes listed with their counts; the rest are reached through the gene filter

_t = evidence_records.c
_CONFIDENCE = _t.confidence
_ROLE = _t.role
# sort key -> columns, every order ending in the record id so pages never overlap
SORTS: dict[str, tuple[Any, ...]] = {
    "pmid": (_t.pmid, _t.gene_symbol, _t.variant_key),
    "gene": (_t.gene_symbol, _t.pmid, _t.variant_key),
    "status": (_t.status, _t.pmid, _t.gene_symbol),
    "confidence": (_CONFIDENCE, _t.pmid, _t.gene_symbol),
    "updated": (_t.updated_at, _t.pmid),
}


def queue_role(record: EvidenceRecord) -> str | None:
    """The record's role (case, reported, ...) as stored in the ``role`` column; ``None`` until
    :class:`EvidenceRecord` has the field (issue #8)."""
    role = getattr(record, "role", None)
    return None if role is None else str(getattr(role, "value", role))


@dataclass(frozen=True)
class RecordQuery:
    """Which records a queue shows, in which order, which page.  ``gene`` is a symbol (any case) or an
    HGNC id, as for :meth:`Store.list_records`; ``status="retired"`` lists retired drafts."""

    gene: str | None = None
    status: str | None = None
    pmid: str | None = None
    role: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    updates_only: bool = False
    sort: str = "pmid"
    descending: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def __post_init__(self) -> None:
        valid = [s.value for s in RecordStatus] + [RETIRED]
        if self.status and self.status not in valid:
            raise InputError(f"unknown status {self.status!r}; use one of {', '.join(valid)}")
        if self.role and self.role not in ROLES:
            raise InputError(f"unknown role {self.role!r}; use one of {', '.join(ROLES)}")
        if self.sort not in SORTS:
            raise InputError(f"cannot sort by {self.sort!r}; use one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InputError(f"page must be ≥ 1 and per_page 1-{MAX_PER_PAGE}")
        for bound in (self.min_confidence, self.max_confidence):
            if bound is not None and not 0 <= bound <= 1:
                raise InputError("confidence bounds must lie between 0 and 1")


@dataclass(frozen=True)
class QueueRow:
    record: EvidenceRecord
    version: datetime
    has_update: bool


@dataclass(frozen=True)
class RecordPage:
    """One page, the number of records matching, and counts to steer by.

    ``status_counts`` and ``gene_counts`` cover the records matching every filter except gene and
    status (what choosing a gene or status would show); ``gene_counts`` lists the :data:`TOP_GENES`
    largest genes as ``(symbol, {status: count})``, ``genes`` counts them all.
    """

    rows: list[QueueRow]
    total: int
    query: RecordQuery
    status_counts: dict[str, int] = field(default_factory=dict)
    gene_counts: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    genes: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _scope(query: RecordQuery) -> list[Any]:
    """Conditions of the filters that are not gene or status."""
    conditions: list[Any] = []
    if query.pmid:
        conditions.append(_t.pmid == query.pmid.strip())
    if query.role:
        conditions.append(_ROLE == query.role)
    if query.min_confidence is not None:
        conditions.append(_CONFIDENCE >= query.min_confidence)
    if query.max_confidence is not None:
        conditions.append(_CONFIDENCE <= query.max_confidence)
    if query.updates_only:
        conditions.append(_t.pending.is_not(None))
    return conditions


def _gene_status(query: RecordQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.gene:
        gene = query.gene.strip().upper()
        conditions.append(_t.hgnc_id == gene if gene.startswith("HGNC:") else sa.func.upper(_t.gene_symbol) == gene)
    if query.status == RETIRED:
        conditions.append(_t.retired_at.is_not(None))
    else:
        conditions.append(_t.retired_at.is_(None))
        if query.status:
            conditions.append(_t.status == query.status)
    return conditions


def _counts(conn: Connection, scope: list[Any]) -> tuple[dict[str, int], list[tuple[str, dict[str, int]]], int]:
    rows = conn.execute(
        sa.select(_t.gene_symbol, _t.status, sa.func.count())
        .where(_t.retired_at.is_(None), *scope).group_by(_t.gene_symbol, _t.status)
    ).all()
    statuses: dict[str, int] = {}
    genes: dict[str, dict[str, int]] = {}
    for gene, status, count in rows:
        statuses[status] = statuses.get(status, 0) + count
        genes.setdefault(gene, {})[status] = count
    retired = conn.scalar(sa.select(sa.func.count()).select_from(evidence_records)
                          .where(_t.retired_at.is_not(None), *scope)) or 0
    if retired:
        statuses[RETIRED] = retired
    ranked = sorted(genes.items(), key=lambda g: (-sum(g[1].values()), g[0]))
    return statuses, ranked[:TOP_GENES], len(genes)


def record_page(conn: Connection, query: RecordQuery, with_counts: bool = True) -> RecordPage:
    """The page ``query`` asks for (see :class:`RecordPage`).

    The page's ids are chosen on the index first and only their rows read: sorting whole rows would
    carry every record's JSON through the sort.
    """
    scope = _scope(query)
    where = scope + _gene_status(query)
    total = conn.scalar(sa.select(sa.func.count()).select_from(evidence_records).where(*where)) or 0
    order = [c.desc() if query.descending else c.asc() for c in SORTS[query.sort]] + [_t.record_id]
    ids = list(conn.scalars(
        sa.select(_t.record_id).where(*where).order_by(*order)
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
    ))
    found = {
        r.record_id: r
        for r in conn.execute(
            sa.select(_t.record_id, _t.data, _t.updated_at, _t.pending.is_not(None).label("has_update"))
            .where(_t.record_id.in_(ids))
        )
    } if ids else {}
    page_rows = [QueueRow(EvidenceRecord.model_validate(found[i].data), found[i].updated_at,
                          bool(found[i].has_update)) for i in ids]
    if not with_counts:
        return RecordPage(page_rows, total, query)
    statuses, genes, gene_total = _counts(conn, scope)
    return RecordPage(page_rows, total, query, statuses, genes, gene_total)


class ReviewQueue(StoreEngine):
    """Pages of records for a review queue."""

    def record_page(self, query: RecordQuery, with_counts: bool = True) -> RecordPage:
        """One page of a review queue, filtered, sorted and counted in SQL (see :func:`record_page`)."""
        return self._read(lambda conn: record_page(conn, query, with_counts))
