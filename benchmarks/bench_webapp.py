"""Review web app: server time of the queue and paper pages at 10,000 evidence records.

The store holds the ``bench_store`` workload (realistic drafts from BioRED gold annotations, 2-5 per
paper, with each paper's title and abstract stored), one record in ten accepted so statuses and audit
trails vary.  Pages are requested in process through Starlette's TestClient, and the figure is the
app's own ``Server-Timing`` (from the first byte of the request into the app to the response headers:
store queries, record validation, template rendering), best and median of ``--runs`` requests each.
For comparison: ``Store.list_records()`` over all records, what a queue without SQL paging would cost.

Run: ``python benchmarks/bench_webapp.py [--records 10000] [--runs 20] [--postgres URL | --no-postgres]``
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager

from bench_store import DEFAULT_POSTGRES, postgres_scratch, sqlite_scratch, workload
from common import article_from_doc, corpus_docs, report, table
from genelit.flows.web import create_app
from genelit.models.evidence import EvidenceRecord
from genelit.models.store import Store
from starlette.testclient import TestClient

REVIEWED_EVERY = 10
HOSTS = {"127.0.0.1"}


def fill(store: Store, records: int) -> tuple[dict[str, list[EvidenceRecord]], float]:
    """The workload and its papers in ``store``; seconds it took."""
    started = time.perf_counter()
    drafts = workload(records)
    docs = corpus_docs()
    store.save_articles(article_from_doc(docs[i % len(docs)], pmid) for i, pmid in enumerate(drafts))
    for pmid, recs in drafts.items():
        store.upsert_drafts(pmid, recs)
    every = [r for recs in drafts.values() for r in recs]
    for record in every[::REVIEWED_EVERY]:
        store.review(record.record_id, "accept", "bench", "benchmark decision")
    return drafts, time.perf_counter() - started


def server_ms(client: TestClient, url: str, runs: int) -> tuple[float, float, int]:
    """Best and median Server-Timing (ms) of ``runs`` requests, and the page size in bytes."""
    times, size = [], 0
    for _ in range(runs):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        times.append(float(response.headers["server-timing"].split("dur=")[1]))
        size = len(response.content)
    return min(times), statistics.median(times), size


def wall_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def measure(name: str, scratch: Callable[[], AbstractContextManager[str]], records: int, runs: int) -> list[list[str]]:
    rows: list[list[str]] = []
    with scratch() as url:
        store = Store(url)
        try:
            drafts, filled = fill(store, records)
            total = sum(len(r) for r in drafts.values())
            busiest = max(drafts, key=lambda p: len(drafts[p]))
            gene = Counter(r.gene_symbol for recs in drafts.values() for r in recs
                           if r.gene_symbol != "GENE1").most_common(1)[0][0]
            client = TestClient(create_app(store, allowed_hosts=HOSTS), base_url="http://127.0.0.1")
            last_page = -(-total // 50)
            pages = [
                ("queue, first page (50, by PMID)", "/queue"),
                ("queue, by confidence, descending", "/queue?sort=confidence&order=desc"),
                (f"queue, last page ({last_page})", f"/queue?page={last_page}"),
                ("queue, 200 per page", "/queue?per_page=200"),
                ("queue, status accepted", "/queue?status=accepted"),
                (f"queue, gene {gene}", f"/queue?gene={gene}"),
                (f"paper view, PMID {busiest} ({len(drafts[busiest])} records, abstract)", f"/paper/{busiest}"),
            ]
            client.get("/queue")  # first request: templates compiled, connection pool opened
            for label, url_path in pages:
                best, median, size = server_ms(client, url_path, runs)
                rows.append([name, label, f"{best:.1f}", f"{median:.1f}", f"{size / 1024:.0f}"])
            best, median = wall_ms(store.list_records, max(3, runs // 5))
            rows.append([name, f"for comparison: Store.list_records() of all {total:,} records", f"{best:.1f}",
                         f"{median:.1f}", "—"])
            rows.append([name, f"(store filled in {filled:.0f} s: {total:,} records, {len(drafts):,} papers)",
                         "", "", ""])
        finally:
            store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    backends: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [("SQLite (file, WAL)", sqlite_scratch)]
    if not args.no_postgres:
        backends.append(("PostgreSQL", lambda: postgres_scratch(args.postgres)))
    rows: list[list[str]] = []
    for name, scratch in backends:
        rows += measure(name, scratch, args.records, args.runs)
    report(
        f"Review web app: server time per page at {args.records:,} records",
        table(["backend", "page", "server ms best", "server ms median", "page KiB"], rows),
        notes=[(f"{args.runs} requests per page (in process, Starlette TestClient); server time = the app's "
                "Server-Timing header; one record in ten accepted")],
    )


if __name__ == "__main__":
    main()
