"""JATS (PubMed Central's article XML) -> passages: sections, paragraphs, captions, tables as rows.

One reader for both roads to JATS: ``efetch db=pmc`` (a ``<pmc-articleset>`` of ``<article>`` elements)
and a curator's own ``.nxml``/``.xml`` file.  What is kept: section titles and kinds, paragraphs,
figure and table captions and footnotes, **tables row by row** (each row rendered with its column
headers, see :func:`render_row`), supplementary-material entries (listed with their links, never
fetched).  What is left out: references, formulas, acknowledgements and declarations.

Parsing is done by the caller with defusedxml (no entities, no DTD loading); this module only walks
ElementTree elements, so it never touches the network or the file system.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from genelit.flows.readers.sections import SEC_TYPES, clean, is_skipped_title, kind_of_title
from genelit.flows.readers.tables import Grid, render_rows
from genelit.models.article import AbstractSection, Article, PassageDraft, SectionKind, build_passages

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
# Subtrees whose text is never evidence prose: formulas, citations lists, graphics, processing data.
_SKIPPED = frozenset({
    "ref-list", "disp-formula", "inline-formula", "tex-math", "fn-group", "ack", "glossary", "graphic",
    "inline-graphic", "media", "object-id", "alt-text", "processing-meta", "notes",
})
# Blocks that float inside paragraphs and become passages of their own.
_BLOCKS = frozenset({"table-wrap", "table-wrap-group", "fig", "fig-group", "supplementary-material"})
# Containers of paragraphs walked like sections (their own title, if any, is not a section title).
_CONTAINERS = frozenset({"boxed-text", "disp-quote", "app-group", "floats-group", "statement"})
_PARAGRAPHS = frozenset({"p", "list", "def-list", "verse-group", "speech"})
_TRAILING_PUNCT = re.compile(r"[\s.:]+$")


@dataclass
class _Body:
    """Passages and links collected while walking a body."""

    drafts: list[PassageDraft] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _is_skipped(element: ET.Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    return _local(tag) in _SKIPPED or tag.startswith(MATHML)


def inline_text(element: ET.Element, blocks: list[ET.Element] | None = None) -> str:
    """The prose of ``element``: inline markup kept as plain text, formulas and floats left out.

    Floats (tables, figures, supplementary material) found inside are appended to ``blocks`` so the
    caller can turn them into passages of their own.
    """
    parts: list[str] = []

    def visit(node: ET.Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = _local(child.tag)
            if tag in _BLOCKS:
                if blocks is not None:
                    blocks.append(child)
            elif not _is_skipped(child):
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(element)
    return clean("".join(parts))


def _label(element: ET.Element) -> str:
    return _TRAILING_PUNCT.sub("", inline_text(element.find("label"))) if element.find("label") is not None else ""


def _caption(element: ET.Element) -> str:
    caption = element.find("caption")
    if caption is None:
        return ""
    return clean(" ".join(inline_text(part) for part in caption if _local(part.tag) in ("title", "p")))


def _table_passages(wrap: ET.Element, section: str | None, body: _Body) -> None:
    """A table's caption, its rows (one passage each) and its footnotes."""
    table_id = _label(wrap) or wrap.get("id") or None
    caption = _caption(wrap)
    if caption:
        body.drafts.append(PassageDraft(
            text=f"{table_id}. {caption}" if table_id else caption, kind=SectionKind.CAPTION,
            section=section, table_id=table_id,
        ))
    for table in wrap.iter("table"):
        grid = Grid.from_rows(_rows(table, "thead"), _rows(table, "tbody") or _rows(table, None))
        for row in render_rows(grid):
            body.drafts.append(PassageDraft(text=row, kind=SectionKind.TABLE, section=section, table_id=table_id))
    for foot in wrap.iter("table-wrap-foot"):
        text = inline_text(foot)
        if text:
            body.drafts.append(PassageDraft(text=text, kind=SectionKind.CAPTION, section=section, table_id=table_id))


def _rows(table: ET.Element, part: str | None) -> list[list[tuple[str, int, int]]]:
    """Rows of ``<thead>``/``<tbody>`` (``None``: rows directly under ``<table>``), as (text, colspan, rowspan)."""
    containers = table.findall(part) if part else [table]
    rows = []
    for container in containers:
        for tr in container.findall("tr"):
            rows.append([(inline_text(cell), _span(cell, "colspan"), _span(cell, "rowspan"))
                         for cell in tr if _local(cell.tag) in ("td", "th")])
    return rows


def _span(cell: ET.Element, attribute: str) -> int:
    value = cell.get(attribute, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else 1


def _block_passages(block: ET.Element, section: str | None, body: _Body) -> None:
    tag = _local(block.tag)
    if tag in ("table-wrap-group", "fig-group"):
        for child in block:
            if _local(child.tag) in _BLOCKS:
                _block_passages(child, section, body)
        return
    if tag == "table-wrap":
        _table_passages(block, section, body)
    elif tag == "fig":
        label, caption = _label(block), _caption(block)
        text = f"{label}. {caption}" if label and caption else caption
        if text:
            body.drafts.append(PassageDraft(text=text, kind=SectionKind.CAPTION, section=section))
    elif tag == "supplementary-material":
        _supplementary(block, section, body)


def _supplementary(block: ET.Element, section: str | None, body: _Body) -> None:
    """List a supplementary file (its label, caption and link); the file itself is not fetched."""
    hrefs = [e.get(XLINK_HREF) for e in block.iter() if e.get(XLINK_HREF)]
    body.links.extend(h for h in hrefs if h and h not in body.links)
    label, caption = _label(block), _caption(block)
    text = ". ".join(t for t in (label, caption) if t) or (f"Supplementary file {hrefs[0]}" if hrefs else "")
    if text:
        body.drafts.append(PassageDraft(text=text, kind=SectionKind.SUPPLEMENTARY, section=section or "Supplementary material"))


def _walk(container: ET.Element, section: str | None, kind: SectionKind, body: _Body) -> None:
    for child in container:
        tag = _local(child.tag)
        if _is_skipped(child) or tag in ("title", "label", "sec-meta"):
            continue
        if tag in ("sec", "app"):
            title = inline_text(child.find("title")) if child.find("title") is not None else ""
            if is_skipped_title(title) or child.get("sec-type") in ("references", "COI-statement", "funding"):
                continue
            own = SEC_TYPES.get((child.get("sec-type") or "").lower())
            _walk(child, title or section, kind_of_title(title, own or kind), body)
        elif tag in _PARAGRAPHS:
            blocks: list[ET.Element] = []
            text = inline_text(child, blocks)
            if text:
                body.drafts.append(PassageDraft(text=text, kind=kind, section=section))
            for block in blocks:
                _block_passages(block, section, body)
        elif tag in _BLOCKS:
            _block_passages(child, section, body)
        elif tag in _CONTAINERS or len(child):
            _walk(child, section, kind, body)


def body_passages(article: ET.Element) -> tuple[list[PassageDraft], list[str]] | None:
    """Body, appendices and floats of a JATS ``<article>`` as passages, with supplementary links.

    None when there is no ``<body>`` with text: PMC returns the front matter only for articles whose
    publisher does not allow the full text to be downloaded (closed access).
    """
    main = article.find("body")
    if main is None or not "".join(main.itertext()).strip():
        return None
    body = _Body()
    _walk(main, None, SectionKind.OTHER, body)
    back = article.find("back")
    if back is not None:
        _walk(back, None, SectionKind.OTHER, body)
    floats = article.find("floats-group")
    if floats is not None:
        _walk(floats, None, SectionKind.OTHER, body)
    return body.drafts, body.links


# -- front matter (for files: PubMed is not there to supply it) -------------------------------------


def article_ids(article: ET.Element) -> dict[str, str]:
    """``pub-id-type -> id`` of the article (pmid, pmc / pmcid, doi ...)."""
    ids = {}
    for element in article.findall("front/article-meta/article-id"):
        value = clean("".join(element.itertext()))
        if value and element.get("pub-id-type"):
            ids.setdefault(element.get("pub-id-type", ""), value)
    return ids


def pmcid_of(article: ET.Element) -> str | None:
    """``PMC1234567`` from the article ids, whichever spelling PMC used (pmc, pmcid, pmcaid)."""
    ids = article_ids(article)
    for key in ("pmc", "pmcid", "pmcaid"):
        value = ids.get(key, "").upper().removeprefix("PMC")
        if value.isdigit():
            return f"PMC{value}"
    return None


def _abstract_sections(meta: ET.Element) -> list[AbstractSection]:
    abstracts = meta.findall("abstract")
    chosen = [a for a in abstracts if not a.get("abstract-type")] or abstracts[:1]
    sections: list[AbstractSection] = []
    for abstract in chosen:
        secs = abstract.findall("sec")
        if secs:
            for sec in secs:
                label = inline_text(sec.find("title")) if sec.find("title") is not None else None
                text = clean(" ".join(inline_text(p) for p in sec.iter("p")))
                if text:
                    sections.append(AbstractSection(label=label or None, text=text))
        else:
            text = clean(" ".join(inline_text(p) for p in abstract.iter("p"))) or inline_text(abstract)
            if text:
                sections.append(AbstractSection(text=text))
    return sections


def _authors(meta: ET.Element) -> list[str]:
    names = []
    for contrib in meta.iter("contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        collab = contrib.find("collab")
        surname = inline_text(contrib.find("name/surname")) if contrib.find("name/surname") is not None else ""
        given = inline_text(contrib.find("name/given-names")) if contrib.find("name/given-names") is not None else ""
        initials = "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)
        name = " ".join(p for p in (surname, initials) if p) or (inline_text(collab) if collab is not None else "")
        if name:
            names.append(name)
    return names


def _year(meta: ET.Element) -> int | None:
    for date in meta.findall("pub-date"):
        year = clean("".join(date.findtext("year") or ""))
        if year.isdigit():
            return int(year)
    return None


def article_from_jats(element: ET.Element, pmid: str | None) -> Article:
    """A whole JATS ``<article>`` (front matter and body) as an :class:`Article` from a file."""
    meta = element.find("front/article-meta")
    if meta is None:
        meta = ET.Element("article-meta")
    ids = article_ids(element)
    title_element = meta.find("title-group/article-title")
    title = inline_text(title_element) if title_element is not None else ""
    sections = _abstract_sections(meta)
    journal = element.findtext("front/journal-meta/journal-title-group/journal-title") or element.findtext(
        "front/journal-meta/journal-title"
    )
    article = Article(
        pmid=pmid or ids.get("pmid", ""),
        title=title,
        abstract_sections=sections,
        journal=clean(journal) if journal else None,
        year=_year(meta),
        authors=_authors(meta),
        doi=ids.get("doi"),
        pmcid=pmcid_of(element),
        source="file",
    )
    found = body_passages(element)
    drafts, links = found if found else ([], [])
    passages = build_passages(article.title, article.abstract, drafts)
    return article.with_full_text(passages, source="file", status=None, supplementary_links=links)


def articles_in(root: ET.Element) -> Iterator[ET.Element]:
    """The ``<article>`` elements of a document: itself, or the members of a ``<pmc-articleset>``."""
    if _local(root.tag) == "article":
        yield root
    else:
        yield from (child for child in root if _local(child.tag) == "article")
