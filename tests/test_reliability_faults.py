"""End-to-end reliability: the real ``genelit run`` against a fake NCBI that misbehaves.

The console script runs in a subprocess against a :class:`~flows.replay.ReplayServer` in this process
(the only fake: the network boundary), a temporary SQLite store and the local engine.  Every fault
NCBI really produces is injected into one run; the run must retry with bounded backoff, store every
article and record exactly once, record and list what still failed, exit 1, and a second run must ask
NCBI only for what is missing.
"""
from __future__ import annotations

from collections import Counter

import pytest
from cli_harness import (
    assert_clean_stderr,
    assert_records_match_reference,
    biored_pool,
    cli_env,
    genelit,
    reference_record_ids,
    request_ids,
    sqlite_url,
    stored_article_pmids,
    stored_failures,
    stored_records,
)
from genelit.flows.cli.run import MAX_LISTED
from genelit.flows.replay import Fault, ReplayServer, RequestRecord

# -- the fault scenario ------------------------------------------------------------------------------

BATCH = 10
MAX_RETRIES = 2
POOL = biored_pool(100)
PMIDS = list(POOL)
BATCHES = [PMIDS[i : i + BATCH] for i in range(0, len(PMIDS), BATCH)]
# the batch holding this PMID fails every time it is asked for: "failed" after bounded retries
DOOMED = BATCHES[5][7]


def on_batch(index: int, fault: Fault) -> Fault:
    """``fault`` once, on the first request for batch ``index`` still matching (deterministic target)."""
    return Fault(**{**fault.__dict__, "when_ids_include": BATCHES[index][0], "times": 1})


# every fault NCBI produces, each aimed at one batch; none outlasts the retries except the last one
FAULTS = [
    on_batch(0, Fault.http_error(429, retry_after="1")),
    on_batch(1, Fault.http_error(429)),
    on_batch(1, Fault.partial(keep=4)),  # after the 429's retry: fewer articles than asked
    on_batch(2, Fault.http_error(500)),
    on_batch(2, Fault.empty()),  # after the 500's retry: an empty result set
    on_batch(3, Fault.http_error(502)),
    on_batch(3, Fault.http_error(503)),  # two faults in a row, the third attempt succeeds
    on_batch(4, Fault.http_error(503)),
    on_batch(6, Fault.slow(3.0)),  # > GENELIT_TIMEOUT (1 s): a read timeout
    on_batch(7, Fault.reset()),
    on_batch(8, Fault.truncated()),
    on_batch(9, Fault.error_body()),
    Fault.http_error(503, when_ids_include=DOOMED),
]
UNFETCHED_MISSING = set(BATCHES[1][4:]) | set(BATCHES[2])
UNFETCHED_FAILED = set(BATCHES[5])


@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run 1 with every fault injected, then run 2 (same command, healthy server) on the same store."""
    tmp = tmp_path_factory.mktemp("faults")
    db_url = sqlite_url(tmp / "genelit.db")
    args = ["run", "--pmids", ",".join(PMIDS), "--chunk-size", "50"]
    extra = {"GENELIT_BATCH_SIZE": str(BATCH), "GENELIT_MAX_RETRIES": str(MAX_RETRIES), "GENELIT_TIMEOUT": "1"}
    with ReplayServer(pool=POOL, faults=FAULTS) as server:
        first = genelit(args, cli_env(server, db_url, tmp, **extra))
        first_requests = server.requests_to("efetch")
        failures_after_first = stored_failures(db_url)
        articles_after_first = stored_article_pmids(db_url)
        records_after_first = stored_records(db_url)
        failures_listing = genelit(["failures"], cli_env(server, db_url, tmp))
        server.faults.clear()
        second = genelit(args, cli_env(server, db_url, tmp, **extra))
        second_requests = [r for r in server.requests_to("efetch") if r.number > first_requests[-1].number]
    return {
        "db_url": db_url, "first": first, "second": second, "first_requests": first_requests,
        "second_requests": second_requests, "failures_after_first": failures_after_first,
        "articles_after_first": articles_after_first, "records_after_first": records_after_first,
        "failures_listing": failures_listing,
    }


@pytest.mark.slow
def test_every_fault_was_injected_and_retries_are_bounded(fault_runs: dict) -> None:
    requests: list[RequestRecord] = fault_runs["first_requests"]
    injected = Counter(r.fault for r in requests if r.fault)
    assert injected == Counter(
        {"http_error": 6 + MAX_RETRIES + 1, "slow": 1, "reset": 1, "truncated": 1, "error_body": 1, "empty": 1, "partial": 1}
    )
    tries = Counter(tuple(request_ids(r)) for r in requests)
    assert set(tries) == {tuple(b) for b in BATCHES}
    # bounded: one try for a healthy batch, one more per transient fault, 1 + max_retries at most
    assert [tries[tuple(b)] for b in BATCHES] == [2, 2, 2, 3, 2, MAX_RETRIES + 1, 2, 2, 2, 2]
    # the 429 with Retry-After: 1 delayed that batch's retry by at least a second (backoff base is 10 ms)
    first, retry = [r for r in requests if request_ids(r) == BATCHES[0]]
    assert retry.timestamp - first.timestamp >= 0.95


@pytest.mark.slow
def test_faulty_run_stores_each_article_and_record_once_and_reports_what_failed(fault_runs: dict) -> None:
    run = fault_runs["first"]
    assert run.returncode == 1, run.stderr[-3000:]
    assert_clean_stderr(run.stderr)
    assert "re-run the same command to retry only those" in run.stderr
    failures = fault_runs["failures_after_first"]
    assert set(failures) == UNFETCHED_FAILED | UNFETCHED_MISSING
    for pmid in UNFETCHED_FAILED:
        assert "HTTP 503" in failures[pmid] and f"gave up after {MAX_RETRIES + 1} attempts" in failures[pmid]
    for pmid in UNFETCHED_MISSING:
        assert "not returned by NCBI" in failures[pmid]
    # the summary names problem PMIDs (at most MAX_LISTED of them) and points to the full list
    listed = [line for line in run.stderr.splitlines() if line.startswith(("failed: PMID ", "missing: PMID "))]
    assert len(listed) == min(MAX_LISTED, len(failures))
    assert all(line.split()[2].rstrip(":") in failures for line in listed)
    if len(failures) > MAX_LISTED:
        assert f"… and {len(failures) - MAX_LISTED} more; `genelit failures` lists every PMID" in run.stderr
    listing = fault_runs["failures_listing"]
    assert listing.returncode == 0
    assert {line.split("\t")[0] for line in listing.stdout.splitlines()} == set(failures)
    assert f"missing {len(UNFETCHED_MISSING)} · failed {len(UNFETCHED_FAILED)}" in run.stdout
    articles = fault_runs["articles_after_first"]
    fetched = set(PMIDS) - UNFETCHED_FAILED - UNFETCHED_MISSING
    assert len(articles) == len(fetched) and set(articles) == fetched
    # successful answers never overlap: no article was fetched twice
    served = [i for r in fault_runs["first_requests"] if r.fault in (None, "partial") for i in request_ids(r)]
    assert len(served) == len(set(served))
    reference = reference_record_ids(PMIDS)
    records = fault_runs["records_after_first"]
    assert {p: sorted(ids) for p, ids in records.items()} == {p: sorted(reference[p]) for p in fetched if reference[p]}


@pytest.mark.slow
def test_second_run_fetches_only_what_is_missing_and_completes(fault_runs: dict) -> None:
    run = fault_runs["second"]
    assert run.returncode == 0, run.stderr[-3000:]
    assert_clean_stderr(run.stderr)
    requests: list[RequestRecord] = fault_runs["second_requests"]
    asked = [i for r in requests for i in request_ids(r)]
    assert sorted(asked) == sorted(UNFETCHED_FAILED | UNFETCHED_MISSING)
    assert len(requests) == -(-len(asked) // BATCH)  # just the batches the missing PMIDs fill
    assert stored_failures(fault_runs["db_url"]) == {}
    assert_records_match_reference(fault_runs["db_url"], PMIDS)
