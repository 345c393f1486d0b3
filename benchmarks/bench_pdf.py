"""PDF text extractors compared on the fixture PDFs: variant strings intact, reading order, table rows, speed.

    python benchmarks/bench_pdf.py ../shared/fixtures/fulltext/pdf/*.pdf   # both fixture PDFs

pypdf is genelit's dependency; pdfminer.six and PyMuPDF are measured when installed
(``pip install pdfminer.six pymupdf``).  Checks, after joining lines with spaces:
* variants: the README's variant strings found verbatim;
* reading order: sentences that run across line breaks of justified two-column text (read off the
  page images) found whole;
* table rows: "p.[...] <count>" cells of the GJB2 genotype table found on one line.
"""
from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "data" / "fulltext"  # the BMC PDF only
VARIANTS = ["c.516G>C", "p.Trp172Cys", "c.-23+1G>A", "c.35delG", "c.235delC", "c.299_300delAT", "c.109G>A",
            "c.79G>A", "c.-684-675del", "c.68-7T>A", "c.68-7 T>A", "c.7964A>G", "c.989-1G > T"]
ORDER = [
    "Later, the BRCA2 c.68-7T>A variant has been demonstrated world-wide to have a population prevalence",
    "did demonstrate a borderline ovarian cancer at prophylactic surgery.",
    "Both the annual incidence of breast cancer at prospective follow-up of variant carriers",
    "the GJB2 genotypes due to the combination of GJB2 gene sequence variations observed in patients",
]
ROWS = ["p.[Trp172Cys];[Trp172Cys] 25 -", "p.[splice donor variant];[splice donor variant] 9 -", "p.[Leu79Cysfs*3];[Trp172Cys] 4 -"]
REPEATS = 3


def pypdf_text(path: Path) -> list[str]:
    import pypdf

    return [p.extract_text() or "" for p in pypdf.PdfReader(path).pages]


def pdfminer_text(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")


def pymupdf_text(path: Path) -> list[str]:
    import pymupdf

    return [page.get_text() for page in pymupdf.open(path)]


LIBRARIES = {"pypdf": pypdf_text, "pdfminer.six": pdfminer_text, "PyMuPDF": pymupdf_text}


def flat(pages: list[str]) -> str:
    text = "\n".join(pages)
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)
    return re.sub(r"\s+", " ", text)


def main(paths: list[Path]) -> None:
    logging.disable(logging.WARNING)
    print(f"| library | variants intact | sentences whole | table rows on one line | seconds ({', '.join(p.name for p in paths)}) |")
    print("|---|---|---|---|---|")
    for name, read in LIBRARIES.items():
        try:
            read(paths[0])  # import and warm up
        except ImportError:
            print(f"| {name} | not installed | | | |")
            continue
        pages = {p: read(p) for p in paths}
        joined = " ".join(flat(v) for v in pages.values())
        lines = {line.strip() for v in pages.values() for page in v for line in page.splitlines()}
        seconds = []
        for path in paths:
            start = time.perf_counter()
            for _ in range(REPEATS):
                read(path)
            seconds.append(f"{(time.perf_counter() - start) / REPEATS:.2f}")
        variants = sum(v in joined for v in VARIANTS)
        order = sum(s in joined for s in ORDER)
        rows = sum(r in lines for r in ROWS)
        print(f"| {name} | {variants}/{len(VARIANTS)} | {order}/{len(ORDER)} | {rows}/{len(ROWS)} | {' / '.join(seconds)} |")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or sorted(FIXTURES.glob("*.pdf")))
