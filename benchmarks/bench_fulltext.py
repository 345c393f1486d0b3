"""Extraction throughput per character on full text vs abstracts, each vs the scispaCy floor; memory.

    python benchmarks/bench_fulltext.py --articles 1000 --runs 3

Same method as ``bench_extract.py throughput``: the process-cached pipeline (loaded and warmed first)
through ``extract_articles``, and the bare scispaCy floor (``common.floor_pipeline``) over the same
texts in the same process, run by run, alternating, so a change in machine load hits every
measurement of a run alike.  Each run times, in turn: the pipeline over the BioRED train+dev
abstracts, the floor over them, the pipeline over full texts, the floor over their passages (the
pieces the pipeline runs over, :func:`extraction_units`).  Full texts: the fixture documents of
``tests/data/fulltext`` (JATS, BioC, PDF) read by genelit's readers, repeated until they hold as many
characters as the abstracts.  Ratios are per character, per run: full text / abstracts, and each
pipeline / its floor (the figure to compare across machines); best run and median of runs.

Memory: one stream of ``--articles`` full texts (the fixtures, each copy its own PMID, made one at a
time as the pipeline asks for them, as a run streams its chunks): peak RSS after the first tenth and
after all of them.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from common import article_from_doc, corpus_docs, floor_pipeline, peak_rss_mb, report, run_floor, table
from genelit.extractors.pipeline import extract_articles, extraction_units, load_pipeline
from genelit.flows.readers import read_documents
from genelit.flows.steps import pipeline_config
from genelit.models.article import Article

from genelit.config import load_settings

FULLTEXT_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "fulltext"
DOCUMENTS = ("1349-7235-63-2651.nxml", "1471-2180-11-174.nxml", "gjb2_genotypes.nxml", "biocxml.xml",
             "paper_28554332.json", "s13053-017-0080-y.pdf")
# PMIDs of the copies in the memory stream: 10000000, 10000001, ...
FIRST_COPY_PMID = 10_000_000
WARM_ARTICLES = 20


def fixture_full_texts() -> list[Article]:
    return [a for name in DOCUMENTS for a in read_documents(FULLTEXT_DIR / name) if a.full_text]


def copies(base: Sequence[Article], n: int) -> Iterator[Article]:
    """``n`` articles cycling through ``base``, each under its own PMID, made one at a time."""
    for i in range(n):
        yield Article(**{**dict(base[i % len(base)]), "pmid": str(FIRST_COPY_PMID + i)})


def balanced(base: Sequence[Article], chars: int) -> list[Article]:
    """``base`` repeated (own PMIDs) until the articles hold at least ``chars`` characters."""
    out: list[Article] = []
    total = 0
    for article in copies(base, sys.maxsize):
        if total >= chars:
            break
        out.append(article)
        total += len(article.text)
    return out


def units(articles: Sequence[Article]) -> list[str]:
    """The texts the pipeline runs over (title + abstract as one piece, every other passage alone)."""
    return [text for a in articles for _offset, text, _single in extraction_units(a)]


def extract(articles: Sequence[Article], nlp) -> tuple[float, int]:
    """Seconds to extract the articles, and the mentions found (keeps the work observable)."""
    start = time.perf_counter()
    mentions = sum(len(e.mentions) for e in extract_articles(articles, nlp))
    return time.perf_counter() - start, mentions


def floor_time(nlp, texts: Sequence[str]) -> float:
    start = time.perf_counter()
    run_floor(nlp, texts)
    return time.perf_counter() - start


def best_median(values: Sequence[float]) -> tuple[float, float]:
    return max(values), statistics.median(values)


def memory_stream(base: Sequence[Article], n: int, nlp) -> dict[str, float]:
    """Extract ``n`` streamed copies; peak RSS after the first tenth and after all, and the rate."""
    tenth = max(1, n // 10)
    chars = done = 0
    early = 0.0
    start = time.perf_counter()
    for extraction in extract_articles(copies(base, n), nlp):
        chars += len(extraction.text)
        done += 1
        if done == tenth:
            early = peak_rss_mb()
    seconds = time.perf_counter() - start
    return {"articles": done, "tenth": tenth, "chars": chars, "seconds": seconds, "early": early, "late": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="full texts in the memory stream (replicated fixtures)")
    parser.add_argument("--runs", type=int, default=3, help="alternating timing runs")
    args = parser.parse_args()

    load_start = time.perf_counter()
    nlp = load_pipeline(pipeline_config(load_settings()))
    load_time = time.perf_counter() - load_start
    floor = floor_pipeline()
    abstracts = [article_from_doc(d) for d in corpus_docs()]
    abstract_chars = sum(len(a.text) for a in abstracts)
    base = fixture_full_texts()
    full = balanced(base, abstract_chars)
    abstract_texts, full_texts = [a.text for a in abstracts], units(full)
    full_chars = sum(map(len, full_texts))  # the characters the pipeline reads (not the separators between passages)
    extract(abstracts[:WARM_ARTICLES], nlp)  # first-call costs (lazy tables) are not throughput
    extract(base, nlp)
    run_floor(floor, abstract_texts[:WARM_ARTICLES] + full_texts[:WARM_ARTICLES])

    runs: list[dict[str, float]] = []
    for _ in range(args.runs):
        abstract_s, abstract_mentions = extract(abstracts, nlp)
        abstract_floor_s = floor_time(floor, abstract_texts)
        full_s, full_mentions = extract(full, nlp)
        full_floor_s = floor_time(floor, full_texts)
        runs.append({
            "abstract_rate": abstract_chars / abstract_s, "abstract_floor_rate": abstract_chars / abstract_floor_s,
            "full_rate": full_chars / full_s, "full_floor_rate": full_chars / full_floor_s,
        })
    for run in runs:
        run["full_vs_abstract"] = run["full_rate"] / run["abstract_rate"]
        run["abstract_vs_floor"] = run["abstract_rate"] / run["abstract_floor_rate"]
        run["full_vs_floor"] = run["full_rate"] / run["full_floor_rate"]
        run["floor_normalized"] = run["full_vs_floor"] / run["abstract_vs_floor"]
    memory = memory_stream(base, args.articles, nlp)

    def rates(key: str) -> list[str]:
        best, median = best_median([r[key] for r in runs])
        return [f"{best:,.0f}", f"{median:,.0f}"]

    def ratio(key: str) -> list[str]:
        best, median = best_median([r[key] for r in runs])
        return [f"{best:.3f}", f"{median:.3f}"]

    rows = [
        [f"abstracts: pipeline ({len(abstracts)} abstracts, {abstract_chars:,} chars, {abstract_mentions:,} mentions)", *rates("abstract_rate")],
        ["abstracts: floor (same texts)", *rates("abstract_floor_rate")],
        [f"full texts: pipeline ({len(full)} texts, {len(full_texts):,} passages, {full_chars:,} chars, "
         f"{full_mentions:,} mentions)", *rates("full_rate")],
        ["full texts: floor (the same passages)", *rates("full_floor_rate")],
        ["**ratio full text / abstracts per character** (target >= 0.5)", *ratio("full_vs_abstract")],
        ["ratio abstracts pipeline / floor", *ratio("abstract_vs_floor")],
        ["ratio full texts pipeline / floor", *ratio("full_vs_floor")],
        ["ratio of the two floor ratios (full text / abstracts, machine speed cancelled)", *ratio("floor_normalized")],
    ]
    memory_rows = [
        ["full texts streamed", f"{memory['articles']:,.0f} ({memory['chars']:,.0f} chars)"],
        ["wall, chars/s", f"{memory['seconds']:.1f} s, {memory['chars'] / memory['seconds']:,.0f}"],
        [f"peak RSS after the first {memory['tenth']:,.0f} (MB)", f"{memory['early']:.0f}"],
        [f"peak RSS after all {memory['articles']:,.0f} (MB)", f"{memory['late']:.0f}"],
        ["growth after the first tenth (MB)", f"{memory['late'] - memory['early']:.0f}"],
    ]
    report(
        f"Full-text extraction throughput per character and memory ({args.runs} runs; {memory['articles']:,.0f} full texts streamed)",
        [*table(["chars/s or ratio", "best run", "median of runs"], rows), "", *table(["memory stream", "measured"], memory_rows)],
        notes=[
            f"pipeline: {', '.join(nlp.pipe_names)}; load {load_time:.1f} s (not counted); floor: blank en + "
            "scispaCy tokenizer + sentencizer + AbbreviationDetector (common.floor_pipeline), same process",
            "each run: pipeline over the abstracts, floor over them, pipeline over the full texts, floor over "
            "their passages; ratios per run, best run and median of runs",
            f"abstracts: BioRED train+dev; full texts: {', '.join(DOCUMENTS)} (tests/data/fulltext) read by "
            f"genelit's readers ({len(base)} articles), repeated to as many characters as the abstracts",
        ],
    )


if __name__ == "__main__":
    main()
