"""The whole job as a user runs it: the installed ``genelit`` console script, the Prefect flow, a
loopback E-utilities server replaying the real IGF1 PubMed record (PMID 9401537), a temporary store.

This is the foundation's acceptance path: one efetch request (and, full text being the default, one
elink asking PubMed Central for it), a CSV row carrying IGF1 (HGNC:5464), the exon 4–5 deletion,
``homozygous`` and HPO ids; a re-run makes no request of any kind; bad input is one line, exit 2.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cli_harness import assert_clean_stderr, cli_env, genelit, sqlite_url
from genelit.flows.replay import IGF1_EXAMPLE_PMID, ReplayServer, example_pool


@pytest.fixture
def prefect_api_url(prefect_harness: None) -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


def test_igf1_example_end_to_end_through_the_prefect_flow(tmp_path: Path, prefect_api_url: str) -> None:
    out = tmp_path / "out.csv"
    with ReplayServer(example_pool()) as server:
        env = cli_env(
            server, sqlite_url(tmp_path / "store.db"), tmp_path,
            GENELIT_ENGINE="prefect", PREFECT_API_URL=prefect_api_url, GENELIT_RATE_LIMIT="3",
        )
        first = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID, "--export", str(out)], env)
        assert first.returncode == 0, first.stderr[-3000:]
        assert_clean_stderr(first.stderr)
        efetch = server.requests_to("efetch")
        assert len(efetch) == 1 and efetch[0].id_count == 1
        # the 1997 paper is not in PMC (no PMCID in its record, no link): one elink, no efetch db=pmc
        assert [(r.endpoint, r.params.get("db")) for r in server.requests] == [("efetch", "pubmed"), ("elink", "pmc")]
        assert "full text 0 · abstract only 1" in first.stdout

        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        igf1 = [r for r in rows if r["gene_symbol"] == "IGF1" and r["variant_key"]]
        assert len(igf1) == 1, rows
        row = igf1[0]
        assert row["hgnc_id"] == "HGNC:5464" and row["ncbi_gene_id"] == "3479"
        assert row["variant_key"] == "del(exons 4-5)" and row["variant_class"] == "null"
        assert row["zygosity"] == "homozygous"
        assert row["consanguinity"].lower() == "true"
        hpo = set(row["phenotypes_hpo"].split("|"))
        assert {"HP:0001511", "HP:0000407"} <= hpo  # IUGR, sensorineural hearing impairment
        assert hpo & {"HP:0001249", "HP:0001256"}  # intellectual disability (mild)
        assert row["pmid"] == IGF1_EXAMPLE_PMID and row["status"] == "draft"

        again = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env)
        assert again.returncode == 0, again.stderr[-3000:]
        assert len(server.requests) == 2  # cached with its PMC outcome: no request of any kind on the re-run
        assert "cached 1" in again.stdout


def test_invalid_pmid_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with ReplayServer(example_pool()) as server:
        result = genelit(["run", "--pmids", "abc123"], cli_env(server, sqlite_url(tmp_path / "s.db"), tmp_path))
        assert result.returncode == 2
        assert_clean_stderr(result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "abc123" in result.stderr
        assert server.requests == []


def test_demo_runs_offline_and_writes_table_report_and_summary(tmp_path: Path) -> None:
    with ReplayServer(example_pool()) as server:  # only for the environment; the demo starts its own
        env = cli_env(server, sqlite_url(tmp_path / "store.db"), tmp_path)
    out = tmp_path / "demo"
    result = genelit(["demo", "--offline", "--out", str(out), "--engine", "local"], env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_clean_stderr(result.stderr)
    assert "IGF1 (HGNC:5464)" in result.stdout and "homozygous" in result.stdout
    rows = list(csv.DictReader((out / "drafts.csv").open(encoding="utf-8")))
    assert any(r["gene_symbol"] == "IGF1" and r["zygosity"] == "homozygous" for r in rows)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "9401537" in report and "IGF1" in report
    summary = (out / "IGF1_summary.md").read_text(encoding="utf-8")
    assert "9401537" in summary and "MACHINE DRAFT" in summary.upper()
    assert (tmp_path / "store.db").is_file()  # the store every other command reads (GENELIT_DB_URL)
    assert not (out / "genelit.db").exists()


def test_curator_decision_survives_a_refresh_run(tmp_path: Path) -> None:
    from genelit.models.store import Store

    db_url = sqlite_url(tmp_path / "store.db")
    with ReplayServer(example_pool()) as server:
        env = cli_env(server, db_url, tmp_path, GENELIT_CURATOR="j.doe")
        assert genelit(["run", "--pmids", IGF1_EXAMPLE_PMID], env).returncode == 0
        with Store(db_url) as store:
            record = next(r for r in store.list_records(gene="IGF1") if r.variant_key)
        accepted = genelit(["review", "accept", record.record_id[:8], "--note", "checked against full text"], env)
        assert accepted.returncode == 0, accepted.stderr[-3000:]

        refreshed = genelit(["run", "--pmids", IGF1_EXAMPLE_PMID, "--refresh"], env)
        assert refreshed.returncode == 0, refreshed.stderr[-3000:]
        assert len(server.requests_to("efetch")) == 2  # --refresh fetched again
    with Store(db_url) as store:
        after = store.get_record(record.record_id)
        assert after.status == "accepted"
        assert after.note == "checked against full text" and after.curator == "j.doe"
        assert len([r for r in store.list_records(gene="IGF1") if r.variant_key]) == 1


@pytest.mark.parametrize("args", [["review", "accept"], ["run", "--no-such-option"], ["no-such-command"]])
def test_usage_errors_are_reported_by_the_cli_not_as_tracebacks(tmp_path: Path, args: list[str]) -> None:
    with ReplayServer(example_pool()) as server:
        result = genelit(args, cli_env(server, sqlite_url(tmp_path / "s.db"), tmp_path))
    assert result.returncode == 2
    assert_clean_stderr(result.stderr)
    assert "Usage:" in result.stderr
