"""The Entrez client and PubMed XML parser against the loopback replay server (real HTTP, real records)."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from genelit.flows.entrez import EntrezClient, parse_esearch
from genelit.flows.pubmed_xml import (
    EntrezServerError,
    MalformedResponse,
    UnsafeXML,
    parse_pubmed_xml,
)
from genelit.flows.ratelimit import RateLimiter
from genelit.flows.replay import (
    EXAMPLES_DIR,
    Fault,
    ReplayServer,
    example_pool,
    read_pubtator_texts,
    records_from_pubtator,
    with_publication_type,
)
from pydantic import SecretStr

from genelit.config import Settings

DATA = Path(__file__).parent / "data" / "entrez"
BIORED_TEXTS = DATA / "biored_texts_450.PubTator.gz"
IGF1 = "9401537"
API_KEY = "0123456789abcdef-SECRET-KEY"


def make_client(server: ReplayServer, limiter: RateLimiter | None = None, **overrides: object) -> EntrezClient:
    values = {"eutils_url": server.url, "rate_limit": 1000.0, "max_retries": 3, "timeout": 5.0, **overrides}
    return EntrezClient(Settings(**values), limiter=limiter or RateLimiter(1000.0), backoff_base=0.001)


@pytest.fixture(scope="module")
def biored_pool() -> dict[str, bytes]:
    return records_from_pubtator(BIORED_TEXTS)


# -- parsing real records -------------------------------------------------------------------------


def test_igf1_case_report_is_parsed() -> None:
    [article] = parse_pubmed_xml((EXAMPLES_DIR / f"pubmed_{IGF1}.xml").read_bytes())
    assert article.pmid == IGF1
    assert article.title.startswith("Insulin-like growth factor I gene deletion causing intrauterine growth")
    assert "homozygous partial IGF-I gene deletion involving exons 4 and 5" in article.abstract
    assert article.year == 1997
    assert article.journal == "Acta paediatrica (Oslo, Norway : 1992). Supplement"
    assert article.authors[:2] == ["Woods KA", "Camacho-Hübner C"]
    assert article.doi == "10.1111/j.1651-2227.1997.tb18367.x"
    assert "Insulin-Like Growth Factor I" in article.mesh_terms and "Gene Deletion" in article.mesh_terms
    assert "Case Reports" in article.publication_types
    assert article.language == "eng"
    assert not article.is_retracted and not article.has_erratum
    assert article.text == f"{article.title} {article.abstract}"


def test_structured_abstract_with_inline_markup_and_pmcid() -> None:
    [article] = parse_pubmed_xml((EXAMPLES_DIR / "pubmed4.xml").read_bytes())
    assert article.pmid == "27797938"
    assert article.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer."
    )
    labels = [s.label for s in article.abstract_sections]
    assert labels == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert "linkage disequilibrium r2<0.25" in article.abstract  # <sup>2</sup> kept as text
    assert article.pmcid == "PMC5442267"
    # PMIDs of cited references must not be taken for the article's own
    assert article.doi == "10.1136/gutjnl-2016-312510"


def test_every_bundled_record_parses_with_title_and_pmid() -> None:
    pool = example_pool()
    assert IGF1 in pool and len(pool) >= 7
    for pmid, record in pool.items():
        [article] = parse_pubmed_xml(b"<PubmedArticleSet>" + record + b"</PubmedArticleSet>")
        assert article.pmid == pmid and article.title


def test_retracted_and_erratum_flags() -> None:
    igf1 = example_pool()[IGF1]
    retracted = with_publication_type(igf1, "Retracted Publication")
    [article] = parse_pubmed_xml(b"<PubmedArticleSet>" + retracted + b"</PubmedArticleSet>")
    assert article.is_retracted and not article.has_erratum

    corrections = (
        b"<CommentsCorrectionsList>"
        b'<CommentsCorrections RefType="RetractionIn"><RefSource>Acta Paediatr. 1998</RefSource></CommentsCorrections>'
        b'<CommentsCorrections RefType="ErratumIn"><RefSource>Acta Paediatr. 1998</RefSource></CommentsCorrections>'
        b"</CommentsCorrectionsList><MeshHeadingList>"
    )
    edited = igf1.replace(b"<MeshHeadingList>", corrections, 1)
    [article] = parse_pubmed_xml(b"<PubmedArticleSet>" + edited + b"</PubmedArticleSet>")
    assert article.is_retracted and article.has_erratum


def test_book_article_keeps_title_and_abstract() -> None:
    book = (
        b"<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version=\"1\">20301456</PMID>"
        b"<Book><BookTitle>GeneReviews</BookTitle><PubDate><Year>1993</Year></PubDate></Book>"
        b"<ArticleTitle>Primary IGF-I Deficiency</ArticleTitle><Language>eng</Language>"
        b"<Abstract><AbstractText Label=\"CLINICAL CHARACTERISTICS\">Short <i>stature</i>.</AbstractText></Abstract>"
        b"</BookDocument></PubmedBookArticle></PubmedArticleSet>"
    )
    [article] = parse_pubmed_xml(book)
    assert (article.pmid, article.title, article.year) == ("20301456", "Primary IGF-I Deficiency", 1993)
    assert article.abstract == "CLINICAL CHARACTERISTICS: Short stature."


def test_truncated_and_non_xml_bodies_are_malformed_never_half_parsed() -> None:
    whole = (EXAMPLES_DIR / "pubmed2.xml").read_bytes()
    assert len(parse_pubmed_xml(whole)) == 2
    with pytest.raises(MalformedResponse):
        parse_pubmed_xml(whole[: len(whole) * 3 // 4])
    for body in (b"", b"<html><body>Service unavailable</body></html>", b"Bad gateway", b"\x00\xff"):
        with pytest.raises(MalformedResponse):
            parse_pubmed_xml(body)


def test_error_body_is_a_retryable_server_error() -> None:
    with pytest.raises(EntrezServerError, match="Neither query_key nor id specified"):
        parse_pubmed_xml((DATA / "esummary8.xml").read_bytes())
    with pytest.raises(EntrezServerError, match="Invalid db name"):
        parse_esearch((DATA / "epost2.xml").read_bytes())


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    ).encode()
    with pytest.raises(UnsafeXML) as error:
        parse_pubmed_xml(xxe)
    assert "TOP-SECRET" not in str(error.value)


def test_entity_expansion_bomb_is_refused() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [{entities}]>'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    ).encode()
    with pytest.raises(UnsafeXML):
        parse_pubmed_xml(bomb)


def test_recorded_zero_hit_esearch_parses() -> None:
    result = parse_esearch((DATA / "esearch8.xml").read_bytes())
    assert result["count"] == 0 and result["ids"] == []
    assert result["query_translation"] == "(abcXYZ[All Fields])"


# -- over loopback HTTP ---------------------------------------------------------------------------


def test_450_pmids_take_three_efetch_requests(biored_pool: dict[str, bytes]) -> None:
    pmids = list(biored_pool)
    assert len(pmids) == 450
    progress: list[tuple[int, int]] = []
    with ReplayServer(pool=biored_pool) as server:
        result = make_client(server).fetch_articles(pmids, on_batch=lambda done, total: progress.append((done, total)))
        efetches = server.requests_to("efetch")
    # batches go out concurrently (up to 3 in flight), so the server may see them in any order
    assert result.requests == 3 and sorted(r.id_count for r in efetches) == [50, 200, 200]
    assert all(r.method == "POST" for r in efetches)
    assert progress == [(200, 450), (400, 450), (450, 450)]
    assert [a.pmid for a in result.articles] == pmids
    assert not result.missing and not result.failed
    texts = read_pubtator_texts(BIORED_TEXTS)
    for article in result.articles[::50]:
        title, abstract = texts[article.pmid]
        assert article.text == f"{title} {abstract}"  # PubTator offsets stay valid


def test_unknown_pmids_are_reported_missing() -> None:
    with ReplayServer() as server:
        result = make_client(server).fetch_articles([IGF1, "99999999"])
    assert [a.pmid for a in result.articles] == [IGF1]
    assert result.missing == ["99999999"] and not result.failed


def test_requests_respect_three_per_second_across_threads() -> None:
    limiter = RateLimiter(3.0)
    with ReplayServer(searches={"IGF1": [IGF1]}) as server:
        client = make_client(server, limiter=limiter)
        workers = [
            threading.Thread(target=lambda: [client.search_pubmed("IGF1") for _ in range(3)]) for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        arrivals = sorted(r.timestamp for r in server.requests)
    assert len(arrivals) == 6
    for start in arrivals:
        in_window = [t for t in arrivals if start <= t < start + 1.0]
        assert len(in_window) <= 3, f"{len(in_window)} requests within one second"


def test_esearch_pages_with_webenv(biored_pool: dict[str, bytes]) -> None:
    hits = list(biored_pool)[:230]
    with ReplayServer(searches={"IGF1[gene] AND deficiency": hits}) as server:
        client = make_client(server)
        result = client.search_pubmed("IGF1[gene] AND deficiency", mindate="1990", maxdate="2024", page_size=100)
        searches = server.requests_to("esearch")
    assert result.pmids == hits and result.count == 230
    assert result.query_translation == "IGF1[gene] AND deficiency"
    assert [r.params["retstart"] for r in searches] == ["0", "100", "200"]
    assert searches[0].params["usehistory"] == "y" and "WebEnv" not in searches[0].params
    webenvs = {r.params.get("WebEnv") for r in searches[1:]}
    assert len(webenvs) == 1 and None not in webenvs
    assert all(r.params["query_key"] == "1" for r in searches[1:])
    assert searches[0].params["mindate"] == "1990" and searches[0].params["datetype"] == "edat"
    assert client.request_counts["esearch"] == 3


def test_esearch_max_results_stops_paging(biored_pool: dict[str, bytes]) -> None:
    hits = list(biored_pool)[:230]
    with ReplayServer(searches={"IGF1": hits}) as server:
        result = make_client(server).search_pubmed("IGF1", max_results=150, page_size=100)
        assert len(server.requests_to("esearch")) == 2
    assert result.pmids == hits[:150] and result.count == 230


def test_elink_gene_to_pubmed() -> None:
    with ReplayServer(gene_links={"3479": [IGF1, "27797938"]}) as server:
        client = make_client(server)
        assert client.link_gene_to_pubmed(3479) == [IGF1, "27797938"]
        assert client.link_gene_to_pubmed("5464") == []
        [first, _] = server.requests_to("elink")
    assert first.params["dbfrom"] == "gene" and first.params["db"] == "pubmed"


def test_api_key_is_sent_but_never_logged_or_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    faults = [Fault.http_error(429, times=1), Fault.http_error(500, when_ids_include="9997")]
    with ReplayServer(faults=faults) as server:
        settings = Settings(
            eutils_url=server.url, rate_limit=1000.0, max_retries=1, timeout=5.0, batch_size=1,
            ncbi_api_key=SecretStr(API_KEY),
        )
        client = EntrezClient(settings, limiter=RateLimiter(1000.0), backoff_base=0.001)
        result = client.fetch_articles([IGF1, "9997"])
        seen = server.requests
    assert [a.pmid for a in result.articles] == [IGF1]
    assert "HTTP 500" in result.failed["9997"]
    assert all(r.has_api_key for r in seen) and all("api_key" not in r.params for r in seen)
    shown = caplog.text + " ".join(result.failed.values()) + repr(settings) + str(settings)
    assert "retrying" in caplog.text  # the failures were logged ...
    assert API_KEY not in shown  # ... without the key


def test_eutils_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from genelit.config import load_settings

    with ReplayServer() as server:
        monkeypatch.setenv("GENELIT_EUTILS_URL", server.url + "/")
        monkeypatch.setenv("GENELIT_RATE_LIMIT", "1000")
        client = EntrezClient(load_settings(), limiter=RateLimiter(1000.0))
        result = client.fetch_articles([IGF1])
        assert len(server.requests_to("efetch")) == 1
    assert [a.pmid for a in result.articles] == [IGF1]
