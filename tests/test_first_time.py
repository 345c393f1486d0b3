"""Issue #13's acceptance: every run works the first time, on a fresh home directory and a busy machine.

An empty HOME (no ``~/.prefect``, no genelit state), both cores kept busy by helper processes (bounded
in time, always killed), the Prefect engine: ``genelit demo``, then two concurrent ``genelit run`` on one
store, then a first and a second ``genelit scan``.  Every one exits 0 with no traceback, and nothing is
lost.  The same two concurrent runs over 100 BioRED abstracts on PostgreSQL.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_harness import (
    assert_records_match_reference,
    biored_pool,
    cli_env,
    genelit,
    sqlite_url,
    start_genelit,
    stored_article_pmids,
)
from genelit.flows import prefect_api
from genelit.flows.replay import ReplayServer
from genelit.flows.scan_targets import gene_target
from test_concurrency import postgres_url  # noqa: F401  (fixture: a fresh PostgreSQL database)

pytestmark = [pytest.mark.slow, pytest.mark.prefect]

BUSY_SECONDS = 900  # a helper never outlives this, even if the test process dies
BUSY = f"import time\nend = time.monotonic() + {BUSY_SECONDS}\nwhile time.monotonic() < end:\n    pass\n"
POOL = biored_pool(100)
PMIDS = list(POOL)
RUN_LIMIT = 900  # seconds for one command on a loaded machine
DEMO_PMID = "9401537"  # the IGF1 case report the demo runs on


@pytest.fixture
def busy_cores() -> Iterator[None]:
    helpers = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for helper in helpers:
            helper.kill()
            helper.wait(timeout=30)


def fresh_env(server: ReplayServer, db_url: str, tmp: Path) -> dict[str, str]:
    env = cli_env(server, db_url, tmp, GENELIT_ENGINE="prefect", GENELIT_BATCH_SIZE="10")
    for name in [n for n in env if n.startswith(("PREFECT_", "GENELIT_PREFECT_", "XDG_"))]:
        del env[name]
    home = tmp / "home"
    home.mkdir()
    env["HOME"] = str(home)
    return env


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["HOME"]) / ".local" / "state" / "genelit" / "prefect"


def two_runs_at_once(env: dict[str, str], tmp: Path, sets: list[list[str]], tag: str) -> list[tuple[int, str]]:
    processes = [start_genelit(["run", "--pmids", ",".join(p), "--chunk-size", "20"], env, tmp, f"{tag}{i}")
                 for i, p in enumerate(sets)]
    results = []
    for i, process in enumerate(processes):
        try:
            code = process.wait(timeout=RUN_LIMIT)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        results.append((code, (tmp / f"{tag}{i}.out").read_text() + (tmp / f"{tag}{i}.err").read_text()))
    return results


def assert_clean(code: int, output: str) -> None:
    assert "Traceback" not in output, output[-3000:]
    assert code == 0, output[-3000:]


def test_demo_concurrent_runs_and_two_scans_on_a_fresh_home_under_load(tmp_path: Path, busy_cores: None) -> None:
    db = tmp_path / "genelit.db"
    pmids = PMIDS[:30]
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text('genes = ["IGF1"]\n')
    with ReplayServer(POOL, searches={gene_target("IGF1").query: PMIDS[30:36]}) as server:
        env = fresh_env(server, sqlite_url(db), tmp_path)
        try:
            demo_db = tmp_path / "demo.db"
            demo = genelit(["demo", "--offline", "--out", str(tmp_path / "demo")],
                           {**env, "GENELIT_DB_URL": sqlite_url(demo_db)}, timeout=RUN_LIMIT)
            assert_clean(demo.returncode, demo.stdout + demo.stderr)
            for code, output in two_runs_at_once(env, tmp_path, [pmids[:20], pmids[10:]], "run"):
                assert_clean(code, output)
            for i in (1, 2):
                scan = genelit(["scan", "--watchlist", str(watchlist), "--out", str(tmp_path / "scans")], env,
                               timeout=RUN_LIMIT)
                assert_clean(scan.returncode, scan.stdout + scan.stderr)
            served_by_shared_api = prefect_api.server_status(state_dir(env))["state"] == "running"
        finally:
            prefect_api.stop_server(state_dir(env))
    assert served_by_shared_api
    assert sorted(stored_article_pmids(sqlite_url(db))) == sorted(PMIDS[:36])
    assert_records_match_reference(sqlite_url(db), PMIDS[:36])
    # the demo drafts into the store it is given (as the everyday commands read it)
    assert stored_article_pmids(sqlite_url(demo_db)) == [DEMO_PMID]


@pytest.mark.postgres
def test_two_concurrent_prefect_runs_over_100_abstracts_on_postgres_under_load(
    postgres_url: str, tmp_path: Path, busy_cores: None  # noqa: F811
) -> None:
    with ReplayServer(POOL) as server:
        env = fresh_env(server, postgres_url, tmp_path)
        try:
            results = two_runs_at_once(env, tmp_path, [PMIDS[:65], PMIDS[35:]], "pg")
        finally:
            prefect_api.stop_server(state_dir(env))
    for code, output in results:
        assert_clean(code, output)
        assert "not stored" not in output
    assert sorted(stored_article_pmids(postgres_url)) == sorted(PMIDS)
    assert_records_match_reference(postgres_url, PMIDS)
