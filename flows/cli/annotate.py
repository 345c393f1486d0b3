"""``genelit annotate``: the extraction pipeline over a PubTator or BioC corpus."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from genelit.flows.cli.app import app, console

from genelit.errors import InputError
from genelit.files import atomic_write, atomic_write_text


@app.command()
def annotate(
    input: Annotated[Path, typer.Option(
        "--input", "-i",
        help="PubTator file (`PMID|t|title` and `PMID|a|abstract` lines), BioC XML or BioC JSON (PubTator3's "
             "export), told apart by content. Annotations in it are ignored.",
    )],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the predictions (format: see --format).")],
    profile: Annotated[str, typer.Option(
        "--profile", "-p",
        help="Annotation convention. 'biored' (default): BioRED style, a disease name is one mention "
             "('nevoid basal cell carcinoma syndrome'). 'hpo': HPO concept recognition as in GSC+, HPO "
             "phenotypes also inside disease names and longer phenotypes ('basal cell carcinoma').",
    )] = "biored",
    format: Annotated[str, typer.Option(
        "--format", "-f",
        help="Output format: 'pubtator', 'bioc-xml' or 'bioc-json'. 'auto' (default): by the output's suffix "
             "(.xml BioC XML, .json BioC JSON, .pubtator/.txt PubTator), else the input's own format.",
    )] = "auto",
) -> None:
    """Annotate a PubTator or BioC corpus with genelit's extractors.

    PubTator output: `PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>id` lines with offsets over
    `title + " " + abstract`. BioC output: the input documents with genelit's annotations (infons `type`
    and `identifier`, offsets into the passage texts) in place of the ones they had. Types: Gene (NCBI
    Gene id), Variant (canonical key, e.g. p.Val92Met), Disease (OMIM/ORPHA), Phenotype (HP id),
    Zygosity, Inheritance (HP id).

    Profiles (--profile) are named pipeline presets (extractors.annotate.PROFILES): 'biored' for
    BioRED-style disease/phenotype mentions, 'hpo' for HPO concept recognition (GSC+ style).

    Example: genelit annotate --input Dev.PubTator --output pred.PubTator

    Example: genelit annotate --input pubtator3_export.json --output annotated.json

    Example: genelit annotate --profile hpo --input GSCplus.PubTator --output pred.PubTator
    """
    from genelit.extractors.annotate import PROFILES, annotate_docs, profile_config
    from genelit.extractors.pipeline import load_pipeline
    from genelit.extractors.pubtator import read_pubtator, write_pubtator
    from genelit.flows.annotate_files import (
        FORMAT_NAMES,
        annotate_bioc,
        bioc_from_pubtator,
        converted,
        dump_bioc,
        output_format,
        pubtator_from_bioc,
        read_bioc,
        sniff_format,
    )

    try:
        config = profile_config(profile)
    except ValueError:
        raise InputError(f"unknown --profile {profile!r}; choose one of: {', '.join(PROFILES)}") from None
    if not input.is_file():
        raise InputError(f"input file not found: {input}")
    try:
        data = input.read_bytes()
    except OSError as exc:
        raise InputError(f"{input}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    source = sniff_format(data)
    target = output_format(format, output, source)
    if source == "pubtator":
        docs = read_pubtator(input)
        if not docs:
            raise InputError(f"no PubTator documents (PMID|t|title lines) found in {input}")
        bioc = None if target == "pubtator" else bioc_from_pubtator(docs, target)
    else:
        bioc = read_bioc(data, input.name, source)
        if target == "pubtator":
            docs, bioc = pubtator_from_bioc(bioc, input.name), None
        elif target != source:
            bioc = converted(bioc, target)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp = load_pipeline(config)
    if bioc is None:
        annotated = annotate_docs(docs, nlp)

        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8") as fh:
                write_pubtator(annotated, fh)

        atomic_write(output, write)
        console.print(f"annotated {len(docs)} documents ({profile} profile) → {output}")
        return
    written = annotate_bioc(bioc, nlp)
    atomic_write_text(output, dump_bioc(bioc))
    console.print(f"annotated {len(bioc.documents)} documents, {written} annotations ({profile} profile, "
                  f"{FORMAT_NAMES[target]}) → {output}")
