"""A loopback fake of NCBI E-utilities that replays real recorded PubMed responses.

It is the network boundary for tests and the engine of the offline ``genelit demo``: the client under
test makes real HTTP requests to ``127.0.0.1`` and gets bodies assembled from real records.

* efetch: any subset of a pool of real ``PubmedArticle`` records (recorded ``PubmedArticleSet`` files
  are split into per-article records and reassembled per request, GET or POST); unknown PMIDs are
  simply absent, as at NCBI.
* esearch: a configured ``term -> PMIDs`` table, with ``usehistory``/WebEnv/``retstart`` paging, in the
  recorded esearch document structure.
* elink: a configured ``gene id -> PMIDs`` table (``gene_pubmed``), and ``PMID -> PMCID`` links
  (``pubmed_pmc``, one link set per ``id`` field as NCBI answers), in the recorded elink structure.
* efetch ``db=pmc``: any subset of a pool of JATS ``<article>`` records (PMCID -> record), wrapped in
  the recorded ``<pmc-articleset>`` prolog; :func:`without_body` makes a record closed-access, the way
  PMC answers for papers whose full text may not be downloaded.

Every request is logged (:class:`RequestRecord`, without the API key).  :class:`Fault` rules inject
the failures NCBI really produces (429, 5xx, slow answers, resets, truncated or ``<ERROR>`` bodies,
empty or partial results); ``latency`` adds a fixed delay per request for benchmarks.
"""
from __future__ import annotations

import copy
import gzip
import logging
import secrets
import socket
import struct
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from genelit.flows.pubmed_xml import clean_text, safe_xml_root

log = logging.getLogger(__name__)

EXAMPLES_DIR = Path(__file__).parent / "examples"
IGF1_EXAMPLE_PMID = "9401537"
_SECRET_PARAMS = frozenset({"api_key"})


# -- recorded documents -----------------------------------------------------------------------------


def _prolog(path: Path, root_tag: str) -> bytes:
    """Everything before the root element of a recorded file: XML declaration and DOCTYPE."""
    data = path.read_bytes()
    return data[: data.index(f"<{root_tag}".encode())]


@lru_cache(maxsize=None)
def _recorded_prologs() -> dict[str, bytes]:
    return {
        "PubmedArticleSet": _prolog(EXAMPLES_DIR / f"pubmed_{IGF1_EXAMPLE_PMID}.xml", "PubmedArticleSet"),
        "eSearchResult": _prolog(EXAMPLES_DIR / "esearch2.xml", "eSearchResult"),
        "eLinkResult": _prolog(EXAMPLES_DIR / "elink1.xml", "eLinkResult"),
        "pmc-articleset": _prolog(EXAMPLES_DIR / "efetch_pmc.xml", "pmc-articleset"),
    }


def split_pubmed_set(data: bytes) -> dict[str, bytes]:
    """Per-article records (``PMID -> <PubmedArticle> bytes``) of a recorded ``PubmedArticleSet``."""
    root = safe_xml_root(data, "recorded PubmedArticleSet")
    records: dict[str, bytes] = {}
    for record in root:
        if record.tag == "PubmedArticle":
            pmid = clean_text(record.find("MedlineCitation/PMID"))
        elif record.tag == "PubmedBookArticle":
            pmid = clean_text(record.find("BookDocument/PMID"))
        else:
            continue
        record.tail = "\n"
        records[pmid] = ET.tostring(record, encoding="utf-8", xml_declaration=False)
    return records


def load_pool(paths: Iterable[Path | str]) -> dict[str, bytes]:
    """Records from PubMed XML files and/or directories of them (``*.xml`` holding a PubmedArticleSet)."""
    pool: dict[str, bytes] = {}
    for path in map(Path, paths):
        files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
        for file in files:
            data = file.read_bytes()
            if b"<PubmedArticleSet" in data[:4096]:
                pool.update(split_pubmed_set(data))
    return pool


@lru_cache(maxsize=1)
def _example_pool() -> dict[str, bytes]:
    return load_pool([EXAMPLES_DIR])


def example_pool() -> dict[str, bytes]:
    """The real PubMed records bundled with genelit (the offline demo pool), PMID -> record bytes."""
    return dict(_example_pool())


def read_pubtator_texts(path: Path | str) -> dict[str, tuple[str, str]]:
    """``PMID -> (title, abstract)`` from a PubTator file, optionally gzipped (annotations ignored)."""
    path = Path(path)
    texts: dict[str, list[str]] = {}
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("|", 2)
            if len(parts) == 3 and parts[1] in ("t", "a") and parts[0].isdigit():
                entry = texts.setdefault(parts[0], ["", ""])
                entry[0 if parts[1] == "t" else 1] = parts[2]
    return {pmid: (title, abstract) for pmid, (title, abstract) in texts.items()}


def records_from_pubtator(
    path: Path | str, template_pmid: str = IGF1_EXAMPLE_PMID, limit: int | None = None
) -> dict[str, bytes]:
    """Synthesize efetch records for PubTator abstracts (real text, real record structure).

    The corpora have no PubMed XML, so each abstract is put into a copy of a real record: PMID, title
    and abstract come from the corpus; MeSH, DOI and authors of the template are removed (they belong
    to another paper); journal and date stay the template's.  Title and abstract are kept verbatim, so
    ``Article.text`` equals the PubTator ``title + " " + abstract`` and gold offsets line up.
    """
    template = ET.fromstring(_example_pool()[template_pmid])
    records: dict[str, bytes] = {}
    for pmid, (title, abstract) in read_pubtator_texts(path).items():
        if limit is not None and len(records) >= limit:
            break
        records[pmid] = ET.tostring(_clone_record(template, pmid, title, abstract), encoding="utf-8")
    return records


def _clone_record(template: ET.Element, pmid: str, title: str, abstract: str) -> ET.Element:
    record = copy.deepcopy(template)
    citation = record.find("MedlineCitation")
    citation.find("PMID").text = pmid
    article = citation.find("Article")
    for tag in ("ArticleTitle", "Abstract"):
        element = article.find(tag)
        element.clear()
        element.tail = "\n"
    article.find("ArticleTitle").text = title
    if abstract:
        ET.SubElement(article.find("Abstract"), "AbstractText").text = abstract
    else:
        article.remove(article.find("Abstract"))
    for parent, tag in ((article, "ELocationID"), (article, "AuthorList"), (citation, "MeshHeadingList")):
        for element in parent.findall(tag):
            parent.remove(element)
    types = article.find("PublicationTypeList")
    types.clear()
    ET.SubElement(types, "PublicationType", UI="D016428").text = "Journal Article"
    ids = record.find("PubmedData/ArticleIdList")
    ids.clear()
    ET.SubElement(ids, "ArticleId", IdType="pubmed").text = pmid
    record.tail = "\n"
    return record


def pmc_records(path: Path | str) -> dict[str, bytes]:
    """``PMCID -> <article>`` records of a JATS file (a single ``<article>`` or a ``<pmc-articleset>``)."""
    root = safe_xml_root(Path(path).read_bytes(), "recorded JATS")
    articles = [root] if root.tag == "article" else root.findall("article")
    records = {}
    for article in articles:
        pmcid = _jats_id(article, "pmc") or _jats_id(article, "pmcid")
        if pmcid:
            article.tail = "\n"
            records["PMC" + pmcid.upper().removeprefix("PMC")] = ET.tostring(article, encoding="utf-8")
    return records


def _jats_id(article: ET.Element, kind: str) -> str | None:
    for element in article.findall("front/article-meta/article-id"):
        if element.get("pub-id-type") == kind and clean_text(element):
            return clean_text(element)
    return None


CLOSED_ACCESS_NOTE = "The publisher of this article does not allow downloading of the full text in XML form."


def without_body(record: bytes) -> bytes:
    """A JATS record as PMC returns it for a closed-access paper: front matter only, with PMC's note."""
    article = ET.fromstring(record)
    for tag in ("body", "back", "floats-group"):
        for element in article.findall(tag):
            article.remove(element)
    article.append(ET.Comment(CLOSED_ACCESS_NOTE))
    return ET.tostring(article, encoding="utf-8")


def pubmed_record_for_jats(record: bytes, with_pmcid: bool = False, template_pmid: str = IGF1_EXAMPLE_PMID) -> tuple[str, bytes]:
    """``(PMID, efetch record)`` for a JATS article: its own PMID, title and abstract in a copy of a real
    PubMed record (as :func:`records_from_pubtator` does for corpora); ``with_pmcid`` also lists its PMCID
    in ``ArticleIdList``, as PubMed does for papers in PMC (else only elink finds it)."""
    article = ET.fromstring(record)
    pmid = _jats_id(article, "pmid") or ""
    title = clean_text(article.find("front/article-meta/title-group/article-title"))
    abstract = " ".join(clean_text(p) for p in article.findall("front/article-meta/abstract//p"))
    cloned = _clone_record(ET.fromstring(_example_pool()[template_pmid]), pmid, title, abstract)
    pmcid = _jats_id(article, "pmc") or _jats_id(article, "pmcid")
    if with_pmcid and pmcid:
        ids = cloned.find("PubmedData/ArticleIdList")
        ET.SubElement(ids, "ArticleId", IdType="pmc").text = "PMC" + pmcid.upper().removeprefix("PMC")
    return pmid, ET.tostring(cloned, encoding="utf-8")


def with_publication_type(record: bytes, publication_type: str) -> bytes:
    """A copy of a record with one more PublicationType (e.g. "Retracted Publication")."""
    element = ET.fromstring(record)
    types = element.find("MedlineCitation/Article/PublicationTypeList")
    ET.SubElement(types, "PublicationType").text = publication_type
    return ET.tostring(element, encoding="utf-8")


# -- faults -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A failure to inject into matching requests.

    Matching: ``endpoint`` (None = any), ``requests`` (1-based request numbers *per endpoint*; None =
    any), ``when_ids_include`` (only requests whose ``id`` list holds this PMID), and ``times`` (apply
    at most this many times; None = every match).  Build them with the class methods.
    """

    kind: str
    endpoint: str | None = "efetch"
    requests: frozenset[int] | None = None
    when_ids_include: str | None = None
    times: int | None = None
    http_status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    keep: int = 0
    message: str = "Unable to obtain query #1"

    @classmethod
    def http_error(cls, status: int, retry_after: str | None = None, **match: Any) -> Fault:
        return cls("http_error", http_status=status, retry_after=retry_after, **_match(match))

    @classmethod
    def slow(cls, seconds: float, **match: Any) -> Fault:
        """Answer only after ``seconds`` (longer than the client's timeout to provoke one)."""
        return cls("slow", delay=seconds, **_match(match))

    @classmethod
    def reset(cls, **match: Any) -> Fault:
        """Close the connection abruptly (TCP RST) without any response."""
        return cls("reset", **_match(match))

    @classmethod
    def truncated(cls, **match: Any) -> Fault:
        """A 200 response whose XML body is cut in the middle."""
        return cls("truncated", **_match(match))

    @classmethod
    def error_body(cls, message: str = "Unable to obtain query #1", **match: Any) -> Fault:
        """A 200 response carrying E-utilities' ``<ERROR>`` element instead of results."""
        return cls("error_body", message=message, **_match(match))

    @classmethod
    def empty(cls, **match: Any) -> Fault:
        """A valid but empty result set."""
        return cls("empty", **_match(match))

    @classmethod
    def partial(cls, keep: int, **match: Any) -> Fault:
        """Only the first ``keep`` of the requested articles."""
        return cls("partial", keep=keep, **_match(match))

    def matches(self, endpoint: str, endpoint_number: int, ids: Sequence[str]) -> bool:
        return (
            (self.endpoint is None or self.endpoint == endpoint)
            and (self.requests is None or endpoint_number in self.requests)
            and (self.when_ids_include is None or self.when_ids_include in ids)
        )


def _match(match: dict[str, Any]) -> dict[str, Any]:
    if "requests" in match and match["requests"] is not None:
        match["requests"] = frozenset(match["requests"])
    return match


# -- request log ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (the API key is never stored, only whether it was sent)."""

    number: int  # across all endpoints, from 1
    endpoint_number: int  # per endpoint, from 1
    endpoint: str
    method: str
    params: dict[str, str]
    has_api_key: bool
    id_count: int
    timestamp: float  # time.monotonic() at arrival
    fault: str | None = None


# -- server -----------------------------------------------------------------------------------------


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[RequestRecord] = field(default_factory=list)
    per_endpoint: dict[str, int] = field(default_factory=dict)
    fault_uses: dict[int, int] = field(default_factory=dict)
    histories: dict[str, list[str]] = field(default_factory=dict)


class ReplayServer:
    """Threaded HTTP server on ``127.0.0.1`` (free port) replaying E-utilities; a context manager.

    >>> with ReplayServer() as server:          # doctest: +SKIP
    ...     settings = load_settings(eutils_url=server.url)
    """

    def __init__(
        self,
        pool: Mapping[str, bytes] | None = None,
        searches: Mapping[str, Sequence[str]] | None = None,
        gene_links: Mapping[str, Sequence[str]] | None = None,
        faults: Sequence[Fault] = (),
        latency: float = 0.0,
        pmc: Mapping[str, bytes] | None = None,
        pmc_links: Mapping[str, str] | None = None,
    ) -> None:
        self.pool = dict(example_pool() if pool is None else pool)
        self.pmc = {"PMC" + k.upper().removeprefix("PMC"): v for k, v in (pmc or {}).items()}
        self.pmc_links = {pmid: "PMC" + v.upper().removeprefix("PMC") for pmid, v in (pmc_links or {}).items()}
        self.searches = {term: list(ids) for term, ids in (searches or {}).items()}
        self.gene_links = {str(gene): list(ids) for gene, ids in (gene_links or {}).items()}
        self.faults = list(faults)
        self.latency = latency
        self._state = _State()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> ReplayServer:
        handler = type("BoundReplayHandler", (_ReplayHandler,), {"replay": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        # a short poll interval keeps stop() quick (serve_forever checks for shutdown between polls)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-eutils", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to use as ``eutils_url`` (endpoints are ``{url}/efetch.fcgi`` etc.)."""
        if self._httpd is None:
            raise RuntimeError("ReplayServer is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/entrez/eutils"

    # inspection
    @property
    def requests(self) -> list[RequestRecord]:
        with self._state.lock:
            return list(self._state.requests)

    def requests_to(self, endpoint: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.endpoint == endpoint]

    # request handling (called from handler threads)
    def _register(self, endpoint: str, method: str, params: dict[str, str], ids: list[str]) -> tuple[RequestRecord, Fault | None]:
        with self._state.lock:
            number = len(self._state.requests) + 1
            endpoint_number = self._state.per_endpoint.get(endpoint, 0) + 1
            self._state.per_endpoint[endpoint] = endpoint_number
            fault = None
            for index, candidate in enumerate(self.faults):
                used = self._state.fault_uses.get(index, 0)
                if (candidate.times is None or used < candidate.times) and candidate.matches(endpoint, endpoint_number, ids):
                    self._state.fault_uses[index] = used + 1
                    fault = candidate
                    break
            record = RequestRecord(
                number=number,
                endpoint_number=endpoint_number,
                endpoint=endpoint,
                method=method,
                params={k: v for k, v in params.items() if k not in _SECRET_PARAMS},
                has_api_key="api_key" in params,
                id_count=len(ids),
                timestamp=time.monotonic(),
                fault=fault.kind if fault else None,
            )
            self._state.requests.append(record)
        log.debug("replay %s #%d ids=%d fault=%s", endpoint, endpoint_number, len(ids), record.fault)
        return record, fault

    def efetch_body(self, ids: Sequence[str]) -> bytes:
        records = [self.pool[pmid] for pmid in ids if pmid in self.pool]
        return _pubmed_set(records)

    def pmc_body(self, ids: Sequence[str]) -> bytes:
        records = [self.pmc[k] for k in ("PMC" + i.upper().removeprefix("PMC") for i in ids) if k in self.pmc]
        return _recorded_prologs()["pmc-articleset"] + b"<pmc-articleset>" + b"".join(records) + b"</pmc-articleset>\n"

    def esearch_body(self, params: Mapping[str, str]) -> bytes:
        term = params.get("term", "")
        webenv = params.get("WebEnv")
        with self._state.lock:
            known = self._state.histories.get(webenv) if webenv else None
        if webenv and known is None:
            return _error_document("eSearchResult", "Unable to obtain query #1")
        ids = known if known is not None else self.searches.get(term, [])
        if known is None and params.get("usehistory") == "y":
            webenv = f"MCID_{secrets.token_hex(12)}"
            with self._state.lock:
                self._state.histories[webenv] = list(ids)
        start = _int_param(params, "retstart", 0)
        size = _int_param(params, "retmax", 20)
        page = ids[start : start + size]
        history = f"<QueryKey>1</QueryKey><WebEnv>{escape(webenv)}</WebEnv>" if webenv else ""
        id_lines = "".join(f"<Id>{i}</Id>\n" for i in page)
        not_found = "" if ids else f"<ErrorList><PhraseNotFound>{escape(term)}</PhraseNotFound></ErrorList>"
        body = (
            f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(page)}</RetMax><RetStart>{start}</RetStart>"
            f"{history}<IdList>\n{id_lines}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term)}</QueryTranslation>{not_found}</eSearchResult>\n"
        )
        return _recorded_prologs()["eSearchResult"] + body.encode("utf-8")

    def elink_body(self, params: Mapping[str, str], separate_ids: bool = False) -> bytes:
        if params.get("dbfrom") == "pubmed" and params.get("db") == "pmc":
            return self._pmc_link_body([i for i in params.get("id", "").split(",") if i], separate_ids)
        gene_ids = [i for i in params.get("id", "").split(",") if i]
        parts = ["<eLinkResult>\n\n  <LinkSet>\n", f"    <DbFrom>{escape(params.get('dbfrom', ''))}</DbFrom>\n    <IdList>\n"]
        parts += [f"      <Id>{escape(g)}</Id>\n" for g in gene_ids]
        parts.append("    </IdList>\n")
        links = [pmid for g in gene_ids for pmid in self.gene_links.get(g, [])]
        if links and params.get("dbfrom") == "gene":
            parts.append("    <LinkSetDb>\n      <DbTo>pubmed</DbTo>\n      <LinkName>gene_pubmed</LinkName>\n")
            parts += [f"        <Link>\n\t\t\t\t<Id>{pmid}</Id>\n\t\t\t</Link>\n" for pmid in links]
            parts.append("    </LinkSetDb>\n")
        parts.append("  </LinkSet>\n</eLinkResult>\n")
        return _recorded_prologs()["eLinkResult"] + "".join(parts).encode("utf-8")


    def _pmc_link_body(self, pmids: list[str], separate_ids: bool) -> bytes:
        """One LinkSet per PMID (``id=1&id=2``) or one for all (``id=1,2``), as NCBI answers."""
        groups = [[p] for p in pmids] if separate_ids else [pmids]
        parts = ["<eLinkResult>\n"]
        for group in groups:
            parts.append("  <LinkSet>\n    <DbFrom>pubmed</DbFrom>\n    <IdList>\n")
            parts += [f"      <Id>{escape(p)}</Id>\n" for p in group]
            parts.append("    </IdList>\n")
            links = [self.pmc_links[p].removeprefix("PMC") for p in group if p in self.pmc_links]
            if links:
                parts.append("    <LinkSetDb>\n      <DbTo>pmc</DbTo>\n      <LinkName>pubmed_pmc</LinkName>\n")
                parts += [f"        <Link>\n\t\t\t\t<Id>{link}</Id>\n\t\t\t</Link>\n" for link in links]
                parts.append("    </LinkSetDb>\n")
            parts.append("  </LinkSet>\n")
        parts.append("</eLinkResult>\n")
        return _recorded_prologs()["eLinkResult"] + "".join(parts).encode("utf-8")


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    try:
        return max(0, int(params.get(name, default)))
    except ValueError:
        return default


def _pubmed_set(records: Sequence[bytes]) -> bytes:
    return _recorded_prologs()["PubmedArticleSet"] + b"<PubmedArticleSet>\n" + b"".join(records) + b"</PubmedArticleSet>\n"


def _error_document(root: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}>\n\t<ERROR>{escape(message)}</ERROR>\n</{root}>\n'
    ).encode("utf-8")


class _QuietServer(ThreadingHTTPServer):
    """Handler errors (e.g. a client that timed out and left) are expected here: log, don't print."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("replay server: request from %s ended with an error", client_address, exc_info=True)


class _ReplayHandler(BaseHTTPRequestHandler):
    replay: ReplayServer
    protocol_version = "HTTP/1.1"
    separate_ids = False  # the request repeated the id field (elink: one link set per id)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from stdlib
        log.debug("replay http: " + format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET", urllib.parse.urlsplit(self.path).query)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace")
        query = urllib.parse.urlsplit(self.path).query
        self._serve("POST", "&".join(q for q in (query, form) if q))

    def _serve(self, method: str, query: str) -> None:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        params = dict(pairs)
        id_fields = [value for key, value in pairs if key == "id"]
        params["id"] = ",".join(id_fields) if id_fields else params.get("id", "")
        self.separate_ids = len(id_fields) > 1
        endpoint = Path(urllib.parse.urlsplit(self.path).path).name.removesuffix(".fcgi")
        ids = [i for i in params.get("id", "").split(",") if i] if endpoint == "efetch" else []
        _, fault = self.replay._register(endpoint, method, params, ids)
        if self.replay.latency:
            time.sleep(self.replay.latency)
        if fault is not None and fault.kind == "reset":
            self._reset_connection()
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "http_error":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            phrase = HTTPStatus(fault.http_status).phrase
            self._send(fault.http_status, f"<html><body>{fault.http_status} {phrase}</body></html>".encode(), "text/html", headers)
            return
        if fault is not None and fault.kind == "error_body":
            self._send(200, _error_document("eFetchResult" if endpoint == "efetch" else "eSearchResult", fault.message))
            return
        body = self._body(endpoint, params, ids, fault)
        if body is None:
            self._send(404, b"unknown E-utility", "text/plain")
            return
        if fault is not None and fault.kind == "truncated":
            body = body[: max(1, len(body) * 2 // 3)]
        self._send(200, body)

    def _body(self, endpoint: str, params: dict[str, str], ids: list[str], fault: Fault | None) -> bytes | None:
        if endpoint == "efetch" and params.get("db") == "pmc":
            available = [] if fault is not None and fault.kind == "empty" else ids
            if fault is not None and fault.kind == "partial":
                available = available[: fault.keep]
            return self.replay.pmc_body(available)
        if endpoint == "efetch":
            if fault is not None and fault.kind == "empty":
                return _pubmed_set([])
            available = [pmid for pmid in ids if pmid in self.replay.pool]
            if fault is not None and fault.kind == "partial":
                available = available[: fault.keep]
            return self.replay.efetch_body(available)
        if endpoint == "esearch":
            return self.replay.esearch_body({**params, "term": ""} if fault and fault.kind == "empty" else params)
        if endpoint == "elink":
            return self.replay.elink_body({**params, "id": ""} if fault and fault.kind == "empty" else params, self.separate_ids)
        return None

    def _send(self, status: int, body: bytes, content_type: str = "text/xml; charset=UTF-8", headers: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("replay server: client left before the response was sent")
        self.close_connection = True

    def _reset_connection(self) -> None:
        """Send a TCP RST: SO_LINGER with a zero timeout makes close() abort the connection."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
