"""The review report as headless Chromium renders it: highlights present, no script from paper text."""
from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    Phenotype,
    VariantClass,
)
from genelit.outputs.report import render_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-dev-shm-usage",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's headless Chromium: apt-get install -y chromium"),
]

TITLE = "IGF1 deletion <script>document.title='pwned'</script> in a consanguineous family"
ABSTRACT = ("A boy with intrauterine growth retardation and sensorineural deafness was homozygous for a partial "
            "IGF1 deletion <img src=x onerror=\"document.body.innerHTML='pwned'\"> of exons 4 and 5.")


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[tuple[str, str]] = []
        self._open_mark: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "mark":
            self._open_mark = dict(attrs).get("class") or ""
            self.marks.append((self._open_mark, ""))

    def handle_data(self, data: str) -> None:
        if self._open_mark is not None:
            cls, text = self.marks[-1]
            self.marks[-1] = (cls, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open_mark = None


def _span(text: str, needle: str, kind: str) -> tuple[int, int, str]:
    start = text.index(needle)
    return (start, start + len(needle), kind)


def _report(tmp_path: Path) -> Path:
    article = Article(pmid="9401537", title=TITLE, abstract_sections=[AbstractSection(text=ABSTRACT)],
                      journal="Acta Paediatr Suppl", year=1997, is_retracted=True)
    text = article.text
    start = len(TITLE) + 1
    record = EvidenceRecord(
        record_id="a" * 16, pmid="9401537", title=TITLE, gene_symbol="IGF1", hgnc_id="HGNC:5464",
        variant="partial IGF1 deletion", variant_key="IGF1:del(exons 4-5)", variant_class=VariantClass.NULL,
        zygosity="homozygous",
        phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation")],
        evidence=[EvidenceSentence(text=text[start:], start=start, end=len(text), highlights=[
            _span(text, "IGF1 deletion <img", "variant"),
            _span(text, "homozygous", "zygosity"),
            _span(text, "intrauterine growth retardation", "phenotype"),
            _span(text, "IGF1", "gene"),
            _span(text, "IGF1 deletion", "variant"),  # overlaps the gene span in the title
        ])],
    )
    path = tmp_path / "report.html"
    path.write_text(render_report([record], [article]), encoding="utf-8")
    return path


def _chromium(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_chromium_renders_highlights_and_no_active_content(tmp_path: Path) -> None:
    report = _report(tmp_path)
    dom_text = _chromium("--dump-dom", report.as_uri(), cwd=tmp_path)
    dom = _Dom()
    dom.feed(dom_text)
    tags = [tag for tag, _ in dom.elements]
    assert tags.count("script") == 1 and "img" not in tags  # the report's own filter script only
    assert not any(name.startswith("on") for _, attrs in dom.elements for name in attrs)
    assert "genelit review report</h1>" in dom_text  # body not replaced by the injected onerror handler
    assert "<title>genelit review report</title>" in dom_text
    assert ("hl-zygosity", "homozygous") in dom.marks
    assert ("hl-phenotype", "intrauterine growth retardation") in dom.marks
    assert ("hl-gene hl-variant hl-multi", "IGF1") in dom.marks
    assert ("hl-variant", " deletion") in dom.marks  # rest of the overlapping title span
    assert ("hl-variant", "IGF1 deletion <img") in dom.marks  # paper text shown as text, not an element
    assert "RETRACTED" in dom_text
    assert "<script>document.title='pwned'</script>" not in dom_text


def test_chromium_screenshot_is_written(tmp_path: Path) -> None:
    report = _report(tmp_path)
    shot = tmp_path / "report.png"  # copy it out and look at it when changing the layout
    _chromium(f"--screenshot={shot}", "--window-size=1200,1400", report.as_uri(), cwd=tmp_path)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_the_filter_runs_under_the_pages_csp_and_hides_what_does_not_match(tmp_path: Path) -> None:
    """``report.html#filter=...`` opens the report filtered; the script runs only if its CSP hash matches."""
    sentence = EvidenceSentence(text="A homozygous IGF1 deletion.", start=0, end=27)
    records = [
        EvidenceRecord(record_id=f"{i:016x}", pmid=pmid, title=f"paper {pmid}", gene_symbol=gene,
                       hgnc_id=hgnc, variant_key=variant, zygosity="homozygous", evidence=[sentence])
        for i, (pmid, gene, hgnc, variant) in enumerate([
            ("9401537", "IGF1", "HGNC:5464", "del(exons 4-5)"),
            ("15769976", "IGF1", "HGNC:5464", "p.Val92Met"),
            ("15769976", "GH1", "HGNC:4261", None),
        ], start=1)
    ]
    report = tmp_path / "report.html"
    report.write_text(render_report(records), encoding="utf-8")

    def hidden_ids(fragment: str) -> tuple[set[str], str]:
        dom_text = _chromium("--dump-dom", report.as_uri() + fragment, cwd=tmp_path)
        dom = _Dom()
        dom.feed(dom_text)
        hidden = {attrs.get("id") or attrs.get("data-record") or "" for _, attrs in dom.elements if "hidden" in attrs}
        return hidden, dom_text

    hidden, dom_text = hidden_ids("")
    assert "filter-form" not in hidden and "3 of 3 record(s) shown" in dom_text  # the script ran
    assert not {h for h in hidden if h.startswith(("record-", "pmid-"))}

    hidden, dom_text = hidden_ids("#filter=gh1%20HGNC:4261")
    assert "1 of 3 record(s) shown" in dom_text
    assert hidden >= {f"record-{records[0].record_id}", f"record-{records[1].record_id}", "pmid-9401537"}
    assert f"record-{records[2].record_id}" not in hidden and "pmid-15769976" not in hidden
