"""The root Typer application shared by every command module, its consoles and table layout."""
from __future__ import annotations

import os

import typer
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

app = typer.Typer(
    name="genelit",
    help=(
        "Literature mining for genetic curation.\n\n"
        "Fetches PubMed abstracts by PMID through NCBI Entrez, extracts genes, variants (HGVS), "
        "zygosity, inheritance and HPO phenotypes, and stores draft evidence records for curators "
        "to accept, reject or edit.\n\n"
        "Start with `genelit demo` (offline), then `genelit run --pmids 9401537`."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
# markup off: what genelit prints quotes user input, file names and paper text ("c.[76A>C]", "[/]"),
# which must appear as written; styles are applied with Text and style= instead
console = Console(markup=False)
console_err = Console(stderr=True, markup=False)
# A terminal wraps long lines at its width, between words.  A pipe or a file has no width: rich would
# hard-wrap at 80 columns there, splitting one message or one row over several lines; keep them whole.
for _console in (console, console_err):
    _console.soft_wrap = not _console.is_terminal

# wider than any table genelit prints: measuring at this width gives a table's natural width
UNBOUNDED_WIDTH = 100_000


def print_unwrapped(renderable: RenderableType, out: Console = console) -> bool:
    """In a pipe or a file, print ``renderable`` at its natural width (one line per row, however wide) and
    return True; on a terminal print nothing and return False (the caller fits it to the terminal)."""
    if out.is_terminal:
        return False
    natural = Measurement.get(out, out.options.update(max_width=UNBOUNDED_WIDTH), renderable)
    Console(file=out.file, width=natural.maximum, soft_wrap=True, no_color=out.no_color).print(renderable)
    return True


def print_table(table: Table, out: Console = console) -> None:
    """Print ``table`` so that no word is broken across lines.

    On a terminal: as a table when the longest word of every column fits side by side within its width,
    else one paragraph per row (``column value · column value ...``), which wraps between fields.  In a
    pipe or a file: as a table at its natural width (:func:`print_unwrapped`).
    """
    if print_unwrapped(table, out):
        return
    if Measurement.get(out, out.options.update(max_width=UNBOUNDED_WIDTH), table).minimum <= out.width:
        out.print(table)
        return
    if table.title:
        out.print(table.title, style=table.title_style or "bold", highlight=False)
    for row in zip(*(column.cells for column in table.columns)):
        fields = [
            Text.assemble((str(column.header), "dim"), " ", cell if isinstance(cell, Text) else Text(str(cell)))
            for column, cell in zip(table.columns, row)
            if str(cell)
        ]
        for line in _packed(fields, out.width):
            out.print(line, overflow="fold")


FIELD_SEPARATOR = " · "
CONTINUATION_INDENT = "  "  # a row's later lines are indented, so each row starts at the margin


def _packed(fields: list[Text], width: int) -> list[Text]:
    """``fields`` joined into lines of at most ``width`` cells, a field (``column value``) never split
    between lines unless it is longer than a line by itself."""
    lines: list[Text] = []
    for field in fields:
        if lines and lines[-1].cell_len + len(FIELD_SEPARATOR) + field.cell_len <= width:
            lines[-1].append(FIELD_SEPARATOR).append_text(field)
        else:
            lines.append(Text(CONTINUATION_INDENT if lines else "").append_text(field))
    return lines


@app.callback()
def main_options(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own log lines (INFO) too."),
) -> None:
    """Options for every command."""
    if verbose:
        os.environ["GENELIT_VERBOSE"] = "1"
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    else:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
