"""``genelit run``: fetch PMIDs, extract, draft records, store them, optionally export."""
from __future__ import annotations

from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from genelit.flows.cli.app import app, console, console_err
from genelit.flows.cli.options import (
    ABSTRACT_ONLY_HELP,
    ENGINE_HELP,
    OFFLINE_HELP,
    apply_abstract_only,
    check_store,
    checked_engine,
    dask_options,
)

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
        f"efetch requests {summary.requests} · PMC requests {summary.pmc_requests}"
    )
    console.print(
        f"full text {summary.full_text} · abstract only {summary.abstract_only} "
        f"(closed access {summary.closed_access}, full text failed {len(summary.full_text_failed)}) · "
        f"missing {len(summary.missing)}"
    )
    console.print(
        f"extracted {summary.extracted} papers ({summary.without_abstract} without abstract) · "
        f"records drafted {summary.records_drafted} (new {summary.records_created}, "
        f"updated {summary.records_updated}, unchanged {summary.records_unchanged}, "
        f"reviewed-with-newer-extraction {summary.records_flagged})"
    )
    problems = [f"missing: PMID {pmid} was not returned by NCBI" for pmid in summary.missing]
    problems += [f"failed: PMID {pmid}: {reason}" for pmid, reason in summary.failed.items()]
    problems += [f"abstract only: PMID {pmid}: {reason}" for pmid, reason in summary.full_text_failed.items()]
    problems += [f"not stored: PMID {pmid}: {reason}" for pmid, reason in summary.not_stored.items()]
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

    with Store(settings().db_url, create=False) as store:
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
    abstract_only: Annotated[bool, typer.Option("--abstract-only", help=ABSTRACT_ONLY_HELP)] = False,
    input: Annotated[Optional[Path], typer.Option("--input", "-i", help="Your own documents instead of PMIDs: a file or a folder of PMC JATS/NXML, BioC XML/JSON (PubTator3 export), PDF or plain text.")] = None,
    pmid: Annotated[Optional[str], typer.Option("--pmid", help="With --input FILE: the PMID of a document whose metadata has none (else a local id is used).")] = None,
    offline: Annotated[bool, typer.Option("--offline", help=OFFLINE_HELP)] = False,
) -> None:
    """Fetch papers by PMID (PubMed Central full text where open, else the abstract), extract
    case-level evidence and store draft records for review.

    Cached articles are not fetched again (unless `--refresh`); re-running updates drafts but never
    changes a record a curator has reviewed.  `--input` reads your own documents instead (JATS, BioC,
    PDF, text); a file that cannot be read is reported in one line and the others go on.

    Examples:

        genelit run --pmids 9401537,15769976 --export drafts.csv

        genelit run --pmids-file watch.txt --engine local --abstract-only

        genelit run --pmids-file big.txt --dask-workers 4

        genelit run --input papers/ --export drafts.csv

        genelit run --input case.pdf --pmid 31195736

        genelit run --pmids 9401537 --offline

    Exit codes: 0 all PMIDs processed; 1 some PMIDs missing, failed after retries or not available
    offline, or some files unreadable; 2 invalid input; 3 the store is unusable.
    """
    from genelit.flows.cli.offline import (
        bundled_pmids,
        not_available_offline,
        report_unavailable,
        serve_bundled_records,
    )
    from genelit.flows.pmids import parse_pmids, read_pmid_file
    from genelit.models.store import Store

    if input is not None:
        if pmids or pmids_file:
            raise InputError("give either --input or PMIDs (--pmids / --pmids-file), not both")
        run_input(input, pmid, export)
        return
    if pmid is not None:
        raise InputError("--pmid goes with --input FILE; use --pmids to fetch papers by PMID")
    if not pmids and not pmids_file:
        raise InputError("give PMIDs with --pmids or --pmids-file, or documents with --input (see `genelit run --help`)")
    apply_abstract_only(abstract_only)
    engine = checked_engine(engine)
    sources = []
    if pmids:
        sources.append(parse_pmids([pmids]))
    if pmids_file:
        sources.append(parse_pmids(read_pmid_file(pmids_file)))
    pmid_list = list(dict.fromkeys(chain.from_iterable(sources)))
    check_store()
    from genelit.flows.pubmed_flow import run_pmids

    unavailable: list[str] = []
    with ExitStack() as stack:
        to_run = pmid_list
        if offline:
            url = serve_bundled_records(stack)
            console.print(f"offline: NCBI not used; serving the {len(bundled_pmids())} bundled PubMed records "
                          f"from {url}", highlight=False)
            with Store(settings().db_url) as store:
                cached = set() if refresh else store.cached_pmids(pmid_list)
            unavailable = not_available_offline(pmid_list, cached)
            to_run = [p for p in pmid_list if p not in set(unavailable)]
        summary = run_pmids(
            to_run, refresh=refresh, chunk_size=chunk_size, engine=engine,  # type: ignore[arg-type]
            dask=dask_options(dask_address, dask_workers),
        )
    print_summary(summary)
    if unavailable:
        report_unavailable(unavailable)
    if export is not None:
        from genelit.flows.cli.export import export_records

        n = export_records(export, pmids=pmid_list)
        console.print(f"wrote {n} records to {export}")
    problems = []
    if summary.not_stored:
        problems.append(f"the records of {len(summary.not_stored)} PMID(s) could not be stored (listed above); "
                        "the others were stored")
    if not summary.ok:
        failures = len(summary.missing) + len(summary.failed)
        full_texts = (f", {len(summary.full_text_failed)} full text(s) could not be fetched (abstract used)"
                      if summary.full_text_failed else "")
        hint = ("; NCBI unreachable from here? `--offline` runs on the bundled records"
                if not offline and summary.fetched == 0 and summary.failed else "")
        problems.append(f"{failures} PMID(s) could not be fetched{full_texts}; "
                        f"re-run the same command to retry only those{hint}")
    if unavailable:
        problems.append(f"{len(unavailable)} PMID(s) not available offline")
    if problems:
        raise GenelitError("; ".join(problems))


def run_input(path: Path, pmid: Optional[str], export: Optional[Path]) -> None:
    """``run --input``: read, extract, draft and store local documents (see flows/documents.py)."""
    from genelit.flows.documents import run_documents
    from genelit.flows.pmids import parse_pmids

    from genelit.config import load_settings

    if pmid is not None:
        given = parse_pmids([pmid])
        if len(given) != 1:
            raise InputError("--pmid takes one PMID (the document's)")
        pmid = given[0]
    result = run_documents(path, load_settings(), pmid=pmid)
    for reason in result.unreadable.values():
        console_err.print(f"unreadable: {reason}", highlight=False, markup=False)
    summary = result.summary
    console.print(
        f"documents {summary.requested} · read {summary.extracted} (full text {summary.full_text}, "
        f"abstract only {summary.abstract_only}) · unreadable {len(result.unreadable)}"
    )
    console.print(
        f"records drafted {summary.records_drafted} (new {summary.records_created}, updated {summary.records_updated}, "
        f"unchanged {summary.records_unchanged}, reviewed-with-newer-extraction {summary.records_flagged})"
    )
    if export is not None:
        from genelit.flows.cli.export import export_records

        n = export_records(export, pmids=result.pmids)
        console.print(f"wrote {n} records to {export}")
    if not result.ok:
        raise GenelitError(f"{len(result.unreadable)} file(s) could not be read; the others were processed")
