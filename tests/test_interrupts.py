"""Interrupted runs: SIGTERM (graceful) and SIGKILL (abrupt) in the middle of ``genelit run``.

After each interruption the SQLite store must pass ``integrity_check`` and hold no partial paper (a
PMID's records are all there or none), and the next run must resume without fetching again what was
already fetched.
"""
from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_harness import (
    assert_clean_stderr,
    assert_records_match_reference,
    biored_pool,
    cli_env,
    genelit,
    reference_record_ids,
    request_ids,
    sqlite_integrity,
    sqlite_url,
    start_genelit,
    stored_article_pmids,
    stored_records,
)
from genelit.flows.replay import ReplayServer

POOL = biored_pool(150)
PMIDS = list(POOL)
ARGS = ["run", "--pmids", ",".join(PMIDS), "--chunk-size", "15"]
LATENCY = 0.3  # per efetch request: fetching is slow enough to be caught in the middle


def wait_for_records(db_url: str, process: subprocess.Popen[str], more_than: int, timeout: float = 240) -> int:
    """Poll the store until it holds records of more than ``more_than`` papers (some chunks committed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run finished before it could be interrupted"
        try:
            papers = len(stored_records(db_url))
        except Exception:  # the schema may not exist yet
            papers = 0
        if papers > more_than:
            return papers
        time.sleep(0.2)
    raise AssertionError("no chunk was committed in time")


def assert_no_partial_papers(db_url: str) -> None:
    """Every paper with records has all of them: records are written per paper in one transaction."""
    stored = stored_records(db_url)
    reference = reference_record_ids(PMIDS)
    partial = {p: ids for p, ids in stored.items() if set(ids) != reference[p]}
    assert not partial


@pytest.mark.slow
def test_sigterm_then_sigkill_then_resume(tmp_path: Path) -> None:
    path = tmp_path / "genelit.db"
    url = sqlite_url(path)
    with ReplayServer(pool=POOL, latency=LATENCY) as server:
        env = cli_env(server, url, tmp_path, GENELIT_BATCH_SIZE="5")

        # 1. SIGTERM: a graceful stop with the documented message and exit code 143
        run = start_genelit(ARGS, env, tmp_path, "term")
        wait_for_records(url, run, more_than=0)
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) == 143
        stderr = (tmp_path / "term.err").read_text()
        assert "interrupted; finished work is saved, re-run to resume" in stderr
        assert_clean_stderr(stderr)
        assert sqlite_integrity(path) == "ok"
        assert_no_partial_papers(url)
        fetched_before_kill = set(stored_article_pmids(url))
        papers_before_kill = len(stored_records(url))
        assert 0 < len(fetched_before_kill) < len(PMIDS)
        first_run_requests = len(server.requests_to("efetch"))

        # 2. SIGKILL in the middle of the resumed run: no handler, no cleanup
        run = start_genelit(ARGS, env, tmp_path, "kill")
        wait_for_records(url, run, more_than=papers_before_kill)
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=60) == -signal.SIGKILL
        assert sqlite_integrity(path) == "ok"
        assert_no_partial_papers(url)
        second = [r for r in server.requests_to("efetch")[first_run_requests:]]
        assert not {i for r in second for i in request_ids(r)} & fetched_before_kill
        fetched_before_resume = set(stored_article_pmids(url))
        assert len(fetched_before_resume) > len(fetched_before_kill)
        kill_requests = len(server.requests_to("efetch"))

        # 3. the same command again completes the work, fetching only what was never stored
        done = genelit(ARGS, env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert_clean_stderr(done.stderr)
        asked = [i for r in server.requests_to("efetch")[kill_requests:] for i in request_ids(r)]
        assert sorted(asked) == sorted(set(PMIDS) - fetched_before_resume)
    assert sqlite_integrity(path) == "ok"
    assert sorted(stored_article_pmids(url)) == sorted(PMIDS)
    assert_records_match_reference(url, PMIDS)
