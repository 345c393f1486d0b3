"""``genelit gene`` and ``genelit scan`` against a loopback E-utilities server replaying real abstracts.

Searches are answered from a ``query -> PMIDs`` table, so these tests also pin that the CLI sends the
query built from HGNC; efetch bodies are real PubMed record structures holding real BioRED abstracts.
Everything runs on the local engine (no Prefect API); the Prefect engine is exercised in test_dask.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from genelit.flows.replay import Fault, ReplayServer, records_from_pubtator
from genelit.flows.scan_flow import run_scan
from genelit.flows.scan_steps import scan_window
from genelit.flows.scan_targets import gene_target
from genelit.flows.steps import open_store
from genelit.flows.watchlist import parse_watchlist

from genelit.config import load_settings
from genelit.errors import InputError

CORPUS = Path(__file__).parent / "data" / "entrez" / "biored_texts_450.PubTator.gz"
IGF1_HGNC, GH1_HGNC = "HGNC:5464", "HGNC:4261"


@pytest.fixture(scope="module")
def abstracts() -> dict[str, bytes]:
    return records_from_pubtator(CORPUS, limit=14)


@pytest.fixture
def server(abstracts: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """IGF1's query finds papers 0-5, GH1's finds 4-9 (two shared); PMIDs 10-13 are IGF1's Gene links."""
    pmids = list(abstracts)
    server = ReplayServer(
        abstracts,
        searches={gene_target("IGF1").query: pmids[:6], gene_target("GH1").query: pmids[4:10]},
        gene_links={"3479": pmids[10:14]},
    )
    with server:
        use_server(server, monkeypatch)
        yield server


def use_server(server: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENELIT_EUTILS_URL", server.url)
    monkeypatch.setenv("GENELIT_RATE_LIMIT", "1000")
    monkeypatch.setenv("GENELIT_MAX_RETRIES", "1")


def run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``genelit ARGS`` in-process through the real entry point (error → one line + exit code)."""
    from genelit.flows.cli import main

    monkeypatch.setattr(sys, "argv", ["genelit", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    # rich wraps long lines at the console width: undo it so messages can be matched whole
    return code, captured.out, " ".join(captured.err.split())


def store():
    return open_store(load_settings().db_url)


def efetched_ids(server: ReplayServer, since_request: int = 0) -> list[str]:
    return [i for r in server.requests_to("efetch") if r.number > since_request for i in r.params["id"].split(",")]


def test_gene_searches_then_fetches_and_drafts(server: ReplayServer, monkeypatch, capsys) -> None:
    pmids = list(server.pool)[:6]
    code, out, err = run_cli(["gene", "IGF1", "--since", "2024-01-01", "--engine", "local"], monkeypatch, capsys)
    assert code == 0, err
    (search,) = server.requests_to("esearch")
    assert search.params["term"] == gene_target("IGF1").query
    assert (search.params["datetype"], search.params["mindate"], search.params["usehistory"]) == ("edat", "2024/01/01", "y")
    assert sorted(efetched_ids(server)) == sorted(pmids)
    records = store().list_records()
    assert records and {r.pmid for r in records} <= set(pmids)
    assert store().cached_pmids(pmids) == set(pmids)
    assert f"new records {len(records)}" in out
    assert f"query: {gene_target('IGF1').query}" in out  # printed verbatim, [tiab] tags included
    assert "requested 6 · cached 0 · fetched 6" in out

    # again: everything is cached, nothing is fetched, no record is new
    seen = len(server.requests)
    code, out, _ = run_cli(["gene", "IGF1", "--engine", "local"], monkeypatch, capsys)
    assert code == 0
    assert efetched_ids(server, seen) == []
    assert "cached 6 · fetched 0" in out and "new records 0" in out


def test_gene_with_gene_links_adds_ncbi_gene_papers(server: ReplayServer, monkeypatch, capsys) -> None:
    code, out, err = run_cli(["gene", "IGF1", "--with-gene-links", "--engine", "local"], monkeypatch, capsys)
    assert code == 0, err
    (link,) = [r for r in server.requests_to("elink") if r.params.get("dbfrom") == "gene"]
    assert (link.params["id"], link.params["linkname"]) == ("3479", "gene_pubmed")
    assert sorted(efetched_ids(server)) == sorted(list(server.pool)[:6] + list(server.pool)[10:14])
    assert "NCBI Gene links 4" in out


def test_alias_is_mapped_and_unknown_symbol_exits_2(server: ReplayServer, monkeypatch, capsys) -> None:
    code, out, _ = run_cli(["gene", "IGF-I", "--engine", "local", "--max", "2"], monkeypatch, capsys)
    assert code == 0
    assert "IGF-I is an alias of IGF1 (HGNC:5464); searching IGF1" in out
    assert len(efetched_ids(server)) == 2  # --max caps the search
    assert "PubMed hits 6 · papers 2" in out

    code, out, err = run_cli(["gene", "IGF11", "--engine", "local"], monkeypatch, capsys)
    assert code == 2
    assert err.startswith("error: IGF11 is not an HGNC gene symbol; did you mean") and "Traceback" not in err
    code, _, err = run_cli(["gene", "IGF1", "--since", "last week"], monkeypatch, capsys)
    assert code == 2 and "--since must be a date" in err


def test_watchlist_scans_both_genes_then_a_rescan_fetches_nothing(server: ReplayServer, tmp_path, monkeypatch, capsys) -> None:
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text('genes = ["IGF1", "GH1"]\n')
    out_dir = tmp_path / "digests"
    today = dt.date.today()

    code, out, err = run_cli(["scan", "--watchlist", str(watchlist), "--out", str(out_dir), "--engine", "local"], monkeypatch, capsys)
    assert code == 0, err
    searches = server.requests_to("esearch")
    assert [s.params["term"] for s in searches] == [gene_target("IGF1").query, gene_target("GH1").query]
    first_start = (today - dt.timedelta(days=30)).strftime("%Y/%m/%d")  # default look-back on a first scan
    assert {(s.params["mindate"], s.params["maxdate"], s.params["datetype"]) for s in searches} == {
        (first_start, today.strftime("%Y/%m/%d"), "edat")
    }
    pmids = list(server.pool)[:10]
    assert sorted(efetched_ids(server)) == sorted(pmids)  # the two shared papers fetched once
    assert store().get_watermark(IGF1_HGNC) == today and store().get_watermark(GH1_HGNC) == today

    (digest_json,) = out_dir.glob("scan-*.json")
    digest = json.loads(digest_json.read_text())
    assert [(g["gene"], g["ok"]) for g in digest["genes"]] == [("IGF1", True), ("GH1", True)]
    listed = [r["record_id"] for g in digest["genes"] for r in g["new_records"]]
    stored = {r.record_id: r for r in store().list_records()}
    assert listed and sorted(listed) == sorted(stored)  # each new record listed once, under the first gene
    first = digest["genes"][0]["new_records"][0]
    assert first["url"] == f"https://pubmed.ncbi.nlm.nih.gov/{first['pmid']}/"
    markdown = digest_json.with_suffix(".md").read_text()
    assert f"[{first['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{first['pmid']}/)" in markdown
    assert f"`{first['record_id']}`" in markdown

    seen = len(server.requests)
    code, out, err = run_cli(["scan", "--watchlist", str(watchlist), "--out", str(out_dir), "--engine", "local"], monkeypatch, capsys)
    assert code == 0, err
    assert efetched_ids(server, seen) == []
    rescans = [r for r in server.requests_to("esearch") if r.number > seen]
    overlap_start = (today - dt.timedelta(days=3)).strftime("%Y/%m/%d")
    assert [r.params["mindate"] for r in rescans] == [overlap_start, overlap_start]
    latest = max(out_dir.glob("scan-*.json"))
    assert all(g["new_records"] == [] for g in json.loads(latest.read_text())["genes"])


def test_failed_search_keeps_the_watermark_and_the_other_gene_advances(abstracts, tmp_path, monkeypatch, capsys) -> None:
    pmids = list(abstracts)
    searches = {gene_target("IGF1").query: pmids[:3], gene_target("GH1").query: pmids[3:6]}
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text('[genes.IGF1]\nmax = 50\n\n[genes.GH1]\n')
    last_week = dt.date.today() - dt.timedelta(days=7)
    with ReplayServer(abstracts, searches=searches) as server:
        use_server(server, monkeypatch)
        assert run_scan(watchlist, tmp_path / "out", engine="local", today=last_week, show_progress=False).ok

    # IGF1 is scanned first: its esearch fails twice (= all attempts with GENELIT_MAX_RETRIES=1)
    with ReplayServer(abstracts, searches=searches, faults=[Fault.http_error(503, endpoint="esearch", requests={1, 2})]) as server:
        use_server(server, monkeypatch)
        code, out, err = run_cli(["scan", "--watchlist", str(watchlist), "--out", str(tmp_path / "out"), "--engine", "local"], monkeypatch, capsys)
    assert code == 1
    assert "1 gene(s) failed (IGF1); their watermarks were kept" in err
    assert store().get_watermark(IGF1_HGNC) == last_week
    assert store().get_watermark(GH1_HGNC) == dt.date.today()
    assert [r.params["mindate"] for r in server.requests_to("esearch")][-1] == (last_week - dt.timedelta(days=3)).strftime("%Y/%m/%d")
    latest = max((tmp_path / "out").glob("scan-*.md")).read_text()
    assert "**FAILED**" in latest and "HTTP 503" in latest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('genes = "IGF1"', "genes: "),
        ("genes = []", "no genes listed"),
        ('genes = ["IGF1", "igf1"]', "igf1 is listed twice"),
        ('genes = ["IGF1"]\nlookback_days = 3', "lookback_days: Extra inputs are not permitted"),
        ("[genes.IGF1]\nmax = 0", "genes.0.max: Input should be greater than or equal to 1"),
        ('genes = ["IGF1"', "not valid TOML"),
        ("look_back_days = 3", "lists no genes"),
    ],
)
def test_bad_watchlist_is_a_one_line_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as raised:
        parse_watchlist(text)
    assert "\n" not in str(raised.value)


def test_watchlist_forms_and_per_gene_options() -> None:
    listed = parse_watchlist('overlap_days = 5\ngenes = ["IGF1", {symbol = "GH1", max = 20, query_extra = "humans[mh]"}]')
    tables = parse_watchlist('[genes.IGF1]\nlook_back_days = 7\n[genes.GH1]\nwith_gene_links = true\n[query]\nvariant_terms = ["variant*"]')
    assert [g.symbol for g in listed.genes] == [g.symbol for g in tables.genes] == ["IGF1", "GH1"]
    assert (listed.overlap_days, listed.genes[1].max_results, listed.genes[1].query_extra) == (5, 20, "humans[mh]")
    assert (tables.genes[0].look_back_days, tables.genes[1].with_gene_links) == (7, True)
    assert tables.query.options().variant_terms == ("variant*",)


def test_cli_rejects_bad_and_unknown_gene_watchlists(tmp_path, monkeypatch, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('genes = ["IGF1", "NOTAGENE1"]\n')
    code, _, err = run_cli(["scan", "--watchlist", str(bad), "--engine", "local"], monkeypatch, capsys)
    assert code == 2 and "NOTAGENE1 is not an HGNC gene symbol" in err
    code, _, err = run_cli(["scan", "--watchlist", str(tmp_path / "missing.toml")], monkeypatch, capsys)
    assert code == 2 and "watchlist not found" in err


def test_scan_window() -> None:
    today = dt.date(2025, 3, 10)
    first = scan_window(None, today, look_back_days=30, overlap_days=3)
    later = scan_window(dt.date(2025, 3, 9), today, look_back_days=30, overlap_days=3)
    forced = scan_window(dt.date(2025, 3, 9), today, look_back_days=30, overlap_days=3, since=dt.date(2024, 1, 1))
    assert (first.start, first.end) == (dt.date(2025, 2, 8), today)
    assert later.start == dt.date(2025, 3, 6)
    assert forced.start == dt.date(2024, 1, 1)
