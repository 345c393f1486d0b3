"""The review web app over HTTP (Starlette's TestClient, in process, real SQLite store): every route,
the edit checks, the optimistic version check, and the safety rules (escaping, CSRF, token, Host)."""
from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_harness import GENELIT, RUN_TIMEOUT
from genelit.flows.cli.app import app as cli_app
from genelit.flows.readers import read_documents
from genelit.flows.web import create_app
from genelit.flows.web.security import CONTENT_SECURITY_POLICY, check_bind
from genelit.models.evidence import EvidenceRecord, EvidenceSentence, RecordStatus
from genelit.models.store import Store
from genelit.outputs.report import HIGHLIGHT_KINDS
from openpyxl import load_workbook
from review_app_data import (
    HOSTILE_NOTE,
    HOSTILE_PMID,
    HOSTILE_TITLE,
    IGF1_PMID,
    fill_store,
    form_tokens,
    hostile_records,
    igf1_records,
)
from starlette.testclient import TestClient
from typer.testing import CliRunner

from genelit.errors import InputError

BASE = "http://127.0.0.1"
HOSTS = {"127.0.0.1", "localhost"}
DELETION, GENE_LEVEL = (r.record_id for r in igf1_records())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'review.db'}") as s:
        fill_store(s)
        yield s


def client_for(store: Store, **options: object) -> TestClient:
    return TestClient(create_app(store, allowed_hosts=HOSTS, **options), base_url=BASE)  # type: ignore[arg-type]


@pytest.fixture
def client(store: Store) -> TestClient:
    return client_for(store)


def post(client: TestClient, record_id: str, action: str, pmid: str = IGF1_PMID, **fields: str):
    """Submit one record's form as the page rendered it (its csrf and version), plus ``fields``."""
    page = client.get(f"/paper/{pmid}")
    tokens = form_tokens(page.text, record_id)
    return client.post(f"/record/{record_id}/{action}", data={**tokens, **fields}, follow_redirects=False)


class Tags(HTMLParser):
    """Every start tag with its attributes, to check what the browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


# -- pages -------------------------------------------------------------------------------------


def test_queue_lists_counts_filters_sorts_and_pages(client: TestClient) -> None:
    page = client.get("/queue")
    assert page.status_code == 200 and "3</strong> record(s)" in page.text
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "server-timing" in page.headers
    assert '<a href="/queue?status=draft" class="status status-draft">draft</a>' in page.text
    assert re.search(r'>GHR</a>[^\n]*</td>\s*<td>2</td>', page.text)  # 2 GHR drafts in the gene counts
    assert "1</strong> record(s)" in client.get("/queue", params={"gene": "igf1"}).text
    assert "2</strong> record(s)" in client.get("/queue", params={"pmid": IGF1_PMID}).text
    assert "1</strong> record(s)" in client.get("/queue", params={"min_confidence": "0.6"}).text
    assert "0</strong> record(s)" in client.get("/queue", params={"status": "accepted"}).text
    rows = client.get("/queue", params={"sort": "confidence", "order": "desc"}).text
    assert rows.index("del(exons 4-5)") < rows.index("c.1A&gt;G") < rows.index("gene-level")
    paged = client.get("/queue", params={"per_page": "25", "page": "1"}).text
    assert "page 1 of 1" in paged
    bad = client.get("/queue", params={"status": "approved"})
    assert bad.status_code == 400 and "unknown status 'approved'" in unescape(bad.text) and "Traceback" not in bad.text


def test_paper_view_highlights_and_anchors_each_records_evidence(client: TestClient) -> None:
    page = client.get(f"/paper/{IGF1_PMID}")
    assert page.status_code == 200
    html = page.text
    assert '<mark class="hl-zygosity" title="zygosity">homozygous</mark>' in html
    assert '<mark class="hl-phenotype" title="phenotype (HPO)">sensorineural deafness</mark>' in html
    for record_id in (DELETION, GENE_LEVEL):
        assert f'id="evidence-{record_id}"' in html and f'href="#evidence-{record_id}"' in html
        assert f'id="record-{record_id}"' in html
    evidence = [attrs["data-records"] for tag, attrs in tags(html) if attrs.get("class") == "evidence"]
    assert DELETION in " ".join(evidence) and GENE_LEVEL in " ".join(evidence)
    assert "Intrauterine growth retardation (HP:0001511)" in html
    assert client.get("/paper/1").status_code == 404


def test_highlight_colours_are_the_reports(client: TestClient) -> None:
    css = client.get("/highlights.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for cls, colour, _ in HIGHLIGHT_KINDS.values():
        assert f"mark.{cls}{{background:{colour}}}" in css.text
    assert client.get("/static/app.js").status_code == 200 and client.get("/static/app.css").status_code == 200


def test_gene_page_summary_and_exports(client: TestClient, store: Store) -> None:
    store.review(DELETION, "accept", "alice")
    page = client.get("/gene/IGF1")
    assert page.status_code == 200 and "Draft classification: Limited" in page.text
    assert "homozygous del(exons 4-5)" in page.text  # the score sheet's reason for the case
    assert 'href="/gene/IGF1/export.xlsx"' in page.text and 'href="/gene/IGF1/export.csv"' in page.text
    summary = client.get("/gene/IGF1/summary.md")
    assert summary.text.startswith("# IGF1") and "attachment" in summary.headers["content-disposition"]
    sheet = client.get("/gene/IGF1/export.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content))["review"].iter_rows(values_only=True))
    assert rows[0][:2] == ("decision", "note") and [r[rows[0].index("record_id")] for r in rows[1:]] == [DELETION]
    csv = client.get("/gene/igf1/export.csv").text.splitlines()
    assert csv[0].startswith("record_id,status,pmid") and DELETION in csv[1] and "accepted" in csv[1]
    assert client.get("/gene/IGF1/export.pdf").status_code == 400
    assert client.get("/gene/NOSUCHGENE").status_code == 404


def test_unknown_page_is_a_one_line_404(client: TestClient) -> None:
    page = client.get("/nowhere")
    assert page.status_code == 404 and "no page at /nowhere" in page.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/queue"


# -- decisions -----------------------------------------------------------------------------------


def test_accept_and_reject_are_stored_with_curator_note_and_history(client: TestClient, store: Store) -> None:
    done = post(client, DELETION, "accept", curator="alice", note="Table 2")
    assert done.status_code == 303 and done.headers["location"].endswith(f"#record-{DELETION}")
    stored = store.get_record(DELETION)
    assert (stored.status, stored.curator, stored.note) == (RecordStatus.ACCEPTED, "alice", "Table 2")
    page = client.get(f"/paper/{IGF1_PMID}").text
    assert 'value="alice"' in page  # the curator is remembered for the next form
    assert "History (1)" in page and "<strong>alice</strong> accept" in page and "“Table 2”" in page
    post(client, GENE_LEVEL, "reject", curator="bob", note="no variant")
    assert store.get_record(GENE_LEVEL).status == RecordStatus.REJECTED
    assert [e.action for e in store.audit_trail(GENE_LEVEL)] == ["reject"]


def test_edit_is_checked_like_the_cli_and_canonicalized(client: TestClient, store: Store) -> None:
    done = post(client, DELETION, "edit", curator="alice", note="per Figure 1", zygosity="heterozygous",
                hgvs_p="p.R123X", inheritance="autosomal recessive")
    assert done.status_code == 303
    stored = store.get_record(DELETION)
    assert (stored.status, stored.zygosity, stored.hgvs_p) == (RecordStatus.EDITED, "heterozygous", "p.Arg123Ter")
    assert (stored.inheritance, stored.inheritance_hpo) == ("Autosomal recessive inheritance", "HP:0000007")
    assert {e.field for e in store.audit_trail(DELETION)} >= {"zygosity", "hgvs_p", "inheritance", "inheritance_hpo"}


def test_invalid_edit_is_refused_on_the_card_with_the_input_kept(client: TestClient, store: Store) -> None:
    refused = post(client, DELETION, "edit", curator="alice", hgvs_c="c.274G>Z", gene_symbol="IGF-I",
                   phenotypes_hpo="HP:0000007", note="my careful note")
    assert refused.status_code == 400
    html = refused.text
    assert "is not c./n./r. HGVS" in html and "the approved symbol is IGF1" in html
    assert "not a current HPO phenotype term" in html
    assert 'value="c.274G&gt;Z"' in html and 'value="my careful note"' in html  # nothing typed is lost
    assert store.get_record(DELETION).status == RecordStatus.DRAFT and store.audit_trail(DELETION) == []
    assert post(client, DELETION, "accept", curator=" ").status_code == 400
    assert "a curator name is required" in post(client, DELETION, "accept").text


def test_second_curator_gets_a_conflict_and_sees_the_first_change(store: Store) -> None:
    alice, bob = client_for(store), client_for(store)
    alice_tokens = form_tokens(alice.get(f"/paper/{IGF1_PMID}").text, DELETION)
    bob_tokens = form_tokens(bob.get(f"/paper/{IGF1_PMID}").text, DELETION)
    assert alice_tokens["csrf"] != bob_tokens["csrf"]  # two browser sessions
    first = alice.post(f"/record/{DELETION}/edit", data={**alice_tokens, "curator": "alice", "zygosity": "heterozygous"},
                       follow_redirects=False)
    assert first.status_code == 303
    second = bob.post(f"/record/{DELETION}/reject", data={**bob_tokens, "curator": "bob", "note": "bob's reason"},
                      follow_redirects=False)
    assert second.status_code == 409
    assert "alice edited it" in second.text and "nothing was saved" in second.text
    assert 'value="bob&#39;s reason"' in second.text  # bob's note is still in his form
    card = second.text[second.text.index(f'id="record-{DELETION}"'):]
    assert "status-edited" in card[:400] and "<span class=\"tag\">heterozygous</span>" in card[:600]
    stored = store.get_record(DELETION)
    assert (stored.status, stored.curator, stored.zygosity) == (RecordStatus.EDITED, "alice", "heterozygous")
    # with the page reloaded (new version) bob's decision goes through
    assert post(bob, DELETION, "reject", curator="bob").status_code == 303
    assert [e.curator for e in store.audit_trail(DELETION)][-1] == "bob"


def test_a_rerun_never_overwrites_a_decision_made_in_the_app(client: TestClient, store: Store) -> None:
    post(client, DELETION, "accept", curator="alice")
    newer = [r.model_copy(update={"zygosity": "heterozygous"}) if r.record_id == DELETION else r for r in igf1_records()]
    store.upsert_drafts(IGF1_PMID, newer)
    stored = store.get_record(DELETION)
    assert (stored.status, stored.zygosity) == (RecordStatus.ACCEPTED, "homozygous")
    page = client.get(f"/paper/{IGF1_PMID}").text
    assert "A newer extraction disagrees" in page and "<td>zygosity</td><td>homozygous</td><td>heterozygous</td>" in page
    assert "⚑ newer" in client.get("/queue", params={"updates": "1"}).text


# -- safety -------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere(client: TestClient, store: Store) -> None:
    [record] = hostile_records()
    post(client, record.record_id, "reject", pmid=HOSTILE_PMID, curator='<b onmouseover="x">eve</b>', note=HOSTILE_NOTE)
    pages = [client.get(f"/paper/{HOSTILE_PMID}").text, client.get("/queue").text, client.get("/gene/GHR?drafts=1").text]
    for html in pages:
        found = tags(html)
        assert [a.get("src") for t, a in found if t == "script"] == ["/static/app.js"]
        assert not any(t in ("img", "svg", "i") for t, _ in found)
        assert not any(name.startswith("on") for _, attrs in found for name in attrs)
        assert "<script>document" not in html and "<script>alert" not in html
    text = unescape(pages[0])  # what the curator reads: the hostile text itself, as text
    assert HOSTILE_TITLE in text and HOSTILE_NOTE in text and '"><img src=x' in text and "onerror=" in text


def test_forms_need_the_sessions_csrf_token_and_this_origin(client: TestClient, store: Store) -> None:
    tokens = form_tokens(client.get(f"/paper/{IGF1_PMID}").text, DELETION)
    forged = client.post(f"/record/{DELETION}/accept", data={"version": tokens["version"], "curator": "mallory"})
    assert forged.status_code == 403
    wrong = client.post(f"/record/{DELETION}/accept", data={**tokens, "csrf": "0" * 64, "curator": "mallory"})
    assert wrong.status_code == 403
    other = client_for(store)  # another browser: its session does not match this token
    assert other.post(f"/record/{DELETION}/accept", data={**tokens, "curator": "mallory"}).status_code == 403
    cross = client.post(f"/record/{DELETION}/accept", data={**tokens, "curator": "mallory"},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    assert client.post(f"/record/{DELETION}/accept", content=b'{"curator": "x"}',
                       headers={"content-type": "application/json"}).status_code == 400
    assert store.get_record(DELETION).status == RecordStatus.DRAFT


def test_token_is_required_on_every_request_when_set(store: Store) -> None:
    client = client_for(store, token="s3cret")
    assert client.get("/queue").status_code == 401
    assert client.get("/queue", headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.get("/queue", headers={"authorization": "Bearer s3cret"}).status_code == 200
    opened = client.get("/queue?token=s3cret&gene=IGF1", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/queue?gene=IGF1"
    assert client.get("/queue").status_code == 200  # the cookie set from the start-up URL
    assert post(client, DELETION, "accept", curator="alice").status_code == 303


def test_only_loopback_host_names_are_answered(client: TestClient) -> None:
    assert client.get("/queue", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/queue", headers={"host": "localhost:8765"}).status_code == 200


def test_serving_beyond_loopback_needs_a_token() -> None:
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("0.0.0.0", "s3cret")
    with pytest.raises(InputError, match="refusing to serve on 0.0.0.0 without an access token"):
        check_bind("0.0.0.0", None)
    result = CliRunner().invoke(cli_app, ["review", "serve", "--host", "0.0.0.0"], standalone_mode=False,
                                env={"GENELIT_REVIEW_TOKEN": ""})
    assert isinstance(result.exception, InputError)


def test_review_serve_answers_on_loopback_and_refuses_a_taken_port(tmp_path: Path) -> None:
    """The installed console script, as a curator starts it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([GENELIT, "review", "serve", "--port", str(port)], capture_output=True, text=True,
                              timeout=RUN_TIMEOUT, env={**os.environ, "GENELIT_DB_URL": f"sqlite:///{tmp_path / 'a.db'}"},
                              check=False)
    assert busy.returncode == 2 and busy.stderr.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    env = {**os.environ, "GENELIT_DB_URL": f"sqlite:///{tmp_path / 'review.db'}"}
    with Store(env["GENELIT_DB_URL"]) as store:
        fill_store(store)
    server = subprocess.Popen([GENELIT, "review", "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/queue", timeout=5) as page:
                    assert page.status == 200 and "3</strong> record(s)" in page.read().decode()
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr and server.stderr.read()
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(RUN_TIMEOUT)


def test_full_text_is_shown_by_section_with_the_evidence_anchored(tmp_path: Path) -> None:
    """A real PMC case report (JATS) read by genelit's reader; the record's sentence is in its case section."""
    [article] = read_documents(Path(__file__).parent / "data" / "fulltext" / "1349-7235-63-2651.nxml")
    start = article.text.index("Genetic testing revealed")
    end = article.text.index(".", start) + 1
    passage = article.passage_at(start)
    sentence = EvidenceSentence(text=article.text[start:end], start=start, end=end, section=passage.section,
                                section_kind=passage.kind.value, highlights=[(start, start + 7, "other")])
    record = EvidenceRecord(record_id="f" * 16, pmid=article.pmid, gene_symbol="CD46", evidence=[sentence])
    with Store(f"sqlite:///{tmp_path / 'full.db'}") as store:
        store.save_articles([article])
        store.upsert_drafts(article.pmid, [record])
        html = client_for(store).get(f"/paper/{article.pmid}").text
    assert "<h2>Case Report</h2>" in html and "<h2>Table 2 (" in html
    case = html.index("<h2>Case Report</h2>")
    assert case < html.index(f'id="evidence-{record.record_id}"') < html.index('class="cards"')
    assert '<span class="section">[Case Report]</span>' in html
