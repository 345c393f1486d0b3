"""Prefect flow for a list of PMIDs: fetch → extract → draft → persist, chunk by chunk.

The flow only orchestrates the plain functions of :mod:`flows.steps`.  ``run_pmids(engine="local")``
runs the very same loop without Prefect (no API server start-up: handy for quick ad hoc runs and
unit tests); the default engine is Prefect, which gives run history, logs and retries in the UI.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.config import Settings, load_settings
from flows.steps import RunSummary, chunked, extract_and_draft, fetch_step, persist_step, pipeline_config

Engine = Literal["prefect", "local"]


def process_pmids(
    pmids: Iterable[str],
    settings: Settings,
    *,
    refresh: bool,
    chunk_size: int,
    fetch: Callable = fetch_step,
    extract: Callable = extract_and_draft,
    persist: Callable = persist_step,
    show_progress: bool = True,
) -> RunSummary:
    """The run loop shared by both engines; ``fetch``/``extract``/``persist`` are the steps or tasks."""
    total = RunSummary()
    for chunk in chunked(pmids, chunk_size):
        articles, fetched = fetch(chunk, settings, refresh=refresh, show_progress=show_progress)
        total.add(fetched)
        total.extracted += len(articles)
        total.without_abstract += sum(1 for a in articles if not a.has_abstract)
        drafts = extract(articles, pipeline_config(settings), show_progress=show_progress)
        total.add(persist(drafts, settings))
    return total


fetch_task = task(fetch_step, name="fetch-articles", cache_policy=NO_CACHE)
extract_task = task(extract_and_draft, name="extract-and-draft", cache_policy=NO_CACHE)
persist_task = task(persist_step, name="persist-drafts", cache_policy=NO_CACHE)


@flow(name="genelit-run-pmids", log_prints=False)
def run_pmids_flow(pmids: list[str], refresh: bool = False, chunk_size: int = 1000) -> RunSummary:
    """Fetch, extract, draft and store evidence records for ``pmids`` (Prefect flow)."""
    summary = process_pmids(
        pmids, load_settings(), refresh=refresh, chunk_size=chunk_size,
        fetch=fetch_task, extract=extract_task, persist=persist_task,
    )
    get_run_logger().info(
        "requested=%d cached=%d fetched=%d missing=%d failed=%d requests=%d records=%d",
        summary.requested, summary.cached, summary.fetched, len(summary.missing),
        len(summary.failed), summary.requests, summary.records_drafted,
    )
    return summary


def run_pmids(
    pmids: Iterable[str], *, refresh: bool = False, chunk_size: int = 1000, engine: Engine = "prefect",
    settings: Settings | None = None, show_progress: bool = True,
) -> RunSummary:
    """Entry point used by the CLI: pick the engine and run."""
    if engine == "local":
        return process_pmids(
            pmids, settings or load_settings(), refresh=refresh, chunk_size=chunk_size, show_progress=show_progress
        )
    return run_pmids_flow(list(pmids), refresh=refresh, chunk_size=chunk_size)
