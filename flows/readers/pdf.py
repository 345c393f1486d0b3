"""PDF -> passages with page numbers, through pypdf.

Why pypdf (measured on the two fixture PDFs, ``benchmarks/bench_pdf.py``, figures in
``benchmarks/RESULTS.md``): all three candidates keep the 13 variant strings intact (c.516G>C,
c.-23+1G>A, c.68-7T>A ...); pypdf and PyMuPDF keep the reading order of justified two-column text
(3 of 4 checked sentences whole; pdfminer.six 0 of 4: it scrambles justified lines), but only pypdf
keeps a table row's cells on one line (3 of 3; the others 0 of 3), which is what lets a row become a
passage.  PyMuPDF is about ten times faster, but it is AGPL-licensed (genelit is MIT) and a compiled
dependency; pypdf is pure Python and BSD-licensed, and its ~0.1-0.2 s per page is small next to
extraction.

A PDF has no markup, so structure is recovered from the lines: running headers and footers (lines
repeated on most pages) are dropped, section headings are short lines that name a section ("Results",
"2.3. Patients"), a paragraph ends at a short line ending a sentence, hyphenated line breaks are
joined, and after a "Table N." caption the table's short lines are table rows of their own.  Every
passage keeps its page, so evidence cites it.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from genelit.flows.readers.sections import clean, is_skipped_title, kind_of_title
from genelit.models.article import AbstractSection, Article, PassageDraft, SectionKind, build_passages

from genelit.errors import InputError

log = logging.getLogger(__name__)

# Reading stops after this long (seconds), keeping the pages read so far: a 1,000-page scan with a
# broken text layer must not hold up the other documents of a batch.
READ_TIME_LIMIT = 60.0
# A line on at least this share of pages (and on 3 pages or more) is a running header/footer.
RUNNING_LINE_SHARE = 0.5
RUNNING_LINE_MIN_PAGES = 3
# Headings are short: at most this many words ("2.3. Clinical and Molecular Findings").
MAX_HEADING_WORDS = 7
MAX_NUMBERED_HEADING_WORDS = 12  # "3.1. GJB2 Genotypes Observed in Patients and Control Sample"
# Inside a table, a line is running text again when it has this many words, mostly lower-case.
PROSE_MIN_WORDS = 8
PROSE_LOWER_SHARE = 0.6
# A line shorter than this share of the document's typical line may end a paragraph.
SHORT_LINE_SHARE = 0.8
# A caption longer than this many lines has run into the text below it.
MAX_CAPTION_LINES = 6
# Fewer characters than this on every page: there is no text layer (a scan), nothing to read.
MIN_TEXT_CHARS = 20

_GLYPH_NAMES = re.compile(r"(?:/gid\d+)+")  # unmapped glyphs pypdf spells out (logos, symbols)
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
_CAPTION = re.compile(r"^(Table|Figure|Fig\.)\s+(S?\d+)[.:]?\s", re.IGNORECASE)
_INLINE_ABSTRACT = re.compile(r"^Abstract[:.]\s*(.*)$", re.IGNORECASE)
# A section named at the start of a paragraph ("Funding: This work ...", MDPI's back matter)
_INLINE_SECTION = re.compile(
    r"^(Supplementary Materials?|Author Contributions|Funding|Acknowledge?ments?|Conflicts? of Interest|"
    r"Institutional Review Board Statement|Informed Consent Statement|Data Availability Statement|Abbreviations)"
    r"\s*[:.]\s*(.*)$", re.IGNORECASE)
_SUBSECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.\s+|^\d+\.\d+(?:\.\d+)*\s+")
_KEYWORDS = re.compile(r"^Key\s?words?\s*[:.]", re.IGNORECASE)
_FOOTNOTE_START = re.compile(r"^\*\s?Correspondence\b", re.IGNORECASE)
_FOOTNOTE_END = re.compile(r"author information is available")
# A correspondence footnote (address, affiliations) is at most this many lines.
MAX_FOOTNOTE_LINES = 8
# Section kinds that are also common column headers ("Patient", "Family", "Case") inside a table.
_TABLE_HEADER_KINDS = frozenset({SectionKind.CASE, SectionKind.OTHER})
_AUTHOR_LINE = re.compile(r"\d\s*,\s*\d|\*|@|\d\s*$")


@dataclass(frozen=True)
class _Line:
    text: str
    page: int


def _pages(data: bytes, name: str) -> list[str]:
    """Text of each page (pypdf), within the reading time limit; InputError if the PDF is unreadable."""
    import pypdf  # heavy import, only for PDFs

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # font-encoding chatter, not the curator's concern
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is password-protected")
        pages = []
        started = time.monotonic()
        for number, page in enumerate(reader.pages, start=1):
            if time.monotonic() - started > READ_TIME_LIMIT:
                log.warning("%s: stopped reading after %d pages (%.0f s limit)", name, number - 1, READ_TIME_LIMIT)
                break
            pages.append(page.extract_text() or "")
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files (PdfReadError, KeyError, ValueError ...)
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    if sum(len(p.strip()) for p in pages) < MIN_TEXT_CHARS:
        raise InputError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    return pages


def _lines(pages: list[str]) -> list[_Line]:
    """Non-empty lines of every page, running headers/footers and glyph-name garbage removed."""
    per_page = [[clean(_GLYPH_NAMES.sub("", line)) for line in page.splitlines()] for page in pages]
    counts = Counter(key for page in per_page for key in {_running_key(line) for line in page if line})
    threshold = max(RUNNING_LINE_MIN_PAGES, RUNNING_LINE_SHARE * len(pages))
    return [
        _Line(line, number)
        for number, page in enumerate(per_page, start=1)
        for line in page
        if line and counts[_running_key(line)] < threshold
    ]


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _heading(line: str) -> str | None:
    """The section title a line is, if it is one: short, no sentence, names a section kind (or is
    numbered like a subsection, "2.4. Mutation Analysis")."""
    words = line.split()
    numbered = bool(_SUBSECTION_NUMBER.match(line))
    limit = MAX_NUMBERED_HEADING_WORDS if numbered else MAX_HEADING_WORDS
    if not words or len(words) > limit or line.endswith((",", ";", ".")) or ":" in line.rstrip(":"):
        return None
    bare = _NUMBERING.sub("", line).strip()
    if not bare or not bare[0].isupper():
        return None
    if numbered or is_skipped_title(bare) or kind_of_title(bare) != SectionKind.OTHER:
        return line.rstrip(":")
    return None


def _is_prose(text: str, typical: float) -> bool:
    """A full-width line of mostly lower-case words: running text, not a table row."""
    words = text.split()
    lower = sum(1 for w in words if w[:1].islower())
    return len(text) >= SHORT_LINE_SHARE * typical and len(words) >= PROSE_MIN_WORDS and lower >= PROSE_LOWER_SHARE * len(words)


def _title(lines: list[_Line], metadata_title: str | None) -> str:
    if metadata_title and len(metadata_title.split()) >= 3:
        return clean(metadata_title)
    title: list[str] = []
    for line in lines:
        if line.page != 1 or len(title) >= 4:
            break
        long_words = [w for w in line.text.split() if len(w) > 1]
        if not title and len(long_words) < 4:
            continue
        if title and (_AUTHOR_LINE.search(line.text) or _heading(line.text)):
            break
        title.append(line.text)
    return clean(" ".join(title))


def _join(lines: list[str]) -> str:
    """Lines to one paragraph: hyphenated breaks joined ("pene-" + "trance"), other breaks a space."""
    out = ""
    for line in lines:
        if out.endswith("-") and len(out) > 1:
            previous, following = out[-2], line[:1]
            out = out[:-1] + line if previous.islower() and following.islower() else out + line
        else:
            out = f"{out} {line}" if out else line
    return clean(out)


@dataclass
class _Block:
    kind: SectionKind
    section: str | None
    page: int
    lines: list[str]
    table_id: str | None = None


def _blocks(lines: list[_Line], title: str) -> Iterator[_Block]:
    """Lines grouped into paragraphs, captions and table rows, each in its section."""
    typical = statistics.median(len(line.text) for line in lines) if lines else 0
    section: str | None = None
    kind = SectionKind.OTHER
    skipping = False
    table: str | None = None  # after a "Table N." caption: its short lines are rows
    current: _Block | None = None
    title_left = title
    footnote = 0  # lines left of a first-page correspondence / affiliation footnote
    level_kinds: dict[int, SectionKind] = {}  # heading level ("2." is 1, "2.4." is 2) -> its kind

    def flush() -> Iterator[_Block]:
        nonlocal current
        if current is not None and current.lines:
            yield current
        current = None

    for line in lines:
        text = line.text
        if title_left and line.page == 1 and title_left.startswith(text):
            title_left = title_left[len(text):].lstrip()  # the title's own lines: not body text
            continue
        heading = _heading(text)
        if heading and table and kind_of_title(heading) in _TABLE_HEADER_KINDS:
            heading = None  # "Patient", "Proband ages": a column header of the table, not a section
        inline = _INLINE_ABSTRACT.match(text) or _INLINE_SECTION.match(text)
        keywords = _KEYWORDS.match(text)
        if line.page == 1 and _FOOTNOTE_START.match(text):
            footnote = MAX_FOOTNOTE_LINES
        if footnote and not (heading or inline or keywords):
            footnote = 0 if _FOOTNOTE_END.search(text) else footnote - 1
            continue
        footnote = 0
        if heading or inline or keywords:
            yield from flush()
            table = None
            if keywords:
                section, rest = "Keywords", ""
            elif inline:
                section = "Abstract" if inline.re is _INLINE_ABSTRACT else inline.group(1)
                rest = inline.group(inline.lastindex or 1) if inline.re is _INLINE_ABSTRACT else inline.group(2)
            else:
                section, rest = heading, ""
            bare = _NUMBERING.sub("", section or "")
            skipping = bool(keywords) or is_skipped_title(bare)
            level = len(_SUBSECTION_NUMBER.match(section).group().strip().strip(".").split(".")) if section and _SUBSECTION_NUMBER.match(section) else 1
            parent = level_kinds.get(level - 1, SectionKind.OTHER) if level > 1 else SectionKind.OTHER
            kind = kind_of_title(bare, parent)
            level_kinds = {k: v for k, v in level_kinds.items() if k < level}
            level_kinds[level] = kind
            if rest and not skipping:
                current = _Block(kind, section, line.page, [rest])
            continue
        if skipping:
            continue
        caption = _CAPTION.match(text)
        if caption:
            yield from flush()
            label = f"{caption.group(1).capitalize()} {caption.group(2)}"
            table = label if label.lower().startswith("table") else None
            current = _Block(SectionKind.CAPTION, section, line.page, [], table)
        elif current is not None and current.kind == SectionKind.CAPTION:
            pass  # the caption goes on until its sentence ends
        elif table and (current is None or current.page == line.page) and not _is_prose(text, typical):
            yield from flush()
            yield _Block(SectionKind.TABLE, section, line.page, [text], table)
            continue
        else:
            table = None  # prose again: the table (if any) is over
            if current is None or current.page != line.page or current.kind != kind:
                yield from flush()
                current = _Block(kind, section, line.page, [])
        current.lines.append(text)
        ends_sentence = text.endswith((".", "?", "!"))
        if current.kind == SectionKind.CAPTION and (ends_sentence or len(current.lines) >= MAX_CAPTION_LINES):
            yield from flush()
        elif ends_sentence and len(text) < SHORT_LINE_SHARE * typical:
            yield from flush()
    yield from flush()


def article_from_pdf(data: bytes, name: str, pmid: str) -> Article:
    """The PDF's text as an article: title (metadata, else page 1), abstract, body passages with pages."""
    import pypdf

    pages = _pages(data, name)
    try:
        metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
        metadata_title = str(metadata.title) if metadata and metadata.title else None
    except Exception:  # a metadata dictionary pypdf cannot decode is no reason to lose the text
        metadata_title = None
    lines = _lines(pages)
    title = _title(lines, metadata_title)
    abstract: list[str] = []
    drafts: list[PassageDraft] = []
    first_page_seen = False
    for block in _blocks(lines, title):
        text = _join(block.lines)
        if not text:
            continue
        if block.kind == SectionKind.ABSTRACT:
            abstract.append(text)
            first_page_seen = True
            continue
        if block.page == 1 and not first_page_seen and block.kind == SectionKind.OTHER and block.section is None:
            continue  # page-1 matter before the abstract: journal banner, authors, affiliations
        drafts.append(PassageDraft(text=text, kind=block.kind, section=block.section, table_id=block.table_id, page=block.page))
    sections = [AbstractSection(text=" ".join(abstract))] if abstract else []
    article = Article(pmid=pmid, title=title, abstract_sections=sections, source="file")
    passages = build_passages(article.title, article.abstract, drafts)
    passages = [p if p.kind not in (SectionKind.TITLE, SectionKind.ABSTRACT) else p.model_copy(update={"page": 1}) for p in passages]
    return article.with_full_text(passages, source="file", status=None)
