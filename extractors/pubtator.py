"""PubTator format reader and writer.

A document is ``PMID|t|title`` and ``PMID|a|abstract`` lines followed by annotation lines
``PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>id`` (offsets over ``title + " " + abstract``) and,
in BioRED, relation lines ``PMID<TAB>RelType<TAB>id1<TAB>id2<TAB>Novel``; documents are separated by a
blank line.  The reader is tolerant (unknown lines are skipped, never crash) because users feed it files
from many tools.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

# PMIDs and offsets are ASCII digits: str.isdigit() also accepts "²" or "①", which int() then rejects
_OFFSET = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Annotation:
    pmid: str
    start: int
    end: int
    text: str
    type: str
    concept_id: str = ""


@dataclass
class PubTatorDoc:
    pmid: str
    title: str = ""
    abstract: str = ""
    annotations: list[Annotation] = field(default_factory=list)
    relations: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """``title + " " + abstract``: the text all offsets refer to."""
        return f"{self.title} {self.abstract}"


def parse_pubtator(lines: Iterable[str]) -> Iterator[PubTatorDoc]:
    """Parse PubTator lines into documents (annotations kept; a malformed line is skipped)."""
    doc: PubTatorDoc | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        head = line.split("|", 2)
        if len(head) == 3 and head[1] in ("t", "a") and _OFFSET.fullmatch(head[0].strip()):
            pmid = head[0].strip()
            if doc is None or doc.pmid != pmid or (head[1] == "t" and doc.title):
                if doc is not None:
                    yield doc
                doc = PubTatorDoc(pmid=pmid)
            if head[1] == "t":
                doc.title = head[2]
            else:
                doc.abstract = head[2]
            continue
        cols = line.split("\t")
        if doc is None or cols[0] != doc.pmid:
            continue
        if len(cols) >= 5 and _OFFSET.fullmatch(cols[1]) and _OFFSET.fullmatch(cols[2]):
            doc.annotations.append(
                Annotation(doc.pmid, int(cols[1]), int(cols[2]), cols[3], cols[4], cols[5] if len(cols) > 5 else "")
            )
        elif len(cols) >= 4:
            doc.relations.append(tuple(cols[1:]))
    if doc is not None:
        yield doc


def read_pubtator(path: str | Path) -> list[PubTatorDoc]:
    """Read a PubTator file (UTF-8; undecodable bytes replaced rather than crashing)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return list(parse_pubtator(fh))


def write_pubtator(docs: Iterable[PubTatorDoc], fh: IO[str]) -> None:
    """Write documents with their annotations, sorted by offset, blank line between documents."""
    for doc in docs:
        fh.write(f"{doc.pmid}|t|{doc.title}\n{doc.pmid}|a|{doc.abstract}\n")
        for a in sorted(doc.annotations, key=lambda a: (a.start, a.end, a.type)):
            fh.write(f"{doc.pmid}\t{a.start}\t{a.end}\t{a.text}\t{a.type}\t{a.concept_id}\n")
        fh.write("\n")
