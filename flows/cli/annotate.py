"""``genelit annotate``: the extraction pipeline over a PubTator corpus."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from genelit.flows.cli.app import app, console

from genelit.errors import InputError
from genelit.files import atomic_write


@app.command()
def annotate(
    input: Annotated[Path, typer.Option("--input", "-i", help="PubTator file: `PMID|t|title` and `PMID|a|abstract` lines (annotation lines are ignored).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the predictions (PubTator).")],
    profile: Annotated[str, typer.Option(
        "--profile", "-p",
        help="Annotation convention. 'biored' (default): BioRED style, a disease name is one mention "
             "('nevoid basal cell carcinoma syndrome'). 'hpo': HPO concept recognition as in GSC+, HPO "
             "phenotypes also inside disease names and longer phenotypes ('basal cell carcinoma').",
    )] = "biored",
) -> None:
    """Annotate a PubTator corpus with genelit's extractors.

    Writes `PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>id` lines with offsets over
    `title + " " + abstract`. Types: Gene (NCBI Gene id), Variant (canonical key, e.g. p.Val92Met),
    Disease (OMIM/ORPHA), Phenotype (HP id), Zygosity, Inheritance (HP id).

    Profiles (--profile) are named pipeline presets (extractors.annotate.PROFILES): 'biored' for
    BioRED-style disease/phenotype mentions, 'hpo' for HPO concept recognition (GSC+ style).

    Example: genelit annotate --input Dev.PubTator --output pred.PubTator

    Example: genelit annotate --profile hpo --input GSCplus.PubTator --output pred.PubTator
    """
    from genelit.extractors.annotate import PROFILES, annotate_docs, profile_config
    from genelit.extractors.pipeline import load_pipeline
    from genelit.extractors.pubtator import read_pubtator, write_pubtator

    try:
        config = profile_config(profile)
    except ValueError:
        raise InputError(f"unknown --profile {profile!r}; choose one of: {', '.join(PROFILES)}") from None
    if not input.is_file():
        raise InputError(f"input file not found: {input}")
    docs = read_pubtator(input)
    if not docs:
        raise InputError(f"no PubTator documents (PMID|t|title lines) found in {input}")
    output.parent.mkdir(parents=True, exist_ok=True)
    annotated = annotate_docs(docs, load_pipeline(config))

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as fh:
            write_pubtator(annotated, fh)

    atomic_write(output, write)
    console.print(f"annotated {len(docs)} documents ({profile} profile) → {output}")
