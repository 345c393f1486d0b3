"""The NCBI E-utilities client: efetch PubMed records by PMID, esearch, and elink gene -> pubmed.

Transport is the standard library's ``urllib`` (real HTTP, so the loopback fake server in
:mod:`flows.replay` exercises exactly the code path used against NCBI).  Why not ``Bio.Entrez`` as the
transport: its base URL and rate limit are module globals, and its retry policy is fixed; genelit needs
a configurable endpoint, a limiter shared by all threads, full-jitter backoff and per-PMID failure
accounting.  Biopython's Entrez parser is still used for esearch/elink results, behind a guard that
guarantees it never downloads a DTD.

Every request is a POST: NCBI recommends POST for long id lists, it works for every E-utility, and it
keeps the PMIDs and the API key out of URLs, so no URL that is logged or shown in an error can ever
contain the key.
"""
from __future__ import annotations

import email.utils
import http.client
import io
import logging
import posixpath
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from Bio import Entrez
from Bio.Entrez.Parser import DataHandler
from genelit.flows.pubmed_xml import (
    EntrezServerError,
    MalformedResponse,
    RetryableFetchError,
    parse_pubmed_xml,
    safe_xml_root,
)
from genelit.flows.ratelimit import RateLimiter, shared_limiter
from genelit.models.article import Article

from genelit.config import Settings
from genelit.errors import FetchError, InputError

log = logging.getLogger(__name__)

T = TypeVar("T")

# NCBI: "no more than 200 UIDs per efetch request" is the documented comfortable size.
MAX_BATCH_SIZE = 200
# efetch batches in flight at once.  The rate limiter alone paces requests; overlapping one batch's
# round trip and parsing with the next request keeps the run at the limiter's pace rather than at
# n x (latency + parse time) (measured in benchmarks/bench_fetch.py).  Three covers NCBI latencies up
# to ~2 periods of the limit.
FETCH_CONCURRENCY = 3
# PubMed's esearch cannot page past the 10,000th record; narrower dates are needed beyond that.
ESEARCH_MAX_RECORDS = 10_000
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_GENE_ID = re.compile(r"[1-9][0-9]{0,11}")
_DOCTYPE_SYSTEM_ID = re.compile(rb'<!DOCTYPE\s+\S+\s+(?:PUBLIC\s+"[^"]*"|SYSTEM)\s+"([^"]+)"')


class TransientHTTPError(RetryableFetchError):
    """A retryable transport failure: 429/5xx status, timeout, connection reset or refused."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class FetchResult:
    """Outcome of fetching a list of PMIDs: what came back, what NCBI lacks, what kept failing."""

    articles: list[Article] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # NCBI answered without these PMIDs
    failed: dict[str, str] = field(default_factory=dict)  # pmid -> reason, after all retries
    requests: int = 0  # efetch HTTP requests, retries included


@dataclass(frozen=True)
class SearchResult:
    pmids: list[str]
    count: int  # total hits reported by NCBI (may exceed len(pmids))
    query_translation: str | None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(retry: int, base: float, cap: float, retry_after: float | None) -> float:
    """Full-jitter exponential backoff (uniform in [0, min(cap, base * 2**retry)]).

    Jitter spreads the retries of parallel workers so they do not hit NCBI in lock-step; a server's
    ``Retry-After`` is a floor, never shortened by the jitter.
    """
    delay = random.uniform(0.0, min(cap, base * (2**retry)))
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


def _require_bundled_dtd(data: bytes, what: str) -> None:
    """Refuse a document whose DTD Biopython does not ship, since it would try to download it."""
    match = _DOCTYPE_SYSTEM_ID.search(data[:4096])
    if match is None:
        raise MalformedResponse(f"{what} has no DOCTYPE; cannot interpret it")
    filename = posixpath.basename(match.group(1).decode("ascii", "replace"))
    folders = [d for d in (DataHandler.local_dtd_dir, DataHandler.global_dtd_dir) if d]
    if not any((Path(folder) / filename).is_file() for folder in folders):
        raise MalformedResponse(f"{what} uses DTD {filename}, unknown to Biopython (not downloading it)")


def read_entrez_xml(data: bytes, what: str) -> Any:
    """Parse an esearch/elink body with ``Bio.Entrez.read``, after the safety checks.

    The defusedxml pass rejects entity declarations and ``<ERROR>`` bodies first; the DTD guard makes
    sure Biopython only uses its bundled DTDs (no network access while parsing).
    """
    safe_xml_root(data, what)
    _require_bundled_dtd(data, what)
    try:
        return Entrez.read(io.BytesIO(data))
    except RuntimeError as exc:  # Biopython raises RuntimeError for <ERROR> elements
        raise EntrezServerError(f"NCBI reported an error in {what}: {exc}") from None
    except Exception as exc:  # CorruptedXMLError, NotXMLError, ValueError, KeyError ...
        raise MalformedResponse(f"{what} could not be interpreted ({type(exc).__name__})") from None


def parse_esearch(data: bytes) -> dict[str, Any]:
    """Count, ids, history keys and query translation from an esearch body."""
    record = read_entrez_xml(data, "esearch response")
    try:
        return {
            "count": int(record["Count"]),
            "ids": [str(i) for i in record.get("IdList", [])],
            "webenv": str(record["WebEnv"]) if "WebEnv" in record else None,
            "query_key": str(record["QueryKey"]) if "QueryKey" in record else None,
            "query_translation": str(record["QueryTranslation"]) if "QueryTranslation" in record else None,
        }
    except (KeyError, ValueError, TypeError) as exc:
        raise MalformedResponse(f"esearch response lacks {exc}") from None


def parse_elink_ids(data: bytes, link_name: str) -> list[str]:
    """Linked ids for ``link_name`` (e.g. ``gene_pubmed``) from an elink body, in NCBI's order."""
    records = read_entrez_xml(data, "elink response")
    ids: list[str] = []
    try:
        for link_set in records:
            for link_set_db in link_set.get("LinkSetDb", []):
                if link_set_db.get("LinkName") == link_name:
                    ids.extend(str(link["Id"]) for link in link_set_db.get("Link", []))
    except (KeyError, TypeError, AttributeError) as exc:
        raise MalformedResponse(f"elink response has an unexpected shape ({exc})") from None
    return list(dict.fromkeys(ids))


class EntrezClient:
    """Talks to E-utilities at ``settings.eutils_url`` with rate limiting and bounded retries.

    ``backoff_base``/``backoff_cap`` (seconds) shape the retry delays; the base defaults to
    ``settings.backoff_base`` (``GENELIT_BACKOFF_BASE``), so end-to-end tests can make retries fast.
    ``request_counts`` counts HTTP requests per endpoint (retries included) for reports/benchmarks.
    """

    def __init__(
        self,
        settings: Settings,
        limiter: RateLimiter | None = None,
        backoff_base: float | None = None,
        backoff_cap: float = 60.0,
    ) -> None:
        self.settings = settings
        self.limiter = limiter or shared_limiter(settings.requests_per_second)
        self.backoff_base = settings.backoff_base if backoff_base is None else backoff_base
        self.backoff_cap = backoff_cap
        self.request_counts: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    # -- transport -----------------------------------------------------------------------------

    def _common_params(self) -> dict[str, str]:
        params = {"tool": self.settings.ncbi_tool}
        if self.settings.ncbi_email:
            params["email"] = self.settings.ncbi_email
        if self.settings.ncbi_api_key is not None:
            params["api_key"] = self.settings.ncbi_api_key.get_secret_value()
        return params

    def _post(self, endpoint: str, params: dict[str, Any], tally: Counter[str] | None) -> bytes:
        """One HTTP POST; raises :class:`TransientHTTPError` for retryable failures.

        Messages name the endpoint only: the form body (ids, api_key) never appears in them.
        """
        url = f"{self.settings.eutils_url}/{endpoint}.fcgi"
        # doseq: a list value is sent as repeated fields (elink's id=1&id=2 asks for one link set per id)
        body = urllib.parse.urlencode({**params, **self._common_params()}, doseq=True).encode("ascii")
        request = urllib.request.Request(
            url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"{self.settings.ncbi_tool} (genelit)"},
        )
        self.limiter.acquire()
        with self._count_lock:  # batches run in worker threads: Counter updates are not atomic
            self.request_counts[endpoint] += 1
            if tally is not None:
                tally[endpoint] += 1
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            retry_after = parse_retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            message = f"{endpoint}: HTTP {exc.code} {exc.reason}"
            if exc.code in RETRYABLE_STATUS:
                raise TransientHTTPError(message, retry_after) from None
            raise FetchError(message) from None
        except (TimeoutError, http.client.IncompleteRead, http.client.HTTPException, ConnectionError) as exc:
            raise TransientHTTPError(f"{endpoint}: {_describe_transport_error(exc)}") from None
        except urllib.error.URLError as exc:
            raise TransientHTTPError(f"{endpoint}: cannot connect ({_describe_transport_error(exc.reason)})") from None
        except OSError as exc:
            raise TransientHTTPError(f"{endpoint}: network error ({_describe_transport_error(exc)})") from None

    def call(
        self, endpoint: str, params: dict[str, Any], parse: Callable[[bytes], T], tally: Counter[str] | None = None
    ) -> T:
        """POST and parse, retrying retryable failures with backoff; at most ``max_retries`` retries.

        ``tally`` (optional) counts this caller's requests, which ``request_counts`` cannot do when
        several threads share the client.  Other E-utility clients (:mod:`flows.pmc`) use this too, so
        every request shares the limiter, the retries and the failure messages.
        """
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            try:
                return parse(self._post(endpoint, params, tally))
            except RetryableFetchError as exc:
                if attempt + 1 >= attempts:
                    raise FetchError(f"{exc} (gave up after {attempts} attempts)") from None
                retry_after = exc.retry_after if isinstance(exc, TransientHTTPError) else None
                delay = backoff_delay(attempt, self.backoff_base, self.backoff_cap, retry_after)
                log.warning("%s (attempt %d/%d); retrying in %.2f s", exc, attempt + 1, attempts, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")  # the loop always returns or raises

    # -- public API ----------------------------------------------------------------------------

    @property
    def batch_size(self) -> int:
        return max(1, min(self.settings.batch_size, MAX_BATCH_SIZE))

    def fetch_articles(
        self,
        pmids: Sequence[str],
        on_batch: Callable[[int, int], None] | None = None,
        on_articles: Callable[[list[Article]], None] | None = None,
    ) -> FetchResult:
        """Fetch PubMed records in batches; a batch that keeps failing does not stop the others.

        ``on_articles(articles)`` receives each batch's new articles as soon as the batch is in (so a caller
        can store them while later batches are still on the wire), then ``on_batch(done, total)`` the number
        of PMIDs handled so far.  Both run in the calling thread.
        """
        wanted = list(dict.fromkeys(pmids))
        result = FetchResult()
        seen: set[str] = set()
        tally: Counter[str] = Counter()
        batches = [wanted[start : start + self.batch_size] for start in range(0, len(wanted), self.batch_size)]

        def fetch_batch(batch: list[str]) -> list[Article]:
            params = {"db": "pubmed", "retmode": "xml", "id": ",".join(batch)}
            return self.call("efetch", params, parse_pubmed_xml, tally)

        pool = ThreadPoolExecutor(max_workers=max(1, min(FETCH_CONCURRENCY, len(batches))), thread_name_prefix="efetch")
        try:
            # submitted up front, consumed in order: the limiter, not the pool, paces the requests
            futures = [pool.submit(fetch_batch, batch) for batch in batches]
            done = 0
            for batch, future in zip(batches, futures):
                done += len(batch)
                new_articles = self._collect(batch, future, result, seen)
                if on_articles is not None and new_articles:
                    on_articles(new_articles)
                if on_batch is not None:
                    on_batch(done, len(wanted))
        finally:  # on an unexpected error or Ctrl-C, do not go on fetching the batches not yet started
            pool.shutdown(wait=True, cancel_futures=True)
        result.requests = tally["efetch"]
        return result

    @staticmethod
    def _collect(
        batch: list[str], future: Future[list[Article]], result: FetchResult, seen: set[str]
    ) -> list[Article]:
        """Add one batch's outcome to ``result`` (articles in NCBI's order, absent PMIDs, or failure);
        returns the batch's new articles."""
        try:
            articles = future.result()
        except FetchError as exc:
            log.error("efetch batch of %d PMIDs failed: %s", len(batch), exc)
            result.failed.update({pmid: str(exc) for pmid in batch})
            return []
        new_articles = []
        for article in articles:
            if article.pmid not in seen:
                seen.add(article.pmid)
                new_articles.append(article)
        result.articles.extend(new_articles)
        absent = [pmid for pmid in batch if pmid not in seen]
        if absent:
            log.info("NCBI returned no record for %d of %d PMIDs", len(absent), len(batch))
        result.missing.extend(absent)
        return new_articles

    def search_pubmed(
        self,
        term: str,
        mindate: str | None = None,
        maxdate: str | None = None,
        datetype: str = "edat",
        max_results: int | None = None,
        page_size: int = 500,
    ) -> SearchResult:
        """PMIDs matching ``term`` (esearch, ``usehistory=y``), paging with WebEnv/query_key.

        ``mindate``/``maxdate`` are ``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD``; NCBI needs both, so a
        missing bound is filled with the open end (1800 or today).
        """
        if not term.strip():
            raise InputError("empty PubMed search term")
        params = {"db": "pubmed", "term": term, "usehistory": "y", "retmode": "xml"}
        if mindate or maxdate:
            params.update(
                datetype=datetype,
                mindate=mindate or "1800/01/01",
                maxdate=maxdate or date.today().strftime("%Y/%m/%d"),
            )
        page_size = max(1, min(page_size, ESEARCH_MAX_RECORDS))
        first = self.call("esearch", {**params, "retstart": "0", "retmax": str(page_size)}, parse_esearch)
        limit = first["count"] if max_results is None else min(first["count"], max_results)
        if limit > ESEARCH_MAX_RECORDS:
            log.warning(
                "search has %d hits; PubMed esearch returns at most %d: narrow it with mindate/maxdate",
                first["count"], ESEARCH_MAX_RECORDS,
            )
            limit = ESEARCH_MAX_RECORDS
        pmids = list(dict.fromkeys(first["ids"]))
        seen = set(pmids)
        history = {"WebEnv": first["webenv"], "query_key": first["query_key"]} if first["webenv"] else {}
        while len(pmids) < limit:
            page = self.call(
                "esearch",
                {**params, **history, "retstart": str(len(pmids)), "retmax": str(min(page_size, limit - len(pmids)))},
                parse_esearch,
            )
            new = [i for i in dict.fromkeys(page["ids"]) if i not in seen]
            if not new:
                break
            pmids.extend(new)
            seen.update(new)
        return SearchResult(pmids=pmids[:limit], count=first["count"], query_translation=first["query_translation"])

    def link_gene_to_pubmed(self, ncbi_gene_id: str | int) -> list[str]:
        """PMIDs that NCBI Gene links to a gene (elink ``gene_pubmed``)."""
        gene_id = str(ncbi_gene_id).strip()
        if not _GENE_ID.fullmatch(gene_id):
            raise InputError(f"not an NCBI Gene ID: {str(ncbi_gene_id)[:40]!r}")
        params = {"dbfrom": "gene", "db": "pubmed", "id": gene_id, "linkname": "gene_pubmed", "retmode": "xml"}
        return self.call("elink", params, lambda data: parse_elink_ids(data, "gene_pubmed"))


def _describe_transport_error(exc: BaseException | str) -> str:
    if isinstance(exc, str):
        return exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, http.client.IncompleteRead):
        return "connection closed before the whole body arrived"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "connection closed without a response"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return type(exc).__name__
