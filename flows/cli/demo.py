"""``genelit demo``: the whole job end to end on a real PubMed record, online or offline."""
from __future__ import annotations

import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from genelit.flows.cli.app import app, console
from genelit.flows.cli.options import ENGINE_HELP, checked_engine
from genelit.flows.cli.run import print_summary
from genelit.models.evidence import EvidenceRecord
from rich.text import Text

from genelit.config import printable_db_url, settings
from genelit.errors import GenelitError
from genelit.files import atomic_write_text


def eutils_reachable(base_url: str, timeout: float = 5.0) -> bool:
    """True when the E-utilities endpoint answers at all (any HTTP status counts as reachable)."""
    try:
        with urllib.request.urlopen(f"{base_url}/einfo.fcgi?db=pubmed", timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def print_records(records: list[EvidenceRecord]) -> None:
    """One block per record: readable at any terminal width (a wide table is not)."""
    console.rule("Draft evidence records — machine drafts for curator review")
    for r in records:
        variant = r.hgvs_c or r.variant_key or r.variant or "no variant (gene-level)"
        if r.hgvs_p and r.hgvs_p != variant:
            variant += f" ({r.hgvs_p})"
        console.print(Text.assemble(
            (r.gene_symbol, "bold"), f" ({r.hgnc_id or '?'}) · {variant} · "
            f"{r.zygosity or 'zygosity ?'} · PMID {r.pmid} · confidence {r.confidence:.2f} · id {r.record_id[:8]}"
        ))
        details = [
            ("inheritance", r.inheritance),
            ("consanguinity", "yes" if r.consanguinity else None),
            ("probands", str(r.proband_count) if r.proband_count else None),
            ("phenotypes", "; ".join(f"{p.hpo_id} {p.label}" for p in r.phenotypes)),
            ("functional", ", ".join(sorted({f.category.value for f in r.functional_evidence}))),
            ("evidence", f"\"{r.evidence[0].text}\"" if r.evidence else None),
        ]
        for label, value in details:
            if value:
                console.print(Text.assemble("  ", (f"{label}:", "dim"), f" {value}"))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo's table, report and summary.")] = Path("genelit-demo"),
    pmids: Annotated[str, typer.Option("--pmids", help="PMIDs to run (default: the bundled IGF1 case report).")] = "9401537",
    offline: Annotated[bool, typer.Option("--offline", help="Do not try NCBI; serve the bundled records.")] = False,
    engine: Annotated[str, typer.Option("--engine", help=ENGINE_HELP)] = "",
) -> None:
    """Run the main job on a real PubMed record: fetch → extract → draft → store → table, report, summary.

    Uses NCBI E-utilities when reachable; otherwise (or with `--offline`) it serves the bundled real
    PubMed records through the same Entrez client via an in-process loopback replay of E-utilities.
    The drafts go into your evidence store (`$GENELIT_DB_URL`, else the default store), the one every
    other command reads, so `genelit review list --gene IGF1` finds them afterwards; a record you have
    already reviewed is never changed by it.  The table, report and summary go to `--out`.
    """
    from genelit.flows.cli.export import export_records
    from genelit.flows.cli.offline import serve_bundled_records
    from genelit.flows.pmids import parse_pmids
    from genelit.flows.pubmed_flow import run_pmids
    from genelit.models.store import Store
    from genelit.outputs.summary import draft_summary

    pmid_list = parse_pmids([pmids])
    engine = checked_engine(engine)
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        base = settings().eutils_url
        if offline or not eutils_reachable(base):
            url = serve_bundled_records(stack)
            console.print(f"NCBI not used ({'--offline' if offline else base + ' unreachable'}): "
                          f"serving the bundled PubMed records from {url}", highlight=False)
        else:
            console.print(f"fetching from NCBI E-utilities at {base}", highlight=False)
        summary = run_pmids(pmid_list, engine=engine)  # type: ignore[arg-type]
    print_summary(summary)
    db_url = settings().db_url
    with Store(db_url) as store:
        records = [r for p in pmid_list for r in store.list_records(pmid=p)]
    print_records(records)
    written = [out / "drafts.csv", out / "report.html"]
    for path in written:
        export_records(path, pmids=pmid_list)
    genes = list(dict.fromkeys(r.gene_symbol for r in records))
    if genes:
        gene = genes[0]
        summary_path = out / f"{gene}_summary.md"
        atomic_write_text(summary_path, draft_summary(gene, [r for r in records if r.gene_symbol == gene], include_drafts=True))
        written.append(summary_path)
    console.print("wrote " + ", ".join(str(p) for p in written), highlight=False)
    print_next_steps(db_url, records)
    if not summary.ok:
        raise GenelitError("some PMIDs could not be fetched")


def print_next_steps(db_url: str, records: list[EvidenceRecord]) -> None:
    """Where the drafts are and the everyday commands that pick them up."""
    console.print(f"the drafts are in your evidence store {printable_db_url(db_url)} (GENELIT_DB_URL)", highlight=False)
    if not records:
        return
    console.print("next, for example:")
    first = records[0]
    for command in (
        f"genelit review list --gene {first.gene_symbol}",
        f"genelit review show {first.record_id[:8]}",
        f"genelit review accept {first.record_id[:8]} --note \"checked\"",
    ):
        console.print(f"  {command}", highlight=False)
