"""The store's database engine, transactions and schema migrations: what every other part stands on.

:class:`StoreEngine` opens one database (SQLite file or PostgreSQL), migrates it to the packaged Alembic
head under a lock, and runs work in read or write transactions -- writes retried as a whole on lock
contention.  The article cache, drafts, review and watermarks (the other modules of this package) only
say what to read or write; how a transaction starts, retries and fails is decided here, once.

The small helpers (``_now``, ``_chunks``, ``_unique``) are shared by the modules of this package only.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from genelit.models.tables import VERSION_TABLE
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from genelit.config import default_data_dir, printable_db_url
from genelit.errors import RecordRejected, StoreError

MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 8
IN_CHUNK = 500  # keeps IN (...) lists well under every backend's bound-parameter limit
# any constant works: it only has to be the same in every process migrating the same database
MIGRATION_LOCK_KEY = 0x67656E656C6974

T = TypeVar("T")


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


def _check_sqlite_file(path: Path, create: bool) -> None:
    """Refuse to open a SQLite store that is not there, unless asked to create it; never make folders.

    A read-only command on a store that does not exist would otherwise create an empty one and report
    "nothing found", and a mistyped path in ``GENELIT_DB_URL`` would silently grow folders.  The one folder
    made here is the per-user data directory that holds the default store.
    """
    if path.is_file():
        return
    if path.exists():
        raise StoreError(f"the evidence store {path} is a folder, not a SQLite file: check GENELIT_DB_URL")
    if not create:
        raise StoreError(
            f"there is no evidence store at {path}: check GENELIT_DB_URL, or create the store with a first "
            "`genelit run`, `gene`, `scan` or `demo`"
        )
    if path.parent.is_dir():
        return
    if path.parent.resolve() == default_data_dir().resolve():
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    raise StoreError(
        f"cannot create the evidence store {path}: the folder {path.parent} does not exist "
        "(check GENELIT_DB_URL, or create the folder first)"
    )


def _sqlite_engine(url: sa.URL, create: bool) -> Engine:
    """A SQLite engine with WAL, a busy timeout, foreign keys, and explicit BEGIN control.

    pysqlite's own transaction handling is switched off (``isolation_level = None``) so that writes
    can start with ``BEGIN IMMEDIATE``: the write lock is then taken up front, and a second writer
    waits for it instead of failing with "database is locked" when upgrading a read lock.
    """
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory:
        _check_sqlite_file(Path(url.database), create)
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


def _create_engine(url_text: str, create: bool) -> Engine:
    url = sa.make_url(url_text)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create)
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://")


# ---------------------------------------------------------------------------------------------


class StoreEngine:
    """One open, migrated database and the transactions the rest of the store runs its work in.

    ``url`` is a SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``); the caller takes it
    from its settings (``GENELIT_DB_URL``), so the store never reads configuration itself.  ``create``
    says whether a SQLite store that does not exist yet may be created (runs: yes; commands that only
    read or review what is stored: no, they say the store does not exist).  Folders are never created,
    except the per-user data directory of the default store.
    """

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        try:
            self._engine = _create_engine(self.url, create)
            self._open()
        except StoreError:
            raise
        except (SQLAlchemyError, OSError, CommandError) as exc:
            raise StoreError(f"cannot open the evidence store at {printable_db_url(self.url)}: {_one_line(exc)}") from None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
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
                f"the evidence store at {printable_db_url(self.url)} has schema version {current}, newer than this "
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
                if isinstance(exc, sa.exc.DataError):  # this write's values, not the store
                    raise RecordRejected(f"the store refused a value: {_one_line(exc)}") from None
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
