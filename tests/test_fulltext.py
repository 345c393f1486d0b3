"""Full text: the readers on real documents, PMC through the loopback E-utilities, local documents.

Documents are the real articles of ``tests/data/fulltext`` (see its README); NCBI is the replay server
serving them as recorded-format ``efetch db=pmc`` / ``elink`` answers.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from cli_harness import assert_clean_stderr, cli_env, genelit, sqlite_url
from genelit.extractors.drafting import draft_records
from genelit.extractors.pipeline import extract_articles, extract_text, load_pipeline
from genelit.flows.readers import read_document, read_documents
from genelit.flows.replay import ReplayServer, pmc_records, pubmed_record_for_jats, without_body
from genelit.flows.steps import pipeline_config
from genelit.models.article import AbstractSection, Article, SectionKind

from genelit.config import load_settings
from genelit.errors import InputError

DATA = Path(__file__).parent / "data" / "fulltext"
CASE_REPORT = DATA / "1349-7235-63-2651.nxml"  # PMID 38403763, PMC11518610: MCP P165S, heterozygous


def kinds(article: Article) -> set[SectionKind]:
    return {p.kind for p in article.passages}


# -- readers ----------------------------------------------------------------------------------------


def test_jats_sections_tables_and_offsets() -> None:
    article = read_document(CASE_REPORT)
    assert (article.pmid, article.pmcid, article.full_text) == ("38403763", "PMC11518610", True)
    assert {SectionKind.INTRODUCTION, SectionKind.CASE, SectionKind.DISCUSSION, SectionKind.TABLE, SectionKind.CAPTION} <= kinds(article)
    # title and abstract sit where the abstract-only text has them
    abstract_only = Article(pmid=article.pmid, title=article.title, abstract_sections=article.abstract_sections)
    assert article.text.startswith(abstract_only.text)
    rows = [p for p in article.passages if p.kind == SectionKind.TABLE and p.table_id == "Table 2"]
    assert rows[0].text.startswith("patient: This case | MCP mutation: P165S")
    assert all(article.text[p.offset : p.end] == p.text for p in article.passages)
    at = article.text.index("Genetic testing revealed")
    assert article.passage_at(at).section == "Case Report"
    assert "references" not in article.text.lower()[-3000:] or "Fujisawa" not in article.text[-500:]


def test_bioc_xml_json_pubtator3_and_evagg() -> None:
    pubtator = read_document(DATA / "biocxml.xml")
    assert (pubtator.pmid, pubtator.pmcid) == ("30190511", "PMC6127132")
    assert "c.751C>T" in pubtator.text and pubtator.full_text
    evagg = read_document(DATA / "paper_28554332.json")
    assert (evagg.pmid, evagg.pmcid) == ("28554332", "PMC5448144")
    row = next(p for p in evagg.passages if p.kind == SectionKind.TABLE and "DDX3X" in p.text)
    assert row.text.startswith("Gene: DDX3X | Affected individual ID(s): 00075-C | Variant info: NM_001356.4(DDX3X):c.745G > T")
    export = read_document(DATA / "10.1038_s41556-021-00642-9.json")  # PubTator3 export: abstract only
    assert export.pmid == "33664495" and not export.full_text
    assert export.text == f"{export.title} {export.abstract}"


def test_pdf_pages_and_sections() -> None:
    article = read_document(DATA / "s13053-017-0080-y.pdf", pmid="29158857")
    assert article.pmid == "29158857" and article.title.startswith("The BRCA2 variant c.68-7 T>A")
    assert "c.68-7T>A" in article.abstract
    pages = {p.page for p in article.passages}
    assert pages == {1, 2, 3, 4, 5}
    results = [p for p in article.passages if p.kind == SectionKind.RESULTS]
    assert results and results[0].page == 2 and results[0].text.startswith("Seventeen out of 714")
    assert read_document(DATA / "s13053-017-0080-y.pdf").pmid.startswith("local:")  # stable local id
    assert read_document(DATA / "s13053-017-0080-y.pdf").pmid == read_document(DATA / "s13053-017-0080-y.pdf").pmid


@pytest.mark.parametrize("name, reason", [("malformed.nxml", "not well-formed XML"), ("corrupt.pdf", "not a readable PDF")])
def test_bad_documents_are_one_line_input_errors(name: str, reason: str) -> None:
    with pytest.raises(InputError) as error:
        read_documents(DATA / name)
    assert reason in str(error.value) and name in str(error.value) and "\n" not in str(error.value)


# -- extraction per passage -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(pipeline_config(load_settings()))


def test_abstract_only_extraction_is_unchanged_and_full_text_keeps_the_abstract_mentions(nlp) -> None:
    article = read_document(CASE_REPORT)
    abstract_only = Article(pmid=article.pmid, title=article.title, abstract_sections=article.abstract_sections)
    (plain,) = extract_articles([abstract_only], nlp)
    assert plain.model_dump() == extract_text(abstract_only.text, abstract_only.pmid, nlp).model_dump()
    (full,) = extract_articles([article], nlp)
    head = len(abstract_only.text)
    assert [m for m in full.mentions if m.end <= head] == plain.mentions
    body = [m for m in full.mentions if m.start > head]
    assert body and all(full.text[m.start : m.end] == m.text for m in body)
    assert all(article.passage_at(m.start) is article.passage_at(m.sentence_start) for m in body)


SPLIT_COLUMNS = DATA / "gjb2_split_columns.nxml"  # cDNA and protein of one allele in two cells of a row


def test_a_table_row_is_one_passage_and_one_sentence_with_each_cell_under_its_header(nlp) -> None:
    """What drafting needs to read a row as one allele: the row's cells together, labelled, in one sentence."""
    article = read_document(SPLIT_COLUMNS)
    rows = [p for p in article.passages if p.kind == SectionKind.TABLE]
    assert [p.table_id for p in rows] == ["Table 2"] * 3
    assert rows[2].text == "Gene: GJB2 | cDNA: c.109G>A | Protein: p.Val37Ile | Zygosity: heterozygous | Patients (n = 220): 1"
    (extraction,) = extract_articles([article], nlp)
    for row in rows:
        inside = [m for m in extraction.mentions if row.offset <= m.start < row.end]
        assert {m.kind for m in inside} >= {"variant", "zygosity"}
        assert {(m.sentence_start, m.sentence_end) for m in inside} == {(row.offset, row.end)}


def test_split_cdna_and_protein_cells_of_one_row_get_the_row_zygosity(nlp) -> None:
    article = read_document(SPLIT_COLUMNS)
    (extraction,) = extract_articles([article], nlp)
    records = [r for r in draft_records(article, extraction) if r.variant_key in ("c.109G>A", "p.Val37Ile")]
    assert any(r.variant_key == "c.109G>A" for r in records)
    assert records and all(r.zygosity == "heterozygous" for r in records)


def test_time_limit_stops_one_document_not_the_batch(nlp) -> None:
    long, short = read_document(CASE_REPORT), Article(pmid="1", title="IGF1 deletion", abstract_sections=[AbstractSection(text="A homozygous IGF1 deletion.")])
    first, second = extract_articles([long, short], nlp, time_limit=0.0)
    assert first.truncated and max(m.end for m in first.mentions) <= len(long.passages[0].text) + 1 + len(long.abstract)
    assert not second.truncated and second.mentions


# -- through the CLI and the loopback E-utilities ---------------------------------------------------


def _records(db_url: str) -> list:
    from genelit.models.store import Store

    with Store(db_url) as store:
        return store.list_records()


def test_run_pmid_drafts_from_pmc_body_and_a_rerun_fetches_nothing(tmp_path: Path) -> None:
    pmc = pmc_records(CASE_REPORT)
    (pmcid, record), = pmc.items()
    pmid, pubmed = pubmed_record_for_jats(record)  # no PMCID in ArticleIdList: found through elink
    db = sqlite_url(tmp_path / "s.db")
    with ReplayServer({pmid: pubmed}, pmc=pmc, pmc_links={pmid: pmcid}) as server:
        env = cli_env(server, db, tmp_path)
        first = genelit(["run", "--pmids", pmid], env)
        assert first.returncode == 0, first.stderr[-3000:]
        assert_clean_stderr(first.stderr)
        assert "full text 1 · abstract only 0" in first.stdout
        assert [(r.endpoint, r.params.get("db")) for r in server.requests] == [("efetch", "pubmed"), ("elink", "pmc"), ("efetch", "pmc")]
        seen = len(server.requests)
        again = genelit(["run", "--pmids", pmid], env)
        assert again.returncode == 0 and len(server.requests) == seen  # cached with its full text
        assert "full text 1" in again.stdout
    records = _records(db)
    mcp = [r for r in records if r.gene_symbol == "CD46" and r.variant_key == "p.Pro165Ser"]
    assert mcp and mcp[0].zygosity == "heterozygous"
    cited = {s.citation for r in records for s in r.evidence if s.citation}
    assert "Case Report" in cited and any(c.startswith("Table 2") for c in cited)


def test_closed_access_falls_back_to_the_abstract_and_abstract_only_asks_pmc_nothing(tmp_path: Path) -> None:
    pmc = pmc_records(CASE_REPORT)
    (pmcid, record), = pmc.items()
    pmid, pubmed = pubmed_record_for_jats(record, with_pmcid=True)  # PMCID from ArticleIdList: no elink
    closed = {pmcid: without_body(record)}
    with ReplayServer({pmid: pubmed}, pmc=closed) as server:
        env = cli_env(server, sqlite_url(tmp_path / "s.db"), tmp_path)
        result = genelit(["run", "--pmids", pmid], env)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "full text 0 · abstract only 1 (closed access 1" in result.stdout
        assert [r.endpoint for r in server.requests] == ["efetch", "efetch"]
    with ReplayServer({pmid: pubmed}, pmc=pmc) as server:
        env = cli_env(server, sqlite_url(tmp_path / "other.db"), tmp_path)
        result = genelit(["run", "--pmids", pmid, "--abstract-only"], env)
        assert result.returncode == 0, result.stderr[-3000:]
        assert [(r.endpoint, r.params.get("db")) for r in server.requests] == [("efetch", "pubmed")]


def test_run_input_reads_every_format_and_reports_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("gjb2_genotypes.nxml", "biocxml.xml", "paper_28554332.json", "10.1038_s41556-021-00642-9.json",
                 "s13053-017-0080-y.pdf", "corrupt.pdf", "malformed.nxml"):
        shutil.copy(DATA / name, folder / name)
    (folder / "notes.txt").write_text("BRCA2 in a family\n\nCase report\n\nThe proband carried BRCA2 c.68-7T>A in the heterozygous state.\n")
    db = sqlite_url(tmp_path / "s.db")
    out = tmp_path / "drafts.csv"
    with ReplayServer({}) as server:
        result = genelit(["run", "--input", str(folder), "--export", str(out)], cli_env(server, db, tmp_path))
        assert server.requests == []
    assert result.returncode == 1, result.stderr[-3000:]
    assert_clean_stderr(result.stderr)
    unreadable = [line for line in result.stderr.splitlines() if line.startswith("unreadable:")]
    assert len(unreadable) == 2 and any("corrupt.pdf" in line for line in unreadable)
    assert "documents 8 · read 6" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_variant = {(r["pmid"], r["variant_key"]): r for r in rows}
    # variants written only in a table row get the row's zygosity
    assert by_variant[("31195736", "c.-23+1G>A")]["zygosity"] == "homozygous"
    assert by_variant[("31195736", "c.109G>A")]["zygosity"] == "heterozygous"
    assert {"28554332", "30190511", "33664495"} <= {r["pmid"] for r in rows}
    assert any(r["pmid"].startswith("local:") and r["variant_key"] == "c.68-7T>A" for r in rows)
    table_evidence = [s for r in _records(db) if r.variant_key == "c.-23+1G>A" for s in r.evidence]
    assert any(s.section_kind == "table" and s.citation == "Table 2 (3.1. GJB2 Genotypes Observed in Patients and Control Sample)"
               for s in table_evidence)
