"""``genelit review``: list, inspect, accept, reject and edit draft evidence records.

Decisions are written to the evidence store with the curator's name and an audit trail; a later
re-run of extraction never overwrites them (see :mod:`models.store`).
"""
from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import typer
from genelit.flows.cli.app import app, console, print_table, print_unwrapped
from genelit.models.evidence import EvidenceRecord, EvidenceSentence
from genelit.models.review import AuditEntry
from rich import box
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from genelit.config import settings

if TYPE_CHECKING:
    from genelit.models.store import Store

SHORT_ID = 8
HIGHLIGHT_STYLES = {
    "gene": "bold magenta",
    "variant": "bold red",
    "zygosity": "bold cyan",
    "inheritance": "bold blue",
    "phenotype": "green",
    "disease": "yellow",
}
STATUS_STYLES = {"draft": "dim", "accepted": "green", "rejected": "red", "edited": "cyan"}

review_app = typer.Typer(
    name="review",
    help=(
        "Review draft evidence records: list them, show one with its evidence sentences, then "
        "accept, reject or edit it.\n\n"
        "Record ids may be shortened to their first 6+ characters. Your name is taken from "
        "`--curator`, else `$GENELIT_CURATOR`, else your login name."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(review_app, name="review")

RecordId = typer.Argument(..., help="Record id, or its first 6+ characters (as shown by `review list`).")
NoteOption = typer.Option(None, "--note", help="Why you decided this; kept with the record and in its history.")
CuratorOption = typer.Option(
    None, "--curator", help="Your name for the audit trail [default: $GENELIT_CURATOR or your login name]."
)


def default_curator(explicit: str | None) -> str:
    """The curator to credit: ``--curator``, else ``$GENELIT_CURATOR``, else the OS user."""
    if explicit and explicit.strip():
        return explicit.strip()
    from_env = os.environ.get("GENELIT_CURATOR", "").strip()
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


@contextmanager
def open_store() -> Iterator[Store]:
    """The configured store for commands that read or review what is in it: never created here, so a
    mistyped ``GENELIT_DB_URL`` or a first command before any run says the store does not exist."""
    from genelit.models.store import Store

    store = Store(settings().db_url, create=False)
    try:
        yield store
    finally:
        store.close()


def short_id(record_id: str) -> str:
    return record_id[:SHORT_ID]


def variant_label(record: EvidenceRecord) -> str:
    return record.variant_key or record.hgvs_p or record.hgvs_c or record.variant or "—"


def highlighted_sentence(sentence: EvidenceSentence) -> Text:
    """The sentence with its gene/variant/zygosity/phenotype spans styled.

    Highlight offsets point into ``Article.text`` like the sentence's own ``start``, so they are
    shifted to the sentence and clipped to it.
    """
    text = Text(sentence.text)
    for start, end, kind in sentence.highlights:
        rel_start = max(start - sentence.start, 0)
        rel_end = min(end - sentence.start, len(sentence.text))
        if rel_start < rel_end:
            text.stylize(HIGHLIGHT_STYLES.get(kind, "underline"), rel_start, rel_end)
    return text


def legend() -> Text:
    parts = [Text(kind, style=style) for kind, style in HIGHLIGHT_STYLES.items()]
    return Text("highlights: ").append(Text("  ").join(parts))


def format_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def record_fields(record: EvidenceRecord) -> Table:
    """All fields of the record that have a value, in model order (evidence sentences shown apart)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    data = record.model_dump(mode="json", exclude={"evidence"})
    for name, value in data.items():
        if name == "phenotypes":
            value = ", ".join(f"{p['label']} ({p['hpo_id']})" for p in value) or None
        elif name == "functional_evidence":
            value = "; ".join(f"{c['category']}: {c['text']}" for c in value) or None
        grid.add_row(name, format_value(value))
    return grid


def pending_table(current: EvidenceRecord, pending: EvidenceRecord) -> Table:
    """Field-by-field comparison of the reviewed record and the newer extraction."""
    table = Table(title="Newer extraction disagrees (pending update)", title_style="bold yellow")
    table.add_column("field", style="bold")
    table.add_column("reviewed record")
    table.add_column("newer extraction")
    ignore = {"status", "curator", "note", "created_at", "updated_at", "pipeline_version", "lexicon_version"}
    before, after = current.model_dump(mode="json"), pending.model_dump(mode="json")
    for name in after:
        if name not in ignore and before.get(name) != after[name]:
            table.add_row(name, format_value(before.get(name)), format_value(after[name]))
    return table


def history_lines(entries: list[AuditEntry]) -> list[Text]:
    """One heading per decision (when, who, what, note) followed by its field changes, before -> after.

    Lines rather than a table so long values and notes wrap at word boundaries in narrow terminals.
    """
    lines: list[Text] = []
    previous: tuple[object, ...] | None = None
    for e in entries:
        decision = (e.at, e.curator, e.action, e.via, e.note)
        if decision != previous:
            heading = Text(f"{e.at:%Y-%m-%d %H:%M:%S} UTC  ", style="dim")
            heading.append(e.curator, style="bold").append(f"  {e.action}")
            if e.via != "review":
                heading.append(f" ({e.via})")
            if e.note:
                heading.append(f"  “{e.note}”", style="italic")
            lines.append(heading)
            previous = decision
        lines.append(Text(f"    {e.field}: {format_value(e.before)} → {format_value(e.after)}"))
    return lines


def print_history(entries: list[AuditEntry]) -> None:
    console.print(Text("History", style="bold underline"))
    for line in history_lines(entries):
        console.print(line)


@review_app.command("list")
def list_records(
    gene: str = typer.Option(None, "--gene", help="Gene symbol (any case) or HGNC id, e.g. IGF1 or HGNC:5464."),
    status: str = typer.Option(
        None, "--status", help="draft, accepted, rejected, edited, or retired (drafts a newer run no longer finds)."
    ),
    pmid: str = typer.Option(None, "--pmid", help="Only records from this PubMed id."),
) -> None:
    """List evidence records as a table; ⚑ marks reviewed records whose newer extraction disagrees."""
    with open_store() as store:
        records = store.list_records(gene=gene, status=status, pmid=pmid)
        flagged = store.records_with_updates()
    if not records:
        console.print("no evidence records match", highlight=False)
        return
    table = Table(title=f"{len(records)} evidence record(s)", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("pmid", no_wrap=True)
    table.add_column("gene", no_wrap=True)
    table.add_column("variant")
    table.add_column("zygosity")
    table.add_column("conf.", justify="right")
    table.add_column("update", no_wrap=True)
    for r in records:
        table.add_row(
            short_id(r.record_id),
            Text(r.status.value, style=STATUS_STYLES.get(r.status.value, "")),
            r.pmid,
            r.gene_symbol,
            variant_label(r),
            r.zygosity or "—",
            f"{r.confidence:.2f}",
            Text("⚑ newer", style="bold yellow") if r.record_id in flagged else "",
        )
    print_table(table)


@review_app.command("show")
def show(record_id: str = RecordId) -> None:
    """Show every field of a record, its evidence sentences (highlighted), any pending update, and its history."""
    with open_store() as store:
        record = store.get_record(record_id)
        pending = store.pending_extraction(record.record_id)
        entries = store.audit_trail(record.record_id)
    title = Text(f"{record.record_id}  {record.gene_symbol} {variant_label(record)}  PMID {record.pmid}  ")
    title.append(record.status.value, style=STATUS_STYLES.get(record.status.value, ""))
    panel = Panel(record_fields(record), title=title, title_align="left")
    if not print_unwrapped(panel):
        console.print(panel)
    if record.evidence:
        console.print(legend())
        for i, sentence in enumerate(record.evidence, 1):
            where = Text(f"[{sentence.citation}] ", style="dim") if sentence.citation else Text("")
            console.print(Text(f"{i}. ").append(where).append(highlighted_sentence(sentence)))
    else:
        console.print("no evidence sentences stored", style="dim")
    if pending is not None:
        print_table(pending_table(record, pending))
        console.print(
            "Accepting, rejecting or editing this record dismisses the pending update "
            "(use `review edit` to take over its values).",
            style="yellow",
        )
    if entries:
        print_history(entries)


def _decide(record_id: str, decision: Literal["accept", "reject"], note: str | None, curator: str | None) -> None:
    with open_store() as store:
        record = store.review(record_id, decision, default_curator(curator), note)
    console.print(
        f"{short_id(record.record_id)} {record.gene_symbol} {variant_label(record)} (PMID {record.pmid}): "
        f"{record.status.value} by {record.curator}",
        highlight=False,
    )


@review_app.command("accept")
def accept(record_id: str = RecordId, note: str = NoteOption, curator: str = CuratorOption) -> None:
    """Accept a record as valid evidence.  A later re-run will not change it."""
    _decide(record_id, "accept", note, curator)


@review_app.command("reject")
def reject(record_id: str = RecordId, note: str = NoteOption, curator: str = CuratorOption) -> None:
    """Reject a record (wrong gene/variant, not case-level evidence...).  A later re-run will not revive it."""
    _decide(record_id, "reject", note, curator)


def _field(help_text: str) -> Any:
    return typer.Option(None, help=help_text + " Pass \"\" to clear.")


@review_app.command("edit")
def edit(
    record_id: str = RecordId,
    zygosity: str = _field("e.g. heterozygous, homozygous, compound heterozygous, hemizygous."),
    inheritance: str = _field("e.g. autosomal recessive."),
    inheritance_hpo: str = _field("HPO id of the mode of inheritance, e.g. HP:0000007."),
    hgvs_c: str = _field("Coding HGVS, e.g. c.274G>A."),
    hgvs_p: str = _field("Protein HGVS, e.g. p.Val92Met."),
    hgvs_g: str = _field("Genomic HGVS."),
    variant_key: str = _field("Canonical variant key."),
    variant_class: str = _field("null, missense, in-frame, splice, copy-number or other."),
    rsid: str = _field("dbSNP id, e.g. rs121913529."),
    gene_symbol: str = _field("HGNC gene symbol."),
    hgnc_id: str = _field("HGNC id, e.g. HGNC:5464."),
    disease_id: str = _field("MONDO/OMIM/Orphanet id, e.g. OMIM:608747."),
    disease_label: str = _field("Disease name."),
    proband_count: str = _field("Number of probands."),
    family_count: str = _field("Number of families."),
    segregation: str = _field("e.g. segregates, de_novo."),
    consanguinity: str = _field("true or false."),
    note: str = NoteOption,
    curator: str = CuratorOption,
) -> None:
    """Correct fields of a record; its status becomes `edited` and each change is kept in its history.

    Values are checked as in `review import` and the web app: HGVS by genelit's variant grammar, an
    approved HGNC symbol (its ids follow), an inheritance HPO names (its HPO id follows), listed disease ids.

    Example: `genelit review edit 3f2a9c --zygosity heterozygous --hgvs-c "c.274G>A" --note "per Table 2"`
    """
    given = {
        "zygosity": zygosity, "inheritance": inheritance, "inheritance_hpo": inheritance_hpo,
        "hgvs_c": hgvs_c, "hgvs_p": hgvs_p, "hgvs_g": hgvs_g, "variant_key": variant_key,
        "variant_class": variant_class, "rsid": rsid, "gene_symbol": gene_symbol, "hgnc_id": hgnc_id,
        "disease_id": disease_id, "disease_label": disease_label, "proband_count": proband_count,
        "family_count": family_count, "segregation": segregation, "consanguinity": consanguinity,
    }
    # here, not at the top: the checks load the extractors' lexicons (spaCy), which every other command skips
    from genelit.outputs.edits import validated_edit

    with open_store() as store:
        current = store.get_record(record_id)
        changes = validated_edit({name: value.strip() for name, value in given.items() if value is not None}, current)
        record = store.edit(current.record_id, changes, default_curator(curator), note)
    console.print(
        f"{short_id(record.record_id)} edited by {record.curator}: "
        + ", ".join(f"{k}={format_value(getattr(record, k))}" for k in changes),
        highlight=False,
    )


@review_app.command("history")
def history(record_id: str = RecordId) -> None:
    """Show who changed what in a record, when, from what to what, and why."""
    with open_store() as store:
        record = store.get_record(record_id)
        entries = store.audit_trail(record.record_id)
    if not entries:
        console.print(f"{short_id(record.record_id)} has not been reviewed yet", highlight=False)
        return
    print_history(entries)
