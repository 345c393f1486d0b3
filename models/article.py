"""An article: a PubMed record (title + abstract), optionally with its full text as passages.

Full text comes from PubMed Central (JATS through Entrez) or from a curator's own file (JATS, BioC,
PDF, plain text; see :mod:`flows.readers`).  It is kept as :class:`Passage` objects -- one per
paragraph, caption or table row -- each knowing its section, so that every mention can be traced to
the section (and page or table) it came from with :meth:`Article.passage_at`.
"""
from __future__ import annotations

import base64
import json
import zlib
from bisect import bisect_right
from functools import cached_property
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

# Between the title and the abstract: one space (the PubTator convention every corpus offset uses).
TITLE_ABSTRACT_SEPARATOR = " "
# Between full-text passages: a line break, so the joined text reads as paragraphs in reports.
PASSAGE_SEPARATOR = "\n"
# Key of the compressed passages in an article's JSON (what the store keeps): a full text is 20-200 kB
# of text plus its section map, about a quarter of that compressed.
COMPRESSED_PASSAGES = "zlib_base64"


class SectionKind(StrEnum):
    """What part of a paper a passage belongs to; decides how a curator (and drafting) reads it."""

    TITLE = "title"
    ABSTRACT = "abstract"
    INTRODUCTION = "introduction"
    METHODS = "methods"
    RESULTS = "results"
    CASE = "case"  # case report / patients / subjects / clinical description
    DISCUSSION = "discussion"
    CONCLUSION = "conclusion"
    TABLE = "table"  # one table row, rendered with its column headers
    CAPTION = "caption"  # figure or table caption, table footnote
    SUPPLEMENTARY = "supplementary"  # supplementary-material entry (listed, never fetched)
    OTHER = "other"


class AbstractSection(BaseModel):
    """One ``AbstractText`` element; structured abstracts carry a label (BACKGROUND, METHODS...)."""

    model_config = ConfigDict(frozen=True)

    label: str | None = None
    text: str


class Passage(BaseModel):
    """A run of text in one section: a paragraph, a caption or one table row.

    ``offset`` is where the passage starts in :attr:`Article.text`; ``section`` is the section title as
    written in the paper ("Case Report", "2.3. Patients"), ``table_id`` the table a row or caption
    belongs to ("Table 2"), ``page`` the 1-based PDF page.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    offset: int
    kind: SectionKind
    section: str | None = None
    table_id: str | None = None
    page: int | None = None

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def citation(self) -> str:
        """How a curator cites where a mention is: "Case Report", "Table 2 (Results)", "p. 5, Results"."""
        parts = []
        if self.page is not None:
            parts.append(f"p. {self.page}")
        where = self.section or self.kind.value.capitalize()
        if self.table_id:
            where = f"{self.table_id} ({self.section})" if self.section else self.table_id
        parts.append(where)
        return ", ".join(parts)


class PassageDraft(BaseModel):
    """A passage before it has an offset (what readers produce; :func:`build_passages` places them)."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: SectionKind
    section: str | None = None
    table_id: str | None = None
    page: int | None = None


FullTextStatus = Literal["full_text", "closed_access", "not_in_pmc", "failed"]


class Article(BaseModel):
    """The fields curators and the extractors need from a paper.

    ``text`` follows the PubTator convention (``title + " " + abstract``) so that character offsets
    produced by the extractors line up with every gold-standard corpus and with the review report.  A
    full-text article has ``passages``: title and abstract first (at the same offsets), then the body;
    ``text`` is then the passages joined, and :meth:`passage_at` tells the passage of any offset.
    """

    model_config = ConfigDict(frozen=True)

    pmid: str
    title: str = ""
    abstract_sections: list[AbstractSection] = Field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    doi: str | None = None
    pmcid: str | None = None
    mesh_terms: list[str] = Field(default_factory=list)
    publication_types: list[str] = Field(default_factory=list)
    language: str | None = None
    is_retracted: bool = False
    has_erratum: bool = False
    passages: list[Passage] = Field(default_factory=list)
    # where the text comes from: a PubMed record, PubMed Central full text, or a local file
    source: Literal["pubmed", "pmc", "file"] = "pubmed"
    # outcome of the PubMed Central lookup (None: not looked up, e.g. an --abstract-only run)
    full_text_status: FullTextStatus | None = None
    # supplementary-material links named by the full text (listed for the curator, never fetched)
    supplementary_links: list[str] = Field(default_factory=list)

    @field_serializer("passages", when_used="json")
    def _compressed(self, passages: list[Passage]) -> Any:
        """In JSON (the store's article cache) the passages and their section map travel compressed."""
        if not passages:
            return []
        raw = json.dumps([p.model_dump(mode="json", exclude_none=True) for p in passages], separators=(",", ":"))
        return {COMPRESSED_PASSAGES: base64.b64encode(zlib.compress(raw.encode("utf-8"))).decode("ascii")}

    @field_validator("passages", mode="before")
    @classmethod
    def _decompressed(cls, value: Any) -> Any:
        if isinstance(value, dict) and COMPRESSED_PASSAGES in value:
            return json.loads(zlib.decompress(base64.b64decode(value[COMPRESSED_PASSAGES])))
        return value


    @property
    def abstract(self) -> str:
        """The abstract as one string, section labels kept inline ("METHODS: ...") as PubTator does."""
        return " ".join(
            f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract_sections if s.text
        )

    @property
    def text(self) -> str:
        """The text every offset refers to: title and abstract joined by one space, then the full text."""
        if not self.passages:
            return f"{self.title}{TITLE_ABSTRACT_SEPARATOR}{self.abstract}" if self.abstract else self.title
        return self._joined_text

    # cached per instance (not compared, not dumped); build a new Article to change passages
    @cached_property
    def _joined_text(self) -> str:
        return join_passages(self.passages)

    @cached_property
    def _passage_starts(self) -> list[int]:
        return [p.offset for p in self.passages]

    @property
    def full_text(self) -> bool:
        """True when the article carries more than its title and abstract."""
        return any(p.kind not in (SectionKind.TITLE, SectionKind.ABSTRACT) for p in self.passages)

    @property
    def has_abstract(self) -> bool:
        return bool(self.abstract.strip())

    @property
    def url(self) -> str:
        if self.pmid.isdigit():
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.pmcid:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        return ""

    def passage_at(self, offset: int) -> Passage | None:
        """The passage containing character ``offset`` of :attr:`text` (None: abstract-only, or a gap)."""
        if not self.passages:
            return None
        index = bisect_right(self._passage_starts, offset) - 1
        if index < 0:
            return None
        passage = self.passages[index]
        return passage if offset < passage.end else None

    def with_full_text(
        self, passages: list[Passage], *, source: Literal["pubmed", "pmc", "file"], status: FullTextStatus | None,
        supplementary_links: list[str] | None = None,
    ) -> Article:
        """A copy carrying ``passages`` (built anew, so the cached joined text belongs to them)."""
        fields = dict(self)
        fields.update(passages=passages, source=source, full_text_status=status)
        if supplementary_links is not None:
            fields["supplementary_links"] = supplementary_links
        return Article(**fields)

    def with_status(self, status: FullTextStatus) -> Article:
        """A copy recording the outcome of the PubMed Central lookup (text unchanged)."""
        return Article(**{**dict(self), "full_text_status": status})


def join_passages(passages: Sequence[Passage]) -> str:
    """The article text: each passage at its offset, the gaps between them filled with separators."""
    parts: list[str] = []
    position = 0
    for passage in passages:
        if passage.offset > position:
            gap = passage.offset - position
            parts.append(TITLE_ABSTRACT_SEPARATOR * gap if passage.kind == SectionKind.ABSTRACT else PASSAGE_SEPARATOR * gap)
        parts.append(passage.text)
        position = passage.offset + len(passage.text)
    return "".join(parts)


def build_passages(title: str, abstract: str, body: Iterable[PassageDraft]) -> list[Passage]:
    """Place title, abstract and body passages one after the other.

    Title and abstract sit exactly where the abstract-only text has them (offset 0 and
    ``len(title) + 1``), so offsets in the abstract mean the same with or without full text.
    """
    passages: list[Passage] = []
    position = 0
    if title:
        passages.append(Passage(text=title, offset=0, kind=SectionKind.TITLE, section="Title"))
        position = len(title)
    if abstract:
        position += len(TITLE_ABSTRACT_SEPARATOR) if passages else 0
        passages.append(Passage(text=abstract, offset=position, kind=SectionKind.ABSTRACT, section="Abstract"))
        position += len(abstract)
    for draft in body:
        if not draft.text:
            continue
        position += len(PASSAGE_SEPARATOR) if passages else 0
        passages.append(Passage(offset=position, **draft.model_dump()))
        position += len(draft.text)
    return passages
