"""Shared helpers for the performance benchmarks: corpus loading, repeated timing, result logging.

Benchmarks are scripts, not tests: each prints its figures and appends them, with the exact command
line and the date, to ``benchmarks/RESULTS.md`` so that figures stay comparable across changes.
Timings are noisy when the machine is busy, hence :func:`repeat` reports the best and the median run.
"""
from __future__ import annotations

import os
import platform
import resource
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from genelit.extractors.pubtator import PubTatorDoc, read_pubtator
from genelit.models.article import AbstractSection, Article

T = TypeVar("T")

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "RESULTS.md"
# BioRED train+dev (500 abstracts) beside the checkout; override with GENELIT_BENCH_CORPUS (a folder)
DEFAULT_CORPUS_DIR = BENCH_DIR.parent / "corpora" / "biored"
CORPUS_FILES = ("Train.PubTator", "Dev.PubTator")


@dataclass(frozen=True)
class Timing:
    """Wall times (seconds) of repeated runs of one measurement."""

    runs: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def rate(self, items: int) -> tuple[float, float]:
        """Items per second for the best and the median run."""
        return items / self.best, items / self.median

    def describe(self) -> str:
        return f"best {self.best:.3f} s, median {self.median:.3f} s over {len(self.runs)} runs"


def repeat(work: Callable[[], T], runs: int) -> tuple[Timing, T]:
    """Time ``work`` ``runs`` times; returns the timings and the last result."""
    times: list[float] = []
    result: T
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return Timing(tuple(times)), result


def corpus_paths() -> list[Path]:
    """The PubTator files the benchmarks run on (BioRED train + dev unless overridden)."""
    folder = Path(os.environ.get("GENELIT_BENCH_CORPUS", DEFAULT_CORPUS_DIR))
    paths = [folder / name for name in CORPUS_FILES if (folder / name).is_file()]
    if not paths:
        sys.exit(f"no BioRED PubTator files in {folder}; set GENELIT_BENCH_CORPUS to a folder holding {CORPUS_FILES}")
    return paths


def corpus_docs() -> list[PubTatorDoc]:
    return [doc for path in corpus_paths() for doc in read_pubtator(path)]


def article_from_doc(doc: PubTatorDoc, pmid: str | None = None) -> Article:
    """An Article whose ``text`` equals the PubTator ``title + " " + abstract`` (as efetch would give)."""
    sections = [AbstractSection(text=doc.abstract)] if doc.abstract else []
    return Article(pmid=pmid or doc.pmid, title=doc.title, abstract_sections=sections)


def replicate(articles: Sequence[Article], total: int) -> list[Article]:
    """``total`` articles made by repeating ``articles`` with fresh PMIDs (for scale runs)."""
    out: list[Article] = []
    for i in range(total):
        source = articles[i % len(articles)]
        out.append(source if i < len(articles) else source.model_copy(update={"pmid": f"9{i:08d}"}))
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"genelit-bench-{prefix}-"))


def command_line() -> str:
    return " ".join(shlex.quote(a) for a in [Path(sys.executable).name, *sys.argv])


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def cpu_model() -> str:
    """The processor's name (machines here differ ~3x in speed, so every figure says which one ran it)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def floor_pipeline():
    """The bare scispaCy floor every throughput figure is a ratio to, built in the same process.

    Blank English + scispaCy's tokenizer + a sentencizer + scispaCy's AbbreviationDetector: the least any
    scispaCy pipeline does.  A ratio to it cancels most of the machine's speed (absolute abstracts/s
    differ ~3x between the machines here), so it is the figure to compare across runs and machines.
    """
    import spacy
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  registers the factory
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("abbreviation_detector")
    return nlp


def run_floor(nlp, texts: Sequence[str]) -> int:
    """Run the floor pipeline over ``texts``; the number of abbreviation pairs (keeps the work observable)."""
    return sum(len(doc._.abbreviations) for doc in nlp.pipe(texts, batch_size=64))


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def report(title: str, lines: Sequence[str], notes: Sequence[str] = ()) -> None:
    """Print a section and append it to RESULTS.md with the command line, date and machine load."""
    header = [
        f"## {title}",
        "",
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- command: `{command_line()}` (from the repository root)",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average at the end "
        f"{load_average()} (other work on the machine inflates timings; best and median of repeated "
        "runs are given)",
        *[f"- {note}" for note in notes],
        "",
    ]
    text = "\n".join([*header, *lines, ""]) + "\n"
    print(text)
    with RESULTS_PATH.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text)
