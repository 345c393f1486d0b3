"""The root Typer application shared by every command module."""
from __future__ import annotations

import os

import typer
from rich.console import Console

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
console = Console()
console_err = Console(stderr=True)


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
