"""``genelit gene``, ``genelit scan`` and ``genelit schedule``: literature scans by gene."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from genelit.flows.cli.app import app, console, console_err
from genelit.flows.cli.options import (
    ABSTRACT_ONLY_HELP,
    DASK_ADDRESS_HELP,
    DASK_WORKERS_HELP,
    ENGINE_HELP,
    check_store,
    checked_engine,
    dask_options,
    apply_abstract_only,
    parse_day,
)
from genelit.flows.cli.run import print_summary

from genelit.errors import GenelitError

if TYPE_CHECKING:
    from genelit.flows.scan_steps import GeneResult


def print_gene(result: GeneResult) -> None:
    target = result.target
    # markup=False: a PubMed query is full of [tiab] that rich would take for style tags
    if target.note:
        console.print(target.note, highlight=False, markup=False)
    console.print(f"{target.symbol} ({target.hgnc_id}) · Entrez dates {result.window}", highlight=False)
    console.print(f"query: {target.query}", highlight=False, markup=False, soft_wrap=True)
    if result.error:
        console_err.print(f"search failed: {result.error}", highlight=False, markup=False)
        return
    console.print(f"PubMed hits {result.hits} · papers {len(result.pmids)} (NCBI Gene links {result.linked})")
    print_summary(result.summary)
    console.print(f"new records {len(result.new_records)}")


@app.command()
def gene(
    symbol: Annotated[str, typer.Argument(help="HGNC gene symbol; previous symbols and aliases are mapped to the approved one.")],
    since: Annotated[Optional[str], typer.Option("--since", help="Only papers added to PubMed (Entrez date) on or after this day, `YYYY-MM-DD`.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only papers added to PubMed on or before this day.")] = None,
    max_results: Annotated[Optional[int], typer.Option("--max", min=1, help="At most this many search hits (PubMed caps a search at 10,000). Default: all.")] = None,
    query_extra: Annotated[Optional[str], typer.Option("--query-extra", help="More PubMed syntax ANDed to the query, e.g. `humans[mh]` (or starting with its own AND/OR/NOT).")] = None,
    with_gene_links: Annotated[bool, typer.Option("--with-gene-links", help="Also process the papers NCBI Gene links to the gene (elink gene→pubmed).")] = False,
    engine: Annotated[str, typer.Option("--engine", help=ENGINE_HELP)] = "",
    dask_address: Annotated[Optional[str], typer.Option("--dask-address", help=DASK_ADDRESS_HELP)] = None,
    dask_workers: Annotated[Optional[int], typer.Option("--dask-workers", help=DASK_WORKERS_HELP)] = None,
    abstract_only: Annotated[bool, typer.Option("--abstract-only", help=ABSTRACT_ONLY_HELP)] = False,
) -> None:
    """Search PubMed for a gene's variant and case-level papers, then fetch, extract and draft records.

    The query combines the HGNC symbol, its unambiguous aliases and previous symbols and the approved
    name (title/abstract) with variant and case-report terms; it is printed. Papers already in the store
    are not fetched again.

    Examples:

        genelit gene IGF1 --since 2020-01-01

        genelit gene SCN1A --max 200 --query-extra "humans[mh]" --engine local

    Exit codes: 0 done; 1 the search or some fetches failed after retries; 2 unknown/withdrawn symbol
    or invalid input.
    """
    engine = checked_engine(engine)
    check_store()
    from genelit.flows.scan_flow import run_gene_search

    apply_abstract_only(abstract_only)
    result = run_gene_search(
        symbol, since=parse_day(since, "--since"), until=parse_day(until, "--until"), max_results=max_results,
        query_extra=query_extra, with_gene_links=with_gene_links, engine=engine,  # type: ignore[arg-type]
        dask=dask_options(dask_address, dask_workers),
    )
    print_gene(result)
    if result.error:
        raise GenelitError(f"search for {result.target.symbol} failed: {result.error}")
    if not result.ok:
        raise GenelitError(f"{len(result.summary.failed)} PMID(s) could not be fetched; re-run to retry only those")


@app.command()
def scan(
    watchlist: Annotated[Path, typer.Option("--watchlist", help="TOML watchlist: `genes = [\"IGF1\", ...]` or one `[genes.SYMBOL]` table per gene.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the digests (`scan-<time>.md` and `.json`).")] = Path("genelit-scans"),
    since: Annotated[Optional[str], typer.Option("--since", help="Search from this Entrez date for every gene, instead of each gene's last scan.")] = None,
    engine: Annotated[str, typer.Option("--engine", help=ENGINE_HELP)] = "",
    dask_address: Annotated[Optional[str], typer.Option("--dask-address", help=DASK_ADDRESS_HELP)] = None,
    dask_workers: Annotated[Optional[int], typer.Option("--dask-workers", help=DASK_WORKERS_HELP)] = None,
    abstract_only: Annotated[bool, typer.Option("--abstract-only", help=ABSTRACT_ONLY_HELP)] = False,
) -> None:
    """Scan the watchlist's genes for papers added to PubMed since each gene's last successful scan.

    Each gene's window starts 3 days (`overlap_days`) before its last scan, or `look_back_days` (30)
    back on its first scan; papers already in the store are not fetched again. A gene whose search
    fails keeps its old watermark (the next scan covers its window again) and does not stop the others.
    A digest of the new records per gene, with PubMed links and record ids, is written to `--out`.

    Example watchlist.toml:

        genes = ["IGF1", "SCN1A"]

    Exit codes: 0 every gene scanned; 1 some genes failed; 2 invalid watchlist or input.
    """
    engine = checked_engine(engine)
    check_store()
    from genelit.flows.scan_flow import run_scan

    apply_abstract_only(abstract_only)
    result = run_scan(
        watchlist, out, engine=engine, since=parse_day(since, "--since"),  # type: ignore[arg-type]
        dask=dask_options(dask_address, dask_workers),
    )
    for gene_result in result.genes:
        status = "ok" if gene_result.ok else "FAILED"
        console.print(
            f"{gene_result.target.symbol}: {status} · Entrez dates {gene_result.window} · papers "
            f"{len(gene_result.pmids)} · fetched {gene_result.summary.fetched} · new records "
            f"{len(gene_result.new_records)}",
            highlight=False,
        )
        if gene_result.target.note:
            console.print(f"  {gene_result.target.note}", highlight=False, markup=False)
    console.print(f"digest: {result.digest_markdown} and {result.digest_json}", highlight=False)
    if not result.ok:
        names = ", ".join(g.target.symbol for g in result.failed)
        raise GenelitError(f"{len(result.failed)} gene(s) failed ({names}); their watermarks were kept")


@app.command()
def schedule(
    watchlist: Annotated[Path, typer.Option("--watchlist", help="TOML watchlist to scan (validated now).")],
    cron: Annotated[str, typer.Option("--cron", help="Cron schedule, e.g. `0 2 * * *` (every day at 02:00).")] = "0 2 * * *",
    timezone: Annotated[Optional[str], typer.Option("--timezone", help="IANA time zone of the cron schedule, e.g. `Europe/London`. Default: UTC.")] = None,
    name: Annotated[str, typer.Option("--name", help="Prefect deployment name.")] = "genelit-nightly-scan",
    out: Annotated[Path, typer.Option("--out", help="Folder for the digests of the scheduled scans.")] = Path("genelit-scans"),
) -> None:
    """Run the watchlist scan on a cron schedule: serves a Prefect deployment (runs until stopped).

    This process registers the deployment `genelit-scan/NAME` with the Prefect API (PREFECT_API_URL,
    e.g. a `prefect server start`) and executes its scheduled runs; stop it with Ctrl-C. Run it under
    a service manager (systemd, supervisord, a container) to keep it up. Settings (GENELIT_DB_URL,
    NCBI_API_KEY ...) come from this process's environment.

    For production with a work pool and workers instead of this process, see the README
    ("Scheduled scans").

    Example:

        genelit schedule --watchlist watchlist.toml --cron "0 2 * * *" --timezone Europe/London
    """
    from genelit.flows.prefect_api import default_state_dir, ensure_server, use_api
    from genelit.flows.scan_flow import scan_deployment
    from prefect import serve

    deployment = scan_deployment(watchlist, out, cron=cron, timezone=timezone, name=name)
    # serving needs an API: no local fallback; this process stays a client, so the server stays up
    use_api(ensure_server(default_state_dir()), verbose=os.environ.get("GENELIT_VERBOSE") == "1")
    console.print(
        f"serving {deployment.name}: scan of {watchlist} on '{cron}' ({timezone or 'UTC'}); Ctrl-C to stop",
        highlight=False,
    )
    serve(deployment)
