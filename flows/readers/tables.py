"""Tables as rows: each body row rendered with its column headers, one passage per row.

Why "Header: value | Header: value" (``Patient: 2 | cDNA: c.274G>A | Zygosity: homozygous``) rather
than the headers once and the values after (``Patient | cDNA | Zygosity: 2 | c.274G>A | homozygous``):
each value stands next to the header that says what it is, so "Zygosity: homozygous" is read as a
zygosity cue about the row, and the cue component attaches it to the row's variant (checked on the
pipeline: ``Gene: GJB2 | Genotype: c.-23+1G>A | Zygosity: homozygous`` attaches homozygous to
c.-23+1G>A).  " | " rather than "; " between cells: with "; " the sentence splitter cut more rows in
two ("...; Protein: p." | "Val37Ile ..."), leaving the zygosity in the other half.  A row is a passage
of its own, so no sentence ever joins two rows.  Merged cells are
expanded: a ``rowspan`` value ("Patient 2" over two variant rows) is repeated in every row it covers.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Cell = tuple[str, int, int]  # text, colspan, rowspan
CELL_SEPARATOR = " | "
# A real table has at most a few dozen columns; a larger span is a malformed file, not a layout.
MAX_COLUMNS = 200


@dataclass(frozen=True)
class Grid:
    """A table with merged cells expanded: ``headers[c]`` names column ``c``; ``rows`` hold the values."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def from_rows(cls, head: Sequence[Sequence[Cell]], body: Sequence[Sequence[Cell]]) -> Grid:
        """Header rows (stacked headers are joined per column, "SNV/indel Pathogenic") and body rows."""
        head_grid = _expand(head)
        body_grid = _expand(body)
        if not head_grid and len(body_grid) > 1 and _looks_like_header(body[0]):
            head_grid, body_grid = body_grid[:1], body_grid[1:]
        width = max((len(r) for r in head_grid + body_grid), default=0)
        headers = []
        for column in range(width):
            words = [row[column] for row in head_grid if column < len(row) and row[column]]
            headers.append(" ".join(dict.fromkeys(words)))
        return cls(tuple(headers), tuple(tuple(row) for row in body_grid))


def _looks_like_header(row: Sequence[Cell]) -> bool:
    """A first row without numbers or variant-like values, e.g. ``Patient | Variant | Zygosity``."""
    texts = [text for text, _, _ in row if text]
    return len(texts) > 1 and not any(any(ch.isdigit() for ch in text) for text in texts)


def _expand(rows: Sequence[Sequence[Cell]]) -> list[list[str]]:
    """Rows with colspans repeated across columns and rowspans carried down into later rows."""
    grid: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for row in rows:
        out: list[str] = []
        cells = iter(row)
        column = 0
        while True:
            if column in carried:
                text, left = carried[column]
                out.append(text)
                carried[column] = (text, left - 1)
                if left - 1 <= 0:
                    del carried[column]
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, colspan, rowspan = cell
            for _ in range(min(colspan, MAX_COLUMNS - column)):
                if rowspan > 1:
                    carried[column] = (text, rowspan - 1)
                out.append(text)
                column += 1
            if column >= MAX_COLUMNS:
                break
        while column in carried:  # spans reaching past the row's own cells
            text, left = carried.pop(column)
            out.append(text)
            if left - 1 > 0:
                carried[column] = (text, left - 1)
            column += 1
        grid.append(out)
    return grid


def render_row(headers: Sequence[str], values: Sequence[str]) -> str:
    """``Header: value | Header: value`` for the non-empty values; a value under no header stands alone.

    A value repeated across merged columns is written once.
    """
    parts: list[str] = []
    seen: set[tuple[str, str]] = set()
    for column, value in enumerate(values):
        if not value:
            continue
        header = headers[column] if column < len(headers) else ""
        if (header, value) in seen or (not header and parts and parts[-1].endswith(value)):
            continue
        seen.add((header, value))
        parts.append(f"{header}: {value}" if header and header != value else value)
    return CELL_SEPARATOR.join(parts)


def render_rows(grid: Grid) -> Iterator[str]:
    for values in grid.rows:
        row = render_row(grid.headers, values)
        if row:
            yield row
