"""The evidence store: fetched articles, draft evidence records, curator decisions and their audit trail.

One :class:`Store` wraps one database (SQLite file or PostgreSQL, from ``GENELIT_DB_URL``).  Opening it
migrates the schema to head, so users never run Alembic.  What curators can rely on:

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
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.tables import (
    VERSION_TABLE,
    articles,
    audit_log,
    evidence_records,
    fetch_failures,
    scan_watermarks,
)
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from genelit.config import settings
from genelit.errors import InputError, StoreError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 8
MIN_ID_PREFIX = 6
IN_CHUNK = 500  # keeps IN (...) lists well under every backend's bound-parameter limit
# any constant works: it only has to be the same in every process migrating the same database
MIGRATION_LOCK_KEY = 0x67656E656C6974
RETIRED = "retired"

# Fields that belong to the review, not to the extraction; a re-run never changes them on a reviewed record.
REVIEW_FIELDS = frozenset({"status", "curator", "note", "created_at", "updated_at"})
# Which pipeline produced a record: a version bump alone is not a disagreement worth a curator's time.
PROVENANCE_FIELDS = frozenset({"pipeline_version", "lexicon_version"})
EDITABLE_FIELDS = frozenset(EvidenceRecord.model_fields) - REVIEW_FIELDS - PROVENANCE_FIELDS - {
    "record_id",
    "pmid",
}

T = TypeVar("T")


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


# ---------------------------------------------------------------------------------------------
# pure helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _unique(items: Iterable[str]) -> list[str]:
    """Strings in first-seen order without repeats (``dict`` keeps insertion order)."""
    return list(dict.fromkeys(str(i).strip() for i in items))


def _content(record_json: Mapping[str, Any], ignore: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in record_json.items() if k not in ignore}


def _same_extraction(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two extractions say the same thing about the paper, ignoring review and provenance."""
    ignore = REVIEW_FIELDS | PROVENANCE_FIELDS
    return _content(a, ignore) == _content(b, ignore)


def _differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    ignore = REVIEW_FIELDS | PROVENANCE_FIELDS
    return sorted(k for k in set(a) | set(b) if k not in ignore and a.get(k) != b.get(k))


def _one_line(exc: BaseException) -> str:
    """The first line of a driver error, without SQLAlchemy's statement dump and help link."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


def _is_transient(exc: SQLAlchemyError) -> bool:
    """Lock contention worth retrying the whole transaction for (SQLite busy, PostgreSQL deadlock)."""
    message = _one_line(exc).lower()
    return isinstance(exc, sa.exc.OperationalError) and any(
        s in message for s in ("database is locked", "database table is locked", "deadlock detected", "could not serialize")
    )


def _safe_url(url: str) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _record_row(record: EvidenceRecord, extracted: Mapping[str, Any], pending: Mapping[str, Any] | None,
                retired_at: datetime | None) -> dict[str, Any]:
    """Column values for one record: the whole record as JSON plus the indexed copies."""
    assert record.updated_at is not None
    return {
        "record_id": record.record_id,
        "pmid": record.pmid,
        "gene_symbol": record.gene_symbol,
        "hgnc_id": record.hgnc_id,
        "variant_key": record.variant_key,
        "status": record.status.value,
        "updated_at": record.updated_at,
        "retired_at": retired_at,
        "data": record.model_dump(mode="json"),
        "extracted": dict(extracted),
        "pending": dict(pending) if pending is not None else None,
    }


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


def alembic_config() -> AlembicConfig:
    """An Alembic configuration for the packaged migrations; no ``alembic.ini`` needed."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema version this code expects."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


# ---------------------------------------------------------------------------------------------
# engine


def _sqlite_engine(url: sa.URL) -> Engine:
    """A SQLite engine with WAL, a busy timeout, foreign keys, and explicit BEGIN control.

    pysqlite's own transaction handling is switched off (``isolation_level = None``) so that writes
    can start with ``BEGIN IMMEDIATE``: the write lock is then taken up front, and a second writer
    waits for it instead of failing with "database is locked" when upgrading a read lock.
    """
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    if in_memory:
        options.update(poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
    engine = sa.create_engine(url, **options)

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("genelit_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _create_engine(url_text: str) -> Engine:
    url = sa.make_url(url_text)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://")


# ---------------------------------------------------------------------------------------------


class Store:
    """Persistence for articles, evidence records, curator decisions and scan watermarks."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or settings().db_url
        try:
            self._engine = _create_engine(self.url)
            self._open()
        except StoreError:
            raise
        except (SQLAlchemyError, OSError, CommandError) as exc:
            raise StoreError(f"cannot open the evidence store at {_safe_url(self.url)}: {_one_line(exc)}") from None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_version(self) -> str | None:
        """The Alembic revision the database is at (``None`` before the first migration)."""
        with self._engine.connect() as conn:
            return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()

    def _open(self) -> None:
        """Migrate, retrying on lock contention: on a fresh SQLite file, two processes switching it to
        WAL (connect-time PRAGMA, which takes an exclusive lock and may skip the busy handler) or reading
        its schema version while the other creates it can meet "database is locked" outside ``_write``'s
        own retries."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self._migrate()
                return
            except sa.exc.OperationalError as exc:
                if not _is_transient(exc) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                self._engine.dispose()
                time.sleep(0.05 * 2**attempt)

    def _migrate(self) -> None:
        """Upgrade to head under a lock, so two processes opening a fresh database do not collide.

        SQLite: the upgrade runs inside ``BEGIN IMMEDIATE`` (one writer at a time) and Alembic
        re-reads the version inside it, so the second process finds the schema at head and does
        nothing.  PostgreSQL: a transaction-scoped advisory lock does the same.
        """
        head = head_revision()
        current = self.schema_version()
        if current == head:
            return
        known = {s.revision for s in _scripts().walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(
                f"the evidence store at {_safe_url(self.url)} has schema version {current}, newer than this "
                f"genelit ({head}); upgrade genelit"
            )

        def upgrade(conn: Connection) -> None:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

        self._write(upgrade)

    # -- transactions ----------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retrying the whole of it on lock contention."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._engine.connect() as conn:
                    conn.execution_options(genelit_write=True)
                    with conn.begin():
                        return work(conn)
            except SQLAlchemyError as exc:
                if _is_transient(exc) and attempt < WRITE_ATTEMPTS - 1:
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise StoreError(f"could not write to the evidence store: {_one_line(exc)}") from None
        raise AssertionError("unreachable")

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self._engine.connect() as conn, conn.begin():
                return work(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read the evidence store: {_one_line(exc)}") from None

    @staticmethod
    def _insert(conn: Connection, table: sa.Table) -> Any:
        """A dialect INSERT that supports ``ON CONFLICT`` (SQLite and PostgreSQL share the syntax)."""
        return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)

    # -- articles (the fetch cache) --------------------------------------------------------

    def cached_pmids(self, pmids: Iterable[str]) -> set[str]:
        """Which of ``pmids`` are already stored, so a run fetches only the others."""
        wanted = _unique(pmids)

        def work(conn: Connection) -> set[str]:
            found: set[str] = set()
            for chunk in _chunks(wanted):
                found.update(conn.scalars(sa.select(articles.c.pmid).where(articles.c.pmid.in_(chunk))))
            return found

        return self._read(work)

    def load_articles(self, pmids: Iterable[str]) -> list[Article]:
        """Stored articles in the order asked for; PMIDs not in the cache are skipped."""
        wanted = _unique(pmids)

        def work(conn: Connection) -> dict[str, Article]:
            found: dict[str, Article] = {}
            for chunk in _chunks(wanted):
                rows = conn.execute(sa.select(articles.c.pmid, articles.c.data).where(articles.c.pmid.in_(chunk)))
                found.update((pmid, Article.model_validate(data)) for pmid, data in rows)
            return found

        found = self._read(work)
        return [found[p] for p in wanted if p in found]

    def save_articles(self, items: Iterable[Article]) -> int:
        """Insert or replace articles in one transaction; a saved PMID is no longer a fetch failure."""
        now = _now()
        rows = list({a.pmid: {"pmid": a.pmid, "data": a.model_dump(mode="json"), "fetched_at": now} for a in items}.values())
        if not rows:
            return 0

        def work(conn: Connection) -> int:
            stmt = self._insert(conn, articles)
            stmt = stmt.on_conflict_do_update(
                index_elements=[articles.c.pmid],
                set_={"data": stmt.excluded.data, "fetched_at": stmt.excluded.fetched_at},
            )
            conn.execute(stmt, rows)
            for chunk in _chunks([r["pmid"] for r in rows]):
                conn.execute(sa.delete(fetch_failures).where(fetch_failures.c.pmid.in_(chunk)))
            return len(rows)

        return self._write(work)

    def record_fetch_failures(self, failures: Mapping[str, str]) -> None:
        """Remember PMIDs that could not be fetched (reason, attempt count, last attempt time)."""
        if not failures:
            return
        now = _now()
        rows = [{"pmid": p, "reason": r, "attempts": 1, "last_attempt_at": now} for p, r in failures.items()]

        def work(conn: Connection) -> None:
            stmt = self._insert(conn, fetch_failures)
            stmt = stmt.on_conflict_do_update(
                index_elements=[fetch_failures.c.pmid],
                set_={
                    "reason": stmt.excluded.reason,
                    "attempts": fetch_failures.c.attempts + 1,
                    "last_attempt_at": stmt.excluded.last_attempt_at,
                },
            )
            conn.execute(stmt, rows)

        self._write(work)

    def clear_fetch_failures(self, pmids: Iterable[str]) -> None:
        wanted = _unique(pmids)

        def work(conn: Connection) -> None:
            for chunk in _chunks(wanted):
                conn.execute(sa.delete(fetch_failures).where(fetch_failures.c.pmid.in_(chunk)))

        self._write(work)

    def fetch_failures(self) -> dict[str, str]:
        """PMID -> reason of the last failed fetch, for PMIDs not fetched since."""
        rows = self._read(lambda conn: conn.execute(sa.select(fetch_failures.c.pmid, fetch_failures.c.reason)).all())
        return dict(sorted((pmid, reason) for pmid, reason in rows))

    # -- evidence records ------------------------------------------------------------------

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
    def _locked_row(conn: Connection, record_id: str) -> sa.Row[Any]:
        return conn.execute(
            sa.select(evidence_records).where(evidence_records.c.record_id == record_id).with_for_update()
        ).one()

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

    def list_records(
        self, gene: str | None = None, status: str | None = None, pmid: str | None = None
    ) -> list[EvidenceRecord]:
        """Records matching all given filters, ordered by PMID, gene and variant.

        ``gene`` matches the symbol case-insensitively, or the HGNC id (``HGNC:5464``).  Retired drafts
        are left out unless ``status="retired"``.
        """
        query = sa.select(evidence_records.c.data)
        if gene:
            gene = gene.strip()
            query = query.where(
                evidence_records.c.hgnc_id == gene.upper()
                if gene.upper().startswith("HGNC:")
                else sa.func.upper(evidence_records.c.gene_symbol) == gene.upper()
            )
        if status == RETIRED:
            query = query.where(evidence_records.c.retired_at.is_not(None))
        else:
            query = query.where(evidence_records.c.retired_at.is_(None))
            if status:
                valid = [s.value for s in RecordStatus]
                if status not in valid:
                    raise InputError(f"unknown status {status!r}; use one of {', '.join(valid + [RETIRED])}")
                query = query.where(evidence_records.c.status == status)
        if pmid:
            query = query.where(evidence_records.c.pmid == str(pmid).strip())
        query = query.order_by(
            evidence_records.c.pmid, evidence_records.c.gene_symbol, evidence_records.c.variant_key,
            evidence_records.c.record_id,
        )
        return [EvidenceRecord.model_validate(d) for d in self._read(lambda conn: conn.scalars(query).all())]

    def records_with_updates(self) -> set[str]:
        """Ids of reviewed records for which a newer, disagreeing extraction is pending."""
        query = sa.select(evidence_records.c.record_id).where(evidence_records.c.pending.is_not(None))
        return set(self._read(lambda conn: conn.scalars(query).all()))

    @staticmethod
    def _resolve(conn: Connection, record_id: str, *, lock: bool = False) -> sa.Row[Any]:
        """The row for a full record id or a unique prefix of at least six characters."""
        record_id = record_id.strip().lower()
        query = sa.select(evidence_records)
        if len(record_id) < MIN_ID_PREFIX:
            raise InputError(f"record id {record_id!r} is too short: give at least {MIN_ID_PREFIX} characters")
        exact = conn.execute(query.where(evidence_records.c.record_id == record_id)).first()
        if exact is None:
            matches = conn.execute(
                query.where(evidence_records.c.record_id.startswith(record_id, autoescape=True)).limit(5)
            ).all()
            if not matches:
                raise InputError(f"no evidence record with id {record_id!r} (see `genelit review list`)")
            if len(matches) > 1:
                raise InputError(
                    f"record id {record_id!r} is ambiguous: matches {', '.join(m.record_id for m in matches)}"
                )
            exact = matches[0]
        return Store._locked_row(conn, exact.record_id) if lock else exact

    def get_record(self, record_id: str) -> EvidenceRecord:
        """The record with this id (or unique id prefix of >= 6 characters); InputError if none."""
        return EvidenceRecord.model_validate(self._read(lambda conn: self._resolve(conn, record_id)).data)

    def pending_extraction(self, record_id: str) -> EvidenceRecord | None:
        """The newer extraction that disagrees with what the curator reviewed, if there is one."""
        pending = self._read(lambda conn: self._resolve(conn, record_id)).pending
        return EvidenceRecord.model_validate(pending) if pending is not None else None

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
        self, record_id: str, decision: Literal["accept", "reject"], curator: str, note: str | None = None
    ) -> EvidenceRecord:
        """Accept or reject a record.  A pending update is considered seen and is dismissed."""
        if decision not in ("accept", "reject"):
            raise InputError(f"decision must be accept or reject, not {decision!r}")
        curator = _checked_curator(curator)

        def work(conn: Connection) -> EvidenceRecord:
            row = self._resolve(conn, record_id, lock=True)
            current = EvidenceRecord.model_validate(row.data)
            return self._apply(conn, row, current, decision, curator, note, "review", _now())

        return self._write(work)

    def edit(
        self, record_id: str, changes: Mapping[str, Any], curator: str, note: str | None = None
    ) -> EvidenceRecord:
        """Change fields of a record (status becomes ``edited``); values are checked like the model's."""
        curator = _checked_curator(curator)

        def work(conn: Connection) -> EvidenceRecord:
            row = self._resolve(conn, record_id, lock=True)
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

    # -- scan watermarks -------------------------------------------------------------------

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


def _checked_curator(curator: str) -> str:
    curator = (curator or "").strip()
    if not curator:
        raise InputError("a curator name is required (use --curator or set GENELIT_CURATOR)")
    return curator
