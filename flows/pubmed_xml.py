"""Turn an efetch PubMed XML body into :class:`~models.article.Article` objects, safely.

Why defusedxml rather than ``Bio.Entrez.read`` for PubMed records: the body comes over the network,
so it is parsed with entity declarations forbidden (no external entities, no entity-expansion bombs)
and without ever loading a DTD, which guarantees no network access while parsing.  ElementTree's
``itertext`` also keeps the words inside inline markup (``<i>TERT</i>``, ``r<sup>2</sup>``), which the
extractors need verbatim.  A body is parsed entirely or rejected: a truncated or non-XML body raises
:class:`MalformedResponse`, never a partial list.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import defusedxml
import defusedxml.ElementTree as SafeET
from genelit.models.article import AbstractSection, Article

from genelit.errors import FetchError


class RetryableFetchError(FetchError):
    """NCBI answered, but not usefully (bad body, server-side error): asking again may work."""


class MalformedResponse(RetryableFetchError):
    """The body is not the well-formed XML document that was expected (e.g. truncated)."""


class UnsafeXML(MalformedResponse):
    """The body declares entities or external references: refused, never expanded or fetched."""


class EntrezServerError(RetryableFetchError):
    """E-utilities returned an ``<ERROR>`` element instead of results."""


RETRACTED_TYPE = "Retracted Publication"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Line breaks and tabs come from pretty-printing (e.g. MathML); runs of plain spaces are kept, since
# PubMed-derived corpora (PubTator) keep them too and their character offsets depend on them.
_LAYOUT_WHITESPACE = re.compile(r"[ ]*[\t\r\n][\s]*")


def safe_xml_root(data: bytes, what: str = "response") -> ET.Element:
    """Parse ``data`` with entity declarations and external references forbidden.

    An ``<ERROR>`` root or top-level ``<ERROR>`` child (how E-utilities reports server-side trouble,
    e.g. ``<eFetchResult><ERROR>...``) raises :class:`EntrezServerError`.
    """
    if not data or not data.strip():
        raise MalformedResponse(f"empty {what} body")
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeXML(f"{what} refused: it declares XML entities or external references ({type(exc).__name__})") from None
    except ET.ParseError as exc:
        raise MalformedResponse(f"{what} is not well-formed XML ({exc})") from None
    errors = [root] if root.tag == "ERROR" else root.findall("ERROR")
    messages = [clean_text(e) for e in errors if clean_text(e)]
    if messages:
        raise EntrezServerError(f"NCBI reported an error: {'; '.join(messages)[:300]}")
    return root


def clean_text(element: ET.Element | None) -> str:
    """All text inside ``element`` (inline markup kept as plain text), layout whitespace collapsed."""
    if element is None:
        return ""
    text = "".join(element.itertext())
    # the regex scans slowly (a space run is tried at every space): skip it when it cannot match,
    # which is most texts; this is a third of efetch parsing time (benchmarks/bench_fetch.py)
    if "\n" in text or "\t" in text or "\r" in text:
        text = _LAYOUT_WHITESPACE.sub(" ", text)
    return text.strip()


def _texts(elements: Iterable[ET.Element]) -> list[str]:
    return [t for t in (clean_text(e) for e in elements) if t]


def _year(container: ET.Element | None) -> int | None:
    """Year from a ``PubDate`` (``<Year>`` or free-text ``<MedlineDate>`` such as "1998 Dec-1999 Jan")."""
    if container is None:
        return None
    for tag in ("Year", "MedlineDate"):
        match = _YEAR.search(clean_text(container.find(tag)))
        if match:
            return int(match.group(1))
    return None


def _authors(author_list: ET.Element | None) -> list[str]:
    """Authors as "Last Initials" (PubMed's short form); consortia by their collective name."""
    if author_list is None:
        return []
    names = []
    for author in author_list.findall("Author"):
        if author.get("ValidYN") == "N":
            continue
        collective = clean_text(author.find("CollectiveName"))
        last = clean_text(author.find("LastName"))
        initials = clean_text(author.find("Initials"))
        name = collective or " ".join(p for p in (last, initials) if p)
        if name:
            names.append(name)
    return names


def _abstract(abstract: ET.Element | None) -> list[AbstractSection]:
    if abstract is None:
        return []
    sections = []
    for part in abstract.findall("AbstractText"):
        text = clean_text(part)
        if text:
            sections.append(AbstractSection(label=part.get("Label") or None, text=text))
    return sections


def _article_id(id_list: ET.Element | None, id_type: str) -> str | None:
    if id_list is None:
        return None
    for article_id in id_list.findall("ArticleId"):
        if article_id.get("IdType") == id_type and clean_text(article_id):
            return clean_text(article_id)
    return None


def _ref_types(citation: ET.Element) -> set[str]:
    return {c.get("RefType", "") for c in citation.findall("CommentsCorrectionsList/CommentsCorrections")}


def _required_pmid(element: ET.Element | None, record: str) -> str:
    pmid = clean_text(element)
    if not pmid.isascii() or not pmid.isdigit():
        raise MalformedResponse(f"{record} without a valid PMID ({pmid!r})")
    return pmid


def parse_pubmed_article(record: ET.Element) -> Article:
    """One ``<PubmedArticle>`` element -> :class:`Article`."""
    citation = record.find("MedlineCitation")
    if citation is None or citation.find("Article") is None:
        raise MalformedResponse("PubmedArticle without MedlineCitation/Article")
    article = citation.find("Article")
    publication_types = _texts(article.findall("PublicationTypeList/PublicationType"))
    ref_types = _ref_types(citation)
    id_list = record.find("PubmedData/ArticleIdList")
    elocation_doi = next(
        (clean_text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi"), None
    )
    journal = article.find("Journal")
    return Article(
        pmid=_required_pmid(citation.find("PMID"), "PubmedArticle"),
        title=clean_text(article.find("ArticleTitle")),
        abstract_sections=_abstract(article.find("Abstract")),
        journal=(clean_text(journal.find("Title")) or clean_text(journal.find("ISOAbbreviation")) or None)
        if journal is not None
        else None,
        year=_year(article.find("Journal/JournalIssue/PubDate")) or _year(article.find("ArticleDate")),
        authors=_authors(article.find("AuthorList")),
        doi=_article_id(id_list, "doi") or elocation_doi or None,
        pmcid=_article_id(id_list, "pmc"),
        mesh_terms=_texts(citation.findall("MeshHeadingList/MeshHeading/DescriptorName")),
        publication_types=publication_types,
        language=clean_text(article.find("Language")) or None,
        is_retracted=RETRACTED_TYPE in publication_types or "RetractionIn" in ref_types,
        has_erratum="ErratumIn" in ref_types,
    )


def parse_pubmed_book_article(record: ET.Element) -> Article:
    """One ``<PubmedBookArticle>`` (NCBI Bookshelf chapter, e.g. GeneReviews) -> :class:`Article`."""
    document = record.find("BookDocument")
    if document is None:
        raise MalformedResponse("PubmedBookArticle without BookDocument")
    title = clean_text(document.find("ArticleTitle")) or clean_text(document.find("Book/BookTitle"))
    publication_types = _texts(document.findall("PublicationType"))
    return Article(
        pmid=_required_pmid(document.find("PMID"), "PubmedBookArticle"),
        title=title,
        abstract_sections=_abstract(document.find("Abstract")),
        year=_year(document.find("Book/PubDate")),
        authors=_authors(document.find("AuthorList")),
        doi=_article_id(document.find("ArticleIdList"), "doi"),
        pmcid=None,
        publication_types=publication_types,
        language=clean_text(document.find("Language")) or None,
        is_retracted=RETRACTED_TYPE in publication_types,
    )


def parse_pubmed_xml(data: bytes) -> list[Article]:
    """All articles of an efetch ``PubmedArticleSet`` body, in document order.

    Raises :class:`MalformedResponse` (truncated, non-XML, wrong document type),
    :class:`UnsafeXML` (entity declarations) or :class:`EntrezServerError` (``<ERROR>`` body).
    """
    root = safe_xml_root(data, "efetch response")
    if root.tag != "PubmedArticleSet":
        raise MalformedResponse(f"efetch response has root <{root.tag}>, expected <PubmedArticleSet>")
    articles = []
    for record in root:
        if record.tag == "PubmedArticle":
            articles.append(parse_pubmed_article(record))
        elif record.tag == "PubmedBookArticle":
            articles.append(parse_pubmed_book_article(record))
    return articles
