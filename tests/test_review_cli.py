"""``genelit review`` against a real SQLite store in a temporary directory.

Most tests drive the Typer app in-process (importing only the review module, so other command
modules being rewritten at the same time cannot break these tests); one runs the installed console
script to check the user-facing error contract (one line, exit code 2).
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import genelit.flows.cli.review as review_cli
import pytest
from genelit.flows.cli.app import app
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    Phenotype,
    RecordStatus,
)
from genelit.models.store import Store
from typer.testing import CliRunner

from genelit.config import settings
from genelit.errors import InputError

TEXT = "IGF1 deficiency. A homozygous c.274G>A (p.Val92Met) mutation in IGF1 was found in a consanguineous family."
SENTENCE_START = 17


def igf1_record(zygosity: str = "homozygous") -> EvidenceRecord:
    def at(fragment: str) -> tuple[int, int]:
        start = TEXT.index(fragment, SENTENCE_START)
        return start, start + len(fragment)

    return EvidenceRecord(
        record_id=EvidenceRecord.make_id("9401537", "HGNC:5464", "p.Val92Met"),
        pmid="9401537",
        gene_symbol="IGF1",
        hgnc_id="HGNC:5464",
        variant_key="p.Val92Met",
        hgvs_c="c.274G>A",
        zygosity=zygosity,
        confidence=0.85,
        phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation")],
        evidence=[
            EvidenceSentence(
                text=TEXT[SENTENCE_START:],
                start=SENTENCE_START,
                end=len(TEXT),
                highlights=[(*at("homozygous"), "zygosity"), (*at("c.274G>A"), "variant"), (*at("IGF1"), "gene")],
            )
        ],
    )


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'review.db'}"
    monkeypatch.setenv("GENELIT_DB_URL", url)
    monkeypatch.setenv("GENELIT_CURATOR", "alice")
    settings.cache_clear()
    yield url
    settings.cache_clear()


@pytest.fixture
def record(db_url: str) -> EvidenceRecord:
    r = igf1_record()
    with Store(db_url) as store:
        store.upsert_drafts(r.pmid, [r])
    return r


def invoke(*args: str) -> tuple[int, str, BaseException | None]:
    """Run ``genelit review ...`` in-process; errors propagate as in the real ``main`` (not swallowed)."""
    result = CliRunner().invoke(app, ["review", *args], standalone_mode=False)
    exception = None if result.exception is None or isinstance(result.exception, SystemExit) else result.exception
    return result.exit_code, result.output, exception


def test_every_command_has_help() -> None:
    for command in ("list", "show", "accept", "reject", "edit", "history"):
        result = CliRunner().invoke(app, ["review", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
    edit_help = CliRunner().invoke(app, ["review", "edit", "--help"]).output
    for option in ("--zygosity", "--inheritance", "--hgvs-c", "--hgvs-p", "--variant-key", "--disease-id",
                   "--disease-label", "--proband-count", "--segregation", "--gene-symbol", "--note"):
        assert option in edit_help


def test_list_shows_records_and_filters(record: EvidenceRecord) -> None:
    code, out, exc = invoke("list")
    assert (code, exc) == (0, None)
    assert record.record_id[:8] in out and "IGF1" in out and "p.Val92Met" in out and "homozygous" in out
    assert "0.85" in out
    _, out, _ = invoke("list", "--gene", "GHR")
    assert "no evidence records match" in out
    _, out, exc = invoke("list", "--status", "approved")
    assert isinstance(exc, InputError)


def test_accept_with_note_is_stored_with_curator_from_environment(record: EvidenceRecord, db_url: str) -> None:
    code, out, exc = invoke("accept", record.record_id[:7], "--note", "confirmed in Table 2")
    assert (code, exc) == (0, None) and "accepted by alice" in out
    with Store(db_url) as store:
        stored = store.get_record(record.record_id)
    assert (stored.status, stored.curator, stored.note) == (RecordStatus.ACCEPTED, "alice", "confirmed in Table 2")


def test_reject_with_explicit_curator(record: EvidenceRecord, db_url: str) -> None:
    invoke("reject", record.record_id, "--curator", "bob", "--note", "wrong gene")
    with Store(db_url) as store:
        assert store.get_record(record.record_id).curator == "bob"


def test_edit_changes_fields_and_history_shows_before_and_after(record: EvidenceRecord, db_url: str) -> None:
    code, _, exc = invoke("edit", record.record_id[:8], "--zygosity", "heterozygous", "--hgvs-c", "c.275G>A",
                          "--proband-count", "2", "--disease-label", "", "--note", "per Figure 1")
    assert (code, exc) == (0, None)
    with Store(db_url) as store:
        stored = store.get_record(record.record_id)
    assert (stored.status, stored.zygosity, stored.hgvs_c, stored.proband_count) == (
        RecordStatus.EDITED, "heterozygous", "c.275G>A", 2)
    _, out, _ = invoke("history", record.record_id[:8])
    assert "zygosity" in out and "homozygous" in out and "heterozygous" in out and "per Figure 1" in out


def test_edit_with_a_bad_value_or_nothing_to_change_is_an_input_error(record: EvidenceRecord) -> None:
    assert isinstance(invoke("edit", record.record_id, "--proband-count", "several")[2], InputError)
    assert isinstance(invoke("edit", record.record_id)[2], InputError)


def test_show_flags_a_newer_disagreeing_extraction(record: EvidenceRecord, db_url: str) -> None:
    invoke("accept", record.record_id, "--note", "checked")
    with Store(db_url) as store:
        store.upsert_drafts(record.pmid, [igf1_record(zygosity="heterozygous")])
    _, out, _ = invoke("list")
    assert "newer" in out
    code, out, exc = invoke("show", record.record_id[:6])
    assert (code, exc) == (0, None)
    assert "pending update" in out and "heterozygous" in out
    assert "Intrauterine growth retardation (HP:0001511)" in out
    assert "A homozygous c.274G>A (p.Val92Met) mutation in IGF1" in out.replace("\n", " ")
    assert "History" in out and "checked" in out


def test_evidence_sentence_spans_are_styled_at_their_offsets() -> None:
    sentence = igf1_record().evidence[0]
    styled = review_cli.highlighted_sentence(sentence)
    spans = {(str(styled)[s.start:s.end], str(s.style)) for s in styled.spans}
    assert spans == {
        ("homozygous", review_cli.HIGHLIGHT_STYLES["zygosity"]),
        ("c.274G>A", review_cli.HIGHLIGHT_STYLES["variant"]),
        ("IGF1", review_cli.HIGHLIGHT_STYLES["gene"]),
    }


def test_unknown_id_is_a_one_line_error_with_exit_code_2(db_url: str) -> None:
    """Through the installed ``genelit`` console script, as a curator would run it."""
    Store(db_url).close()
    script = Path(sys.executable).with_name("genelit")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from genelit.flows.cli import main; main()"]
    result = subprocess.run([*command, "review", "accept", "0123456789"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "no evidence record with id '0123456789'" in result.stderr and "Traceback" not in result.stderr


def test_curator_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENELIT_CURATOR", "carol")
    assert review_cli.default_curator(None) == "carol"
    assert review_cli.default_curator("dave") == "dave"
    monkeypatch.delenv("GENELIT_CURATOR")
    assert review_cli.default_curator(None)  # the login name


def test_edit_checks_values_against_grammar_and_lexicons(record: EvidenceRecord, db_url: str) -> None:
    """The same checks as `review import` and the web app (outputs.edits)."""
    code, _, exc = invoke("edit", record.record_id, "--hgvs-c", "c.274G>Z")
    assert isinstance(exc, InputError) and "is not c./n./r. HGVS" in str(exc)
    code, _, exc = invoke("edit", record.record_id, "--inheritance", "autosomal recessive")
    assert (code, exc) == (0, None)
    with Store(db_url) as store:
        stored = store.get_record(record.record_id)
    assert (stored.inheritance, stored.inheritance_hpo) == ("Autosomal recessive inheritance", "HP:0000007")
