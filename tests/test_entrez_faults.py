"""Retries and failure accounting of the Entrez client, with faults injected by the replay server."""
from __future__ import annotations

import pytest
from genelit.flows.entrez import EntrezClient
from genelit.flows.ratelimit import RateLimiter
from genelit.flows.replay import Fault, ReplayServer, example_pool

from genelit.config import Settings
from genelit.errors import FetchError

IGF1 = "9401537"
POOL_PMIDS = sorted(example_pool())  # the 9 bundled real records


def make_client(server: ReplayServer, **overrides: object) -> EntrezClient:
    values = {"eutils_url": server.url, "rate_limit": 1000.0, "max_retries": 3, "timeout": 5.0, **overrides}
    return EntrezClient(Settings(**values), limiter=RateLimiter(1000.0), backoff_base=0.001)


def fetch_with(fault: Fault, pmids: list[str] = POOL_PMIDS, **overrides: object) -> tuple[list[str], list[str], list[str | None]]:
    """Fetch ``pmids`` through a server applying ``fault``: (fetched PMIDs, missing, fault per request)."""
    with ReplayServer(faults=[fault]) as server:
        result = make_client(server, **overrides).fetch_articles(pmids)
        faults_seen = [r.fault for r in server.requests_to("efetch")]
    assert not result.failed, result.failed
    assert result.requests == len(faults_seen)
    return [a.pmid for a in result.articles], result.missing, faults_seen


@pytest.mark.parametrize(
    "fault",
    [
        Fault.http_error(429, times=1),
        Fault.http_error(500, times=2),
        Fault.http_error(502, times=1),
        Fault.http_error(503, times=1),
        Fault.http_error(504, times=1),
        Fault.truncated(times=1),
        Fault.error_body(times=1),
        Fault.reset(times=1),
    ],
    ids=lambda f: f"{f.kind}-{f.http_status}" if f.kind == "http_error" else f.kind,
)
def test_transient_failure_is_retried_then_succeeds(fault: Fault) -> None:
    fetched, missing, faults_seen = fetch_with(fault)
    assert fetched == POOL_PMIDS and not missing
    assert faults_seen == [fault.kind] * fault.times + [None]


def test_read_timeout_is_retried() -> None:
    fetched, _, faults_seen = fetch_with(Fault.slow(1.5, times=1), timeout=0.3)
    assert fetched == POOL_PMIDS and faults_seen == ["slow", None]


def test_retry_after_is_honoured() -> None:
    with ReplayServer(faults=[Fault.http_error(429, retry_after="1", times=1)]) as server:
        result = make_client(server).fetch_articles([IGF1])
        first, second = server.requests_to("efetch")
    assert [a.pmid for a in result.articles] == [IGF1]
    assert second.timestamp - first.timestamp >= 0.95  # backoff base is 1 ms: only Retry-After explains this


def test_batch_returning_fewer_articles_reports_the_rest_missing() -> None:
    fetched, missing, faults_seen = fetch_with(Fault.partial(keep=2, times=1))
    assert fetched == POOL_PMIDS[:2] and missing == POOL_PMIDS[2:]
    assert faults_seen == ["partial"]  # not retried


def test_empty_result_means_all_missing() -> None:
    fetched, missing, faults_seen = fetch_with(Fault.empty(times=1))
    assert fetched == [] and missing == POOL_PMIDS and faults_seen == ["empty"]


def test_persistent_failure_marks_its_batch_failed_and_other_batches_continue() -> None:
    bad_batch = POOL_PMIDS[2:4]
    with ReplayServer(faults=[Fault.http_error(503, when_ids_include=bad_batch[0])]) as server:
        client = make_client(server, batch_size=2, max_retries=2)
        result = client.fetch_articles(POOL_PMIDS)
        per_request = [(r.id_count, r.fault) for r in server.requests_to("efetch")]
    assert [a.pmid for a in result.articles] == [p for p in POOL_PMIDS if p not in bad_batch]
    assert set(result.failed) == set(bad_batch)
    assert all("HTTP 503" in reason and "3 attempts" in reason for reason in result.failed.values())
    assert per_request.count((2, "http_error")) == 3  # 1 try + max_retries=2
    batches = -(-len(POOL_PMIDS) // 2)
    assert result.requests == len(per_request) == batches + 2


def test_client_error_is_not_retried() -> None:
    with ReplayServer(faults=[Fault.http_error(400)]) as server:
        result = make_client(server).fetch_articles([IGF1])
        assert len(server.requests_to("efetch")) == 1
    assert "HTTP 400" in result.failed[IGF1]


def test_esearch_failure_after_retries_raises_fetch_error() -> None:
    with ReplayServer(searches={"IGF1": [IGF1]}, faults=[Fault.error_body(endpoint="esearch")]) as server:
        with pytest.raises(FetchError, match="Unable to obtain query"):
            make_client(server, max_retries=1).search_pubmed("IGF1")
        assert len(server.requests_to("esearch")) == 2


def test_unreachable_server_is_a_fetch_failure_not_a_crash() -> None:
    with ReplayServer() as server:
        url = server.url
    settings = Settings(eutils_url=url, rate_limit=1000.0, max_retries=1, timeout=1.0)
    result = EntrezClient(settings, limiter=RateLimiter(1000.0), backoff_base=0.001).fetch_articles([IGF1])
    assert "cannot connect" in result.failed[IGF1] or "refused" in result.failed[IGF1]
