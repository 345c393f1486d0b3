"""A PubMed article, as parsed from an efetch ``PubmedArticle`` record."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AbstractSection(BaseModel):
    """One ``AbstractText`` element; structured abstracts carry a label (BACKGROUND, METHODS...)."""

    model_config = ConfigDict(frozen=True)

    label: str | None = None
    text: str


class Article(BaseModel):
    """The fields curators and the extractors need from a PubMed record.

    ``text`` follows the PubTator convention (``title + " " + abstract``) so that character offsets
    produced by the extractors line up with every gold-standard corpus and with the review report.
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

    @property
    def abstract(self) -> str:
        """The abstract as one string, section labels kept inline ("METHODS: ...") as PubTator does."""
        return " ".join(
            f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract_sections if s.text
        )

    @property
    def text(self) -> str:
        """Title and abstract joined by one space: the text every offset refers to."""
        return f"{self.title} {self.abstract}" if self.abstract else self.title

    @property
    def has_abstract(self) -> bool:
        return bool(self.abstract.strip())

    @property
    def url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
