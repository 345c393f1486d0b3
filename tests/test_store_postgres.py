"""The whole store suite and the multi-process checks, against a real PostgreSQL server.

Each test runs in a fresh schema (``search_path`` set through the connection URL) that is dropped
afterwards, so tests never see each other's tables or anyone else's.  Override the server with
``GENELIT_TEST_PG_URL``; tests are skipped, saying why, only if it cannot be reached.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from test_store import *  # noqa: F401,F403  (re-collects the SQLite suite; store_url is overridden below)
from test_store_concurrency import (
    check_concurrent_migration,
    check_concurrent_writers,
    check_review_during_rerun,
)

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("GENELIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def store_url() -> Iterator[str]:  # noqa: F811  (replaces the SQLite fixture for every imported test)
    admin = sa.create_engine(PG_URL)
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {str(exc.orig).splitlines()[0]}")
    schema = f"genelit_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_tables_live_in_the_test_schema(store_url: str) -> None:
    from genelit.models.store import Store

    with Store(store_url) as store, store._engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
        assert schema.startswith("genelit_test_")
        tables = set(sa.inspect(conn).get_table_names(schema=schema))
    assert {"evidence_records", "audit_log", "articles", "genelit_alembic_version"} <= tables


@pytest.mark.slow
def test_two_processes_migrating_a_fresh_postgres_schema(store_url: str) -> None:
    check_concurrent_migration(store_url)


@pytest.mark.slow
def test_two_writer_processes_on_postgres(store_url: str) -> None:
    check_concurrent_writers(store_url)


@pytest.mark.slow
def test_a_review_during_a_concurrent_rerun_is_not_lost_on_postgres(store_url: str) -> None:
    check_review_during_rerun(store_url)


def test_a_paper_whose_records_postgres_refuses_is_reported_and_the_others_are_stored(store_url: str) -> None:
    """A NUL character, which PostgreSQL text cannot hold, refuses that paper only (RecordRejected)."""
    from genelit.flows.steps import persist_step
    from genelit.models.store import Store
    from test_store import make_record

    from genelit.config import load_settings

    bad = make_record("2").model_copy(update={"title": "IGF1 \x00 deficiency"})
    summary = persist_step({"1": [make_record("1")], "2": [bad], "3": [make_record("3")]}, load_settings(db_url=store_url))
    assert list(summary.not_stored) == ["2"] and "refused" in summary.not_stored["2"]
    assert summary.records_created == 2 and not summary.ok
    with Store(store_url) as store:
        assert sorted(r.pmid for r in store.list_records()) == ["1", "3"]
