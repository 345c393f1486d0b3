"""Several real processes writing one store at once (SQLite here; PostgreSQL in test_store_postgres.py).

Workers run in ``spawn``ed processes so each opens its own connections, as two ``genelit run``
invocations or a nightly scan plus a curator would.
"""
from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.store import Store
from genelit.models.store.engine import head_revision

CTX = multiprocessing.get_context("spawn")
RECORDS_PER_PMID = 3
JOIN_TIMEOUT_S = 180


def records_for(pmid: str, zygosity: str = "homozygous") -> list[EvidenceRecord]:
    return [
        EvidenceRecord(
            record_id=EvidenceRecord.make_id(pmid, "HGNC:5464", f"p.Val{i}Met"),
            pmid=pmid,
            gene_symbol="IGF1",
            hgnc_id="HGNC:5464",
            variant_key=f"p.Val{i}Met",
            zygosity=zygosity,
        )
        for i in range(RECORDS_PER_PMID)
    ]


def open_store_worker(url: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    with Store(url) as store:
        results.put(store.schema_version())


def write_drafts_worker(url: str, pmids: list[str], barrier: Any, results: Any) -> None:
    with Store(url) as store:
        barrier.wait()
        created = sum(store.upsert_drafts(p, records_for(p)).created for p in pmids)
    results.put(created)


def rerun_worker(url: str, pmid: str, rounds: int, barrier: Any, results: Any) -> None:
    """A re-run that keeps changing its mind about zygosity while a curator is reviewing."""
    with Store(url) as store:
        barrier.wait()
        for i in range(rounds):
            store.upsert_drafts(pmid, records_for(pmid, "heterozygous" if i % 2 else "homozygous"))
    results.put("rerun done")


def curator_worker(url: str, record_ids: list[str], barrier: Any, results: Any) -> None:
    with Store(url) as store:
        barrier.wait()
        for record_id in record_ids:
            store.review(record_id, "accept", "alice", note=f"checked {record_id}")
    results.put("reviews done")


def run_processes(targets: list[tuple[Any, tuple[Any, ...]]]) -> list[Any]:
    """Start one process per (function, args), synchronised on a barrier; return what each reported."""
    barrier, results = CTX.Barrier(len(targets)), CTX.Queue()
    processes = [CTX.Process(target=fn, args=(*args, barrier, results)) for fn, args in targets]
    for p in processes:
        p.start()
    for p in processes:  # results are tiny, so a finished worker never blocks on the queue
        p.join(JOIN_TIMEOUT_S)
    assert [p.exitcode for p in processes] == [0] * len(processes)
    return [results.get(timeout=5) for _ in processes]


def check_concurrent_migration(url: str) -> None:
    assert run_processes([(open_store_worker, (url,)), (open_store_worker, (url,))]) == [head_revision()] * 2


def check_concurrent_writers(url: str) -> None:
    """2 × 50 PMIDs, half of them shared: every record present exactly once, created exactly once."""
    first = [str(10_000 + i) for i in range(50)]
    second = [str(10_025 + i) for i in range(50)][::-1]  # overlap 25, met in opposite order
    created = run_processes([(write_drafts_worker, (url, first)), (write_drafts_worker, (url, second))])
    expected = {r.record_id for p in set(first) | set(second) for r in records_for(p)}
    assert sum(created) == len(expected) == 75 * RECORDS_PER_PMID
    with Store(url) as store:
        stored = [r.record_id for r in store.list_records()]
    assert sorted(stored) == sorted(expected)


def check_review_during_rerun(url: str) -> None:
    pmids = [str(20_000 + i) for i in range(4)]
    with Store(url) as store:
        for p in pmids:
            store.upsert_drafts(p, records_for(p))
    reviewed = [r.record_id for p in pmids for r in records_for(p)]
    run_processes(
        [(rerun_worker, (url, p, 15)) for p in pmids[:2]] + [(curator_worker, (url, reviewed))]
    )
    with Store(url) as store:
        for record_id in reviewed:
            record = store.get_record(record_id)
            assert (record.status, record.curator, record.note) == (
                RecordStatus.ACCEPTED, "alice", f"checked {record_id}"), record_id
            assert [e.after for e in store.audit_trail(record_id) if e.field == "status"] == ["accepted"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'shared.db'}"


@pytest.mark.slow
def test_two_processes_migrating_a_fresh_sqlite_file(sqlite_url: str) -> None:
    check_concurrent_migration(sqlite_url)


@pytest.mark.slow
def test_two_writer_processes_on_one_sqlite_file(sqlite_url: str) -> None:
    check_concurrent_writers(sqlite_url)
    with sa.create_engine(sqlite_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


@pytest.mark.slow
def test_a_review_during_a_concurrent_rerun_is_not_lost_on_sqlite(sqlite_url: str) -> None:
    check_review_during_rerun(sqlite_url)
