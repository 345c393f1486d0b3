"""Extraction performance of the default pipeline: throughput, load time, memory, hot spots.

Sub-commands (each appends its figures to RESULTS.md):

* ``throughput`` -- abstracts/s of ``extract_articles`` (pipeline + conversion to DocumentExtraction)
  over the 500 BioRED train+dev abstracts, or a replica of ``--articles N`` (the 500 repeated), in one
  process and in ``--processes`` worker processes (a ``multiprocessing`` pool whose workers load the
  pipeline once, as the Dask workers of ``flows.pubmed_flow`` do; load time excluded); peak RSS.
* ``load`` -- pipeline load time in a fresh process: cold (``XDG_CACHE_HOME`` pointed at an empty
  folder, so every on-disk cache of ``platformdirs.user_cache_dir("genelit")`` is rebuilt) and warm
  (fresh process, caches present).
* ``profile`` -- time per pipeline component over the corpus, and the top cProfile entries of each.

Run: ``python benchmarks/bench_extract.py throughput|load|profile [--runs 3] [--articles 500]``
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import (
    Timing,
    article_from_doc,
    corpus_docs,
    floor_pipeline,
    peak_rss_mb,
    replicate,
    report,
    run_floor,
    scratch_dir,
    table,
)
from genelit.extractors.pipeline import extract_articles, load_pipeline
from genelit.models.article import Article

LOAD_PROBE = """
import json, resource, sys, time
start = time.perf_counter()
from genelit.extractors.pipeline import load_pipeline
nlp = load_pipeline()
loaded = time.perf_counter() - start
nlp("IGF1 c.123A>G in a homozygous proband with short stature.")
print(json.dumps({"load": loaded, "first_doc": time.perf_counter() - start - loaded,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def corpus_articles(total: int) -> list[Article]:
    return replicate([article_from_doc(d) for d in corpus_docs()], total)


def run_extraction(articles: list[Article]) -> int:
    """Extract every article with the process's pipeline; number of mentions (keeps the work observable)."""
    return sum(len(e.mentions) for e in extract_articles(articles, load_pipeline()))


def _warm_worker() -> None:
    load_pipeline()


def parallel_extraction(pool: multiprocessing.pool.Pool, articles: list[Article], processes: int) -> int:
    """Split the articles into 2 parts per process (as ``flows.steps.part_size`` does) and extract them."""
    size = max(1, -(-len(articles) // (2 * processes)))
    parts = [articles[i : i + size] for i in range(0, len(articles), size)]
    return sum(pool.map(run_extraction, parts))


def throughput(args: argparse.Namespace) -> None:
    articles = corpus_articles(args.articles)
    load_start = time.perf_counter()
    load_pipeline()
    load_time = time.perf_counter() - load_start
    run_extraction(articles[:20])  # first-call costs (lazy tables) are not throughput
    floor = floor_pipeline()
    texts = [a.text for a in articles]
    run_floor(floor, texts[:20])
    rows = []
    timings, floor_timings = [], []
    # pipeline and floor alternate run by run, so a change in machine load hits both alike
    for _ in range(0 if args.parallel_only else args.runs):
        start = time.perf_counter()
        mentions = run_extraction(articles)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        abbreviations = run_floor(floor, texts)
        floor_timings.append(time.perf_counter() - start)
    if timings:
        single = Timing(tuple(timings))
        best, median = single.rate(len(articles))
        floor_timing = Timing(tuple(floor_timings))
        floor_best, floor_median = floor_timing.rate(len(articles))
        rows.append(["1 process", f"{best:.1f}", f"{median:.1f}", single.describe(), mentions])
        rows.append(["floor: blank en + scispaCy tokenizer + sentencizer + AbbreviationDetector",
                     f"{floor_best:.1f}", f"{floor_median:.1f}", floor_timing.describe(), f"{abbreviations} abbreviations"])
        ratios = [f / p for p, f in zip(timings, floor_timings)]  # pipeline rate / floor rate, run by run
        rows.append(["**ratio pipeline / floor** (best run pair, median of run pairs)",
                     f"{max(ratios):.3f}", f"{sorted(ratios)[len(ratios) // 2]:.3f}", "", ""])
    if args.processes > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(args.processes, initializer=_warm_worker) as pool:
            pool.map(run_extraction, [articles[:10]] * args.processes)  # every worker loaded and warm
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                mentions_parallel = parallel_extraction(pool, articles, args.processes)
                timings.append(time.perf_counter() - start)
        multi = Timing(tuple(timings))
        best_p, median_p = multi.rate(len(articles))
        rows.append([f"{args.processes} processes (fork pool)", f"{best_p:.1f}", f"{median_p:.1f}", multi.describe(), mentions_parallel])
    rows.append(["peak RSS, main process (MB)", f"{peak_rss_mb():.0f}", "", "", ""])
    if args.processes > 1:
        workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows.append(["peak RSS, largest worker process (MB)", f"{workers_mb:.0f}", "", "", ""])
    report(
        f"Extraction throughput ({len(articles):,} abstracts, default pipeline)",
        table(["setup", "abstracts/s best", "abstracts/s median", "wall", "mentions"], rows),
        notes=[
            f"pipeline: {', '.join(load_pipeline().pipe_names)}; load in this process {load_time:.1f} s (not counted)",
            "corpus: BioRED train+dev (500 abstracts)" + (f", repeated to {len(articles):,}" if len(articles) > 500 else ""),
        ],
    )


def probe_load(cache_home: Path) -> dict[str, float]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", LOAD_PROBE], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


def load(args: argparse.Namespace) -> None:
    cold, warm = [], []
    for _ in range(args.runs):
        cache_home = scratch_dir("cache")
        cold.append(probe_load(cache_home))
        warm.append(probe_load(cache_home))
    rows = []
    for label, runs in (("cold (empty cache dir)", cold), ("warm (fresh process, caches present)", warm)):
        timing = Timing(tuple(r["load"] for r in runs))
        process = Timing(tuple(r["process"] for r in runs))
        rows.append([label, f"{timing.best:.2f}", f"{timing.median:.2f}", f"{process.best:.2f} / {process.median:.2f}",
                     f"{max(r['rss_mb'] for r in runs):.0f}"])
    report(
        "Pipeline load time (fresh process)",
        table(["load", "load_pipeline() s best", "median", "whole process s best / median", "peak RSS MB"], rows),
        notes=[f"{args.runs} cold/warm pairs; `load_pipeline()` timed from before `import extractors.pipeline`, "
               "target warm <= 3 s; cold = XDG_CACHE_HOME pointed at an empty temporary folder"],
    )


def profile(args: argparse.Namespace) -> None:
    articles = corpus_articles(args.articles)
    nlp = load_pipeline()
    texts = [a.text for a in articles]
    list(nlp.pipe(texts[:20]))  # warm lazy tables
    start = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    rows = [["tokenizer", f"{time.perf_counter() - start:.2f}", ""]]
    details: list[str] = []
    for name, component in nlp.pipeline:
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        # batched like nlp.pipe (batch_size=64 as in extract_articles), so trained models see real batches
        docs = list(component.pipe(docs, batch_size=64)) if hasattr(component, "pipe") else [component(d) for d in docs]
        profiler.disable()
        elapsed = time.perf_counter() - start
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(args.top)
        top = [line.strip() for line in stream.getvalue().splitlines() if line.strip()[:1].isdigit() and "/" in line][: args.top]
        rows.append([name, f"{elapsed:.2f}", f"{len(docs) / elapsed:.0f}"])
        details += [f"### {name} ({elapsed:.2f} s, tottime top {args.top})", "", "```", *top, "```", ""]
    total = sum(float(r[1]) for r in rows)
    rows.append(["total", f"{total:.2f}", f"{len(docs) / total:.0f}"])
    report(
        f"Extraction profile per component ({len(articles)} abstracts, one process)",
        [*table(["component", "seconds", "abstracts/s alone"], rows), "", *details],
        notes=["each component run alone over all docs, batched (cProfile on, so absolute times are inflated ~1.5-2x)"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["throughput", "load", "profile"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--parallel-only", action="store_true", help="throughput: skip the 1-process runs")
    args = parser.parse_args()
    {"throughput": throughput, "load": load, "profile": profile}[args.command](args)


if __name__ == "__main__":
    main()
