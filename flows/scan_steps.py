"""The plain steps of a literature scan by gene: date windows, the PubMed search, one gene, a watchlist.

Watchlist scans are incremental on the Entrez date (EDAT, the day a record entered PubMed): each gene
keeps a watermark in the store, the last day a scan of it completed.  The next scan searches from the
watermark minus ``overlap_days`` (records indexed late or across time zones are not missed; the overlap's
papers are already cached, so they cost no fetch) up to today.  A gene whose search or fetch fails keeps
its watermark, so the next scan covers its window again; the other genes go on.

Nothing here knows about Prefect: :mod:`flows.scan_flow` passes in how PMIDs are processed
(``ProcessPmids``) and how the search runs (``search``), locally or as Prefect tasks.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genelit.flows.entrez import EntrezClient
from genelit.flows.scan_targets import GeneTarget, watchlist_targets
from genelit.flows.steps import RunSummary, open_store
from genelit.flows.watchlist import Watchlist
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store

from genelit.config import Settings
from genelit.errors import GenelitError, StoreError

ESEARCH_PAGE_SIZE = 500

ProcessPmids = Callable[[Sequence[str], Settings], RunSummary]


# -- windows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Entrez-date bounds of a search (inclusive); None = open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.start or 'any'} .. {self.end or 'today'}"


def scan_window(
    watermark: dt.date | None, today: dt.date, *, look_back_days: int, overlap_days: int, since: dt.date | None = None
) -> Window:
    """The window of an incremental scan: from ``since``, else the watermark minus the overlap, else the
    default look-back; always up to today."""
    if since is not None:
        start = since
    elif watermark is not None:
        start = watermark - dt.timedelta(days=overlap_days)
    else:
        start = today - dt.timedelta(days=look_back_days)
    return Window(min(start, today), today)


def _edat(day: dt.date | None) -> str | None:
    return day.strftime("%Y/%m/%d") if day else None


# -- one gene -------------------------------------------------------------------------------------


@dataclass
class GeneResult:
    """What one gene's search and processing gave (or why it failed)."""

    target: GeneTarget
    window: Window
    hits: int = 0  # total hits NCBI reports
    pmids: list[str] = field(default_factory=list)  # searched (+ linked) PMIDs processed
    linked: int = 0  # PMIDs added from NCBI Gene links
    capped: bool = False  # more hits than max_results: only the first ones were processed
    summary: RunSummary = field(default_factory=RunSummary)
    new_records: list[EvidenceRecord] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Search succeeded and no PMID kept failing (absent PMIDs are NCBI's answer, not a failure)."""
        return self.error is None and not self.summary.failed


@dataclass(frozen=True)
class SearchHits:
    count: int  # total hits NCBI reports for the query and window
    pmids: list[str]  # the query's PMIDs (at most max_results)
    linked: list[str]  # PMIDs NCBI Gene links to the gene (not date-bound), if asked for


def search_gene(
    target: GeneTarget, window: Window, settings: Settings, *, max_results: int | None, with_gene_links: bool
) -> SearchHits:
    """esearch the gene's query over the window (history paging) and, if asked, elink gene → pubmed."""
    client = EntrezClient(settings)
    found = client.search_pubmed(
        target.query, mindate=_edat(window.start), maxdate=_edat(window.end), datetype="edat",
        max_results=max_results, page_size=ESEARCH_PAGE_SIZE,
    )
    linked = client.link_gene_to_pubmed(target.ncbi_gene_id) if with_gene_links and target.ncbi_gene_id else []
    return SearchHits(found.count, list(found.pmids), linked)


def papers_to_process(hits: SearchHits, already_stored: set[str]) -> tuple[list[str], int]:
    """Search hits plus linked PMIDs not among them; returns (PMIDs, how many came from links).

    Linked PMIDs are the gene's whole NCBI bibliography, not bound to the scan window, so those
    already in the store (``already_stored``) are left out: an incremental scan must not re-process
    the gene's bibliography every night.
    """
    searched = set(hits.pmids)
    extra = [p for p in dict.fromkeys(hits.linked) if p not in searched and p not in already_stored]
    return hits.pmids + extra, len(extra)


def record_ids(store: Store, pmids: Iterable[str]) -> set[str]:
    """Ids of the (non-retired) records of these papers."""
    return {r.record_id for pmid in store.cached_pmids(pmids) for r in store.list_records(pmid=pmid)}


def new_records(store: Store, pmids: Sequence[str], before: set[str]) -> list[EvidenceRecord]:
    """Records of ``pmids`` that did not exist before, in PMID order."""
    found = [r for pmid in store.cached_pmids(pmids) for r in store.list_records(pmid=pmid) if r.record_id not in before]
    return sorted(found, key=lambda r: (r.pmid, r.gene_symbol, r.variant_key or "", r.record_id))


def run_gene(
    target: GeneTarget, window: Window, settings: Settings, process: ProcessPmids, *, max_results: int | None,
    with_gene_links: bool, search: Callable[..., SearchHits] = search_gene, incremental: bool = False,
) -> GeneResult:
    """Search one gene and process its papers; search failures are reported in the result, not raised.

    ``incremental`` (watchlist scans): linked PMIDs already in the store are not processed again.
    """
    result = GeneResult(target, window)
    store = open_store(settings.db_url)
    try:
        hits = search(target, window, settings, max_results=max_results, with_gene_links=with_gene_links)
    except StoreError:
        raise
    except GenelitError as exc:
        result.error = str(exc)
        return result
    result.hits = hits.count
    result.capped = hits.count > len(hits.pmids)
    result.pmids, result.linked = papers_to_process(hits, store.cached_pmids(hits.linked) if incremental else set())
    before = record_ids(store, result.pmids)
    result.summary = process(result.pmids, settings)
    result.new_records = new_records(store, result.pmids, before)
    return result


# -- watchlist scans ------------------------------------------------------------------------------


@dataclass
class ScanResult:
    started: dt.datetime
    genes: list[GeneResult]
    digest_markdown: Path | None = None
    digest_json: Path | None = None

    @property
    def ok(self) -> bool:
        return all(g.ok for g in self.genes)

    @property
    def failed(self) -> list[GeneResult]:
        return [g for g in self.genes if not g.ok]


def scan_genes(
    watchlist: Watchlist, settings: Settings, process: ProcessPmids, *, today: dt.date,
    since: dt.date | None = None, search: Callable[..., SearchHits] = search_gene,
    report: Callable[[GeneResult], None] = lambda _r: None,
) -> list[GeneResult]:
    """Scan every gene of the watchlist from its watermark; advance the watermark of genes that succeeded."""
    store = open_store(settings.db_url)
    results = []
    for entry, target in watchlist_targets(watchlist):
        window = scan_window(
            store.get_watermark(target.hgnc_id), today,
            look_back_days=entry.look_back_days if entry.look_back_days is not None else watchlist.look_back_days,
            overlap_days=watchlist.overlap_days, since=since or entry.since,
        )
        result = run_gene(
            target, window, settings, process,
            max_results=entry.max_results or watchlist.max_results,
            with_gene_links=entry.with_gene_links if entry.with_gene_links is not None else watchlist.with_gene_links,
            search=search, incremental=True,
        )
        if result.ok:
            store.set_watermark(target.hgnc_id, today)
        report(result)
        results.append(result)
    return results
