"""PubMed Central full text through Entrez: find each paper's PMCID, fetch its JATS, keep its body.

The PMCID comes from the PubMed record's ``ArticleIdList`` (``IdType="pmc"``) when it has one, else
from ``elink dbfrom=pubmed db=pmc`` (one request per :data:`ELINK_BATCH_SIZE` PMIDs, one link set per
PMID).  Full texts come from ``efetch db=pmc`` in batches of :data:`PMC_BATCH_SIZE`.  Every request goes
through the same :class:`~flows.entrez.EntrezClient` as PubMed: one rate limiter, the same retries and
one-line failure messages.

Each article comes back with its outcome in ``full_text_status``: ``full_text`` (the body as passages,
title and abstract kept from PubMed at their offsets), ``closed_access`` (PMC returned the front matter
only: its publisher does not allow the full text to be downloaded), ``not_in_pmc``, or ``failed``
(requests kept failing: the abstract is used now, the next run tries again).
"""
from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from genelit.flows.entrez import EntrezClient, read_entrez_xml
from genelit.flows.pubmed_xml import MalformedResponse, safe_xml_root
from genelit.flows.readers.jats import articles_in, body_passages, pmcid_of
from genelit.models.article import Article, build_passages

from genelit.errors import FetchError

log = logging.getLogger(__name__)

# PMIDs per elink request (NCBI's comfortable id-list size, as for efetch).
ELINK_BATCH_SIZE = 200
# Full texts per efetch db=pmc request: one JATS article is 50-500 kB, so 20 keep a response at a few
# MB, well inside the client timeout, and a failing batch costs few papers.
PMC_BATCH_SIZE = 20
PUBMED_PMC_LINK = "pubmed_pmc"


@dataclass
class FullTextResult:
    """Articles with their PMC outcome recorded, and what it cost."""

    articles: list[Article] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # pmid -> reason (abstract used for now)
    requests: int = 0  # elink + efetch db=pmc requests, retries included

    def count(self, status: str) -> int:
        return sum(1 for a in self.articles if a.full_text_status == status)


def pmc_number(pmcid: str) -> str:
    """``PMC1234567`` -> ``1234567`` (what E-utilities' pmc database calls the id)."""
    return pmcid.upper().removeprefix("PMC")


def parse_pmc_links(data: bytes) -> dict[str, str]:
    """``PMID -> PMCID`` from an elink ``pubmed_pmc`` body (one link set per PMID)."""
    records = read_entrez_xml(data, "elink response")
    links: dict[str, str] = {}
    try:
        for link_set in records:
            source = [str(i) for i in link_set.get("IdList", [])]
            for link_set_db in link_set.get("LinkSetDb", []):
                if link_set_db.get("LinkName") != PUBMED_PMC_LINK or len(source) != 1:
                    continue
                targets = [str(link["Id"]) for link in link_set_db.get("Link", [])]
                if targets:
                    links[source[0]] = f"PMC{targets[0]}"
    except (KeyError, TypeError, AttributeError) as exc:
        raise MalformedResponse(f"elink response has an unexpected shape ({exc})") from None
    return links


def parse_pmc_articleset(data: bytes) -> dict[str, ET.Element]:
    """``PMCID -> <article>`` of an efetch db=pmc body; MalformedResponse if it is not a pmc-articleset."""
    root = safe_xml_root(data, "efetch db=pmc response")
    if root.tag != "pmc-articleset":
        raise MalformedResponse(f"efetch db=pmc response has root <{root.tag}>, expected <pmc-articleset>")
    found = {}
    for article in articles_in(root):
        pmcid = pmcid_of(article)
        if pmcid:
            found[pmcid] = article
    return found


def _batches(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def link_to_pmc(client: EntrezClient, pmids: Sequence[str], tally: Counter[str], failed: dict[str, str]) -> dict[str, str]:
    """PMCIDs of ``pmids`` through elink; PMIDs of a batch that keeps failing go to ``failed``."""
    links: dict[str, str] = {}
    for batch in _batches(pmids, ELINK_BATCH_SIZE):
        params = {"dbfrom": "pubmed", "db": "pmc", "linkname": PUBMED_PMC_LINK, "id": batch, "retmode": "xml"}
        try:
            links.update(client.call("elink", params, parse_pmc_links, tally))
        except FetchError as exc:
            log.error("elink pubmed->pmc for %d PMIDs failed: %s", len(batch), exc)
            failed.update({pmid: f"full text: {exc}" for pmid in batch})
    return links


def add_full_text(
    client: EntrezClient, articles: Sequence[Article], on_batch: Callable[[int], None] | None = None,
) -> FullTextResult:
    """The articles with their PMC full text (or its absence) recorded; order kept.

    ``on_batch(n)`` is told each time ``n`` more articles have been handled, for progress display.
    """
    tally: Counter[str] = Counter()
    result = FullTextResult()
    pmcids = {a.pmid: a.pmcid for a in articles if a.pmcid}
    unlinked = [a.pmid for a in articles if not a.pmcid]
    pmcids.update(link_to_pmc(client, unlinked, tally, result.failed))
    wanted = [a.pmid for a in articles if a.pmid in pmcids]
    bodies: dict[str, ET.Element] = {}
    if on_batch is not None and len(articles) > len(wanted):
        on_batch(len(articles) - len(wanted))  # not in PMC, or their link lookup failed: nothing to fetch
    for batch in _batches(wanted, PMC_BATCH_SIZE):
        params = {"db": "pmc", "id": ",".join(pmc_number(pmcids[p]) for p in batch), "retmode": "xml"}
        try:
            fetched = client.call("efetch", params, parse_pmc_articleset, tally)
        except FetchError as exc:
            log.error("efetch db=pmc for %d articles failed: %s", len(batch), exc)
            result.failed.update({pmid: f"full text: {exc}" for pmid in batch})
        else:
            bodies.update((p, fetched[pmcids[p]]) for p in batch if pmcids[p] in fetched)
        if on_batch is not None:
            on_batch(len(batch))
    for article in articles:
        result.articles.append(_with_outcome(article, pmcids.get(article.pmid), bodies.get(article.pmid), result.failed))
    result.requests = sum(tally.values())
    return result


def _with_outcome(article: Article, pmcid: str | None, element: ET.Element | None, failed: dict[str, str]) -> Article:
    if article.pmid in failed:
        return article.with_status("failed")
    if pmcid is None:
        return article.with_status("not_in_pmc")
    found = body_passages(element) if element is not None else None
    if found is None:
        return Article(**{**dict(article), "pmcid": pmcid, "full_text_status": "closed_access"})
    drafts, links = found
    passages = build_passages(article.title, article.abstract, drafts)
    with_pmcid = Article(**{**dict(article), "pmcid": pmcid})
    return with_pmcid.with_full_text(passages, source="pmc", status="full_text", supplementary_links=links)
