"""Bad and unusual input through the real ``genelit`` command: a clear one-line message, the right exit
code, never a traceback; unusual but valid articles are processed like any other.
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_harness import (
    assert_clean_stderr,
    biored_pool,
    cli_env,
    genelit,
    request_ids,
    sqlite_url,
    stored_failures,
)
from genelit.flows.replay import (
    ReplayServer,
    _clone_record,
    example_pool,
    with_publication_type,
)

IGF1 = "9401537"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A CLI environment whose E-utilities server holds the bundled records (used by few tests)."""
    server = ReplayServer().start()
    yield cli_env(server, sqlite_url(tmp_path / "genelit.db"), tmp_path)
    server.stop()


def assert_one_line_error(result: object, exit_code: int, *fragments: str) -> None:
    assert result.returncode == exit_code, (result.stdout, result.stderr)
    assert_clean_stderr(result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("pmids", "fragment"),
    [
        ("9401537,abc", "'abc'"),
        (",", "item 1"),
        ("1234567890123456789012345", "'1234567890123456789012345'"),
        ("9401537 12x4", "'12x4'"),
        ("٣٤٥", "'٣٤٥'"),  # Arabic-Indic digits are digits to Python, not to PubMed
        ("[/]", "'[/]'"),  # quoted as typed: never read as rich markup (which failed with a traceback)
        ("a[red]b", "'a[red]b'"),
    ],
)
def test_malformed_pmids_are_refused_before_any_request(env: dict[str, str], pmids: str, fragment: str) -> None:
    assert_one_line_error(genelit(["run", "--pmids", pmids], env), 2, "not a PMID", fragment)


def test_no_pmids_at_all(env: dict[str, str]) -> None:
    assert_one_line_error(genelit(["run"], env), 2, "--pmids")


def test_non_utf8_pmid_file(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "pmids.txt"
    path.write_bytes("9401537\n# r\xe9sum\xe9\n".encode("latin-1"))
    assert_one_line_error(genelit(["run", "--pmids-file", str(path)], env), 2, "not UTF-8")


def test_missing_and_directory_pmid_files(env: dict[str, str], tmp_path: Path) -> None:
    assert_one_line_error(genelit(["run", "--pmids-file", str(tmp_path / "nope.txt")], env), 2, "not found")
    assert_one_line_error(genelit(["run", "--pmids-file", str(tmp_path)], env), 2, "directory")


def test_bad_line_in_a_pmid_file_is_named(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "pmids.txt"
    path.write_text("9401537\n\n15769976\nPMC123\n")
    assert_one_line_error(genelit(["run", "--pmids-file", str(path)], env), 2, "pmids.txt line 4", "'PMC123'")


@pytest.mark.slow
def test_hundred_thousand_line_file_is_fetched_in_bounded_batches(tmp_path: Path) -> None:
    """Mostly unknown PMIDs (fast to answer), a few real ones; each PMID asked for once, ≤ 200 per request."""
    pool = biored_pool(3)
    lines = [str(10_000_000 + i) for i in range(100_000 - len(pool))] + list(pool)
    path = tmp_path / "big.txt"
    path.write_text("\n".join(lines) + "\n")
    with ReplayServer(pool=pool) as server:
        result = genelit(["run", "--pmids-file", str(path), "--chunk-size", "10000"], cli_env(server, sqlite_url(tmp_path / "g.db"), tmp_path))
        requests = server.requests_to("efetch")
    assert result.returncode == 1, result.stderr[-2000:]  # unknown PMIDs are reported missing
    assert_clean_stderr(result.stderr)
    assert len(requests) == 500 and max(r.id_count for r in requests) <= 200
    asked = [i for r in requests for i in request_ids(r)]
    assert len(asked) == len(set(asked)) == 100_000
    assert "requested 100000 · cached 0 · fetched 3 · missing 99997" in result.stdout
    assert len(stored_failures(sqlite_url(tmp_path / "g.db"))) == 99_997


def _set_language(record: bytes, language: str) -> bytes:
    element = ET.fromstring(record)
    element.find("MedlineCitation/Article/Language").text = language
    return ET.tostring(element, encoding="utf-8")


def unusual_articles() -> dict[str, bytes]:
    """Real-record-shaped articles a curator will meet: retracted, no abstract, not English, huge."""
    template = ET.fromstring(example_pool()[IGF1])
    long_text = next(iter(biored_pool(1).values()))
    base = ET.fromstring(long_text).findtext("MedlineCitation/Article/Abstract/AbstractText")
    huge = " ".join([base] * (200_000 // len(base) + 1))
    return {
        IGF1: with_publication_type(example_pool()[IGF1], "Retracted Publication"),
        "90000001": ET.tostring(_clone_record(template, "90000001", "Letter: growth failure and IGF1", ""), encoding="utf-8"),
        "90000002": _set_language(
            ET.tostring(
                _clone_record(
                    template, "90000002", "[Homozygote Deletion im IGF1-Gen bei einem Kind mit Kleinwuchs].",
                    "Wir berichten über einen Patienten mit einer homozygoten Deletion der Exone 4 und 5 des "
                    "IGF1-Gens, intrauteriner Wachstumsverzögerung und Schwerhörigkeit.",
                ),
                encoding="utf-8",
            ),
            "ger",
        ),
        "90000003": ET.tostring(_clone_record(template, "90000003", "A very long abstract", huge), encoding="utf-8"),
    }


@pytest.mark.slow
def test_retracted_no_abstract_foreign_language_huge_and_duplicate_pmids(tmp_path: Path) -> None:
    pool = unusual_articles()
    assert len(ET.fromstring(pool["90000003"]).findtext(".//AbstractText")) >= 200_000
    out = tmp_path / "records.csv"
    pmids = f"{IGF1},90000001,0{IGF1},90000002,90000003,{IGF1}"  # the IGF1 paper three times
    with ReplayServer(pool=pool) as server:
        result = genelit(["run", "--pmids", pmids, "--export", str(out)], cli_env(server, sqlite_url(tmp_path / "g.db"), tmp_path))
        requests = server.requests_to("efetch")
    assert result.returncode == 0, result.stderr[-3000:]
    assert_clean_stderr(result.stderr)
    assert [request_ids(r) for r in requests] == [[IGF1, "90000001", "90000002", "90000003"]]
    assert "requested 4 · cached 0 · fetched 4" in result.stdout
    assert "extracted 4 papers (1 without abstract)" in result.stdout
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    igf1_rows = [r for r in rows if r["pmid"] == IGF1]
    assert igf1_rows and all(r["is_retracted"].lower() == "true" for r in igf1_rows)
    assert all(r["is_retracted"].lower() == "false" for r in rows if r["pmid"] != IGF1)
    assert len({r["record_id"] for r in rows}) == len(rows)


def test_unknown_gene_symbol(env: dict[str, str]) -> None:
    result = genelit(["gene", "XYZ123"], env)
    assert_one_line_error(result, 2, "XYZ123")


def test_withdrawn_gene_symbol_is_refused(env: dict[str, str]) -> None:
    # HGNC: "ADCR  symbol withdrawn, see HGNC:12797", itself an entry withdrawn: nothing to search for
    result = genelit(["gene", "ADCR"], env)
    assert_one_line_error(result, 2, "ADCR")
    assert "withdrawn" in result.stderr
