"""Tables and messages fit where they are printed: on a terminal no word is broken across lines ("homozygou"
/ "s"), in a pipe or a file nothing is hard-wrapped (one row, one message per line)."""
from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from cli_harness import assert_clean_stderr, cli_env, genelit, sqlite_url
from genelit.flows.cli.app import print_table
from genelit.flows.replay import ReplayServer
from genelit.models.evidence import EvidenceRecord, EvidenceSentence
from genelit.models.store import Store
from rich.console import Console
from rich.table import Table

LONG_VARIANT = "c.1234_1240delinsACGTTGCATT"
ROWS = [
    ("9ff7a943", "accepted", "9401537", "IGF1", LONG_VARIANT, "compound heterozygous", "0.85"),
    ("0c1d2e3f", "draft", "15769976", "IGF1", "p.Val92Met", "homozygous", "0.80"),
]


def review_table() -> Table:
    table = Table(title="2 evidence record(s)")
    for name in ("id", "status", "pmid", "gene", "variant", "zygosity", "conf."):
        table.add_column(name)
    for row in ROWS:
        table.add_row(*row)
    return table


def printed(width: int, terminal: bool) -> list[str]:
    out = StringIO()
    console = Console(file=out, width=width, force_terminal=terminal, color_system=None)
    print_table(review_table(), console)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [30, 50, 80, 120])
def test_on_a_terminal_no_word_is_broken_and_no_line_is_too_long(width: int) -> None:
    lines = printed(width, terminal=True)
    assert lines and all(len(line) <= width for line in lines)
    words = {word for row in ROWS for cell in row for word in cell.split()}
    seen = {word for line in lines for word in re.split(r"[\s│┃|·]+", line) if word}
    assert words <= seen, sorted(words - seen)  # every word whole on one line (no "homozygou" + "s")


def test_a_table_that_fits_stays_a_table_and_one_that_does_not_becomes_paragraphs() -> None:
    wide = printed(120, terminal=True)
    assert any("id" in line and "zygosity" in line for line in wide)  # one header row
    narrow = printed(50, terminal=True)
    assert not any("id" in line and "zygosity" in line and "conf." in line for line in narrow)
    assert any(line.startswith("id 9ff7a943 · status accepted") for line in narrow)


def test_in_a_pipe_every_row_is_one_line_at_any_width() -> None:
    for width in (30, 80):
        lines = printed(width, terminal=False)
        for row in ROWS:
            assert sum(all(cell in line for cell in row) for line in lines) == 1, lines


def test_review_list_and_errors_piped_are_not_hard_wrapped(tmp_path: Path) -> None:
    text = f"A compound heterozygous {LONG_VARIANT} mutation in IGF1."
    record = EvidenceRecord(
        record_id=EvidenceRecord.make_id("9401537", "HGNC:5464", LONG_VARIANT), pmid="9401537",
        gene_symbol="IGF1", hgnc_id="HGNC:5464", variant_key=LONG_VARIANT, zygosity="compound heterozygous",
        confidence=0.85, evidence=[EvidenceSentence(text=text, start=0, end=len(text))],
    )
    db_url = sqlite_url(tmp_path / "genelit.db")
    with Store(db_url) as store:
        store.upsert_drafts(record.pmid, [record])
    with ReplayServer() as server:
        env = cli_env(server, db_url, tmp_path, COLUMNS="60")
    listed = genelit(["review", "list"], env)
    assert listed.returncode == 0, listed.stderr
    (row,) = [line for line in listed.stdout.splitlines() if record.record_id[:8] in line]
    assert LONG_VARIANT in row and "compound heterozygous" in row
    refused = genelit(["summary", "--gene", "IGF1", "--disease", "growth delay", "--out", str(tmp_path / "s.md")], env)
    assert refused.returncode == 2
    assert_clean_stderr(refused.stderr)
    (line,) = refused.stderr.splitlines()  # the one-line error stays one line, however long
    assert len(line) > 60 and line.endswith("leave out --disease")
