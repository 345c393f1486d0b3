"""Extraction throughput per character on full text vs abstracts, and memory over many full texts.

    python benchmarks/bench_fulltext.py --articles 1000

Full texts: the fixture documents of ``tests/data/fulltext`` (JATS, BioC, PDF) read by genelit's
readers, replicated (each copy its own PMID) to ``--articles``; abstracts: the 450 BioRED abstracts of
``tests/data/entrez``.  Both go through ``extract_articles`` with the process-cached pipeline (loaded
and warmed first), same ratio method as ``bench_extract.py``: characters per second of each, then
full text / abstracts.  Memory: peak RSS after the first tenth of the full texts and after all.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from genelit.config import load_settings
from genelit.extractors.pipeline import extract_articles, load_pipeline
from genelit.flows.readers import read_documents
from genelit.flows.replay import read_pubtator_texts
from genelit.flows.steps import pipeline_config
from genelit.models.article import AbstractSection, Article

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ["1349-7235-63-2651.nxml", "1471-2180-11-174.nxml", "gjb2_genotypes.nxml", "biocxml.xml",
             "paper_28554332.json", "s13053-017-0080-y.pdf"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_texts(n: int) -> list[Article]:
    base = [a for name in DOCUMENTS for a in read_documents(ROOT / "tests" / "data" / "fulltext" / name)]
    return [Article(**{**dict(base[i % len(base)]), "pmid": str(10_000_000 + i)}) for i in range(n)]


def abstracts() -> list[Article]:
    texts = read_pubtator_texts(ROOT / "tests" / "data" / "entrez" / "biored_texts_450.PubTator.gz")
    return [Article(pmid=p, title=t, abstract_sections=[AbstractSection(text=a)] if a else []) for p, (t, a) in texts.items()]


def rate(articles: list[Article], nlp) -> tuple[float, int, float]:
    chars = sum(len(a.text) for a in articles)
    start = time.perf_counter()
    for _ in extract_articles(articles, nlp):
        pass
    seconds = time.perf_counter() - start
    return chars / seconds, chars, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000, help="full texts to extract (replicated fixtures)")
    args = parser.parse_args()
    nlp = load_pipeline(pipeline_config(load_settings()))
    warm = abstracts()
    rate(warm[:50], nlp)
    abstract_rate, abstract_chars, abstract_s = rate(warm, nlp)
    texts = full_texts(args.articles)
    tenth = max(1, len(texts) // 10)
    rate(texts[:tenth], nlp)
    early = rss_mb()
    full_rate, full_chars, full_s = rate(texts[tenth:], nlp)
    late = rss_mb()
    print(f"abstracts: {len(warm)} ({abstract_chars:,} chars) in {abstract_s:.1f} s = {abstract_rate:,.0f} chars/s")
    print(f"full text: {len(texts) - tenth} ({full_chars:,} chars) in {full_s:.1f} s = {full_rate:,.0f} chars/s")
    print(f"ratio full text / abstracts per character: {full_rate / abstract_rate:.2f}")
    print(f"peak RSS after {tenth} full texts: {early:.0f} MB; after {len(texts)}: {late:.0f} MB")


if __name__ == "__main__":
    main()
