"""Literature scans by gene: one gene on demand (``genelit gene``) and a watchlist nightly (``genelit scan``).

For each gene: resolve the symbol through HGNC, build the PubMed query (:mod:`flows.query`), esearch it
with history paging, optionally add the papers NCBI Gene links to the gene, then run the PMIDs through
the same fetch → extract → draft → persist loop as ``genelit run`` (cached articles are not fetched
again; re-extraction of a cached paper leaves its records unchanged).

Watchlist scans are incremental on the Entrez date (EDAT, the day a record entered PubMed): each gene
keeps a watermark in the store, the last day a scan of it completed.  The next scan searches from the
watermark minus ``overlap_days`` (records indexed late or across time zones are not missed; the overlap's
papers are already cached, so they cost no fetch) up to today.  A gene whose search or fetch fails keeps
its watermark, so the next scan covers its window again; the other genes go on.  Every scan writes a
digest (Markdown and JSON) of the new records per gene.

Running scans on a schedule (``genelit schedule`` or a Prefect work pool) is documented in the README.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genelit.flows.entrez import EntrezClient
from genelit.flows.pubmed_flow import (
    DaskOptions,
    Engine,
    extract_task,
    fetch_task,
    flow_part_runner,
    local_part_runner,
    persist_task,
    process_pmids,
    with_dask,
)
from genelit.flows.query import GeneNames, QueryOptions, gene_query, select_synonyms
from genelit.flows.steps import PartRunner, RunSummary, open_store
from genelit.flows.watchlist import GeneEntry, Watchlist, read_watchlist
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from genelit.config import Settings, load_settings
from genelit.errors import GenelitError, InputError, StoreError

if TYPE_CHECKING:
    from genelit.extractors.genes import SymbolResolution

log = logging.getLogger("genelit")

CHUNK_SIZE = 1000  # PMIDs per fetch → extract → store cycle, as in ``genelit run``
ESEARCH_PAGE_SIZE = 500
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"

ProcessPmids = Callable[[Sequence[str], Settings], RunSummary]


# -- genes and queries --------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneTarget:
    """A gene to search, as HGNC names it, with the PubMed query built for it."""

    requested: str  # what the user typed
    symbol: str
    hgnc_id: str
    ncbi_gene_id: str
    query: str
    note: str | None = None  # "IGF-I is an alias of IGF1 ..." when the symbol was mapped


def is_ambiguous_synonym(synonym: str, hgnc_id: str) -> bool:
    """True when a synonym would also find other genes' papers or everyday words.

    Ambiguous: another gene's approved symbol, an alias/previous symbol shared with another gene, or an
    English word (HGNC has aliases such as ``CAT`` or ``MAX``).
    """
    from genelit.extractors.genes import english_words, resolve_symbol

    if synonym.lower() in english_words():
        return True
    found = resolve_symbol(synonym)  # approved symbols win over aliases, so another gene's symbol shows here
    return found.hgnc_id != hgnc_id or bool(found.other_matches)


def resolve_gene(symbol: str) -> tuple[SymbolResolution, str | None]:
    """HGNC's answer for ``symbol`` and a note when it was mapped; InputError if withdrawn/unknown."""
    from genelit.extractors.genes import resolve_symbol

    found = resolve_symbol(symbol)
    if found.status == "approved":
        return found, None
    if found.status in ("previous", "alias"):
        kind = "a previous symbol" if found.status == "previous" else "an alias"
        others = f" (also used for {', '.join(found.other_matches)})" if found.other_matches else ""
        return found, f"{symbol} is {kind} of {found.symbol} ({found.hgnc_id}){others}; searching {found.symbol}"
    hint = f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else ""
    if found.status == "withdrawn":
        raise InputError(f"{symbol} is a withdrawn HGNC symbol{hint or ' (no replacement given by HGNC)'}")
    raise InputError(f"{symbol} is not an HGNC gene symbol{hint or ' (check https://www.genenames.org)'}")


def gene_target(symbol: str, options: QueryOptions = QueryOptions(), query_extra: str | None = None) -> GeneTarget:
    """Resolve ``symbol`` and build its query."""
    found, note = resolve_gene(symbol)
    synonyms = select_synonyms(
        (*found.aliases, *found.previous_symbols), found.symbol, min_length=options.min_synonym_length,
        is_ambiguous=lambda s: is_ambiguous_synonym(s, found.hgnc_id),
    )
    query = gene_query(GeneNames(found.symbol, found.name, synonyms), options, query_extra)
    return GeneTarget(symbol, found.symbol, found.hgnc_id, found.ncbi_gene_id, query, note)


# -- windows and watermarks ---------------------------------------------------------------------


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

    def to_json(self) -> dict[str, Any]:
        return {
            "gene": self.target.symbol, "hgnc_id": self.target.hgnc_id, "requested": self.target.requested,
            "query": self.target.query,
            "window": {"start": str(self.window.start) if self.window.start else None,
                       "end": str(self.window.end) if self.window.end else None, "date_type": "edat"},
            "ok": self.ok, "error": self.error or _failure_text(self.summary),
            "hits": self.hits, "capped": self.capped, "pmids": len(self.pmids), "linked": self.linked,
            "cached": self.summary.cached, "fetched": self.summary.fetched,
            "efetch_requests": self.summary.requests, "records_created": self.summary.records_created,
            "new_records": [
                {"record_id": r.record_id, "pmid": r.pmid, "url": PUBMED_URL.format(pmid=r.pmid), "title": r.title,
                 "gene": r.gene_symbol, "variant": r.variant, "zygosity": r.zygosity, "confidence": r.confidence}
                for r in self.new_records
            ],
        }


def _failure_text(summary: RunSummary) -> str | None:
    return f"{len(summary.failed)} PMID(s) could not be fetched" if summary.failed else None


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


def watchlist_targets(watchlist: Watchlist) -> list[tuple[GeneEntry, GeneTarget]]:
    """Resolve every gene before any search, so a bad symbol stops the scan before it starts."""
    options = watchlist.query.options()
    pairs = [(entry, gene_target(entry.symbol, options, entry.query_extra)) for entry in watchlist.genes]
    seen: dict[str, str] = {}
    for entry, target in pairs:
        if target.hgnc_id in seen:
            raise InputError(f"watchlist lists {target.symbol} twice (as {seen[target.hgnc_id]} and {entry.symbol})")
        seen[target.hgnc_id] = entry.symbol
    return pairs


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


# -- digest -----------------------------------------------------------------------------------------


def digest_markdown(result: ScanResult) -> str:
    """The curator-facing digest: per gene, the window searched and the new records with links."""
    lines = [f"# genelit scan {result.started:%Y-%m-%d %H:%M} UTC", ""]
    total = sum(len(g.new_records) for g in result.genes)
    lines += [f"{len(result.genes)} gene(s), {total} new record(s), {len(result.failed)} gene(s) failed.", ""]
    for gene in result.genes:
        lines.append(f"## {gene.target.symbol} ({gene.target.hgnc_id})")
        lines.append("")
        if gene.target.note:
            lines += [f"_{gene.target.note}_", ""]
        lines.append(f"- Entrez dates: {gene.window}")
        if gene.capped:
            lines.append(f"- **capped**: {gene.hits} hits, only the first {len(gene.pmids) - gene.linked} processed (raise `max` or narrow the query)")
        if not gene.ok:
            lines.append(f"- **FAILED**: {gene.error or _failure_text(gene.summary)} (watermark kept; the next scan retries)")
        lines.append(
            f"- papers: {len(gene.pmids)} (NCBI hits {gene.hits}, Gene links {gene.linked}) · "
            f"fetched {gene.summary.fetched} · new records {len(gene.new_records)}"
        )
        lines.append("")
        if gene.new_records:
            lines += ["| PMID | record id | gene | variant | zygosity | title |", "|---|---|---|---|---|---|"]
            for r in gene.new_records:
                title = (r.title or "").replace("|", "\\|")
                lines.append(
                    f"| [{r.pmid}]({PUBMED_URL.format(pmid=r.pmid)}) | `{r.record_id}` | {r.gene_symbol} | "
                    f"{r.variant or '—'} | {r.zygosity or '—'} | {title} |"
                )
            lines.append("")
    return "\n".join(lines)


def digest_json(result: ScanResult) -> dict[str, Any]:
    return {
        "started": result.started.isoformat(),
        "ok": result.ok,
        "genes": [g.to_json() for g in result.genes],
    }


def write_digest(result: ScanResult, out_dir: Path) -> tuple[Path, Path]:
    """Write ``scan-<UTC time>.md`` and ``.json`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"scan-{result.started:%Y%m%dT%H%M%SZ}"
    markdown, data = stem.with_suffix(".md"), stem.with_suffix(".json")
    markdown.write_text(digest_markdown(result), encoding="utf-8")
    data.write_text(json.dumps(digest_json(result), indent=2, ensure_ascii=False), encoding="utf-8")
    return markdown, data


# -- engines: local and Prefect -----------------------------------------------------------------------


def _run_logger() -> logging.Logger | logging.LoggerAdapter:
    """Prefect's run logger inside a flow (counts appear in the UI), the genelit logger elsewhere."""
    try:
        return get_run_logger()
    except MissingContextError:
        return log


def log_gene(result: GeneResult) -> None:
    logger = _run_logger()
    if result.error:
        logger.error("%s: search failed: %s", result.target.symbol, result.error)
        return
    s = result.summary
    if result.capped:
        logger.warning("%s: %d hits, only the first %d processed (raise max)", result.target.symbol, result.hits,
                       len(result.pmids) - result.linked)
    logger.info(
        "%s: window=%s hits=%d pmids=%d linked=%d cached=%d fetched=%d failed=%d records_new=%d records=%d",
        result.target.symbol, result.window, result.hits, len(result.pmids), result.linked, s.cached,
        s.fetched, len(s.failed), s.records_created, s.records_drafted,
    )


def local_process(runner: PartRunner | None, show_progress: bool) -> ProcessPmids:
    """The PMID loop run in this process (extraction on ``runner`` if given)."""
    def process(pmids: Sequence[str], settings: Settings) -> RunSummary:
        return process_pmids(
            pmids, settings, refresh=False, chunk_size=CHUNK_SIZE, show_progress=show_progress, runner=runner
        )

    return process


def prefect_process(pmids: Sequence[str], settings: Settings) -> RunSummary:
    """The PMID loop as Prefect tasks (inside a flow run; extraction on Dask if the flow runs on it)."""
    return process_pmids(
        pmids, settings, refresh=False, chunk_size=CHUNK_SIZE, fetch=fetch_task, extract=extract_task,
        persist=persist_task, runner=flow_part_runner(), show_progress=False,
    )


search_task = task(search_gene, name="search-pubmed", cache_policy=NO_CACHE)


@flow(name="genelit-gene", log_prints=False)
def gene_flow(
    symbol: str, since: dt.date | None = None, until: dt.date | None = None, max_results: int | None = None,
    query_extra: str | None = None, with_gene_links: bool = False,
) -> GeneResult:
    """Search PubMed for one gene's variant/case-level papers, then fetch, extract and draft them."""
    target = gene_target(symbol, QueryOptions(), query_extra)
    result = run_gene(
        target, Window(since, until), load_settings(), prefect_process, max_results=max_results,
        with_gene_links=with_gene_links, search=search_task,
    )
    log_gene(result)
    return result


def run_scan_now(
    watchlist: Watchlist, settings: Settings, process: ProcessPmids, *, out_dir: Path, today: dt.date | None = None,
    since: dt.date | None = None, search: Callable[..., SearchHits] = search_gene,
) -> ScanResult:
    """Scan and write the digest (shared by both engines)."""
    started = dt.datetime.now(dt.timezone.utc)
    genes = scan_genes(
        watchlist, settings, process, today=today or dt.date.today(), since=since, search=search, report=log_gene
    )
    result = ScanResult(started, genes)
    result.digest_markdown, result.digest_json = write_digest(result, out_dir)
    _run_logger().info(
        "scan: genes=%d failed=%d new_records=%d digest=%s", len(genes), len(result.failed),
        sum(len(g.new_records) for g in genes), result.digest_markdown,
    )
    return result


@flow(name="genelit-scan", log_prints=False)
def scan_flow(watchlist: str, out: str = "genelit-scans", since: dt.date | None = None) -> ScanResult:
    """Scan every gene of a watchlist file since its last scan and write a digest (Prefect flow).

    This is the flow ``genelit schedule`` serves on a cron schedule; its parameters are plain values
    so a deployment can store them.
    """
    return run_scan_now(
        read_watchlist(Path(watchlist)), load_settings(), prefect_process, out_dir=Path(out), since=since,
        search=search_task,
    )


def run_gene_search(
    symbol: str, *, since: dt.date | None = None, until: dt.date | None = None, max_results: int | None = None,
    query_extra: str | None = None, with_gene_links: bool = False, engine: Engine = "prefect",
    dask: DaskOptions | None = None, settings: Settings | None = None, show_progress: bool = True,
) -> GeneResult:
    """Entry point of ``genelit gene``: pick the engine and run."""
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    if engine == "local":
        target = gene_target(symbol, QueryOptions(), query_extra)
        with local_part_runner(dask) as runner:
            return run_gene(
                target, Window(since, until), settings or load_settings(), local_process(runner, show_progress),
                max_results=max_results, with_gene_links=with_gene_links,
            )
    gene_target(symbol)  # a bad symbol is a one-line input error before any flow run starts
    return with_dask(gene_flow, dask)(
        symbol, since=since, until=until, max_results=max_results, query_extra=query_extra,
        with_gene_links=with_gene_links,
    )


def run_scan(
    watchlist_path: Path, out_dir: Path, *, engine: Engine = "prefect", since: dt.date | None = None,
    dask: DaskOptions | None = None, settings: Settings | None = None, today: dt.date | None = None,
    show_progress: bool = True,
) -> ScanResult:
    """Entry point of ``genelit scan``: validate the watchlist, pick the engine and run."""
    watchlist = read_watchlist(watchlist_path)
    watchlist_targets(watchlist)  # unknown symbols: exit 2 before any search
    if engine == "local":
        with local_part_runner(dask) as runner:
            return run_scan_now(
                watchlist, settings or load_settings(), local_process(runner, show_progress), out_dir=out_dir,
                today=today, since=since,
            )
    return with_dask(scan_flow, dask)(str(watchlist_path), out=str(out_dir), since=since)


# -- schedule ---------------------------------------------------------------------------------------

DEFAULT_DEPLOYMENT_NAME = "genelit-nightly-scan"


def checked_schedule(cron: str, timezone: str | None) -> Any:
    """A Prefect cron schedule; a bad cron string or unknown time zone is a one-line InputError."""
    import zoneinfo

    from prefect.schedules import Cron

    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone {timezone!r} (use an IANA name such as Europe/London)") from None
    try:
        return Cron(cron, timezone=timezone)
    except ValueError as exc:
        raise InputError(f"invalid cron schedule {cron!r}: {exc}") from None


def scan_deployment(
    watchlist_path: Path, out_dir: Path, *, cron: str, timezone: str | None = None, name: str = DEFAULT_DEPLOYMENT_NAME
) -> Any:
    """The Prefect deployment of :func:`scan_flow` on a cron schedule (served by ``genelit schedule``).

    Paths are made absolute: scheduled runs do not start in the directory the command was run from.
    The watchlist is validated now so a typo fails here, not at 2 a.m.
    """
    watchlist_targets(read_watchlist(watchlist_path))
    return scan_flow.to_deployment(
        name=name,
        schedule=checked_schedule(cron, timezone),
        parameters={"watchlist": str(watchlist_path.resolve()), "out": str(out_dir.resolve())},
        description=f"genelit watchlist scan of {watchlist_path.name}; digests in {out_dir.resolve()}",
        tags=["genelit", "scan"],
    )
