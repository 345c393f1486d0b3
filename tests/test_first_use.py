"""A new curator's first commands, through the installed ``genelit`` script (issue #13's frictions).

The demo's drafts are where the README's everyday commands look; a command that only reads or reviews
never creates a store, and a mistyped store path never creates folders; ``run --offline`` serves the
bundled real records like the demo; ``summary --disease`` that matches nothing says so.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_harness import (
    assert_clean_stderr,
    biored_pool,
    cli_env,
    genelit,
    sqlite_url,
    stored_article_pmids,
    stored_records,
)
from genelit.flows.replay import IGF1_EXAMPLE_PMID, ReplayServer, example_pool

NOT_BUNDLED = "15769976"  # the IGF1 p.Val92Met case report of the README: no record of it is bundled


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    """A CLI environment with NCBI unreachable (nothing listens on the port) and a fresh store path."""
    with ReplayServer({}) as server:  # only for cli_env's shape; its URL is replaced below
        env = cli_env(server, sqlite_url(tmp_path / "genelit.db"), tmp_path)
    env["GENELIT_EUTILS_URL"] = "http://127.0.0.1:9/entrez/eutils"
    return env


def test_the_demos_drafts_are_found_by_the_everyday_commands(tmp_path: Path, offline_env: dict[str, str]) -> None:
    out = tmp_path / "demo"
    demo = genelit(["demo", "--offline", "--out", str(out), "--engine", "local"], offline_env)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert_clean_stderr(demo.stderr)
    assert f"evidence store {offline_env['GENELIT_DB_URL']}" in demo.stdout
    assert "genelit review list --gene IGF1" in demo.stdout

    listed = genelit(["review", "list", "--gene", "IGF1"], offline_env)
    assert listed.returncode == 0, listed.stderr
    ids = stored_records(offline_env["GENELIT_DB_URL"])[IGF1_EXAMPLE_PMID]
    assert ids and all(record_id[:8] in listed.stdout for record_id in ids)
    assert all(record_id[:8] in demo.stdout for record_id in ids)  # the demo prints the ids it drafted
    assert (out / "drafts.csv").is_file() and (out / "report.html").is_file()


@pytest.mark.parametrize(
    "command",
    [
        ["review", "list", "--gene", "IGF1"],
        ["review", "show", "9ff7a943"],
        ["review", "accept", "9ff7a943"],
        ["export", "--out", "igf1.csv"],
        ["summary", "--gene", "IGF1", "--out", "igf1.md"],
        ["failures"],
    ],
)
def test_read_only_commands_say_the_default_store_does_not_exist(
    tmp_path: Path, offline_env: dict[str, str], command: list[str]
) -> None:
    env = {k: v for k, v in offline_env.items() if k != "GENELIT_DB_URL"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = genelit(command, env)
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert_clean_stderr(result.stderr)
    (line,) = error_lines(result.stderr)
    assert "there is no evidence store at" in line and "GENELIT_DB_URL" in line
    assert not (tmp_path / "data").exists()  # no empty store, not even its folder
    assert not (tmp_path / "igf1.csv").exists() and not (tmp_path / "igf1.md").exists()


def test_a_mistyped_store_path_creates_no_folders(tmp_path: Path, offline_env: dict[str, str]) -> None:
    env = {**offline_env, "GENELIT_DB_URL": sqlite_url(tmp_path / "genelit-dmeo" / "genelit.db")}
    for command in (["run", "--pmids", IGF1_EXAMPLE_PMID, "--offline"], ["review", "list"]):
        result = genelit(command, env)
        assert result.returncode == 3, (result.stdout, result.stderr)
        assert_clean_stderr(result.stderr)
        (line,) = error_lines(result.stderr)
        assert "genelit-dmeo" in line and ("does not exist" in line or "no evidence store" in line)
    assert not (tmp_path / "genelit-dmeo").exists()


def test_run_offline_serves_the_bundled_records_and_names_the_others(offline_env: dict[str, str]) -> None:
    """The README's command, offline: the bundled IGF1 paper is processed, the other one is named."""
    result = genelit(["run", "--pmids", f"{IGF1_EXAMPLE_PMID},{NOT_BUNDLED}", "--offline"], offline_env)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_clean_stderr(result.stderr)
    assert "serving the" in result.stdout and "fetched 1" in result.stdout
    assert f"not available offline: 1 PMID(s) are neither bundled nor in the store ({NOT_BUNDLED})" in result.stderr
    (line,) = error_lines(result.stderr)
    assert "1 PMID(s) not available offline" in line and "could not be fetched" not in line
    db_url = offline_env["GENELIT_DB_URL"]
    assert stored_article_pmids(db_url) == [IGF1_EXAMPLE_PMID]
    assert stored_records(db_url)[IGF1_EXAMPLE_PMID]
    failures = genelit(["failures"], offline_env)
    assert "no fetch failures recorded" in failures.stdout  # never asked for, so never "not returned by NCBI"

    only_bundled = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID, "--offline"], offline_env)
    assert only_bundled.returncode == 0, only_bundled.stderr
    assert "cached 1" in only_bundled.stdout


def test_run_offline_uses_articles_already_in_the_store(tmp_path: Path, offline_env: dict[str, str]) -> None:
    pool = biored_pool(1)
    (cached,) = pool
    assert cached not in example_pool()
    with ReplayServer(pool) as server:
        online = genelit(["run", "--pmids", cached], {**offline_env, "GENELIT_EUTILS_URL": server.url})
        assert online.returncode == 0, online.stderr
    result = genelit(["run", "--pmids", f"{cached},{IGF1_EXAMPLE_PMID}", "--offline"], offline_env)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "cached 1 · fetched 1" in result.stdout
    assert set(stored_article_pmids(offline_env["GENELIT_DB_URL"])) == {cached, IGF1_EXAMPLE_PMID}


def test_an_unreachable_ncbi_points_to_offline(offline_env: dict[str, str]) -> None:
    result = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], {**offline_env, "GENELIT_MAX_RETRIES": "0"})
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    (line,) = error_lines(result.stderr)
    assert "`--offline` runs on the bundled records" in line


def test_summary_for_a_disease_no_record_names_says_so(tmp_path: Path, offline_env: dict[str, str]) -> None:
    """(The listing of the diseases records do name: tests/test_summary.py.)"""
    from genelit.models.evidence import EvidenceRecord
    from genelit.models.store import Store

    record = EvidenceRecord(record_id=EvidenceRecord.make_id(IGF1_EXAMPLE_PMID, "HGNC:5464", None),
                            pmid=IGF1_EXAMPLE_PMID, gene_symbol="IGF1", hgnc_id="HGNC:5464")
    with Store(offline_env["GENELIT_DB_URL"]) as store:
        store.upsert_drafts(record.pmid, [record])
    out = tmp_path / "igf1.md"
    result = genelit(["summary", "--gene", "IGF1", "--disease", "growth delay", "--out", str(out)], offline_env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert_clean_stderr(result.stderr)
    (line,) = error_lines(result.stderr)
    assert "no IGF1 record is about a disease matching 'growth delay'" in line
    assert "none of its 1 record(s) names a disease; leave out --disease" in line
    assert not out.exists()
