"""Extraction on Dask gives the same records as the single-process run.

One 2-worker ``LocalCluster`` (processes, one thread each) serves the module: the local engine talks
to it through a ``distributed.Client``; the Prefect engine -- a watchlist scan, as ``genelit schedule``
runs it -- through prefect-dask's ``DaskTaskRunner``.  Both are compared with a plain single-process
run over the same 40 real abstracts.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from genelit.flows.pubmed_flow import DaskOptions, run_pmids
from genelit.flows.replay import ReplayServer, records_from_pubtator
from genelit.flows.scan_flow import run_scan
from genelit.flows.scan_targets import gene_target
from genelit.flows.steps import MIN_PART_SIZE, open_store, part_size

from genelit.config import load_settings

CORPUS = Path(__file__).parent / "data" / "entrez" / "biored_texts_450.PubTator.gz"
N_ABSTRACTS = 40


@pytest.fixture(scope="module")
def abstracts() -> dict[str, bytes]:
    return records_from_pubtator(CORPUS, limit=N_ABSTRACTS)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture
def replay(abstracts: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    # the IGF1 query finds all of them (for the watchlist scan)
    with ReplayServer(abstracts, searches={gene_target("IGF1").query: list(abstracts)}) as server:
        monkeypatch.setenv("GENELIT_EUTILS_URL", server.url)
        monkeypatch.setenv("GENELIT_RATE_LIMIT", "1000")
        yield server


def stored_records(db_url: str) -> list[dict[str, Any]]:
    """Every record of a store, without the timestamps of when it was written."""
    return [r.model_dump(mode="json", exclude={"created_at", "updated_at"}) for r in open_store(db_url).list_records()]


def run_into(db: Path, pmids: list[str], **kwargs: Any) -> list[dict[str, Any]]:
    settings = load_settings(db_url=f"sqlite:///{db}")
    summary = run_pmids(pmids, engine="local", settings=settings, show_progress=False, **kwargs)
    assert summary.ok and summary.extracted == len(pmids)
    return stored_records(settings.db_url)


def pipeline_builds(client: Any) -> dict[str, tuple[int, int]]:
    """Per worker: (pipeline builds, cached uses) of ``load_pipeline``."""

    def counts() -> tuple[int, int]:
        from genelit.extractors.pipeline import load_pipeline

        info = load_pipeline.cache_info()
        return info.misses, info.hits

    return client.run(counts)


def test_local_engine_on_dask_matches_single_process(replay, cluster, tmp_path) -> None:
    from distributed import Client

    pmids = list(replay.pool)
    single = run_into(tmp_path / "single.db", pmids)
    on_dask = run_into(tmp_path / "dask.db", pmids, dask=DaskOptions(address=cluster.scheduler_address))
    assert single and on_dask == single
    with Client(cluster.scheduler_address) as client:
        builds = pipeline_builds(client)
    # 40 articles on 2 slots -> 2 parts; each worker process built the pipeline at most once
    assert part_size(N_ABSTRACTS, 2) == MIN_PART_SIZE
    assert sum(misses + hits for misses, hits in builds.values()) == N_ABSTRACTS // MIN_PART_SIZE
    assert all(misses <= 1 for misses, _hits in builds.values())


def test_prefect_scan_on_dask_task_runner_matches_single_process(replay, cluster, tmp_path, monkeypatch, prefect_harness) -> None:
    single = run_into(tmp_path / "single.db", list(replay.pool))
    db_url = f"sqlite:///{tmp_path / 'prefect.db'}"
    monkeypatch.setenv("GENELIT_DB_URL", db_url)  # the flow reads its settings from the environment
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text('genes = ["IGF1"]\n')
    result = run_scan(watchlist, tmp_path / "digests", engine="prefect", dask=DaskOptions(address=cluster.scheduler_address))
    (gene,) = result.genes
    assert result.ok and gene.summary.fetched == N_ABSTRACTS
    assert stored_records(db_url) == single
    assert sorted(r.record_id for r in gene.new_records) == sorted(r["record_id"] for r in single)
    assert open_store(db_url).get_watermark("HGNC:5464") is not None


def test_dask_options_need_exactly_one_target() -> None:
    from genelit.errors import InputError

    with pytest.raises(InputError):
        DaskOptions()
    with pytest.raises(InputError):
        DaskOptions(address="tcp://127.0.0.1:8786", workers=2)
    with pytest.raises(InputError):
        DaskOptions(workers=0)
    assert DaskOptions(workers=3).cluster_kwargs()["n_workers"] == 3
