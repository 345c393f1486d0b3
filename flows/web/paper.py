"""A paper's text as the review app shows it: highlighted like the HTML report, with each record's
evidence marked so that clicking the record scrolls to it.  A full text (issue #9) is shown after the
abstract, passage by passage under its section headings (table rows under their table).

The highlighting is :func:`genelit.outputs.report.highlight` (escaping, flat segments, the report's
classes and colours).  On top of it the text is cut at every evidence-sentence boundary; a piece inside
evidence sentences becomes ``<span class="evidence" data-records="id ...">``, and an empty anchor
``<span id="evidence-<record id>">`` stands before the first piece of each record's evidence.  All
offsets refer to ``Article.text`` (title, one space, abstract, then any full-text passages), as the
extractors write them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from genelit.models.article import Article, SectionKind
from genelit.models.evidence import EvidenceRecord
from genelit.outputs.report import HIGHLIGHT_KINDS, OTHER_KIND, highlight, record_spans
from markupsafe import Markup, escape

ANCHOR_PREFIX = "evidence-"


@dataclass(frozen=True)
class Section:
    """Consecutive full-text passages under one heading ("Case Report", "Table 2 (Results)")."""

    heading: str
    passages: list[Markup]


@dataclass(frozen=True)
class PaperText:
    """The highlighted title, abstract and full-text sections (safe HTML), and which records have
    evidence in them."""

    title: Markup
    abstract: Markup
    body: list[Section]
    anchored: frozenset[str]


def _segments(text: str, base: int, records: Sequence[EvidenceRecord], anchored: set[str]) -> Markup:
    """``text`` (which starts at ``base`` in ``Article.text``) highlighted, evidence sentences marked."""
    end = base + len(text)
    sentences = [(max(s.start, base), min(s.end, end), r.record_id)
                 for r in records for s in r.evidence if s.start < end and s.end > base]
    cuts = sorted({base, end, *(s for s, _, _ in sentences), *(e for _, e, _ in sentences)})
    spans = record_spans(records)
    pieces: list[str] = []
    for left, right in pairwise(cuts):
        html = highlight(text[left - base:right - base], spans, base=left)
        covering = list(dict.fromkeys(rid for s, e, rid in sentences if s <= left and right <= e))
        for rid in covering:
            if rid not in anchored:
                anchored.add(rid)
                pieces.append(f'<span class="anchor" id="{escape(ANCHOR_PREFIX + rid)}"></span>')
        if covering:
            pieces.append(f'<span class="evidence" data-records="{escape(" ".join(covering))}">{html}</span>')
        else:
            pieces.append(html)
    return Markup("".join(pieces))


def paper_text(article: Article | None, records: Sequence[EvidenceRecord]) -> PaperText:
    """The paper's title and abstract for the paper view; the records' own title when it is not stored."""
    anchored: set[str] = set()
    if article is None:
        title = records[0].title if records else ""
        return PaperText(Markup(escape(title)), Markup(""), [], frozenset())
    title = _segments(article.title, 0, records, anchored)
    abstract = _segments(article.abstract, len(article.title) + 1, records, anchored) if article.has_abstract else Markup("")
    body: list[Section] = []
    for passage in article.passages:
        if passage.kind in (SectionKind.TITLE, SectionKind.ABSTRACT):
            continue
        html = _segments(passage.text, passage.offset, records, anchored)
        if body and body[-1].heading == passage.citation():
            body[-1].passages.append(html)
        else:
            body.append(Section(passage.citation(), [html]))
    return PaperText(title, abstract, body, frozenset(anchored))


def sentence_html(record: EvidenceRecord) -> list[tuple[str | None, Markup]]:
    """The record's evidence sentences, highlighted as in the report, each with where it is in a full
    text (``None`` in the abstract)."""
    return [(s.citation, Markup(highlight(s.text, s.highlights, base=s.start))) for s in record.evidence]


def highlight_css() -> str:
    """The report's highlight colours as a style sheet (served, since the app allows no inline style)."""
    return "".join(f"mark.{cls}{{background:{colour}}}" for cls, colour, _ in [*HIGHLIGHT_KINDS.values(), OTHER_KIND])


def legend() -> list[tuple[str, str]]:
    """(css class, label) of every highlight kind, for the legend."""
    return [(cls, label) for cls, _, label in [*HIGHLIGHT_KINDS.values(), OTHER_KIND]]
