"""How every run starts: the store checked first, Prefect quiet and on the shared local API, no traceback.

The real ``genelit`` console script in subprocesses, against the loopback E-utilities replay server and
a fresh HOME each (so a fresh ``~/.cache/genelit/prefect`` and no ``~/.prefect``).
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from cli_harness import assert_clean_stderr, cli_env, genelit, sqlite_url, stored_records
from genelit.flows import prefect_api
from genelit.flows.replay import IGF1_EXAMPLE_PMID, ReplayServer, example_pool

UNUSABLE_STORE = "postgresql://nobody@127.0.0.1:1/x"
# lines that must never reach a curator's terminal
NOISE = ("Traceback", "Failed to send telemetry", "database is locked", "Timed out", "Starting temporary server")


def fresh_home_env(server: ReplayServer, tmp: Path, db_url: str, **extra: str) -> dict[str, str]:
    env = cli_env(server, db_url, tmp, GENELIT_ENGINE="prefect")
    for name in [n for n in env if n.startswith(("PREFECT_", "GENELIT_PREFECT_"))]:
        del env[name]
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / ".local" / "state"), **extra)
    return env


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "genelit" / "prefect"


def test_an_unusable_store_is_one_line_before_anything_prefect_starts(tmp_path: Path) -> None:
    with ReplayServer(example_pool()) as server:
        env = fresh_home_env(server, tmp_path, UNUSABLE_STORE)
        result = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot open the evidence store"), result.stderr
    assert "nobody@127.0.0.1:1/x" in lines[0]
    assert not state_dir(env).exists()  # no Prefect API was started for a run that cannot store anything
    assert not (Path(env["HOME"]) / ".prefect").exists()


@pytest.mark.prefect
def test_a_prefect_run_on_a_fresh_home_is_quiet_uses_the_shared_api_and_keeps_the_key_out(tmp_path: Path) -> None:
    secret = "SECRETKEY0123456789abcdef0123456789"
    db = tmp_path / "genelit.db"
    with ReplayServer(example_pool()) as server:
        env = fresh_home_env(server, tmp_path, sqlite_url(db), NCBI_API_KEY=secret)
        try:
            first = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env)
            started = time.monotonic()
            second = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env)  # cached, server warm
            second_seconds = time.monotonic() - started
            status = prefect_api.server_status(state_dir(env))
        finally:
            prefect_api.stop_server(state_dir(env))
    for result in (first, second):
        assert result.returncode == 0, result.stderr
        for noise in NOISE:
            assert noise not in result.stdout + result.stderr, result.stderr
        assert "notice:" not in result.stderr  # the shared API served it: no fall-back to the local engine
        assert secret not in result.stdout + result.stderr
    assert stored_records(sqlite_url(db)).get(IGF1_EXAMPLE_PMID)
    assert status["state"] == "running" and not (Path(env["HOME"]) / ".prefect" / "prefect.db").exists()
    assert second_seconds < first_seconds_bound(), second_seconds
    prefect_db = Path(status["prefect_home"]) / "prefect.db"
    with sqlite3.connect(prefect_db) as conn:
        runs = conn.execute("SELECT count(*) FROM flow_run").fetchone()[0]
    assert runs == 2  # both runs are in the shared history
    for path in Path(status["prefect_home"]).rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in (state_dir(env) / prefect_api.LOG_FILE).read_text()


def first_seconds_bound() -> float:
    """A warm run reuses the server: generous on a loaded 2-core machine, far below a cold start."""
    return 120.0 if os.cpu_count() and os.cpu_count() <= 2 else 60.0


@pytest.mark.prefect
def test_prefect_unavailable_falls_back_to_the_local_engine_with_one_notice(tmp_path: Path) -> None:
    db = tmp_path / "genelit.db"
    with ReplayServer(example_pool()) as server:
        # a server that cannot start: its database lives in a folder that does not exist
        env = fresh_home_env(server, tmp_path, sqlite_url(db),
                             PREFECT_SERVER_DATABASE_CONNECTION_URL="sqlite+aiosqlite:////nonexistent/dir/x.db")
        result = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env)
    assert result.returncode == 0, result.stderr
    assert_clean_stderr(result.stderr)
    notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 1 and "--engine local" in notices[0] and "PREFECT_API_URL" in notices[0], result.stderr
    assert stored_records(sqlite_url(db)).get(IGF1_EXAMPLE_PMID)


HEAVY_AT_START = ("pandas", "sqlalchemy", "spacy", "prefect", "openpyxl", "alembic", "distributed", "numpy")


def test_the_command_line_imports_no_heavy_library_at_start_up(tmp_path: Path) -> None:
    """`genelit --help` must be fast: the libraries of the work itself load when a command needs them."""
    import subprocess
    import sys

    probe = f"import sys, genelit.flows.cli; print(','.join(m for m in {HEAVY_AT_START!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported at start-up: {result.stdout.strip()}"
