"""BioC documents (XML and JSON) -> articles, and annotations written back into them.

Shapes read: a BioC XML ``<collection>`` (PMC's BioC API, PubTator's exports) or a bare ``<document>``;
BioC JSON as a collection (``{"documents": [...]}``), PubTator3's ``export/biocjson`` (a document, a
list of them, or ``{"PubTator3": [...]}``), and EvAgg's paper record whose ``fulltext_xml`` holds one
BioC XML document.  Passages are typed by their ``section_type`` / ``type`` infons (TITLE, ABSTRACT,
INTRO, METHODS, RESULTS, CASE, DISCUSS, CONCL, FIG, TABLE, SUPPL; ``title_1`` ... headings,
``paragraph``, ``fig_caption``, ``table_caption``, ``table``); references, acknowledgements and
declarations are left out of the article.  A ``table`` passage is read row by row from its ``xml``
infon (the table's XHTML), like a JATS table.

Passage offsets in BioC files are not relied on (pretty-printed files, gaps where the source text was
longer): the article's own offsets are rebuilt.  ``genelit annotate`` writes annotations back into
these documents (:mod:`flows.annotate_files`), against each passage's ``raw`` text and own offset.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET
from genelit.flows.readers.sections import clean, kind_of_title
from genelit.flows.readers.tables import Grid, render_rows
from genelit.models.article import AbstractSection, Article, PassageDraft, SectionKind, build_passages

from genelit.errors import InputError

# BioC ``section_type`` -> kind (PMC BioC API's vocabulary)
SECTION_TYPES: dict[str, SectionKind] = {
    "TITLE": SectionKind.TITLE,
    "ABSTRACT": SectionKind.ABSTRACT,
    "INTRO": SectionKind.INTRODUCTION,
    "METHODS": SectionKind.METHODS,
    "RESULTS": SectionKind.RESULTS,
    "CASE": SectionKind.CASE,
    "DISCUSS": SectionKind.DISCUSSION,
    "CONCL": SectionKind.CONCLUSION,
    "SUPPL": SectionKind.SUPPLEMENTARY,
    "APPENDIX": SectionKind.OTHER,
}
# Not evidence: references, abbreviation lists, acknowledgements, contributions, competing interests
SKIPPED_SECTION_TYPES = frozenset({"REF", "ABBR", "ACK_FUND", "AUTH_CONT", "COMP_INT", "KEYWORD", "REVIEW_INFO"})
_CAPTION_TYPES = frozenset({"fig_caption", "fig_title_caption", "table_caption", "table_title_caption", "table_footnote", "footnote"})
# EvAgg stored some BioC text with its escapes doubled: a literal backslash-t / backslash-n
_LITERAL_ESCAPES = re.compile(r"\\[tn]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass
class BioCPassage:
    offset: int
    text: str  # whitespace-cleaned: what an Article is built from
    infons: dict[str, str]
    node: Any  # the XML element or JSON object, to write annotations into
    raw: str = ""  # the text exactly as the file has it: what written annotations' offsets refer to

    @property
    def section_type(self) -> str:
        return self.infons.get("section_type", "").upper()

    @property
    def type(self) -> str:
        return self.infons.get("type", "").lower()


@dataclass
class BioCDocument:
    id: str
    infons: dict[str, str]
    passages: list[BioCPassage] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # ids from a wrapper (PubTator3 JSON, EvAgg)
    node: Any = None  # the XML element or JSON object of the document


def _text(value: str) -> str:
    return clean(_LITERAL_ESCAPES.sub(" ", value))


def _xml_infons(element: ET.Element) -> dict[str, str]:
    return {i.get("key", ""): (i.text or "") for i in element.findall("infon")}


def _int(value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


def documents_from_xml(root: ET.Element) -> list[BioCDocument]:
    """The documents of a BioC XML ``<collection>`` (or one ``<document>``)."""
    elements = [root] if root.tag == "document" else root.findall("document")
    docs = []
    for element in elements:
        doc = BioCDocument(id=(element.findtext("id") or "").strip(), infons=_xml_infons(element), node=element)
        for passage in element.findall("passage"):
            raw = passage.findtext("text") or ""
            doc.passages.append(BioCPassage(
                offset=_int(passage.findtext("offset") or 0), text=_text(raw), infons=_xml_infons(passage),
                node=passage, raw=raw,
            ))
        docs.append(doc)
    return docs


def _json_document(obj: dict[str, Any]) -> BioCDocument:
    infons = {str(k): str(v) for k, v in (obj.get("infons") or {}).items()}
    extra = {k: str(obj[k]) for k in ("pmid", "pmcid", "_id") if obj.get(k) not in (None, "", "None")}
    doc = BioCDocument(id=str(obj.get("id", "")), infons=infons, extra=extra, node=obj)
    for passage in obj.get("passages") or []:
        if isinstance(passage, dict):
            raw = str(passage.get("text") or "")
            doc.passages.append(BioCPassage(
                offset=_int(passage.get("offset", 0)), text=_text(raw),
                infons={str(k): str(v) for k, v in (passage.get("infons") or {}).items()}, node=passage, raw=raw,
            ))
    return doc


def json_documents(obj: Any) -> Iterator[dict[str, Any]]:
    """The BioC document objects inside any of the JSON shapes this module reads."""
    if isinstance(obj, list):
        for item in obj:
            yield from json_documents(item)
    elif isinstance(obj, dict):
        if isinstance(obj.get("documents"), list):
            yield from json_documents(obj["documents"])
        elif isinstance(obj.get("PubTator3"), list):
            yield from json_documents(obj["PubTator3"])
        elif "passages" in obj:
            yield obj


def evagg_xml(obj: Any, name: str) -> ET.Element | None:
    """The BioC XML inside an EvAgg paper record (its ``fulltext_xml``); None for any other JSON."""
    if not (isinstance(obj, dict) and isinstance(obj.get("fulltext_xml"), str)):
        return None
    try:
        return SafeET.fromstring(obj["fulltext_xml"].encode("utf-8"), forbid_dtd=True)
    except (ET.ParseError, defusedxml.DefusedXmlException) as exc:
        raise InputError(f"{name}: its fulltext_xml is not readable BioC XML ({exc})") from None


def documents_from_json(obj: Any, name: str, embedded: ET.Element | None = None) -> list[BioCDocument]:
    """BioC documents from parsed JSON; an EvAgg paper record is read through its ``fulltext_xml``
    (``embedded``: that XML already parsed, so that annotations written into it can be kept)."""
    root = embedded if embedded is not None else evagg_xml(obj, name)
    if root is not None:
        docs = documents_from_xml(root)
        for doc in docs:
            doc.extra.update({k: str(obj[k]) for k in ("pmid", "pmcid") if obj.get(k)})
        return docs
    return [_json_document(d) for d in json_documents(obj)]


def parse_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from None


# -- to articles ------------------------------------------------------------------------------------


def document_ids(doc: BioCDocument) -> dict[str, str]:
    """pmid / pmcid / doi from the front passage's infons, the wrapper, or the document id."""
    ids: dict[str, str] = {}
    for passage in doc.passages[:3]:
        for key, target in (("article-id_pmid", "pmid"), ("article-id_pmc", "pmcid"), ("article-id_doi", "doi")):
            if passage.infons.get(key):
                ids.setdefault(target, passage.infons[key].strip())
    pmid = doc.extra.get("pmid") or doc.extra.get("_id", "").split("|")[0]
    if pmid.isdigit():
        ids.setdefault("pmid", pmid)
    if doc.extra.get("pmcid"):
        ids.setdefault("pmcid", doc.extra["pmcid"])
    if doc.infons.get("doi"):
        ids.setdefault("doi", doc.infons["doi"])
    if "pmcid" in ids:
        number = ids["pmcid"].upper().removeprefix("PMC")
        ids["pmcid"] = f"PMC{number}" if number.isdigit() else ""
    return {k: v for k, v in ids.items() if v}


def _table_rows(passage: BioCPassage) -> list[str]:
    """Rows of a ``table`` passage from its XHTML ``xml`` infon; the flat text if that is unusable."""
    markup = _XML_DECLARATION.sub("", _LITERAL_ESCAPES.sub(" ", passage.infons.get("xml", ""))).strip()
    if markup:
        try:
            table = SafeET.fromstring(markup.encode("utf-8"), forbid_dtd=True)
        except (ET.ParseError, defusedxml.DefusedXmlException):
            table = None
        if table is not None:
            from_xml = list(render_rows(_grid(table)))
            if from_xml:
                return from_xml
    return [passage.text] if passage.text else []


def _grid(table: ET.Element) -> Grid:
    def rows(container: ET.Element | None) -> list[list[tuple[str, int, int]]]:
        if container is None:
            return []
        return [[(clean("".join(c.itertext())), _span(c, "colspan"), _span(c, "rowspan")) for c in tr if c.tag in ("td", "th")]
                for tr in container.iter("tr")]

    head = table.find(".//thead")
    body = table.find(".//tbody")
    return Grid.from_rows(rows(head), rows(body if body is not None else table))


def _span(cell: ET.Element, attribute: str) -> int:
    value = cell.get(attribute, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else 1


def article_from_bioc(doc: BioCDocument, pmid: str | None = None) -> Article:
    """An :class:`Article` with the document's passages typed and placed (title and abstract first)."""
    ids = document_ids(doc)
    title = ""
    abstract: list[AbstractSection] = []
    label: str | None = None
    headings: dict[int, str] = {}
    body: list[PassageDraft] = []
    for passage in doc.passages:
        kind_hint, ptype = passage.section_type, passage.type
        if kind_hint in SKIPPED_SECTION_TYPES or ptype == "ref" or not passage.text:
            continue
        if kind_hint == "TITLE" or ptype in ("front", "title"):
            title = title or passage.text
        elif kind_hint == "ABSTRACT" or ptype == "abstract" or ptype.startswith("abstract_title"):
            if ptype.startswith("abstract_title"):
                label = passage.text
            else:
                abstract.append(AbstractSection(label=label, text=passage.text))
                label = None
        elif ptype.startswith("title"):
            level = _int(ptype.removeprefix("title").lstrip("_") or 1) or 1
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = passage.text
        else:
            section = headings[max(headings)] if headings else None
            base = SECTION_TYPES.get(kind_hint, SectionKind.OTHER)
            kind = base if base == SectionKind.SUPPLEMENTARY else kind_of_title(section, base)
            table_id = passage.infons.get("id") or None
            if ptype == "table":
                body.extend(PassageDraft(text=row, kind=SectionKind.TABLE, section=section, table_id=table_id)
                            for row in _table_rows(passage))
            elif ptype in _CAPTION_TYPES or kind_hint in ("FIG", "TABLE"):
                body.append(PassageDraft(text=passage.text, kind=SectionKind.CAPTION, section=section,
                                         table_id=table_id if kind_hint == "TABLE" else None))
            else:
                body.append(PassageDraft(text=passage.text, kind=kind, section=section))
    article = Article(
        pmid=pmid or ids.get("pmid", ""), title=title, abstract_sections=abstract, doi=ids.get("doi"),
        pmcid=ids.get("pmcid"), year=_year(doc), journal=_journal(doc), source="file",
    )
    return article.with_full_text(build_passages(article.title, article.abstract, body), source="file", status=None)


def _year(doc: BioCDocument) -> int | None:
    for passage in doc.passages[:1]:
        year = passage.infons.get("year", "")[:4]
        if year.isdigit():
            return int(year)
    return None


def _journal(doc: BioCDocument) -> str | None:
    for passage in doc.passages[:1]:
        journal = passage.infons.get("journal", "").split(".")[0].strip()
        if journal:
            return journal
    return None
