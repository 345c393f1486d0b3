"""The evidence store on SQLite.  ``test_store_postgres.py`` runs this same suite on PostgreSQL.

Every test gets a fresh database from the ``store_url`` fixture, which the PostgreSQL module overrides.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import EvidenceRecord, EvidenceSentence, RecordStatus
from genelit.models.review import Decision, UpsertSummary
from genelit.models.store import Store
from genelit.models.store.engine import head_revision
from genelit.models.tables import VERSION_TABLE, metadata

from genelit.errors import InputError, StoreError


def make_record(pmid: str = "9401537", gene: str = "IGF1", hgnc: str = "HGNC:5464",
                variant: str | None = "p.Val92Met", **fields: object) -> EvidenceRecord:
    """A draft as the extraction would produce it (id from make_id, like the real pipeline)."""
    return EvidenceRecord(
        record_id=EvidenceRecord.make_id(pmid, hgnc, variant),
        pmid=pmid,
        title="IGF1 deficiency",
        gene_symbol=gene,
        hgnc_id=hgnc,
        variant_key=variant,
        zygosity=fields.pop("zygosity", "homozygous"),
        confidence=fields.pop("confidence", 0.8),
        evidence=[EvidenceSentence(text="A homozygous IGF1 mutation.", start=0, end=27, highlights=[(2, 12, "zygosity")])],
        pipeline_version="1",
        **fields,
    )


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'genelit.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as s:
        yield s


# -- schema and opening -------------------------------------------------------------------------


def test_open_migrates_to_head_and_migrations_match_the_table_definitions(store: Store) -> None:
    assert store.schema_version() == head_revision()
    with store._engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models/tables.py and the migrations disagree: {diff}"


def test_reopening_is_idempotent_and_keeps_data(store_url: str) -> None:
    with Store(store_url) as first:
        first.upsert_drafts("1", [make_record("1")])
    with Store(store_url) as second:
        assert second.schema_version() == head_revision()
        assert [r.pmid for r in second.list_records()] == ["1"]


def test_sqlite_store_is_created_in_an_existing_folder_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Store(f"sqlite:///{path}") as s:
        assert path.is_file()
        with s._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_mistyped_sqlite_path_never_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "stroe" / "sub" / "genelit.db"
    with pytest.raises(StoreError, match="the folder .*stroe/sub does not exist") as err:
        Store(f"sqlite:///{path}")
    assert "\n" not in str(err.value) and "GENELIT_DB_URL" in str(err.value)
    assert not (tmp_path / "stroe").exists()
    with pytest.raises(StoreError, match="is a folder, not a SQLite file"):
        Store(f"sqlite:///{tmp_path}")


def test_a_store_that_must_exist_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "genelit.db"
    with pytest.raises(StoreError, match="there is no evidence store at") as err:
        Store(f"sqlite:///{path}", create=False)
    assert "genelit run" in str(err.value) and err.value.exit_code == 3
    assert not path.exists()
    Store(f"sqlite:///{path}").close()  # created by a run ...
    with Store(f"sqlite:///{path}", create=False) as s:  # ... then opened by the read-only commands
        assert s.list_records() == []


def test_the_default_store_folder_is_the_one_folder_created(tmp_path: Path) -> None:
    from genelit.config import default_data_dir, default_db_url

    assert default_data_dir().is_relative_to(tmp_path) and not default_data_dir().exists()  # XDG_DATA_HOME
    with pytest.raises(StoreError, match="there is no evidence store"):
        Store(default_db_url(), create=False)
    assert not default_data_dir().exists()
    Store(default_db_url()).close()
    assert (default_data_dir() / "genelit.db").is_file()


def test_unopenable_database_is_a_one_line_store_error(tmp_path: Path) -> None:
    garbage = tmp_path / "genelit.db"
    garbage.write_bytes(b"not a SQLite database, " * 100)
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{garbage}")
    assert "\n" not in str(err.value) and "cannot open the evidence store" in str(err.value)
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://u@localhost/x")


def test_database_newer_than_code_is_refused(store_url: str) -> None:
    with Store(store_url) as s, s._engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'ffff_future'"))
    with pytest.raises(StoreError, match="newer than this genelit"):
        Store(store_url)


# -- article cache and fetch failures ----------------------------------------------------------


def _article(pmid: str, title: str = "A title") -> Article:
    return Article(pmid=pmid, title=title, abstract_sections=[AbstractSection(label="METHODS", text="We looked.")])


def test_articles_round_trip_in_input_order_and_upsert(store: Store) -> None:
    assert store.save_articles([_article("2"), _article("1")]) == 2
    assert store.cached_pmids(["1", "3"]) == {"1"}
    loaded = store.load_articles(["3", "2", "1"])
    assert [a.pmid for a in loaded] == ["2", "1"]
    assert loaded[0].text == "A title METHODS: We looked."
    store.save_articles([_article("2", "Corrected title")])
    assert store.load_articles(["2"])[0].title == "Corrected title"


def test_fetch_failures_are_recorded_counted_and_cleared(store: Store) -> None:
    store.record_fetch_failures({"5": "HTTP 500", "6": "timeout"})
    store.record_fetch_failures({"5": "HTTP 502"})
    assert store.fetch_failures() == {"5": "HTTP 502", "6": "timeout"}
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT attempts FROM fetch_failures WHERE pmid = '5'").scalar() == 2
    store.clear_fetch_failures(["6"])
    store.save_articles([_article("5")])  # fetched at last: no longer a failure
    assert store.fetch_failures() == {}


# -- drafts and re-runs --------------------------------------------------------------------------


def test_upsert_is_idempotent(store: Store) -> None:
    records = [make_record(), make_record(variant="p.Arg5Ter")]
    assert store.upsert_drafts("9401537", records) == UpsertSummary(created=2)
    assert store.upsert_drafts("9401537", records) == UpsertSummary(unchanged=2)
    assert len(store.list_records()) == 2


def test_rerun_replaces_a_draft_but_keeps_its_creation_time(store: Store) -> None:
    store.upsert_drafts("9401537", [make_record()])
    created = store.list_records()[0].created_at
    summary = store.upsert_drafts("9401537", [make_record(zygosity="heterozygous")])
    assert summary == UpsertSummary(updated=1)
    (record,) = store.list_records()
    assert record.zygosity == "heterozygous" and record.created_at == created
    assert record.updated_at is not None and record.updated_at.tzinfo is not None


def test_accepted_record_with_note_survives_a_changed_rerun_and_the_disagreement_is_flagged(store: Store) -> None:
    original = make_record()
    store.upsert_drafts(original.pmid, [original])
    store.review(original.record_id, "accept", "alice", note="confirmed in Table 2")

    summary = store.upsert_drafts(original.pmid, [make_record(zygosity="heterozygous", confidence=0.4)])

    assert summary == UpsertSummary(conflicts=1)
    kept = store.get_record(original.record_id)
    assert (kept.status, kept.curator, kept.note, kept.zygosity) == (
        RecordStatus.ACCEPTED, "alice", "confirmed in Table 2", "homozygous")
    pending = store.pending_extraction(original.record_id)
    assert pending is not None and pending.zygosity == "heterozygous"
    assert store.records_with_updates() == {original.record_id}
    # the same disagreeing extraction again is not a new conflict
    assert store.upsert_drafts(original.pmid, [make_record(zygosity="heterozygous", confidence=0.4)]) == UpsertSummary(unchanged=1)
    # the extraction agrees with what was reviewed again: the stale update goes away
    assert store.upsert_drafts(original.pmid, [original]) == UpsertSummary(updated=1)
    assert store.pending_extraction(original.record_id) is None
    assert store.get_record(original.record_id).note == "confirmed in Table 2"


def test_a_curator_edit_is_not_reported_as_a_disagreement_on_rerun(store: Store) -> None:
    record = make_record()
    store.upsert_drafts(record.pmid, [record])
    store.edit(record.record_id, {"zygosity": "heterozygous"}, "alice")
    # the pipeline still says homozygous, as when alice reviewed it: nothing new to tell her
    assert store.upsert_drafts(record.pmid, [record]) == UpsertSummary(unchanged=1)
    assert store.get_record(record.record_id).zygosity == "heterozygous"
    # a new pipeline version that says the same thing is not a disagreement either
    assert store.upsert_drafts(record.pmid, [record.model_copy(update={"pipeline_version": "2"})]) == UpsertSummary(unchanged=1)


def test_deciding_dismisses_the_pending_update_and_makes_it_the_new_baseline(store: Store) -> None:
    record = make_record()
    store.upsert_drafts(record.pmid, [record])
    store.review(record.record_id, "accept", "alice")
    newer = make_record(zygosity="heterozygous")
    store.upsert_drafts(record.pmid, [newer])
    store.edit(record.record_id, {"zygosity": "heterozygous"}, "bob", note="took the update")
    assert store.pending_extraction(record.record_id) is None
    assert store.upsert_drafts(record.pmid, [newer]) == UpsertSummary(unchanged=1)
    dismissed = [e for e in store.audit_trail(record.record_id) if e.field == "pending_update"]
    assert [(e.curator, e.before) for e in dismissed] == [("bob", ["zygosity"])]


def test_drafts_missing_from_a_rerun_are_retired_and_reviewed_ones_kept(store: Store) -> None:
    a, b, c = make_record(variant="p.A1B"), make_record(variant="p.C2D"), make_record(variant="p.E3F")
    store.upsert_drafts(a.pmid, [a, b, c])
    store.review(b.record_id, "reject", "alice", note="not this gene")

    assert store.upsert_drafts(a.pmid, [c]) == UpsertSummary(unchanged=1, retired=1)
    assert {r.record_id for r in store.list_records()} == {b.record_id, c.record_id}
    assert [r.record_id for r in store.list_records(status="retired")] == [a.record_id]
    assert store.get_record(b.record_id).status == RecordStatus.REJECTED
    # found again by a later run: back in the list
    assert store.upsert_drafts(a.pmid, [a, c]) == UpsertSummary(updated=1, unchanged=1)
    assert store.list_records(status="retired") == []


def test_upsert_rejects_records_of_another_paper_and_duplicates(store: Store) -> None:
    with pytest.raises(InputError, match="PMID 2"):
        store.upsert_drafts("1", [make_record("2")])
    with pytest.raises(InputError, match="duplicate"):
        store.upsert_drafts("1", [make_record("1"), make_record("1")])
    assert store.list_records() == []


def test_list_filters(store: Store) -> None:
    store.upsert_drafts("1", [make_record("1"), make_record("1", gene="GHR", hgnc="HGNC:4263")])
    store.upsert_drafts("2", [make_record("2")])
    store.review(make_record("2").record_id, "accept", "alice")
    assert {r.pmid for r in store.list_records(gene="igf1")} == {"1", "2"}
    assert [r.gene_symbol for r in store.list_records(gene="HGNC:4263")] == ["GHR"]
    assert [r.pmid for r in store.list_records(gene="IGF1", status="accepted")] == ["2"]
    assert [r.gene_symbol for r in store.list_records(pmid="1", status="draft")] == ["GHR", "IGF1"]
    with pytest.raises(InputError, match="unknown status"):
        store.list_records(status="approved")


# -- looking records up --------------------------------------------------------------------------


def test_get_record_by_id_prefix(store: Store) -> None:
    twins = [make_record(variant=v).model_copy(update={"record_id": f"abcdef00000000{i}"}) for i, v in enumerate(("x1", "x2"))]
    store.upsert_drafts("9401537", twins)
    assert store.get_record("abcdef000000000").variant_key == "x1"
    assert store.get_record("ABCDEF000000001").variant_key == "x2"
    with pytest.raises(InputError, match="ambiguous"):
        store.get_record("abcdef")
    with pytest.raises(InputError, match="no evidence record"):
        store.get_record("ffffff")
    with pytest.raises(InputError, match="too short"):
        store.get_record("abc")
    with pytest.raises(InputError, match="no evidence record"):
        store.get_record("abcde%")  # LIKE wildcards are taken literally


# -- decisions and the audit trail ---------------------------------------------------------------


def test_edit_validates_and_records_before_and_after(store: Store) -> None:
    record = make_record()
    store.upsert_drafts(record.pmid, [record])
    edited = store.edit(record.record_id, {"zygosity": "heterozygous", "proband_count": "3"}, "alice", note="Table 2")
    assert (edited.status, edited.zygosity, edited.proband_count, edited.note) == (
        RecordStatus.EDITED, "heterozygous", 3, "Table 2")
    trail = {e.field: e for e in store.audit_trail(record.record_id)}
    assert (trail["zygosity"].before, trail["zygosity"].after) == ("homozygous", "heterozygous")
    assert (trail["proband_count"].before, trail["proband_count"].after) == (None, 3)
    assert (trail["status"].before, trail["status"].after) == ("draft", "edited")
    assert {(e.curator, e.action, e.via, e.note) for e in trail.values()} == {("alice", "edit", "review", "Table 2")}
    assert all(e.at.tzinfo is not None for e in trail.values())

    with pytest.raises(InputError, match="cannot edit status"):
        store.edit(record.record_id, {"status": "accepted"}, "alice")
    with pytest.raises(InputError, match="proband_count"):
        store.edit(record.record_id, {"proband_count": "three"}, "alice")
    with pytest.raises(InputError, match="curator"):
        store.edit(record.record_id, {"zygosity": "x"}, "  ")
    assert store.get_record(record.record_id).proband_count == 3


def test_review_keeps_the_earlier_note_when_none_is_given(store: Store) -> None:
    record = make_record()
    store.upsert_drafts(record.pmid, [record])
    store.review(record.record_id, "reject", "alice", note="wrong gene")
    accepted = store.review(record.record_id, "accept", "bob")
    assert (accepted.status, accepted.curator, accepted.note) == (RecordStatus.ACCEPTED, "bob", "wrong gene")
    assert [(e.curator, e.before, e.after) for e in store.audit_trail(record.record_id)] == [
        ("alice", "draft", "rejected"), ("bob", "rejected", "accepted")]
    with pytest.raises(InputError, match="accept or reject"):
        store.review(record.record_id, "maybe", "bob")  # type: ignore[arg-type]


def test_apply_decisions_is_all_or_nothing_and_names_every_bad_row(store: Store) -> None:
    a, b = make_record(variant="p.A1B"), make_record(variant="p.C2D")
    store.upsert_drafts(a.pmid, [a, b])
    bad_batch = [
        Decision(row=2, record_id=a.record_id, decision="accept", note="ok"),
        Decision(row=3, record_id="ffffffffffff", decision="reject"),
        Decision(row=4, record_id=b.record_id, decision="edit", changes={"proband_count": "many"}),
        Decision(row=5, record_id=b.record_id[:8], decision="maybe"),  # type: ignore[arg-type]
    ]
    with pytest.raises(InputError) as err:
        store.apply_decisions(bad_batch, "alice")
    message = str(err.value)
    assert "3 invalid row(s)" in message and "nothing imported" in message
    assert all(f"row {n}:" in message for n in (3, 4, 5)) and "row 2:" not in message
    assert {r.status for r in store.list_records()} == {RecordStatus.DRAFT}
    assert store.audit_trail(a.record_id) == []

    good_batch = [
        Decision(row=2, record_id=a.record_id, decision="accept", note="ok"),
        Decision(row=3, record_id=b.record_id[:8], decision="edit", note="per text", changes={"zygosity": "heterozygous"}),
    ]
    assert store.apply_decisions(good_batch, "alice") == 2
    assert store.get_record(a.record_id).status == RecordStatus.ACCEPTED
    edited = store.get_record(b.record_id)
    assert (edited.status, edited.zygosity, edited.note) == (RecordStatus.EDITED, "heterozygous", "per text")
    assert {e.via for e in store.audit_trail(b.record_id)} == {"import"}


def test_apply_decisions_rejects_two_rows_for_one_record(store: Store) -> None:
    a = make_record()
    store.upsert_drafts(a.pmid, [a])
    with pytest.raises(InputError, match="row 7: record .* already decided in row 6"):
        store.apply_decisions([Decision(6, a.record_id, "accept"), Decision(7, a.record_id, "reject")], "alice")


# -- scan watermarks -------------------------------------------------------------------------------


def test_watermarks(store: Store) -> None:
    assert store.get_watermark("IGF1") is None
    store.set_watermark("IGF1", date(2024, 1, 31))
    store.set_watermark("IGF1", date(2024, 2, 29))
    store.set_watermark("GHR", date(2023, 5, 1))
    assert store.get_watermark("IGF1") == date(2024, 2, 29)
    assert store.get_watermark("GHR") == date(2023, 5, 1)


# -- values real data brings ------------------------------------------------------------------------

LONG_SYMBOL = "UL97 protein kinase of human cytomegalovirus, as named in one BioRED abstract"  # 78 chars


def test_a_gene_symbol_longer_than_64_characters_is_stored_whole(store: Store) -> None:
    """PostgreSQL once stopped a run at varchar(64) (migration 0003_text_columns); SQLite never did."""
    record = make_record("9401538", gene=LONG_SYMBOL, hgnc="HGNC:" + "9" * 40, variant="c." + "A" * 300 + "del")
    assert store.upsert_drafts("9401538", [record]).created == 1
    (stored,) = store.list_records(pmid="9401538")
    assert (stored.gene_symbol, stored.hgnc_id, stored.variant_key) == (LONG_SYMBOL, record.hgnc_id, record.variant_key)
