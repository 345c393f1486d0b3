"""The scan digest: what a watchlist scan found, per gene, as Markdown for curators and JSON for tools.

Pure functions from a scan's result to text, plus :func:`write_digest`, which writes both files
atomically (a curator or a mail hook reading the folder never sees half a digest).  The result types
belong to the flows (:class:`flows.scan_steps.ScanResult`, ``GeneResult``); this module reads them
through the small protocols below, so the outputs layer does not depend on the flows.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from genelit.models.evidence import EvidenceRecord

from genelit.files import atomic_write_text

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


class ScannedGene(Protocol):
    """The gene a scan searched (:class:`flows.scan_targets.GeneTarget`)."""

    @property
    def requested(self) -> str: ...
    @property
    def symbol(self) -> str: ...
    @property
    def hgnc_id(self) -> str: ...
    @property
    def query(self) -> str: ...
    @property
    def note(self) -> str | None: ...


class ScanWindow(Protocol):
    """The Entrez-date window searched (:class:`flows.scan_steps.Window`); ``str()`` is how curators read it."""

    @property
    def start(self) -> dt.date | None: ...
    @property
    def end(self) -> dt.date | None: ...


class ProcessedCounts(Protocol):
    """What processing the gene's papers did (:class:`flows.steps.RunSummary`)."""

    @property
    def cached(self) -> int: ...
    @property
    def fetched(self) -> int: ...
    @property
    def requests(self) -> int: ...
    @property
    def records_created(self) -> int: ...
    @property
    def failed(self) -> Mapping[str, str]: ...


class GeneScan(Protocol):
    """One gene's search and processing (:class:`flows.scan_steps.GeneResult`)."""

    @property
    def target(self) -> ScannedGene: ...
    @property
    def window(self) -> ScanWindow: ...
    @property
    def hits(self) -> int: ...
    @property
    def pmids(self) -> Sequence[str]: ...
    @property
    def linked(self) -> int: ...
    @property
    def capped(self) -> bool: ...
    @property
    def summary(self) -> ProcessedCounts: ...
    @property
    def new_records(self) -> Sequence[EvidenceRecord]: ...
    @property
    def error(self) -> str | None: ...
    @property
    def ok(self) -> bool: ...


class WatchlistScan(Protocol):
    """A whole watchlist scan (:class:`flows.scan_steps.ScanResult`)."""

    @property
    def started(self) -> dt.datetime: ...
    @property
    def genes(self) -> Sequence[GeneScan]: ...
    @property
    def ok(self) -> bool: ...
    @property
    def failed(self) -> Sequence[GeneScan]: ...


def _failure_text(summary: ProcessedCounts) -> str | None:
    return f"{len(summary.failed)} PMID(s) could not be fetched" if summary.failed else None


def gene_json(gene: GeneScan) -> dict[str, Any]:
    """One gene of the JSON digest: the query and window, the counts, and the new records with links."""
    return {
        "gene": gene.target.symbol, "hgnc_id": gene.target.hgnc_id, "requested": gene.target.requested,
        "query": gene.target.query,
        "window": {"start": str(gene.window.start) if gene.window.start else None,
                   "end": str(gene.window.end) if gene.window.end else None, "date_type": "edat"},
        "ok": gene.ok, "error": gene.error or _failure_text(gene.summary),
        "hits": gene.hits, "capped": gene.capped, "pmids": len(gene.pmids), "linked": gene.linked,
        "cached": gene.summary.cached, "fetched": gene.summary.fetched,
        "efetch_requests": gene.summary.requests, "records_created": gene.summary.records_created,
        "new_records": [
            {"record_id": r.record_id, "pmid": r.pmid, "url": PUBMED_URL.format(pmid=r.pmid), "title": r.title,
             "gene": r.gene_symbol, "variant": r.variant, "zygosity": r.zygosity, "confidence": r.confidence}
            for r in gene.new_records
        ],
    }


def digest_markdown(result: WatchlistScan) -> str:
    """The curator-facing digest: per gene, the window searched and the new records with links."""
    lines = [f"# genelit scan {result.started:%Y-%m-%d %H:%M} UTC", ""]
    total = sum(len(g.new_records) for g in result.genes)
    lines += [f"{len(result.genes)} gene(s), {total} new record(s), {len(result.failed)} gene(s) failed.", ""]
    for gene in result.genes:
        lines.append(f"## {gene.target.symbol} ({gene.target.hgnc_id})")
        lines.append("")
        if gene.target.note:
            lines += [f"_{gene.target.note}_", ""]
        lines.append(f"- Entrez dates: {gene.window}")
        if gene.capped:
            lines.append(f"- **capped**: {gene.hits} hits, only the first {len(gene.pmids) - gene.linked} processed (raise `max` or narrow the query)")
        if not gene.ok:
            lines.append(f"- **FAILED**: {gene.error or _failure_text(gene.summary)} (watermark kept; the next scan retries)")
        lines.append(
            f"- papers: {len(gene.pmids)} (NCBI hits {gene.hits}, Gene links {gene.linked}) · "
            f"fetched {gene.summary.fetched} · new records {len(gene.new_records)}"
        )
        lines.append("")
        if gene.new_records:
            lines += ["| PMID | record id | gene | variant | zygosity | title |", "|---|---|---|---|---|---|"]
            for r in gene.new_records:
                title = (r.title or "").replace("|", "\\|")
                lines.append(
                    f"| [{r.pmid}]({PUBMED_URL.format(pmid=r.pmid)}) | `{r.record_id}` | {r.gene_symbol} | "
                    f"{r.variant or '—'} | {r.zygosity or '—'} | {title} |"
                )
            lines.append("")
    return "\n".join(lines)


def digest_json(result: WatchlistScan) -> dict[str, Any]:
    """The machine-readable digest: the scan's start and outcome, and :func:`gene_json` per gene."""
    return {
        "started": result.started.isoformat(),
        "ok": result.ok,
        "genes": [gene_json(g) for g in result.genes],
    }


def write_digest(result: WatchlistScan, out_dir: Path) -> tuple[Path, Path]:
    """Write ``scan-<UTC time>.md`` and ``.json`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"scan-{result.started:%Y%m%dT%H%M%SZ}"
    markdown, data = stem.with_suffix(".md"), stem.with_suffix(".json")
    atomic_write_text(markdown, digest_markdown(result))
    atomic_write_text(data, json.dumps(digest_json(result), indent=2, ensure_ascii=False))
    return markdown, data
