"""Readers for documents that do not come from PubMed: one module per format, one entry point.

:func:`read_documents` looks at a file's *content* (not its name) and hands it to the right reader:
PDF (``%PDF``), JSON (BioC JSON, PubTator3 export, EvAgg's wrapper), XML (JATS ``<article>`` /
``<pmc-articleset>``, BioC ``<collection>`` / ``<document>``), else text (PubTator or plain text).
Anything unreadable raises :class:`~genelit.errors.InputError` with a one-line reason.

The PMID comes from the document's metadata, else the ``pmid`` the caller gives (``--pmid``), else a
stable local id (:func:`local_id`: ``local:`` + the start of the file's SHA-256), so re-reading the
same file updates the same records.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET
from genelit.flows.readers import bioc, jats, pdf, plaintext
from genelit.models.article import Article

from genelit.errors import InputError

# Characters of the SHA-256 kept in a local id: "local:" + 10 hex digits fills the store's 16-character
# PMID column; 40 bits make a collision unlikely (~1 in 200) even in a library of 100,000 files.
LOCAL_ID_DIGITS = 10
# Larger files are refused before reading: a 200 MB "PDF" is not a paper.
MAX_FILE_BYTES = 200 * 1024 * 1024
SUFFIXES = (".xml", ".nxml", ".json", ".pdf", ".txt", ".text", ".pubtator", ".bioc")


def local_id(data: bytes) -> str:
    """A stable id for a document without a PMID: the same bytes always get the same id."""
    return "local:" + hashlib.sha256(data).hexdigest()[:LOCAL_ID_DIGITS]


def parse_xml(data: bytes, name: str) -> ET.Element:
    """The root element, parsed with entities and DTD loading forbidden; one-line InputError otherwise."""
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise InputError(f"{name}: refused, the XML declares entities or external references") from None
    except ET.ParseError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc})") from None


def _finish(articles: list[Article], data: bytes, pmid: str | None) -> list[Article]:
    """Give documents without a PMID the caller's ``pmid`` (one document) or a local id."""
    out = []
    for index, article in enumerate(articles):
        wanted = article.pmid or (pmid if len(articles) == 1 else None)
        if not wanted:
            wanted = local_id(data if len(articles) == 1 else data + f"#{index}".encode())
        out.append(article if wanted == article.pmid else Article(**{**dict(article), "pmid": wanted}))
    return out


def read_bytes(data: bytes, name: str, pmid: str | None = None) -> list[Article]:
    """The articles in one document's bytes (a BioC collection or PubTator file may hold several)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return _finish([pdf.article_from_pdf(data, name, pmid or "")], data, pmid)
    if head[:1] in (b"{", b"["):
        docs = bioc.documents_from_json(bioc.parse_json(data, name), name)
        if not docs:
            raise InputError(f"{name}: JSON, but no BioC document (no 'passages') in it")
        return _finish([bioc.article_from_bioc(d, pmid if len(docs) == 1 else None) for d in docs], data, pmid)
    if head.startswith(b"<"):
        root = parse_xml(data, name)
        tag = root.tag.split("}", 1)[-1]
        if tag in ("article", "pmc-articleset"):
            found = [jats.article_from_jats(a, None) for a in jats.articles_in(root)]
            if not found:
                raise InputError(f"{name}: a <pmc-articleset> without any <article>")
            return _finish(found, data, pmid)
        if tag in ("collection", "document"):
            docs = bioc.documents_from_xml(root)
            if not docs:
                raise InputError(f"{name}: a BioC collection without any <document>")
            return _finish([bioc.article_from_bioc(d) for d in docs], data, pmid)
        raise InputError(f"{name}: XML with root <{tag}>, neither JATS (<article>) nor BioC (<collection>)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: neither PDF, XML, JSON nor UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if "\x00" in text:
        raise InputError(f"{name}: binary data, neither PDF, XML, JSON nor text")
    if plaintext.is_pubtator(text):
        return _finish(plaintext.articles_from_pubtator(text), data, pmid)
    return _finish([plaintext.article_from_text(text, pmid)], data, pmid)


def read_documents(path: Path | str, pmid: str | None = None) -> list[Article]:
    """Every article in the file at ``path`` (see the module docstring)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path.name}: {size // (1024 * 1024)} MB is too large for a paper")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    articles = read_bytes(data, path.name, pmid)
    if not any(a.text.strip() for a in articles):
        raise InputError(f"{path.name}: no text found in it")
    return articles


def read_document(path: Path | str, pmid: str | None = None) -> Article:
    """The one article in the file at ``path``; InputError if it holds none or several."""
    articles = read_documents(path, pmid)
    if len(articles) != 1:
        raise InputError(f"{Path(path).name}: holds {len(articles)} documents; read it with read_documents")
    return articles[0]


def document_files(path: Path | str) -> list[Path]:
    """The file itself, or the document files in a folder (by suffix, sorted; hidden files skipped)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
    if path.is_file():
        return [path]
    raise InputError(f"--input {path}: no such file or folder")
