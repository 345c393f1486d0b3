"""genelit lexicon commands: where the HGNC lexicon comes from and refreshing it from HGNC."""
from __future__ import annotations

from typing import Annotated

import typer
from genelit.flows.cli.app import app, console

lexicon_app = typer.Typer(help="The HGNC gene lexicon the extractors use.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("info")
def info() -> None:
    """Print the active HGNC lexicon: source, version (date, rows, sha256) and counts."""
    from genelit.extractors import hgnc

    found = hgnc.lexicon_info()
    console.print(f"HGNC lexicon: {found.path}", highlight=False)
    console.print(f"  source   {found.source}", highlight=False)
    console.print(f"  version  {found.version}", highlight=False)
    console.print(f"  genes    {found.approved} approved, {found.withdrawn} withdrawn", highlight=False)


@lexicon_app.command("update")
def update(
    source: Annotated[
        str | None,
        typer.Option(help="URL or local file of an HGNC table (default: HGNC's published complete set)."),
    ] = None,
) -> None:
    """Rebuild the lexicon from HGNC into your data directory (used instead of the bundled copy).

    Offline, the command fails with exit code 1 and the current lexicon stays in place.
    """
    from genelit.extractors import hgnc

    found = hgnc.update_lexicon(source)
    console.print(f"updated HGNC lexicon: {found.version} -> {found.path}", highlight=False)
    console.print(f"  genes    {found.approved} approved, {found.withdrawn} withdrawn", highlight=False)

