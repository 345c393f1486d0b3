"""Fetch efficiency: efetch requests and wall time for N new PMIDs against NCBI's rate limit.

Setup: a loopback :class:`flows.replay.ReplayServer` answering every request after ``--latency``
seconds, holding real-abstract records made from the BioRED corpus (500) plus clones with new PMIDs;
genelit's defaults (batch 200, 3 requests/s without an API key), a fresh SQLite store per run.

Full text is the default, so ``fetch_step`` also asks PubMed Central: ``elink pubmed->pmc`` for the
PMIDs whose record names no PMCID (batches of 200) and ``efetch db=pmc`` for those in PMC (batches of
20).  ``--full-texts`` of the PMIDs are linked to PMC copies of a real JATS article
(``tests/data/fulltext``); the others are not in PMC.

Figures:
* efetch db=pubmed requests for N new PMIDs (ideal ceil(N/200)); PMC requests (elink, efetch db=pmc)
  counted apart; on a re-run every kind of request must be 0 (the store caches articles and PMC outcomes);
* wall time of ``EntrezClient.fetch_articles`` and of the whole ``fetch_step`` (cache look-up, fetch,
  PMC look-up, save, reload) against the **rate-limit floor**: with n requests at r requests/s, the
  earliest the n-th request may leave is (n-1)/r after the first, and its answer comes ``latency``
  later, so ``floor = (n - 1) / r + latency`` (1.633 s for n = 5, r = 3, latency = 0.3).  Anything
  faster would break NCBI's limit; the target is wall <= 1.1 x floor.

Run: ``python benchmarks/bench_fetch.py [--pmids 1000] [--full-texts 40] [--latency 0.3] [--runs 3]``
"""
from __future__ import annotations

import argparse
import math
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

# run as a script: its own folder is on sys.path (``benchmarks`` is also a PyPI name, so no package import)
from common import Timing, corpus_paths, repeat, report, scratch_dir, table  # noqa: E402
from genelit.flows.entrez import EntrezClient  # noqa: E402
from genelit.flows.pmc import ELINK_BATCH_SIZE, PMC_BATCH_SIZE, parse_pmc_articleset  # noqa: E402
from genelit.flows.ratelimit import RateLimiter  # noqa: E402
from genelit.flows.readers.jats import body_passages  # noqa: E402
from genelit.flows.replay import (  # noqa: E402
    ReplayServer,
    RequestRecord,
    pmc_records,
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


# the JATS article whose copies stand for the PMC full texts (PMC11518610, a case report)
JATS_SOURCE = Path(__file__).resolve().parent.parent / "tests" / "data" / "fulltext" / "1349-7235-63-2651.nxml"
# PMCIDs of the copies: PMC90000000, PMC90000001, ...
FIRST_COPY_PMCID = 90_000_000
BATCH_SIZE = 200  # efetch db=pubmed, genelit's default


def pmc_copies(pmids: list[str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """PMC records (one copy of the JATS article per PMID, each under its own PMCID) and PMID -> PMCID links."""
    ((_, record),) = pmc_records(JATS_SOURCE).items()
    article = ET.fromstring(record)
    pmc_id = next(e for e in article.iter("article-id") if e.get("pub-id-type") in ("pmc", "pmcid"))
    records, links = {}, {}
    for i, pmid in enumerate(pmids):
        pmcid = f"PMC{FIRST_COPY_PMCID + i}"
        pmc_id.text = pmcid.removeprefix("PMC")
        records[pmcid] = ET.tostring(article, encoding="utf-8")
        links[pmid] = pmcid
    return records, links


def kinds(requests: list[RequestRecord]) -> Counter[str]:
    """Requests by kind: efetch db=pubmed, elink pubmed->pmc, efetch db=pmc."""
    return Counter(f"{r.endpoint} db={r.params.get('db', 'pubmed')}" for r in requests)


def rate_floor(requests: int, rate: float, latency: float) -> float:
    """Earliest possible completion of ``requests`` requests at ``rate``/s, each answered after ``latency``."""
    return (requests - 1) / rate + latency if requests else 0.0


def settings_for(server: ReplayServer, db_url: str, full_text: bool = True) -> Settings:
    """genelit's defaults (no API key: 3 requests/s, batches of 200) against the replay server."""
    return Settings(eutils_url=server.url, db_url=db_url, full_text=full_text)


def reading_seconds(server: ReplayServer, pmcids: list[str]) -> float:
    """CPU-bound part of the PMC step: parsing the efetch db=pmc answers and reading their bodies."""
    start = time.perf_counter()
    for i in range(0, len(pmcids), PMC_BATCH_SIZE):
        for article in parse_pmc_articleset(server.pmc_body(pmcids[i : i + PMC_BATCH_SIZE])).values():
            body_passages(article)
    return time.perf_counter() - start


def fresh_client(settings: Settings) -> EntrezClient:
    """A client with its own limiter, so that one run's slots do not delay the next run."""
    return EntrezClient(settings, limiter=RateLimiter(settings.requests_per_second))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pmids", type=int, default=1000)
    parser.add_argument("--full-texts", type=int, default=40, help="how many of the PMIDs have a PMC full text")
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    pool = record_pool(args.pmids)
    pmids = list(pool)
    pmc, links = pmc_copies(pmids[: args.full_texts])
    with ReplayServer(pool, latency=args.latency, pmc=pmc, pmc_links=links) as server:
        # 1. the client alone (PubMed only)
        client_requests: list[int] = []

        def client_fetch() -> None:
            settings = settings_for(server, "sqlite://")
            result = fresh_client(settings).fetch_articles(pmids)
            assert len(result.articles) == len(pmids), (len(result.articles), result.missing, result.failed)
            client_requests.append(result.requests)

        client_time, _ = repeat(client_fetch, args.runs)

        # 2. the whole fetch step: abstracts only (PubMed alone), and by default (PubMed, then PMC) with a
        # re-run; each first run on an empty store
        abstract_only: list[tuple[float, Counter[str], int]] = []
        first: list[tuple[float, Counter[str], int]] = []
        rerun: list[tuple[float, Counter[str], int]] = []
        reading: list[float] = []
        for _ in range(args.runs):
            for full_text, passes in ((False, (abstract_only,)), (True, (first, rerun))):
                settings = settings_for(server, f"sqlite:///{scratch_dir('fetch') / 'genelit.db'}", full_text)
                Store(settings.db_url).close()  # migrate outside the timed part (a one-off per database)
                for runs in passes:
                    seen = len(server.requests)
                    start = time.perf_counter()
                    articles, summary = fetch_step(pmids, settings, client=fresh_client(settings), show_progress=False)
                    wall = time.perf_counter() - start
                    made = kinds(server.requests[seen:])
                    assert made["efetch db=pubmed"] == summary.requests
                    assert made["elink db=pmc"] + made["efetch db=pmc"] == summary.pmc_requests
                    runs.append((wall, made, sum(a.full_text for a in articles)))
                    assert len(articles) == len(pmids)
                open_store.cache_clear()
            reading.append(reading_seconds(server, list(pmc)))

    settings = Settings(eutils_url="http://unused")
    rate = settings.requests_per_second
    ideal = math.ceil(len(pmids) / BATCH_SIZE)
    ideal_links = math.ceil(len(pmids) / ELINK_BATCH_SIZE)  # the pool's records name no PMCID: elink asks for all
    ideal_pmc = math.ceil(args.full_texts / PMC_BATCH_SIZE)
    floor = rate_floor(ideal, rate, args.latency)
    step_floor = rate_floor(ideal + ideal_links + ideal_pmc, rate, args.latency)
    plain = Timing(tuple(t for t, _, _ in abstract_only))
    step = Timing(tuple(t for t, _, _ in first))
    read = Timing(tuple(reading))
    again = Timing(tuple(t for t, _, _ in rerun))

    def counts(runs: list[tuple[float, Counter[str], int]], kind: str) -> str:
        return ", ".join(str(made[kind]) for _, made, _ in runs)

    rows = [
        ["efetch db=pubmed requests, N new PMIDs (client)", f"{ideal} (ceil(N/200))", ", ".join(map(str, client_requests))],
        ["requests, fetch_step --abstract-only", ideal, ", ".join(str(sum(made.values())) for _, made, _ in abstract_only)],
        ["efetch db=pubmed requests, fetch_step first run", ideal, counts(first, "efetch db=pubmed")],
        ["elink pubmed->pmc requests, fetch_step first run", f"{ideal_links} (ceil(N/200))", counts(first, "elink db=pmc")],
        ["efetch db=pmc requests, fetch_step first run", f"{ideal_pmc} (ceil(full texts/20))", counts(first, "efetch db=pmc")],
        ["full texts stored, first run", args.full_texts, ", ".join(str(n) for _, _, n in first)],
        ["requests of any kind, fetch_step re-run", 0, ", ".join(str(sum(made.values())) for _, made, _ in rerun)],
        ["full texts read from the store, re-run", args.full_texts, ", ".join(str(n) for _, _, n in rerun)],
        ["rate-limit floor, PubMed only / with PMC (s)", f"{floor:.3f} / {step_floor:.3f}", "(n-1)/r + latency"],
        ["EntrezClient.fetch_articles wall (s)", f"<= {1.1 * floor:.3f}",
         f"best {client_time.best:.3f} ({client_time.best / floor:.2f}x floor), "
         f"median {client_time.median:.3f} ({client_time.median / floor:.2f}x)"],
        ["fetch_step --abstract-only wall incl. store (s)", f"<= {1.1 * floor:.3f}",
         f"best {plain.best:.3f} ({plain.best / floor:.2f}x floor), median {plain.median:.3f} ({plain.median / floor:.2f}x)"],
        ["fetch_step wall incl. PMC and store (s)", f"<= {1.1 * step_floor + read.median:.3f} (1.1 x floor + reading)",
         f"best {step.best:.3f} ({step.best / step_floor:.2f}x floor), median {step.median:.3f} ({step.median / step_floor:.2f}x)"],
        [f"reading the {args.full_texts} full texts (parse + sections, CPU, s)", "-",
         f"best {read.best:.3f}, median {read.median:.3f} ({1000 * read.median / max(1, args.full_texts):.0f} ms each)"],
        ["fetch_step re-run wall (s)", "-", again.describe()],
    ]
    report(
        f"Fetch efficiency ({len(pmids)} new PMIDs, {args.full_texts} in PMC, latency {args.latency} s, {rate:g} req/s)",
        table(["measure", "target", "measured"], rows),
        notes=[
            f"{args.runs} runs; floor = (n-1)/r + latency with n requests, r = {rate:g}/s: the n-th request cannot "
            "leave before (n-1)/r and is answered `latency` later; PubMed only: n = ceil(N/200); with PMC: "
            "n adds the elink and efetch db=pmc batches",
            "genelit spaces requests by 1.05/r (a 5% safety margin on arrivals), so its own best is "
            f"{(ideal - 1) * 1.05 / rate + args.latency:.3f} s (PubMed only) plus parsing of the last batch",
            f"PMC: {args.full_texts} PMIDs linked (elink) to copies of the JATS of PMC11518610, the others not in PMC",
            "the PMC requests wait for each other (elink, then efetch db=pmc batch by batch), and reading a full "
            "text is CPU work the floor leaves out: fetch_step with PMC is held to 1.1 x its floor plus that reading",
        ],
    )


if __name__ == "__main__":
    main()
