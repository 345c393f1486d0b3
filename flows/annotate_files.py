"""``genelit annotate``'s files: PubTator, BioC XML and BioC JSON, read, annotated and written back.

The input's format is told by its content (``<`` BioC XML, ``{`` or ``[`` BioC JSON, else PubTator);
the output's by ``--format``, else by the output file's suffix (:data:`SUFFIX_FORMATS`), else it is
the input's own.

BioC written in the input's own format is the input itself with genelit's annotations in place of the
annotations and relations it had (input annotations are never copied, as for PubTator); texts, offsets,
infons, sentences and the PubTator3 / EvAgg wrappers stay as they were, so the file remains comparable
with other tools' annotations of the same text.  A conversion (PubTator -> BioC, BioC XML <-> BioC
JSON) carries each document's id and infons and its passages' offsets, texts and infons.  BioC ->
PubTator works for documents holding a title and abstract only: PubTator has room for nothing else.

Annotations are found exactly as ``annotate`` finds them in PubTator: every passage is read on its
own, except a title directly followed by its abstract (``title + " " + abstract``, the PubTator
convention), which is read as one text.  Passage texts are read as written, so an annotation's offset
is its passage's offset plus its place in that text.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from genelit.extractors.annotate import to_annotations
from genelit.extractors.pipeline import extract_texts
from genelit.extractors.pubtator import PubTatorDoc
from genelit.flows.readers import parse_xml
from genelit.flows.readers.bioc import (
    BioCDocument,
    BioCPassage,
    document_ids,
    documents_from_json,
    documents_from_xml,
    evagg_xml,
    parse_json,
)
from spacy.language import Language

from genelit.errors import InputError

Format = Literal["pubtator", "bioc-xml", "bioc-json"]
FORMAT_NAMES: dict[Format, str] = {"pubtator": "PubTator", "bioc-xml": "BioC XML", "bioc-json": "BioC JSON"}
# output suffix -> format, when --format does not say (any other suffix: the input's format)
SUFFIX_FORMATS: dict[str, Format] = {
    ".pubtator": "pubtator", ".txt": "pubtator", ".xml": "bioc-xml", ".bioc": "bioc-xml", ".json": "bioc-json",
}
# passage ``type`` infons naming a title (PMC's BioC API calls the title passage "front") and an abstract
TITLE_TYPES = frozenset({"title", "front"})
ABSTRACT_TYPE = "abstract"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"
BIOC_DOCTYPE = '<!DOCTYPE collection SYSTEM "BioC.dtd">'
NEW_COLLECTION_SOURCE = "genelit"
_ROOT_START = re.compile(rb"<(?![?!])")  # the first tag that is neither a declaration nor a DOCTYPE/comment
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def sniff_format(data: bytes) -> Format:
    """The format of an input by its first characters."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "bioc-xml"
    if head[:1] in (b"{", b"["):
        return "bioc-json"
    return "pubtator"


def output_format(requested: str, output: Path, source: Format) -> Format:
    """``--format`` if given, else the output suffix's format, else the input's."""
    if requested in FORMAT_NAMES:
        return requested  # type: ignore[return-value]
    if requested != "auto":
        raise InputError(f"unknown --format {requested!r}; choose one of: auto, {', '.join(FORMAT_NAMES)}")
    return SUFFIX_FORMATS.get(output.suffix.lower(), source)


# -- BioC files kept whole ----------------------------------------------------------------------------


@dataclass
class BioCFile:
    """A parsed BioC file, kept whole so that it is written back as it came, with new annotations."""

    format: Format  # "bioc-xml" or "bioc-json"
    root: Any  # the XML root element, or the parsed JSON
    documents: list[BioCDocument]
    prolog: str = ""  # XML: what preceded the root element (declaration, DOCTYPE)
    embedded: ET.Element | None = None  # JSON: EvAgg's record, the BioC XML of its ``fulltext_xml``


def read_bioc(data: bytes, name: str, fmt: Format) -> BioCFile:
    """The BioC file in ``data`` (``fmt`` from :func:`sniff_format`); one-line InputError otherwise."""
    if fmt == "bioc-json":
        obj = parse_json(data, name)
        embedded = evagg_xml(obj, name)
        bioc = BioCFile(fmt, obj, documents_from_json(obj, name, embedded), embedded=embedded)
    else:
        root = parse_xml(data, name)
        if root.tag not in ("collection", "document"):
            raise InputError(f"{name}: XML with root <{root.tag}>, not BioC (<collection>); genelit run --input reads JATS")
        start = _ROOT_START.search(data)
        prolog = data[: start.start()].decode("utf-8", "replace") if start else ""
        bioc = BioCFile(fmt, root, documents_from_xml(root), prolog=prolog)
    if not bioc.documents:
        raise InputError(f"{name}: no BioC document (no <document> / 'passages') in it")
    return bioc


def dump_bioc(bioc: BioCFile) -> str:
    """The file's text (to be written as UTF-8), the input's own prolog and wrappers kept."""
    if bioc.format == "bioc-json":
        if bioc.embedded is not None:
            bioc.root["fulltext_xml"] = ET.tostring(bioc.embedded, encoding="unicode")
        return json.dumps(bioc.root, ensure_ascii=False) + "\n"
    prolog = _DECLARATION.sub("", bioc.prolog)
    return XML_DECLARATION + prolog + ET.tostring(bioc.root, encoding="unicode") + "\n"


def new_bioc(documents: Sequence[dict[str, Any]], fmt: Format) -> BioCFile:
    """A new BioC collection in ``fmt`` holding ``documents`` (BioC JSON document objects)."""
    collection = {"source": NEW_COLLECTION_SOURCE, "date": "", "key": "BioC.key", "infons": {}, "documents": list(documents)}
    if fmt == "bioc-json":
        return BioCFile(fmt, collection, documents_from_json(collection, "new collection"))
    root = ET.Element("collection")
    for key in ("source", "date", "key"):
        ET.SubElement(root, key).text = collection[key]
    for document in documents:
        element = ET.SubElement(root, "document")
        ET.SubElement(element, "id").text = document["id"]
        _xml_infons(element, document["infons"])
        for passage in document["passages"]:
            node = ET.SubElement(element, "passage")
            _xml_infons(node, passage["infons"])
            ET.SubElement(node, "offset").text = str(passage["offset"])
            ET.SubElement(node, "text").text = passage["text"]
    return BioCFile(fmt, root, documents_from_xml(root), prolog=BIOC_DOCTYPE)


def _xml_infons(element: ET.Element, infons: dict[str, str]) -> None:
    for key, value in infons.items():
        ET.SubElement(element, "infon", key=key).text = value


def _json_document(doc_id: str, infons: dict[str, str], passages: Iterable[tuple[int, str, dict[str, str]]]) -> dict[str, Any]:
    return {
        "id": doc_id, "infons": dict(infons), "relations": [],
        "passages": [{"infons": dict(i), "offset": o, "text": t, "sentences": [], "annotations": [], "relations": []}
                     for o, t, i in passages],
    }


def converted(bioc: BioCFile, fmt: Format) -> BioCFile:
    """The documents in the other BioC format (ids, infons, passages; see the module docstring)."""
    return new_bioc([_json_document(d.id, d.infons, ((p.offset, p.raw, p.infons) for p in d.passages))
                     for d in bioc.documents], fmt)


def bioc_from_pubtator(docs: Iterable[PubTatorDoc], fmt: Format) -> BioCFile:
    """PubTator documents as BioC: the title at offset 0, the abstract after it and one space."""
    documents = []
    for doc in docs:
        passages = [(0, doc.title, {"type": "title", "section_type": "TITLE"})]
        if doc.abstract:
            passages.append((len(doc.title) + 1, doc.abstract, {"type": ABSTRACT_TYPE, "section_type": "ABSTRACT"}))
        documents.append(_json_document(doc.pmid, {}, passages))
    return new_bioc(documents, fmt)


def pubtator_from_bioc(bioc: BioCFile, name: str) -> list[PubTatorDoc]:
    """The documents as PubTator; InputError for one with more than a title and its abstract."""
    docs = []
    for doc in bioc.documents:
        units = annotation_units(doc)
        if len(units) != 1 or units[0].parts[0][1].type not in TITLE_TYPES:
            raise InputError(f"{name}: document {doc.id or '(no id)'} holds more than a title and its abstract, "
                             "which is all PubTator can hold; write BioC (--format bioc-xml or bioc-json)")
        passages = [passage for _, passage in units[0].parts]
        title, abstract = passages[0].raw, passages[1].raw if len(passages) > 1 else ""
        docs.append(PubTatorDoc(document_ids(doc).get("pmid") or doc.id, title, abstract))
    return docs


# -- annotations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A text the pipeline runs over, and the BioC passages it is made of."""

    text: str
    parts: tuple[tuple[int, BioCPassage], ...]  # (start in the unit's text, passage)


def annotation_units(doc: BioCDocument) -> list[Unit]:
    """Each passage on its own, except a title directly followed by its abstract: one text, as PubTator."""
    units: list[Unit] = []
    passages = [p for p in doc.passages if p.raw.strip()]
    index = 0
    while index < len(passages):
        passage = passages[index]
        following = passages[index + 1] if index + 1 < len(passages) else None
        if (following is not None and passage.type in TITLE_TYPES and following.type == ABSTRACT_TYPE
                and following.offset == passage.offset + len(passage.raw) + 1):
            units.append(Unit(f"{passage.raw} {following.raw}", ((0, passage), (len(passage.raw) + 1, following))))
            index += 2
            continue
        units.append(Unit(passage.raw, ((0, passage),)))
        index += 1
    return units


def locate(unit: Unit, start: int, end: int) -> tuple[BioCPassage, int] | None:
    """The passage holding ``[start, end)`` of the unit's text and the BioC offset of ``start``
    (None for a span reaching across the title into the abstract)."""
    for part_start, passage in reversed(unit.parts):
        if start >= part_start:
            if end > part_start + len(passage.raw):
                return None
            return passage, passage.offset + start - part_start
    return None


def annotate_bioc(bioc: BioCFile, nlp: Language | None = None) -> int:
    """Replace the documents' annotations and relations with genelit's; the number of annotations."""
    units = [unit for doc in bioc.documents for unit in annotation_units(doc)]
    found: dict[int, list[dict[str, Any]]] = {}  # id(passage) -> its annotations
    extractions = extract_texts(((u.text, "") for u in units), nlp)
    for unit, extraction in zip(units, extractions, strict=True):
        for annotation in to_annotations(extraction):
            placed = locate(unit, annotation.start, annotation.end)
            if placed is None:
                continue
            passage, offset = placed
            infons = {"type": annotation.type}
            if annotation.concept_id:
                infons["identifier"] = annotation.concept_id
            found.setdefault(id(passage), []).append(
                {"infons": infons, "offset": offset, "length": annotation.end - annotation.start, "text": annotation.text})
    written = 0
    for doc in bioc.documents:
        _clear_document(doc.node)
        for passage in doc.passages:
            annotations = found.get(id(passage), [])
            set_annotations(passage, annotations, written)
            written += len(annotations)
    return written


def _clear_document(node: Any) -> None:
    """Remove document-level annotations and relations (they point at the annotations replaced)."""
    if isinstance(node, dict):
        for key in ("annotations", "relations"):
            if key in node:
                node[key] = []
        node.pop("relations_display", None)  # PubTator3's names of those relations
        return
    for tag in ("annotation", "relation"):
        for old in node.findall(tag):
            node.remove(old)


def set_annotations(passage: BioCPassage, annotations: list[dict[str, Any]], first_id: int) -> None:
    """Replace the passage's annotations and relations; ids count on from ``first_id``."""
    if isinstance(passage.node, dict):
        passage.node["annotations"] = [
            {"id": str(first_id + i), "infons": a["infons"], "text": a["text"],
             "locations": [{"offset": a["offset"], "length": a["length"]}]}
            for i, a in enumerate(annotations)
        ]
        if "relations" in passage.node:
            passage.node["relations"] = []
        return
    element: ET.Element = passage.node
    for tag in ("annotation", "relation"):
        for old in element.findall(tag):
            element.remove(old)
    for i, a in enumerate(annotations):
        node = ET.SubElement(element, "annotation", id=str(first_id + i))
        for key, value in a["infons"].items():
            ET.SubElement(node, "infon", key=key).text = value
        ET.SubElement(node, "location", offset=str(a["offset"]), length=str(a["length"]))
        ET.SubElement(node, "text").text = a["text"]
