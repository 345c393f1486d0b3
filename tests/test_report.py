"""HTML review report: escaping of paper text, highlights (also overlapping), retraction banner."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    Phenotype,
    RecordStatus,
    VariantClass,
)
from genelit.outputs.report import highlight, render_report
from genelit.outputs.report_nav import FILTER_SCRIPT, script_source_hash

TITLE = "Insulin-like growth factor I gene deletion causing intrauterine growth retardation and severe short stature."
ABSTRACT = (
    "The patient was a 15-year-old boy from a consanguineous pedigree who presented with severe intrauterine "
    "growth failure, sensorineural deafness and mild mental retardation. Analysis of the IGF-I gene revealed a "
    "homozygous partial IGF-I gene deletion involving exons 4 and 5."
)


class _Tags(HTMLParser):
    """Collects (tag, attrs) and checks that every opened element is closed in order."""

    VOID = {"meta", "br", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def _parse(document: str) -> _Tags:
    parser = _Tags()
    parser.feed(document)
    parser.close()
    return parser


def _scripts(document: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", document, flags=re.S)


def _span(text: str, needle: str, kind: str) -> tuple[int, int, str]:
    start = text.index(needle)
    return (start, start + len(needle), kind)


def _igf1(title: str = TITLE, abstract: str = ABSTRACT, retracted: bool = False) -> tuple[EvidenceRecord, Article]:
    article = Article(pmid="9401537", title=title, abstract_sections=[AbstractSection(text=abstract)],
                      journal="Acta Paediatr Suppl", year=1997, is_retracted=retracted)
    text = article.text
    sentence_start = text.find("Analysis of") if "Analysis of" in text else len(title) + 1
    sentence_end = len(text)
    wanted = [("IGF-I gene revealed", "gene"), ("homozygous", "zygosity"),
              ("partial IGF-I gene deletion involving exons 4 and 5", "variant"),
              ("sensorineural deafness", "phenotype")]
    highlights = [_span(text, needle, kind) for needle, kind in wanted if needle in text]
    record = EvidenceRecord(
        record_id=EvidenceRecord.make_id("9401537", "HGNC:5464", "IGF1:del(exons 4-5)"), pmid="9401537",
        title=title, gene_symbol="IGF1", hgnc_id="HGNC:5464", variant="partial IGF-I gene deletion",
        variant_key="IGF1:del(exons 4-5)", variant_class=VariantClass.NULL, zygosity="homozygous",
        inheritance="autosomal recessive", inheritance_hpo="HP:0000007", consanguinity=True,
        phenotypes=[Phenotype(hpo_id="HP:0000407", label="Sensorineural hearing impairment")],
        evidence=[EvidenceSentence(text=text[sentence_start:sentence_end], start=sentence_start,
                                   end=sentence_end, highlights=highlights)],
        confidence=0.8, confidence_reasons=["zygosity in the same sentence"], status=RecordStatus.ACCEPTED,
    )
    return record, article


def test_report_shows_paper_record_and_highlights() -> None:
    record, article = _igf1()
    document = render_report([record], [article])
    parser = _parse(document)
    assert parser.balanced and not parser.stack
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/9401537/"' in document
    assert "Acta Paediatr Suppl · 1997" in document
    marks = re.findall(r'<mark class="([^"]+)"[^>]*>([^<]*)</mark>', document)
    assert ("hl-zygosity", "homozygous") in marks
    assert ("hl-variant", "partial IGF-I gene deletion involving exons 4 and 5") in marks
    assert ("hl-phenotype", "sensorineural deafness") in marks
    # legend lists every kind once
    assert all(f'<mark class="hl-{k}">' in document for k in ("gene", "variant", "zygosity", "phenotype"))
    assert "HP:0000407 Sensorineural hearing impairment" in document
    assert "autosomal recessive HP:0000007" in document
    assert "RETRACTED" not in document
    assert _scripts(document) == [FILTER_SCRIPT]  # the filter, and nothing else


def test_paper_text_is_escaped_everywhere() -> None:
    evil_title = "IGF1 <script>alert(1)</script> deletion"
    evil_abstract = 'A homozygous <img src=x onerror=alert(1)> IGF1 deletion & "quotes".'
    record, article = _igf1(evil_title, evil_abstract)
    record = record.model_copy(update={
        "note": "<b onmouseover=alert(2)>note</b>", "curator": "<i>eve</i>",
        "disease_label": "<svg onload=alert(3)>", "evidence": [
            EvidenceSentence(text=evil_abstract, start=len(evil_title) + 1, end=len(article.text),
                             highlights=[_span(article.text, "<img src=x onerror=alert(1)>", "variant")])],
    })
    document = render_report([record], [article])
    parser = _parse(document)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"img", "svg", "b", "i"}
    assert _scripts(document) == [FILTER_SCRIPT]  # the filter's own, no script from paper text
    assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
    assert "&amp; &quot;quotes&quot;" in document
    assert parser.balanced


def test_overlapping_and_out_of_range_highlights_keep_markup_balanced() -> None:
    text = "homozygous IGF1 c.274G>A"
    spans = [(0, 15, "zygosity"), (11, 24, "variant"), (11, 15, "gene"), (20, 400, "phenotype"), (5, 2, "gene")]
    rendered = highlight(text, spans)
    parser = _parse(f"<p>{rendered}</p>")
    assert parser.balanced and not parser.stack
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text
    assert '<mark class="hl-zygosity" title="zygosity">homozygous </mark>' in rendered
    assert '<mark class="hl-zygosity hl-variant hl-gene hl-multi"' in rendered
    assert 'class="hl-variant hl-phenotype hl-multi"' in rendered


def test_unknown_kind_cannot_inject_attributes() -> None:
    rendered = highlight("abc", [(0, 3, '" onclick="alert(1)')])
    assert 'class="hl-other"' in rendered and "onclick" not in rendered.split(">")[0].replace('title="other cue"', "")


def test_retracted_paper_gets_a_banner_and_missing_article_degrades() -> None:
    record, article = _igf1(retracted=True)
    assert "RETRACTED" in render_report([record], [article])
    flagged = record.model_copy(update={"is_retracted": True})
    without_article = render_report([flagged], [])
    assert "RETRACTED" in without_article and "Abstract not available" in without_article
    # the evidence sentence is still highlighted from its own offsets
    assert '<mark class="hl-zygosity" title="zygosity">homozygous</mark>' in without_article


def _records_of_two_genes() -> tuple[list[EvidenceRecord], list[Article]]:
    igf1, article = _igf1()
    gh1 = igf1.model_copy(update={
        "record_id": EvidenceRecord.make_id("9401537", "HGNC:4261", None), "gene_symbol": "GH1",
        "hgnc_id": "HGNC:4261", "variant": None, "variant_key": None, "zygosity": None,
        "status": RecordStatus.DRAFT, "phenotypes": [],
    })
    other = igf1.model_copy(update={
        "record_id": EvidenceRecord.make_id("15769976", "HGNC:5464", "p.Val92Met"), "pmid": "15769976",
        "title": "A homozygous IGF1 missense mutation", "variant_key": "p.Val92Met", "status": RecordStatus.DRAFT,
    })
    return [igf1, gh1, other], [article]


def test_report_tells_what_to_do_next_for_every_record() -> None:
    records, articles = _records_of_two_genes()
    document = render_report(records, articles)
    assert "What next: review these drafts" in document
    assert "genelit export --status draft --format xlsx --out review.xlsx" in document
    for record in records:
        section = re.search(rf'<section class="record" id="record-{record.record_id}".*?</section>', document, re.S)
        assert section, record.record_id
        commands = section.group(0)
        assert f'genelit review accept {record.record_id} --note "why"' in commands
        assert f'genelit review reject {record.record_id} --note "why"' in commands
        assert f"genelit review edit {record.record_id} --FIELD VALUE" in commands
    accepted = re.search(rf'id="record-{records[0].record_id}".*?</section>', document, re.S).group(0)
    assert "Change the decision" in accepted and f"genelit review history {records[0].record_id}" in accepted


def test_contents_list_every_record_by_gene_and_every_paper() -> None:
    records, articles = _records_of_two_genes()
    document = render_report(records, articles)
    nav = re.search(r'<nav class="toc".*?</nav>', document, re.S).group(0)
    by_gene, by_paper = nav.split("By paper")
    assert by_gene.index("GH1 (HGNC:4261)") < by_gene.index("IGF1 (HGNC:5464)")  # genes in order
    assert "IGF1 (HGNC:5464)</strong> — 2 record(s)" in by_gene
    for record in records:
        assert f'<a href="#record-{record.record_id}">' in by_gene
        assert f'id="record-{record.record_id}"' in document  # every link has its target
    assert '<a href="#pmid-9401537">PMID:9401537</a>' in by_paper and 'id="pmid-9401537"' in document
    assert '<a href="#pmid-15769976">PMID:15769976</a> A homozygous IGF1 missense mutation — 1 record(s)' in by_paper
    assert "gene-level (no variant)" in by_gene


def test_the_filter_script_is_the_only_one_allowed_and_each_record_carries_what_it_matches() -> None:
    records, articles = _records_of_two_genes()
    hostile = records[2].model_copy(update={"note": '"><script>alert(1)</script>'})
    document = render_report([*records[:2], hostile], articles)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', document).group(1)
    assert f"script-src {script_source_hash()}" in csp and "unsafe-inline'; script" in csp
    assert "script-src 'unsafe-inline'" not in csp and "default-src 'none'" in csp
    assert _scripts(document) == [FILTER_SCRIPT]
    search = dict(re.findall(r'<section class="record" id="(record-[0-9a-f]+)" data-status="\w+" data-search="([^"]*)"',
                             document))
    assert "igf1 hgnc:5464" in search[f"record-{records[0].record_id}"]
    assert "hp:0000407 sensorineural hearing impairment" in search[f"record-{records[0].record_id}"]
    assert "&quot;&gt;&lt;script&gt;" in search[f"record-{hostile.record_id}"]  # escaped inside the attribute
    assert '<form class="filter" id="filter-form" role="search" hidden>' in document  # shown by the script
