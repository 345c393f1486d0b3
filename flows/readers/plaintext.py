"""Plain text (and PubTator) files -> articles.

A text file is read as a curator would write or paste it: the first non-empty line is the title, an
optional ``PMID: 123`` line gives the PMID, blank lines separate paragraphs, and a short line naming a
section ("Abstract", "Case report", "Results") starts that section.  A PubTator file (``PMID|t|title``)
is read as its abstracts.
"""
from __future__ import annotations

import re

from genelit.extractors.pubtator import parse_pubtator
from genelit.flows.readers.sections import clean, is_skipped_title, kind_of_title
from genelit.models.article import AbstractSection, Article, PassageDraft, SectionKind, build_passages

_PMID_LINE = re.compile(r"^\s*PMID\s*[:=]?\s*([0-9]{1,9})\s*$", re.IGNORECASE)
_PUBTATOR_TITLE = re.compile(r"^[0-9]+\|t\|")
# A section heading line is short: at most this many words.
MAX_HEADING_WORDS = 6


def is_pubtator(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(_PUBTATOR_TITLE.match(first))


def articles_from_pubtator(text: str) -> list[Article]:
    """Title and abstract of each PubTator document, verbatim (offsets as the corpus has them)."""
    return [
        Article(pmid=doc.pmid, title=doc.title, abstract_sections=[AbstractSection(text=doc.abstract)] if doc.abstract else [],
                source="file")
        for doc in parse_pubtator(text.splitlines())
    ]


def _heading(paragraph: str) -> str | None:
    line = paragraph.strip().rstrip(":")
    if "\n" in paragraph.strip() or len(line.split()) > MAX_HEADING_WORDS or line.endswith("."):
        return None
    return line if is_skipped_title(line) or kind_of_title(line) != SectionKind.OTHER else None


def article_from_text(text: str, pmid: str | None) -> Article:
    """Title, abstract and sections of a plain-text paper (see the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found_pmid = None
    kept = []
    for line in lines:
        match = _PMID_LINE.match(line)
        if match and found_pmid is None:
            found_pmid = match.group(1)
            continue
        kept.append(line)
    paragraphs = [p for p in re.split(r"\n\s*\n", "\n".join(kept)) if p.strip()]
    title = clean(paragraphs[0]) if paragraphs else ""
    abstract: list[str] = []
    body: list[PassageDraft] = []
    section: str | None = None
    kind = SectionKind.OTHER
    skipping = False
    for paragraph in paragraphs[1:]:
        heading = _heading(paragraph)
        if heading:
            section, kind, skipping = heading, kind_of_title(heading), is_skipped_title(heading)
            continue
        if skipping:
            continue
        if kind == SectionKind.ABSTRACT:
            abstract.append(clean(paragraph))
        else:
            body.append(PassageDraft(text=clean(paragraph), kind=kind, section=section))
    article = Article(
        pmid=pmid or found_pmid or "", title=title,
        abstract_sections=[AbstractSection(text=" ".join(abstract))] if abstract else [], source="file",
    )
    return article.with_full_text(build_passages(article.title, article.abstract, body), source="file", status=None)
