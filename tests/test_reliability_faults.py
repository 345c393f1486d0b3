"""End-to-end reliability: the real ``genelit run`` against a fake NCBI that misbehaves.

The console script runs in a subprocess against a :class:`~flows.replay.ReplayServer` in this process
(the only fake: the network boundary), a temporary SQLite store and the local engine.  Every fault
NCBI really produces is injected into one run; the run must retry with bounded backoff, store every
article and record exactly once, record and list what still failed, exit 1, and a second run must ask
NCBI only for what is missing.  Full text is the default, so every run also asks PubMed Central
(``elink pubmed->pmc``, ``efetch db=pmc``): those requests go through the same retries and failure
accounting, and a re-run asks PMC only about what it could not settle.
"""
from __future__ import annotations

from collections import Counter
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
    sqlite_url,
    stored_article_pmids,
    stored_failures,
    stored_records,
)
from genelit.flows.cli.run import MAX_LISTED
from genelit.flows.replay import Fault, ReplayServer, RequestRecord, pmc_records, pubmed_record_for_jats

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
        first_links = server.requests_to("elink")
        failures_after_first = stored_failures(db_url)
        articles_after_first = stored_article_pmids(db_url)
        records_after_first = stored_records(db_url)
        failures_listing = genelit(["failures"], cli_env(server, db_url, tmp))
        server.faults.clear()
        second = genelit(args, cli_env(server, db_url, tmp, **extra))
        last = server.requests[len(first_requests) + len(first_links) - 1].number
        second_requests = [r for r in server.requests_to("efetch") if r.number > last]
        second_links = [r for r in server.requests_to("elink") if r.number > last]
    return {
        "db_url": db_url, "first": first, "second": second, "first_requests": first_requests,
        "second_requests": second_requests, "first_links": first_links, "second_links": second_links,
        "failures_after_first": failures_after_first,
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
    # PubMed Central was asked about each stored article once (none is in PMC: no efetch db=pmc)
    linked = [i for r in fault_runs["first_links"] for i in request_ids(r)]
    assert sorted(linked) == sorted(fetched)
    assert not [r for r in fault_runs["first_requests"] if r.params.get("db") == "pmc"]
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
    # PMC outcomes of the first run are stored: only the newly fetched articles are looked up
    assert sorted(i for r in fault_runs["second_links"] for i in request_ids(r)) == sorted(asked)
    assert stored_failures(fault_runs["db_url"]) == {}
    assert_records_match_reference(fault_runs["db_url"], PMIDS)


# -- faults on the PubMed Central requests -------------------------------------------------------------

CASE_REPORT = Path(__file__).parent / "data" / "fulltext" / "1349-7235-63-2651.nxml"  # PMC11518610


@pytest.mark.slow
def test_pmc_requests_that_keep_failing_leave_the_abstract_and_a_rerun_asks_pmc_alone(tmp_path: Path) -> None:
    """elink failing past its retries: the abstract is used, the failure recorded and listed, exit 1; the
    re-run asks PMC alone (the PubMed record is stored), survives a reset of efetch db=pmc, reads the body."""
    ((pmcid, record),) = pmc_records(CASE_REPORT).items()
    pmid, pubmed = pubmed_record_for_jats(record)  # no PMCID in ArticleIdList: found through elink
    db_url = sqlite_url(tmp_path / "genelit.db")
    extra = {"GENELIT_MAX_RETRIES": str(MAX_RETRIES), "GENELIT_TIMEOUT": "5"}
    elink_down = Fault.http_error(503, endpoint="elink", times=MAX_RETRIES + 1)
    pmc_reset = Fault.reset(when_ids_include=pmcid.removeprefix("PMC"), times=1)
    with ReplayServer({pmid: pubmed}, pmc=pmc_records(CASE_REPORT), pmc_links={pmid: pmcid}, faults=[elink_down]) as server:
        env = cli_env(server, db_url, tmp_path, **extra)
        first = genelit(["run", "--pmids", pmid], env)
        first_requests = [(r.endpoint, r.params.get("db"), r.fault) for r in server.requests]
        failures = stored_failures(db_url)
        server.faults.append(pmc_reset)  # (the elink fault is used up)
        second = genelit(["run", "--pmids", pmid], env)
        second_requests = [(r.endpoint, r.params.get("db"), r.fault) for r in server.requests[len(first_requests):]]
    assert first.returncode == 1, first.stderr[-3000:]
    assert_clean_stderr(first.stderr)
    assert first_requests == [("efetch", "pubmed", None)] + [("elink", "pmc", "http_error")] * (MAX_RETRIES + 1)
    assert "full text 0 · abstract only 1 (closed access 0, full text failed 1)" in first.stdout
    assert f"abstract only: PMID {pmid}: full text:" in first.stderr
    assert set(failures) == {pmid} and failures[pmid].startswith("full text:")
    assert stored_records(db_url)  # drafted from the abstract meanwhile
    assert second.returncode == 0, second.stderr[-3000:]
    assert_clean_stderr(second.stderr)
    assert second_requests == [("elink", "pmc", None), ("efetch", "pmc", "reset"), ("efetch", "pmc", None)]
    assert "full text 1 · abstract only 0" in second.stdout
    assert stored_failures(db_url) == {}
