"""Review-queue pages from the store (models.store.queue): filters, order, paging, counts, versions,
on SQLite and PostgreSQL, and migration 0002 filling the queue columns of records stored before it."""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store
from genelit.models.store.engine import alembic_config
from genelit.models.store.queue import RecordQuery, queue_role
from test_store import make_record

from genelit.errors import InputError

PG_URL = os.environ.get("GENELIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store(f"sqlite:///{tmp_path / 'queue.db'}") as s:
            yield s
        return
    admin = sa.create_engine(PG_URL)
    try:
        admin.connect().close()
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {str(exc.orig).splitlines()[0]}")
    schema = f"genelit_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        with Store(sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
                   .render_as_string(hide_password=False)) as s:
            yield s
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def fill(store: Store) -> list[EvidenceRecord]:
    """12 records over 4 papers and 3 genes, confidences 0.05 apart."""
    records = [
        make_record(pmid=f"{100 + i // 3}", gene=gene, hgnc=hgnc, variant=f"p.Val{i}Met", confidence=round(0.3 + 0.05 * i, 2))
        for i, (gene, hgnc) in enumerate([("IGF1", "HGNC:5464"), ("GHR", "HGNC:4263"), ("IGF1", "HGNC:5464")] * 4)
    ]
    for pmid in sorted({r.pmid for r in records}):
        store.upsert_drafts(pmid, [r for r in records if r.pmid == pmid])
    return records


def ids(page: object) -> list[str]:
    return [row.record.record_id for row in page.rows]  # type: ignore[attr-defined]


def test_pages_cover_every_match_once_in_order(store: Store) -> None:
    records = fill(store)
    by_confidence = [r.record_id for r in sorted(records, key=lambda r: (-r.confidence, r.record_id))]
    pages = [store.record_page(RecordQuery(sort="confidence", descending=True, page=n, per_page=5)) for n in (1, 2, 3)]
    assert [ids(p) for p in pages] == [by_confidence[:5], by_confidence[5:10], by_confidence[10:]]
    assert {p.total for p in pages} == {12} and pages[0].pages == 3


def test_filters_and_counts(store: Store) -> None:
    records = fill(store)
    store.review(records[0].record_id, "accept", "alice")
    page = store.record_page(RecordQuery(gene="igf1", min_confidence=0.5))
    assert sorted(ids(page)) == sorted(r.record_id for r in records if r.gene_symbol == "IGF1" and r.confidence >= 0.5)
    assert store.record_page(RecordQuery(gene="HGNC:4263")).total == 4
    assert ids(store.record_page(RecordQuery(status="accepted"))) == [records[0].record_id]
    assert store.record_page(RecordQuery(pmid="101")).total == 3
    counts = store.record_page(RecordQuery()).gene_counts
    assert counts == [("IGF1", {"accepted": 1, "draft": 7}), ("GHR", {"draft": 4})]
    assert store.record_page(RecordQuery(min_confidence=0.5)).status_counts == {"draft": 8}


def test_retired_drafts_pending_updates_and_versions(store: Store) -> None:
    records = fill(store)
    first = records[0]
    store.review(first.record_id, "accept", "alice")
    store.upsert_drafts(first.pmid, [first.model_copy(update={"zygosity": "heterozygous"})])  # retires 2, flags 1
    retired = store.record_page(RecordQuery(status="retired"))
    assert retired.total == 2 and store.record_page(RecordQuery()).status_counts["retired"] == 2
    [row] = store.record_page(RecordQuery(updates_only=True)).rows
    assert row.record.record_id == first.record_id and row.has_update
    before = row.version
    store.review(first.record_id, "accept", "bob")
    assert store.record_page(RecordQuery(pmid=first.pmid)).rows[0].version > before


def test_role_is_read_when_records_have_one(store: Store) -> None:
    fill(store)
    assert store.record_page(RecordQuery(role="case")).total == sum(
        1 for r in store.list_records() if queue_role(r) == "case")


def test_bad_queries_are_input_errors() -> None:
    for bad in ({"status": "approved"}, {"role": "proband"}, {"sort": "colour"}, {"page": 0},
                {"per_page": 10_000}, {"min_confidence": 1.5}):
        with pytest.raises(InputError):
            RecordQuery(**bad)  # type: ignore[arg-type]


def test_migration_fills_queue_columns_of_older_records(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        old = make_record(confidence=0.42)
        data = old.model_dump(mode="json")
        conn.execute(sa.text(
            "INSERT INTO evidence_records (record_id, pmid, gene_symbol, hgnc_id, variant_key, status, updated_at, "
            "data, extracted) VALUES (:id, :pmid, 'IGF1', 'HGNC:5464', 'p.Val92Met', 'draft', '2024-01-01 00:00:00', "
            ":data, :data)"), {"id": old.record_id, "pmid": old.pmid, "data": json.dumps(data)})
    engine.dispose()
    with Store(url) as store:
        # the confidence filter reads the copied column, so the record is found only if 0002 filled it
        assert ids(store.record_page(RecordQuery(min_confidence=0.4, max_confidence=0.45))) == [old.record_id]
        assert ids(store.record_page(RecordQuery(min_confidence=0.45))) == []
