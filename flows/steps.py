"""The plain, testable functions behind the Prefect flows: fetch → extract → draft → persist.

Flows (``flows/pubmed_flow.py``) only orchestrate these.  Work is processed in chunks so that a long
PMID list streams with bounded memory and every finished chunk is committed: an interrupted run loses at
most the chunk in flight, and the next run resumes from the article cache.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from math import ceil
from typing import Protocol

from genelit.extractors.citations import cite_passages
from genelit.extractors.drafting import draft_records
from genelit.extractors.pipeline import (
    DEFAULT_COMPONENTS,
    PipelineConfig,
    extract_articles,
    load_pipeline,
)
from genelit.flows.entrez import EntrezClient
from genelit.flows.pmc import add_full_text
from genelit.flows.progress import phase
from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store

from genelit.config import Settings, load_settings
from genelit.errors import RecordRejected

log = logging.getLogger("genelit")


@dataclass
class RunSummary:
    """Counts a user sees at the end of a run (and Prefect logs carry)."""

    requested: int = 0
    cached: int = 0
    fetched: int = 0
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    extracted: int = 0
    without_abstract: int = 0
    full_text: int = 0  # articles extracted with their full text
    closed_access: int = 0  # in PMC, but the full text may not be downloaded: abstract used
    full_text_failed: dict[str, str] = field(default_factory=dict)  # PMC requests kept failing: abstract used
    pmc_requests: int = 0  # elink + efetch db=pmc
    records_created: int = 0
    records_updated: int = 0
    records_unchanged: int = 0
    records_flagged: int = 0
    # papers whose records the store refused (e.g. a value too long for a column): PMID -> reason
    not_stored: dict[str, str] = field(default_factory=dict)

    @property
    def records_drafted(self) -> int:
        return self.records_created + self.records_updated + self.records_unchanged

    @property
    def abstract_only(self) -> int:
        """Articles extracted from their title and abstract alone."""
        return self.extracted - self.full_text

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed and not self.full_text_failed and not self.not_stored

    def add(self, other: RunSummary) -> None:
        for name in (
            "requested", "cached", "fetched", "requests", "extracted", "without_abstract", "full_text",
            "closed_access", "pmc_requests", "records_created", "records_updated", "records_unchanged",
            "records_flagged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missing.extend(other.missing)
        self.failed.update(other.failed)
        self.full_text_failed.update(other.full_text_failed)
        self.not_stored.update(other.not_stored)


def chunked(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Split a (possibly streamed) PMID sequence into lists of at most ``size``."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@lru_cache(maxsize=4)
def open_store(db_url: str) -> Store:
    """One store (engine + connection pool) per database URL per process."""
    return Store(db_url)


def fetch_step(
    pmids: Sequence[str], settings: Settings, *, refresh: bool = False, client: EntrezClient | None = None,
    show_progress: bool = True,
) -> tuple[list[Article], RunSummary]:
    """Return the articles for ``pmids``: from the store cache, fetching only what is not cached.

    Each batch of fetched articles is saved as it arrives (while the next requests are on the wire), so an
    interruption or a later failure does not cost a re-fetch.  PMIDs that NCBI did not return (``missing``)
    or that kept failing (``failed``) are recorded in the store with their reason and listed in the summary.
    """
    store = open_store(settings.db_url)
    summary = RunSummary(requested=len(pmids))
    cached = set() if refresh else store.cached_pmids(pmids)
    to_fetch = [p for p in pmids if p not in cached]
    summary.cached = len(pmids) - len(to_fetch)
    fetched: dict[str, Article] = {}

    def keep(batch: list[Article]) -> None:
        store.save_articles(batch)  # also clears these PMIDs' earlier fetch failures
        fetched.update((a.pmid, a) for a in batch)

    if to_fetch:
        client = client or EntrezClient(settings)
        with phase("Fetching from PubMed", len(to_fetch), enabled=show_progress) as advance:
            result = client.fetch_articles(to_fetch, on_batch=lambda done, _total: advance(done), on_articles=keep)
        failures = dict(result.failed)
        failures.update({p: "not returned by NCBI (unknown or withdrawn PMID)" for p in result.missing})
        if failures:
            store.record_fetch_failures(failures)
        summary.fetched = len(result.articles)
        summary.missing = list(result.missing)
        summary.failed = dict(result.failed)
        summary.requests = result.requests
    from_store = {a.pmid: a for a in store.load_articles(p for p in pmids if p in cached and p not in fetched)}
    articles = [a for a in (fetched.get(p) or from_store.get(p) for p in dict.fromkeys(pmids)) if a is not None]
    if settings.full_text:
        articles = full_text_step(articles, settings, summary, client=client, show_progress=show_progress)
    return articles, summary


def needs_full_text(article: Article) -> bool:
    """A PubMed article whose PMC full text was never looked up, or whose lookup failed last time."""
    return article.source == "pubmed" and article.full_text_status in (None, "failed")


def full_text_step(
    articles: list[Article], settings: Settings, summary: RunSummary, *, client: EntrezClient | None = None,
    show_progress: bool = True,
) -> list[Article]:
    """Add PMC full text where it is open; outcomes are stored, so a re-run fetches nothing again.

    Articles whose PMC requests kept failing keep their abstract for this run and are recorded as
    fetch failures ("full text: ..."): the next run tries them again.
    """
    wanted = [a for a in articles if needs_full_text(a)]
    if wanted:
        store = open_store(settings.db_url)
        client = client or EntrezClient(settings)
        with phase("Fetching full text from PMC", len(wanted), enabled=show_progress) as advance:
            result = add_full_text(client, wanted, on_batch=advance)
        store.save_articles(result.articles)
        if result.failed:
            store.record_fetch_failures(result.failed)
        summary.full_text_failed.update(result.failed)
        summary.pmc_requests += result.requests
        updated = {a.pmid: a for a in result.articles}
        articles = [updated.get(a.pmid, a) for a in articles]
    summary.closed_access += sum(1 for a in articles if a.full_text_status == "closed_access")
    return articles


def pipeline_config(settings: Settings) -> PipelineConfig:
    """The pipeline configuration the settings ask for (official scispaCy model, trained NER on/off)."""
    components = tuple(c for c in DEFAULT_COMPONENTS if settings.trained_ner or c != "genelit_ner")
    return PipelineConfig(components=components, scispacy_model=settings.use_scispacy_model)


def extract_and_draft(
    articles: Sequence[Article], config: PipelineConfig | None = None, show_progress: bool = True
) -> dict[str, list[EvidenceRecord]]:
    """Run the extraction pipeline and draft evidence records, keyed by PMID (every article present)."""
    nlp = load_pipeline(config or pipeline_config(load_settings()))
    drafts: dict[str, list[EvidenceRecord]] = {}
    by_pmid = {a.pmid: a for a in articles}
    with phase("Extracting", len(articles), enabled=show_progress) as advance:
        for extraction in extract_articles(articles, nlp):
            if extraction.truncated:
                log.warning("PMID %s: very long document, extracted only up to the time limit", extraction.pmid)
            article = by_pmid[extraction.pmid]
            drafts[extraction.pmid] = cite_passages(article, draft_records(article, extraction))
            advance(1)
    return drafts


# Articles per extraction task when extraction is spread over workers (Dask): big enough that task
# overhead is small next to the work, small enough that every worker gets some.
MIN_PART_SIZE = 20
MAX_PART_SIZE = 200


class PartRunner(Protocol):
    """Runs :func:`extract_and_draft` over parts of a chunk somewhere else (Dask workers).

    ``slots`` is how many parts can run at once; ``map`` yields each part's drafts as it finishes.
    """

    slots: int

    def map(self, parts: list[list[Article]], config: PipelineConfig) -> Iterator[dict[str, list[EvidenceRecord]]]: ...


def part_size(articles: int, slots: int) -> int:
    """Articles per task: about two tasks per worker slot, within [MIN_PART_SIZE, MAX_PART_SIZE].

    Two per slot lets a fast worker take over a slow one's share; the bounds keep the per-task cost
    (shipping articles, scheduling) small relative to the extraction itself.
    """
    return max(MIN_PART_SIZE, min(MAX_PART_SIZE, ceil(articles / max(1, 2 * slots))))


def split_parts(articles: Sequence[Article], size: int) -> list[list[Article]]:
    """Consecutive parts of at most ``size`` articles."""
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def extract_in_parts(
    articles: Sequence[Article], config: PipelineConfig, runner: PartRunner, show_progress: bool = True
) -> dict[str, list[EvidenceRecord]]:
    """:func:`extract_and_draft` spread over a runner's workers; same drafts, same PMID order.

    Only articles and the (small, hashable) pipeline configuration travel to the workers; each worker
    process builds the pipeline once (``load_pipeline`` is cached) and reuses it for every part.
    """
    parts = split_parts(articles, part_size(len(articles), runner.slots))
    drafts: dict[str, list[EvidenceRecord]] = {}
    with phase("Extracting", len(articles), enabled=show_progress) as advance:
        for result in runner.map(parts, config):
            drafts.update(result)
            advance(len(result))
    return {a.pmid: drafts[a.pmid] for a in articles}


def persist_step(drafts: dict[str, list[EvidenceRecord]], settings: Settings) -> RunSummary:
    """Upsert drafts per paper; reviewed records are never overwritten (see ``Store.upsert_drafts``).

    Each paper is its own transaction: a paper whose records the store refuses is reported in
    ``not_stored`` and the others are stored; an unusable store still stops the run (StoreError).
    """
    store = open_store(settings.db_url)
    summary = RunSummary()
    for pmid, records in drafts.items():
        try:
            result = store.upsert_drafts(pmid, records)
        except RecordRejected as exc:
            summary.not_stored[pmid] = str(exc)
            continue
        summary.records_created += result.created
        summary.records_updated += result.updated
        summary.records_unchanged += result.unchanged
        summary.records_flagged += result.conflicts
    return summary
