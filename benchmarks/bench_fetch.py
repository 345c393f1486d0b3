"""Fetch efficiency: efetch requests and wall time for N new PMIDs against NCBI's rate limit.

Setup: a loopback :class:`flows.replay.ReplayServer` answering every request after ``--latency``
seconds, holding real-abstract records made from the BioRED corpus (500) plus clones with new PMIDs;
genelit's defaults (batch 200, 3 requests/s without an API key), a fresh SQLite store per run.

Figures:
* efetch requests for N new PMIDs (ideal ceil(N/200)) and on a re-run (ideal 0: the store is the cache);
* wall time of ``EntrezClient.fetch_articles`` and of the whole ``fetch_step`` (cache look-up, fetch,
  save, reload) against the **rate-limit floor**: with n requests at r requests/s, the earliest the
  n-th request may leave is (n-1)/r after the first, and its answer comes ``latency`` later, so
  ``floor = (n - 1) / r + latency`` (1.633 s for n = 5, r = 3, latency = 0.3).  Anything faster would
  break NCBI's limit; the target is wall <= 1.1 x floor.

Run: ``python benchmarks/bench_fetch.py [--pmids 1000] [--latency 0.3] [--runs 3]``
"""
from __future__ import annotations

import argparse
import math
import time

# run as a script: its own folder is on sys.path (``benchmarks`` is also a PyPI name, so no package import)
from common import Timing, corpus_paths, repeat, report, scratch_dir, table  # noqa: E402
from genelit.flows.entrez import EntrezClient  # noqa: E402
from genelit.flows.ratelimit import RateLimiter  # noqa: E402
from genelit.flows.replay import (  # noqa: E402
    ReplayServer,
    read_pubtator_texts,
    records_from_pubtator,
)
from genelit.flows.steps import fetch_step, open_store  # noqa: E402
from genelit.models.store import Store  # noqa: E402

from genelit.config import Settings  # noqa: E402


def record_pool(size: int) -> dict[str, bytes]:
    """``size`` efetch records: the corpus abstracts, then clones of them under new PMIDs.

    Clones go through a PubTator file so that they are built exactly like the originals.
    """
    pool: dict[str, bytes] = {}
    for path in corpus_paths():
        pool.update(records_from_pubtator(path))
    texts = [t for path in corpus_paths() for t in read_pubtator_texts(path).values()]
    extra = size - len(pool)
    if extra > 0:
        clone_file = scratch_dir("pool") / "clones.PubTator"
        with clone_file.open("w", encoding="utf-8") as fh:
            for i in range(extra):
                title, abstract = texts[i % len(texts)]
                fh.write(f"8{i:08d}|t|{title}\n8{i:08d}|a|{abstract}\n\n")
        pool.update(records_from_pubtator(clone_file))
    return dict(list(pool.items())[:size])


def rate_floor(requests: int, rate: float, latency: float) -> float:
    """Earliest possible completion of ``requests`` requests at ``rate``/s, each answered after ``latency``."""
    return (requests - 1) / rate + latency if requests else 0.0


def settings_for(server: ReplayServer, db_url: str) -> Settings:
    """genelit's defaults (no API key: 3 requests/s, batches of 200) against the replay server."""
    return Settings(eutils_url=server.url, db_url=db_url)


def fresh_client(settings: Settings) -> EntrezClient:
    """A client with its own limiter, so that one run's slots do not delay the next run."""
    return EntrezClient(settings, limiter=RateLimiter(settings.requests_per_second))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pmids", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    pool = record_pool(args.pmids)
    pmids = list(pool)
    with ReplayServer(pool, latency=args.latency) as server:
        # 1. the client alone
        client_requests: list[int] = []

        def client_fetch() -> None:
            settings = settings_for(server, "sqlite://")
            result = fresh_client(settings).fetch_articles(pmids)
            assert len(result.articles) == len(pmids), (len(result.articles), result.missing, result.failed)
            client_requests.append(result.requests)

        client_time, _ = repeat(client_fetch, args.runs)

        # 2. the whole fetch step, first run on an empty store, then a re-run
        first: list[tuple[float, int]] = []
        rerun: list[tuple[float, int]] = []
        for _ in range(args.runs):
            settings = settings_for(server, f"sqlite:///{scratch_dir('fetch') / 'genelit.db'}")
            Store(settings.db_url).close()  # migrate outside the timed part (a one-off per database)
            for runs in (first, rerun):
                start = time.perf_counter()
                articles, summary = fetch_step(pmids, settings, client=fresh_client(settings), show_progress=False)
                runs.append((time.perf_counter() - start, summary.requests))
                assert len(articles) == len(pmids)
            open_store.cache_clear()

    settings = Settings(eutils_url="http://unused")
    ideal = math.ceil(len(pmids) / 200)
    floor = rate_floor(ideal, settings.requests_per_second, args.latency)
    step = Timing(tuple(t for t, _ in first))
    again = Timing(tuple(t for t, _ in rerun))
    rows = [
        ["efetch requests, N new PMIDs", f"{ideal} (ceil(N/200))", ", ".join(map(str, client_requests))],
        ["efetch requests, fetch_step first run", ideal, ", ".join(str(n) for _, n in first)],
        ["efetch requests, fetch_step re-run", 0, ", ".join(str(n) for _, n in rerun)],
        ["rate-limit floor (s)", f"{floor:.3f}", "(n-1)/r + latency"],
        ["EntrezClient.fetch_articles wall (s)", f"<= {1.1 * floor:.3f}",
         f"best {client_time.best:.3f} ({client_time.best / floor:.2f}x floor), "
         f"median {client_time.median:.3f} ({client_time.median / floor:.2f}x)"],
        ["fetch_step wall incl. store (s)", f"<= {1.1 * floor:.3f}",
         f"best {step.best:.3f} ({step.best / floor:.2f}x floor), median {step.median:.3f} ({step.median / floor:.2f}x)"],
        ["fetch_step re-run wall (s)", "-", again.describe()],
    ]
    report(
        f"Fetch efficiency ({len(pmids)} new PMIDs, latency {args.latency} s, {settings.requests_per_second:g} req/s)",
        table(["measure", "target", "measured"], rows),
        notes=[
            f"{args.runs} runs; floor = (n-1)/r + latency with n = ceil(N/200) requests, r = 3/s: the n-th "
            "request cannot leave before (n-1)/r and is answered `latency` later",
            "genelit spaces requests by 1.05/r (a 5% safety margin on arrivals), so its own best is "
            f"{(ideal - 1) * 1.05 / settings.requests_per_second + args.latency:.3f} s plus parsing of the last batch",
        ],
    )


if __name__ == "__main__":
    main()
