"""Literature scans by gene: one gene on demand (``genelit gene``) and a watchlist nightly (``genelit scan``).

For each gene: resolve the symbol through HGNC, build the PubMed query (:mod:`flows.query`), esearch it
with history paging, optionally add the papers NCBI Gene links to the gene, then run the PMIDs through
the same fetch → extract → draft → persist loop as ``genelit run`` (cached articles are not fetched
again; re-extraction of a cached paper leaves its records unchanged).

Watchlist scans are incremental on the Entrez date (EDAT): each gene keeps a watermark in the store and
a gene whose search or fetch fails keeps it (:mod:`flows.scan_steps`).  Every scan writes a digest
(Markdown and JSON) of the new records per gene (:mod:`outputs.digest`).

This module holds the engines only: the Prefect flows and tasks, the local equivalent, and the entry
points that pick one.  Gene targeting is in :mod:`flows.scan_targets`, windows, search and the per-gene
and per-watchlist steps in :mod:`flows.scan_steps`.

Running scans on a schedule (``genelit schedule`` or a Prefect work pool) is documented in the README.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from genelit.flows.pubmed_flow import (
    DaskOptions,
    Engine,
    extract_task,
    fetch_task,
    flow_part_runner,
    local_part_runner,
    persist_task,
    prepare_engine,
    process_pmids,
    with_dask,
)
from genelit.flows.query import QueryOptions
from genelit.flows.scan_steps import (
    GeneResult,
    ProcessPmids,
    ScanResult,
    SearchHits,
    Window,
    run_gene,
    scan_genes,
    search_gene,
)
from genelit.flows.scan_targets import gene_target, watchlist_targets
from genelit.flows.steps import PartRunner, RunSummary
from genelit.flows.watchlist import Watchlist, read_watchlist
from genelit.outputs.digest import write_digest
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from genelit.config import Settings, load_settings
from genelit.errors import InputError

log = logging.getLogger("genelit")

CHUNK_SIZE = 1000  # PMIDs per fetch → extract → store cycle, as in ``genelit run``


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
    gene_target(symbol)  # a bad symbol is a one-line input error before any flow run starts
    settings = settings or load_settings()
    engine = prepare_engine(engine, settings)
    if engine == "local":
        target = gene_target(symbol, QueryOptions(), query_extra)
        with local_part_runner(dask) as runner:
            return run_gene(
                target, Window(since, until), settings, local_process(runner, show_progress),
                max_results=max_results, with_gene_links=with_gene_links,
            )
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
    settings = settings or load_settings()
    engine = prepare_engine(engine, settings)
    if engine == "local":
        with local_part_runner(dask) as runner:
            return run_scan_now(
                watchlist, settings, local_process(runner, show_progress), out_dir=out_dir,
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
