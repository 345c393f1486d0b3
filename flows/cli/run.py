"""``genelit run``: fetch PMIDs, extract, draft records, store them, optionally export."""
from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from genelit.flows.cli.app import app, console, console_err
from genelit.flows.cli.options import ENGINE_HELP, checked_engine, dask_options

from genelit.config import settings
from genelit.errors import GenelitError, InputError

if TYPE_CHECKING:
    from genelit.flows.steps import RunSummary


# per-PMID problem lines printed at the end of a run; the full list stays in the store
MAX_LISTED = 20

def print_summary(summary: RunSummary) -> None:
    """The short end-of-run summary a curator reads."""
    console.print(
        f"requested {summary.requested} · cached {summary.cached} · fetched {summary.fetched} · "
        f"missing {len(summary.missing)} · failed {len(summary.failed)} · "
        f"efetch requests {summary.requests}"
    )
    console.print(
        f"extracted {summary.extracted} abstracts ({summary.without_abstract} without abstract) · "
        f"records drafted {summary.records_drafted} (new {summary.records_created}, "
        f"updated {summary.records_updated}, unchanged {summary.records_unchanged}, "
        f"reviewed-with-newer-extraction {summary.records_flagged})"
    )
    problems = [f"missing: PMID {pmid} was not returned by NCBI" for pmid in summary.missing]
    problems += [f"failed: PMID {pmid}: {reason}" for pmid, reason in summary.failed.items()]
    for line in problems[:MAX_LISTED]:
        console_err.print(line, highlight=False)
    if len(problems) > MAX_LISTED:
        console_err.print(
            f"… and {len(problems) - MAX_LISTED} more; `genelit failures` lists every PMID with its reason",
            highlight=False,
        )


@app.command()
def failures() -> None:
    """List the PMIDs that could not be fetched (not returned by NCBI, or failing after retries).

    They are recorded by `genelit run`, `gene` and `scan`, and cleared once a later run fetches them:
    re-running the same command retries only these.
    """
    from genelit.models.store import Store

    with Store(settings().db_url) as store:
        recorded = store.fetch_failures()
    if not recorded:
        console.print("no fetch failures recorded")
        return
    for pmid, reason in sorted(recorded.items(), key=lambda item: int(item[0])):
        typer.echo(f"{pmid}\t{reason}")  # tab-separated, for scripts


@app.command()
def run(
    pmids: Annotated[Optional[str], typer.Option("--pmids", help="Comma- or space-separated PMIDs, e.g. `9401537,15769976`.")] = None,
    pmids_file: Annotated[Optional[Path], typer.Option("--pmids-file", help="File with PMIDs, one per line (`#` comments allowed). Streamed, so very long files are fine.")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch again even when the article is cached in the store.")] = False,
    export: Annotated[Optional[Path], typer.Option("--export", help="Also write the drafted records of these PMIDs to this file (.csv .tsv .xlsx .parquet .jsonl .html).")] = None,
    engine: Annotated[str, typer.Option("--engine", help=ENGINE_HELP)] = "",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="PMIDs per fetch→extract→store cycle; each finished chunk is committed.")] = 1000,
    dask_address: Annotated[Optional[str], typer.Option("--dask-address", help="Run extraction on an existing Dask cluster, e.g. `tcp://scheduler:8786`.")] = None,
    dask_workers: Annotated[Optional[int], typer.Option("--dask-workers", help="Run extraction on a temporary local Dask cluster of N single-threaded worker processes.")] = None,
) -> None:
    """Fetch PubMed abstracts by PMID, extract case-level evidence and store draft records for review.

    Cached articles are not fetched again (unless `--refresh`); re-running updates drafts but never
    changes a record a curator has reviewed.

    Examples:

        genelit run --pmids 9401537,15769976 --export drafts.csv

        genelit run --pmids-file watch.txt --engine local

        genelit run --pmids-file big.txt --dask-workers 4

    Exit codes: 0 all PMIDs processed; 1 some PMIDs missing or failed after retries; 2 invalid input.
    """
    from genelit.flows.pmids import parse_pmids, read_pmid_file
    from genelit.flows.pubmed_flow import run_pmids

    if not pmids and not pmids_file:
        raise InputError("give PMIDs with --pmids or --pmids-file (see `genelit run --help`)")
    engine = checked_engine(engine)
    sources = []
    if pmids:
        sources.append(parse_pmids([pmids]))
    if pmids_file:
        sources.append(parse_pmids(read_pmid_file(pmids_file)))
    pmid_list = list(dict.fromkeys(chain.from_iterable(sources)))

    summary = run_pmids(
        pmid_list, refresh=refresh, chunk_size=chunk_size, engine=engine,  # type: ignore[arg-type]
        dask=dask_options(dask_address, dask_workers),
    )
    print_summary(summary)
    if export is not None:
        from genelit.flows.cli.export import export_records

        n = export_records(export, pmids=pmid_list)
        console.print(f"wrote {n} records to {export}")
    if not summary.ok:
        raise GenelitError(
            f"{len(summary.missing) + len(summary.failed)} PMID(s) could not be fetched; "
            "re-run the same command to retry only those"
        )
