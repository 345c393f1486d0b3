"""``genelit export``, ``genelit summary`` and ``genelit review import``: getting evidence out of the
store for curators, and their spreadsheet decisions back in.

The work itself is done by pure functions in :mod:`outputs`; these commands only read the store,
call them, and write files atomically.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from genelit.flows.cli.app import app, console, console_err
from genelit.flows.cli.review import (
    CuratorOption,
    default_curator,
    open_store,
    review_app,
)
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.outputs.formats import FORMATS, resolve_format

from genelit.errors import InputError

# diseases named in the "no record matches --disease" message before a count of the rest
MAX_DISEASES_LISTED = 10
_FORMAT_HELP = f"One of {', '.join(FORMATS)}. Default: from the --out suffix."


@app.command("export")
def export(
    out: Path = typer.Option(..., "--out", "-o", help="File to write (replaced atomically).", dir_okay=False),
    fmt: str = typer.Option(None, "--format", "-f", help=_FORMAT_HELP),
    gene: str = typer.Option(None, "--gene", help="Only this gene (symbol or HGNC id)."),
    status: str = typer.Option(None, "--status", help="Only records with this status: "
                               + ", ".join(s.value for s in RecordStatus) + "."),
    pmid: str = typer.Option(None, "--pmid", help="Only records from this PubMed id."),
) -> None:
    """Export evidence records as a table, a review spreadsheet or an HTML review report.

    Columns and their meaning: see the `columns` sheet of an xlsx export or the README.

    Examples:

    * `genelit export --gene IGF1 --out igf1.csv` — evidence table (format from the suffix)

    * `genelit export --status draft --out review.xlsx` — review sheet with an accept/reject/edit
      drop-down; import it back with `genelit review import review.xlsx`

    * `genelit export --pmid 9401537 --format html --out report.html` — highlighted abstracts

    * `genelit export --format parquet --out all.parquet` — everything, for pandas/R
    """
    count = export_records(out, fmt, gene=gene, status=status, pmids=[pmid] if pmid else None)
    console.print(f"wrote {count} record(s) to {out} ({resolve_format(out, fmt)})", highlight=False)


def export_records(
    out: Path, fmt: str | None = None, *, gene: str | None = None, status: str | None = None,
    pmids: Sequence[str] | None = None,
) -> int:
    """Write the selected records from the store to ``out``; returns the number of rows."""
    from genelit.outputs.tables import write_table

    resolved = resolve_format(out, fmt)
    with open_store() as store:
        if pmids is None:
            records = store.list_records(gene=gene, status=status)
        else:
            records = [r for p in pmids for r in store.list_records(gene=gene, status=status, pmid=p)]
        articles = store.load_articles(list(dict.fromkeys(r.pmid for r in records))) if resolved == "html" else []
    return write_table(records, out, resolved, articles=articles)


@app.command("summary")
def summary(
    gene: str = typer.Option(..., "--gene", help="Gene symbol, e.g. IGF1."),
    out: Path = typer.Option(..., "--out", "-o", help="Markdown file to write.", dir_okay=False),
    disease: str = typer.Option(None, "--disease", help="Only records for this disease (id, or part of its name)."),
    include_drafts: bool = typer.Option(
        False, "--include-drafts", help="Also count unreviewed drafts (default: accepted and edited only)."
    ),
) -> None:
    """Draft a ClinGen-style gene–disease validity summary (Markdown) from the evidence records.

    The draft carries a provisional classification with every point traced to record ids
    (ClinGen Gene-Disease Validity SOP v11), inheritance, probands, variants with zygosity,
    HPO phenotypes, functional evidence and PMIDs.  It is marked MACHINE DRAFT: a curator must
    review it.

    Examples:

    * `genelit summary --gene IGF1 --out igf1_summary.md`

    * `genelit summary --gene IGF1 --disease "growth delay" --include-drafts --out draft.md`

    Exit codes: 0 written; 2 no record of the gene, or none about `--disease` (the diseases there are
    are listed); 3 the store is unusable or does not exist.
    """
    from genelit.outputs.summary import draft_summary, matches_disease
    from genelit.outputs.tables import write_atomically

    with open_store() as store:
        records = store.list_records(gene=gene)
    if not records:
        raise InputError(f"no evidence records for gene {gene!r}: run `genelit run` first, or check the symbol")
    if disease and not matches_disease(records, disease):
        raise InputError(f"no {gene.upper()} record is about a disease matching {disease!r}: "
                         + unmatched_disease_hint(records))
    text = draft_summary(gene, records, disease=disease, include_drafts=include_drafts)
    write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    console.print(f"wrote draft summary for {gene.upper()} to {out}", highlight=False)


def unmatched_disease_hint(records: Sequence[EvidenceRecord]) -> str:
    """What to give ``--disease`` instead: the diseases the gene's records name, or that none names one."""
    from genelit.outputs.summary import disease_names

    names = disease_names(records)
    if not names:
        return f"none of its {len(records)} record(s) names a disease; leave out --disease"
    shown = names[:MAX_DISEASES_LISTED]
    more = f" and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    return f"its records name {'; '.join(shown)}{more} (give an id or part of a name)"


@review_app.command("import")
def review_import(
    path: Path = typer.Argument(..., help="The reviewed .xlsx (from `genelit export --format xlsx`).", dir_okay=False),
    curator: str = CuratorOption,
) -> None:
    """Apply the decisions of a reviewed spreadsheet: all rows or none.

    Fill the `decision` column with accept, reject or edit (case and spaces do not matter; empty =
    not reviewed), optionally a `note`.  For `edit`, change the cells themselves (zygosity, hgvs_c,
    phenotypes_hpo ...); only cells you changed are checked and applied, so a value the pipeline
    wrote that the checks would refuse (noted when you edit its record) never blocks your edit.  Any
    bad row (typo in a decision, unknown record id, invalid value, a formula) stops the import and
    every bad row is listed by its spreadsheet row number.

    Example: `genelit review import reviewed.xlsx --curator "J. Doe"`
    """
    # here, not at the top: the checks load the extractors' lexicons (spaCy), which every other command skips
    from genelit.outputs.edits import checked_decisions
    from genelit.outputs.xlsx import invalid_stored_values, read_decisions

    with open_store() as store:
        by_id = {r.record_id: r for r in store.list_records()}
        # only the cells the curator changed are parsed (read_decisions) and checked against the lexicons
        decisions = checked_decisions(read_decisions(path, known_record_ids=by_id.keys(), stored=by_id), by_id, path.name)
        applied = store.apply_decisions(decisions, default_curator(curator))
        # what the curator typed was checked; what is still invalid is the pipeline's, left untouched
        edits = [d for d in decisions if d.decision == "edit"]
        untouched = invalid_stored_values([store.get_record(d.record_id) for d in edits])
    console.print(f"applied {applied} decision(s) from {path.name}", highlight=False)
    for d in edits:
        if d.record_id in untouched:
            console_err.print(f"note: row {d.row}: kept as stored, not as a curator may type it: "
                              + "; ".join(untouched[d.record_id]), highlight=False)
