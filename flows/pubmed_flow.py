"""Prefect flow for a list of PMIDs: fetch → extract → draft → persist, chunk by chunk.

The flow only orchestrates the plain functions of :mod:`flows.steps`.  ``run_pmids(engine="local")``
runs the very same loop without Prefect (no API server start-up: handy for quick ad hoc runs and
unit tests); the default engine is Prefect, which gives run history, logs and retries in the UI.

Scale-out: with :class:`DaskOptions` the extraction of each chunk is split into parts (20-200
articles) that run on Dask workers -- through prefect-dask's ``DaskTaskRunner`` on the Prefect engine,
through a plain ``distributed.Client`` on the local engine.  Fetching and storing stay in the calling
process (one rate limiter for NCBI, one writer for the store); workers only extract, each loading the
pipeline once per process.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from genelit.flows.prefect_api import default_state_dir, ensure_server, use_api
from genelit.flows.steps import (
    PartRunner,
    RunSummary,
    chunked,
    extract_and_draft,
    extract_in_parts,
    fetch_step,
    persist_step,
    pipeline_config,
)
from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from genelit.config import Settings, load_settings
from genelit.errors import InputError, PrefectUnavailable

if TYPE_CHECKING:
    import distributed
    from genelit.extractors.pipeline import PipelineConfig
    from prefect_dask import DaskTaskRunner

Engine = Literal["prefect", "local"]

#: Set (to 1) by ``genelit -v``: Prefect's own log lines at INFO instead of WARNING.
VERBOSE_ENV = "GENELIT_VERBOSE"


def prepare_engine(engine: Engine, settings: Settings) -> Engine:
    """What every run does before its first flow or step: check the store, then connect to Prefect.

    The store is opened (and migrated) first, so an unusable store is one line at once, before any
    Prefect start-up.  On the Prefect engine the process is pointed at the user's PREFECT_API_URL, else
    at genelit's shared local API (:mod:`flows.prefect_api`, started on first need).  If that API cannot
    be had, the run goes on with the local engine -- the same steps, without run history -- after a
    one-line notice: a run that works matters more than where its history is kept.
    """
    with Store(settings.db_url):
        pass
    if engine != "prefect":
        return engine
    try:
        url = ensure_server(default_state_dir())
    except PrefectUnavailable as exc:
        print(f"notice: {exc}; this run uses --engine local instead", file=sys.stderr, flush=True)
        return "local"
    use_api(url, verbose=os.environ.get(VERBOSE_ENV) == "1")
    return "prefect"


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
    runner: PartRunner | None = None,
) -> RunSummary:
    """The run loop shared by both engines; ``fetch``/``extract``/``persist`` are the steps or tasks.

    With a ``runner`` (Dask), extraction is split into parts that run on its workers.
    """
    total = RunSummary()
    for chunk in chunked(pmids, chunk_size):
        articles, fetched = fetch(chunk, settings, refresh=refresh, show_progress=show_progress)
        total.add(fetched)
        total.extracted += len(articles)
        total.without_abstract += sum(1 for a in articles if not a.has_abstract)
        total.full_text += sum(1 for a in articles if a.full_text)
        config = pipeline_config(settings)
        if runner is not None and articles:
            drafts = extract_in_parts(articles, config, runner, show_progress=show_progress)
        else:
            drafts = extract(articles, config, show_progress=show_progress)
        total.add(persist(drafts, settings))
    return total


fetch_task = task(fetch_step, name="fetch-articles", cache_policy=NO_CACHE)
extract_task = task(extract_and_draft, name="extract-and-draft", cache_policy=NO_CACHE)
persist_task = task(persist_step, name="persist-drafts", cache_policy=NO_CACHE)


@dataclass(frozen=True)
class DaskOptions:
    """Where extraction runs on Dask: an existing scheduler (``address``) or a local cluster (``workers``).

    Local clusters use one single-threaded process per worker: spaCy extraction holds the GIL, so
    processes, not threads, are what run in parallel.
    """

    address: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if (self.address is None) == (self.workers is None):
            raise InputError("give either --dask-address or --dask-workers, not both")
        if self.workers is not None and self.workers < 1:
            raise InputError("--dask-workers must be at least 1")

    def cluster_kwargs(self) -> dict[str, object]:
        return {"n_workers": self.workers, "processes": True, "threads_per_worker": 1, "dashboard_address": None}

    def task_runner(self) -> DaskTaskRunner:
        """The Prefect task runner for flows (``flow.with_options(task_runner=...)``)."""
        from prefect_dask import DaskTaskRunner

        if self.address:
            return DaskTaskRunner(address=self.address)
        return DaskTaskRunner(cluster_kwargs=self.cluster_kwargs())

    @contextmanager
    def part_runner(self) -> Iterator[DaskClientRunner]:
        """A runner on a ``distributed.Client`` for the local engine; a local cluster is shut down after.

        Dask's scheduler start/stop chatter (INFO) is kept out of the curator's terminal.
        """
        from distributed import Client, LocalCluster

        dask_log = logging.getLogger("distributed")
        level = dask_log.level
        dask_log.setLevel(max(level, logging.WARNING))
        try:
            if self.address:
                with Client(self.address, set_as_default=False) as client:
                    yield DaskClientRunner(client)
                return
            with LocalCluster(**self.cluster_kwargs()) as cluster, Client(cluster, set_as_default=False) as client:
                yield DaskClientRunner(client)
        finally:
            dask_log.setLevel(level)


class DaskClientRunner:
    """:class:`~flows.steps.PartRunner` on a plain Dask client (local engine)."""

    def __init__(self, client: distributed.Client) -> None:
        self.client = client
        self.slots = max(1, sum(client.nthreads().values()))

    def map(self, parts: list[list[Article]], config: PipelineConfig) -> Iterator[dict[str, list[EvidenceRecord]]]:
        futures = self.client.map(extract_and_draft, parts, config=config, show_progress=False, pure=False)
        for future in futures:
            yield future.result()


class PrefectTaskRunnerParts:
    """:class:`~flows.steps.PartRunner` that submits ``extract_task`` to the flow's Dask task runner."""

    def __init__(self, slots: int) -> None:
        self.slots = slots

    def map(self, parts: list[list[Article]], config: PipelineConfig) -> Iterator[dict[str, list[EvidenceRecord]]]:
        futures = [extract_task.submit(part, config, show_progress=False) for part in parts]
        for future in futures:
            yield future.result()


def flow_part_runner() -> PrefectTaskRunnerParts | None:
    """Inside a flow run on a ``DaskTaskRunner``: a runner submitting extraction tasks to it; else None."""
    context = FlowRunContext.get()
    # a DaskTaskRunner exists only if prefect_dask was imported: no import cost for other runs
    dask_runners = sys.modules.get("prefect_dask.task_runners")
    runner = context.task_runner if context is not None else None
    if dask_runners is None or not isinstance(runner, dask_runners.DaskTaskRunner):
        return None
    return PrefectTaskRunnerParts(max(1, sum(runner.client.nthreads().values())))


def with_dask(flow_to_run: Callable, dask: DaskOptions | None) -> Callable:
    """The flow itself, or a copy whose tasks run on Dask."""
    return flow_to_run if dask is None else flow_to_run.with_options(task_runner=dask.task_runner())


@flow(name="genelit-run-pmids", log_prints=False)
def run_pmids_flow(pmids: list[str], refresh: bool = False, chunk_size: int = 1000) -> RunSummary:
    """Fetch, extract, draft and store evidence records for ``pmids`` (Prefect flow)."""
    summary = process_pmids(
        pmids, load_settings(), refresh=refresh, chunk_size=chunk_size,
        fetch=fetch_task, extract=extract_task, persist=persist_task, runner=flow_part_runner(),
    )
    get_run_logger().info(
        "requested=%d cached=%d fetched=%d missing=%d failed=%d requests=%d records=%d",
        summary.requested, summary.cached, summary.fetched, len(summary.missing),
        len(summary.failed), summary.requests, summary.records_drafted,
    )
    return summary


def run_pmids(
    pmids: Iterable[str], *, refresh: bool = False, chunk_size: int = 1000, engine: Engine = "prefect",
    settings: Settings | None = None, show_progress: bool = True, dask: DaskOptions | None = None,
) -> RunSummary:
    """Entry point used by the CLI: pick the engine (and Dask, if asked) and run."""
    settings = settings or load_settings()
    engine = prepare_engine(engine, settings)
    if engine == "local":
        with local_part_runner(dask) as runner:
            return process_pmids(
                pmids, settings, refresh=refresh, chunk_size=chunk_size,
                show_progress=show_progress, runner=runner,
            )
    return with_dask(run_pmids_flow, dask)(list(pmids), refresh=refresh, chunk_size=chunk_size)


@contextmanager
def local_part_runner(dask: DaskOptions | None) -> Iterator[PartRunner | None]:
    """The Dask runner for the local engine, or None (extract in this process)."""
    if dask is None:
        yield None
        return
    with dask.part_runner() as runner:
        yield runner
