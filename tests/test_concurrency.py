"""Two ``genelit run`` processes on one store at once, and a curator reviewing during a re-run.

The acceptance scenario: five injected faults, two concurrent runs over overlapping halves of 100
abstracts on one SQLite store; afterwards every abstract's records are present exactly once, equal to
a clean single run's.  The same on PostgreSQL, and a curator's ``review accept`` while a re-run writes
drafts must not be lost.
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_harness import (
    assert_clean_stderr,
    assert_records_match_reference,
    biored_pool,
    cli_env,
    genelit,
    sqlite_integrity,
    sqlite_url,
    start_genelit,
    stored_article_pmids,
    stored_records,
)
from genelit.flows.replay import Fault, ReplayServer

POOL = biored_pool(100)
PMIDS = list(POOL)
FIRST, SECOND = PMIDS[:65], PMIDS[35:]  # overlapping by 30
FIVE_FAULTS = [
    Fault.http_error(429, times=1),
    Fault.http_error(503, times=1),
    Fault.reset(times=1),
    Fault.truncated(times=1),
    Fault.error_body(times=1),
]
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run_two_at_once(server: ReplayServer, db_url: str, tmp: Path, pmid_sets: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start one ``genelit run`` per PMID set at the same time; (exit code, stdout, stderr) of each."""
    env = cli_env(server, db_url, tmp, GENELIT_BATCH_SIZE="10")
    processes = [
        start_genelit(["run", "--pmids", ",".join(pmids), "--chunk-size", "20"], env, tmp, f"run{i}")
        for i, pmids in enumerate(pmid_sets)
    ]
    results = []
    for i, process in enumerate(processes):
        try:
            code = process.wait(timeout=400)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        results.append((code, (tmp / f"run{i}.out").read_text(), (tmp / f"run{i}.err").read_text()))
    return results


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("concurrent")
    path = tmp / "genelit.db"
    with ReplayServer(pool=POOL, faults=FIVE_FAULTS) as server:
        results = run_two_at_once(server, sqlite_url(path), tmp, [FIRST, SECOND])
        injected = [r.fault for r in server.requests_to("efetch") if r.fault]
    return {"tmp": tmp, "path": path, "url": sqlite_url(path), "results": results, "injected": injected}


@pytest.mark.slow
def test_two_runs_with_five_faults_on_one_sqlite_store_keep_every_record_exactly_once(sqlite_store: dict) -> None:
    assert sorted(sqlite_store["injected"]) == sorted(f.kind for f in FIVE_FAULTS)
    for code, stdout, stderr in sqlite_store["results"]:
        assert_clean_stderr(stderr)
        assert "database is locked" not in stderr + stdout
        assert code == 0, stderr[-3000:]
    articles = stored_article_pmids(sqlite_store["url"])
    assert sorted(articles) == sorted(PMIDS)
    assert_records_match_reference(sqlite_store["url"], PMIDS)
    assert sqlite_integrity(sqlite_store["path"]) == "ok"


@pytest.mark.slow
def test_curator_decisions_made_during_a_rerun_are_not_lost(sqlite_store: dict) -> None:
    """Accept records one after another while a re-run (different pipeline settings) rewrites drafts."""
    url, tmp = sqlite_store["url"], sqlite_store["tmp"]
    records = stored_records(url)
    # records from papers spread over the run, so decisions land before, during and after their chunk
    with_records = [p for p in PMIDS if p in records]
    targets = [records[with_records[i]][0] for i in (1, len(with_records) // 2, -1)]
    assert len(set(targets)) == 3
    with ReplayServer(pool=POOL) as server:
        env = cli_env(server, url, tmp, GENELIT_TRAINED_NER="false")
        rerun = start_genelit(["run", "--pmids", ",".join(PMIDS), "--chunk-size", "10"], env, tmp, "rerun")
        decisions = []
        for record_id in targets:
            time.sleep(2.0)
            decisions.append(genelit(["review", "accept", record_id, "--curator", "J. Doe", "--note", "checked"], env))
        code = rerun.wait(timeout=400)
    stderr = (tmp / "rerun.err").read_text()
    assert code == 0, stderr[-3000:]
    assert_clean_stderr(stderr)
    for decision in decisions:
        assert decision.returncode == 0, decision.stderr
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT record_id, status, data FROM evidence_records WHERE record_id IN (:a, :b, :c)"),
            dict(zip("abc", targets)),
        ).all()
        audited = conn.execute(
            sa.text("SELECT count(DISTINCT record_id) FROM audit_log WHERE curator = 'J. Doe' AND action = 'accept'")
        ).scalar_one()
    engine.dispose()
    assert {r.record_id: r.status for r in rows} == dict.fromkeys(targets, "accepted")
    assert all(json.loads(r.data)["curator"] == "J. Doe" for r in rows)
    assert audited == 3
    assert sqlite_integrity(sqlite_store["path"]) == "ok"


# -- PostgreSQL ---------------------------------------------------------------------------------------


def _start_postgres_if_down() -> None:
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0:
        return
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], capture_output=True, timeout=60
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database on the local server, dropped afterwards."""
    try:
        _start_postgres_if_down()
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        name = f"genelit_concurrency_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name is ours: hex digits only
    except (sa.exc.OperationalError, OSError) as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_runs_with_five_faults_on_one_postgres_store_keep_every_record_exactly_once(
    postgres_url: str, tmp_path: Path
) -> None:
    """The SQLite check on PostgreSQL: 100 BioRED abstracts, five faults, two overlapping runs."""
    with ReplayServer(pool=POOL, faults=FIVE_FAULTS) as server:
        results = run_two_at_once(server, postgres_url, tmp_path, [FIRST, SECOND])
    for code, stdout, stderr in results:
        assert_clean_stderr(stderr)
        assert "not stored" not in stderr + stdout
        assert code == 0, stderr[-3000:]
    assert sorted(stored_article_pmids(postgres_url)) == sorted(PMIDS)
    assert_records_match_reference(postgres_url, PMIDS)
