"""genelit side by side with a naive implementation, in one run, reported as ratios.

* Fetch: genelit's ``EntrezClient.fetch_articles`` (batches of 200, overlapped requests) versus one
  efetch per PMID, both through the same loopback ReplayServer with the same latency and the same
  3 requests/s limiter.  The naive run is bounded by N/3 s, so N defaults to 200 (over a minute).
* Extraction: genelit's ``extract_articles`` with the process-cached pipeline versus a pipeline rebuilt
  for every document with the uncached ``build_pipeline`` (load cost paid per document).  The naive run
  costs a full pipeline build per document, so it runs on ``--docs`` documents (default 5) and genelit
  on the same documents.

Run: ``python benchmarks/bench_baseline.py [--pmids 200] [--docs 5] [--latency 0.3]``
"""
from __future__ import annotations

import argparse
import time

from bench_fetch import fresh_client, record_pool, settings_for
from common import article_from_doc, corpus_docs, report, table
from genelit.extractors.pipeline import (
    PipelineConfig,
    _to_extraction,
    build_pipeline,
    extract_articles,
    load_pipeline,
)
from genelit.flows.entrez import FetchResult
from genelit.flows.replay import ReplayServer
from genelit.models.article import Article


def naive_fetch(server: ReplayServer, pmids: list[str]) -> FetchResult:
    """One efetch request per PMID through the same client code (batch size 1)."""
    settings = settings_for(server, "sqlite://").model_copy(update={"batch_size": 1})
    client = fresh_client(settings)
    result = FetchResult()
    for pmid in pmids:
        one = client.fetch_articles([pmid])
        result.articles += one.articles
        result.requests += one.requests
    return result


def naive_extract(articles: list[Article]) -> int:
    mentions = 0
    for article in articles:
        nlp = build_pipeline(PipelineConfig())
        mentions += len(_to_extraction(article.pmid, nlp(article.text)).mentions)
    return mentions


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pmids", type=int, default=200)
    parser.add_argument("--docs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()

    pool = record_pool(args.pmids)
    pmids = list(pool)
    with ReplayServer(pool, latency=args.latency) as server:
        genelit_fetch_s, ours = timed(lambda: fresh_client(settings_for(server, "sqlite://")).fetch_articles(pmids))
        naive_fetch_s, naive = timed(lambda: naive_fetch(server, pmids))
    assert len(ours.articles) == len(naive.articles) == len(pmids)

    articles = [article_from_doc(d) for d in corpus_docs()[: args.docs]]
    genelit_load_s, _ = timed(load_pipeline)
    genelit_extract_s, ours_mentions = timed(lambda: sum(len(e.mentions) for e in extract_articles(articles)))
    naive_extract_s, naive_mentions = timed(lambda: naive_extract(articles))
    assert ours_mentions == naive_mentions, (ours_mentions, naive_mentions)

    rows = [
        [f"fetch {len(pmids)} PMIDs: requests", ours.requests, naive.requests, f"{naive.requests / ours.requests:.1f}"],
        [f"fetch {len(pmids)} PMIDs: wall s", f"{genelit_fetch_s:.2f}", f"{naive_fetch_s:.2f}", f"{naive_fetch_s / genelit_fetch_s:.1f}"],
        [f"extract {len(articles)} docs: wall s (genelit excl. one-off load {genelit_load_s:.1f} s)",
         f"{genelit_extract_s:.2f}", f"{naive_extract_s:.2f}", f"{naive_extract_s / genelit_extract_s:.1f}"],
        [f"extract {len(articles)} docs: wall s incl. genelit's load",
         f"{genelit_load_s + genelit_extract_s:.2f}", f"{naive_extract_s:.2f}",
         f"{naive_extract_s / (genelit_load_s + genelit_extract_s):.2f}"],
    ]
    report(
        "genelit vs naive baseline (same fake server, latency, rate limit; same documents)",
        table(["measure", "genelit", "naive", "ratio naive / genelit"], rows),
        notes=[f"latency {args.latency} s, 3 requests/s; naive fetch = one efetch per PMID; naive extraction = "
               "build_pipeline() per document; both extractions produce the same mentions (checked)",
               "the naive builds run after genelit's load, so they reuse the lexicons the components cache per "
               "process: the naive cost per document is pipeline assembly only, a lower bound"],
    )


if __name__ == "__main__":
    main()
