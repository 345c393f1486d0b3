"""Property tests of the PubTator reader and writer (PMID parsing and variant normalization have theirs
in ``test_pmids.py`` and ``test_variants.py``).

Users feed the reader files from many tools, so it must never crash on any text; and whatever the
writer writes, the reader must read back identically.
"""
from __future__ import annotations

import io

from genelit.extractors.pubtator import (
    Annotation,
    PubTatorDoc,
    parse_pubtator,
    write_pubtator,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# text that can sit in one PubTator field: no line breaks (the format is line-based), no tabs in
# annotation columns, no "|" needed to be escaped in titles (only the first two split a line)
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
field_text = st.text(st.characters(blacklist_characters=LINE_BREAKS, blacklist_categories=("Cs",)), max_size=80)
column_text = st.text(st.characters(blacklist_characters=LINE_BREAKS + "\t", blacklist_categories=("Cs",)), min_size=1, max_size=30)
pmids = st.integers(min_value=1, max_value=999_999_999).map(str)


@st.composite
def documents(draw: st.DrawFn) -> list[PubTatorDoc]:
    docs = []
    for pmid in draw(st.lists(pmids, unique=True, max_size=4)):
        title = draw(field_text.filter(lambda t: t.strip()))  # the title line opens a document
        abstract = draw(field_text)
        annotations = [
            Annotation(pmid, start, start + length, draw(column_text), draw(column_text), draw(st.one_of(st.just(""), column_text)))
            for start, length in draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 50)), max_size=5))
        ]
        docs.append(PubTatorDoc(pmid=pmid, title=title, abstract=abstract, annotations=annotations))
    return docs


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2_000))
def test_reader_never_crashes_on_arbitrary_text(text: str) -> None:
    for doc in parse_pubtator(io.StringIO(text)):
        assert doc.pmid.isascii() and doc.pmid.isdigit()
        assert all(a.start >= 0 and a.end >= 0 for a in doc.annotations)


# columns of annotation-shaped rows: any text, or digits of any script ("²", "٣") that str.isdigit accepts
odd_numbers = st.lists(st.sampled_from(["0", "7", "²", "³", "①", "٣", "७"]), min_size=1, max_size=3).map("".join)
row = st.builds("\t".join, st.lists(st.one_of(st.text(max_size=8), odd_numbers), max_size=7))


@settings(max_examples=300, deadline=None)
@given(pmids, st.lists(st.one_of(st.text(max_size=60), row), max_size=30))
def test_reader_never_crashes_on_annotation_shaped_lines(pmid: str, rows: list[str]) -> None:
    """After a valid title line, rows for the same PMID with arbitrary columns and odd digits."""
    lines = [f"{pmid}|t|A title"] + [f"{pmid}\t{r}" for r in rows]
    for doc in parse_pubtator(line + "\n" for line in lines):
        assert all(isinstance(a.start, int) and isinstance(a.end, int) for a in doc.annotations)


def _sorted(doc: PubTatorDoc) -> PubTatorDoc:
    annotations = sorted(doc.annotations, key=lambda a: (a.start, a.end, a.type))
    return PubTatorDoc(doc.pmid, doc.title, doc.abstract, annotations, doc.relations)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_write_then_read_round_trips(docs: list[PubTatorDoc]) -> None:
    buffer = io.StringIO()
    write_pubtator(docs, buffer)
    read = list(parse_pubtator(io.StringIO(buffer.getvalue())))
    assert [(d.pmid, d.title, d.abstract) for d in read] == [(d.pmid, d.title, d.abstract) for d in docs]
    assert [sorted(d.annotations, key=lambda a: (a.start, a.end, a.type)) for d in read] == [
        _sorted(d).annotations for d in docs
    ]
