"""Store throughput: evidence records/s through ``Store.upsert_drafts`` on SQLite and PostgreSQL.

Records are realistic drafts built from BioRED gold annotations (gene symbols and NCBI ids, variants,
evidence sentences, phenotypes), 2-5 per PMID as the extractors produce, written one paper per call
exactly as ``flows.steps.persist_step`` does.  Two passes per backend: the first creates every record,
the second re-upserts the same records unchanged (a re-run of the pipeline over the same papers).

PostgreSQL runs in a scratch schema (``search_path``) that is dropped afterwards.

Run: ``python benchmarks/bench_store.py [--records 10000] [--runs 3] [--postgres URL | --no-postgres]``
"""
from __future__ import annotations

import argparse
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from common import Timing, corpus_docs, report, scratch_dir, table
from genelit.extractors.pubtator import PubTatorDoc
from genelit.models.evidence import EvidenceRecord, EvidenceSentence, Phenotype
from genelit.models.store import Store

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _records_for(doc: PubTatorDoc, pmid: str, rng: random.Random) -> list[EvidenceRecord]:
    """2-5 drafts for one paper: its annotated genes paired with its variants (or gene-level)."""
    text = doc.text
    genes = list(dict.fromkeys(a.text[:20] for a in doc.annotations if a.type == "GeneOrGeneProduct")) or ["GENE1"]
    variants = list(dict.fromkeys(a.text for a in doc.annotations if a.type == "SequenceVariant")) or [None]
    diseases = [a for a in doc.annotations if a.type == "DiseaseOrPhenotypicFeature"]
    sentence_end = text.find(". ") + 1 or len(text)
    records = []
    for i in range(rng.randint(2, 5)):
        gene = genes[i % len(genes)]
        variant = variants[i % len(variants)]
        key = f"{variant}#{i}" if variant else (None if i == 0 else f"gene-level#{i}")
        records.append(
            EvidenceRecord(
                record_id=EvidenceRecord.make_id(pmid, gene, key),
                pmid=pmid, title=doc.title, year=2000 + i, journal="J Med Genet",
                gene_symbol=gene, hgnc_id=f"HGNC:{1000 + i}", ncbi_gene_id=str(1000 + i),
                variant=variant, variant_key=key, hgvs_p=variant,
                zygosity=rng.choice(["homozygous", "heterozygous", None]),
                inheritance=rng.choice(["autosomal_recessive", "autosomal_dominant", None]),
                disease_label=diseases[0].text if diseases else None,
                phenotypes=[Phenotype(hpo_id=f"HP:{1000 + j:07d}", label=d.text) for j, d in enumerate(diseases[:4])],
                proband_count=rng.choice([1, 2, 3, None]),
                evidence=[EvidenceSentence(text=text[:sentence_end], start=0, end=sentence_end, highlights=[(0, 5, "gene")])],
                confidence=0.55, confidence_reasons=["variant and gene in the same sentence"],
                pipeline_version="0.1.0", lexicon_version="bench",
            )
        )
    return records


def workload(total: int, seed: int = 7) -> dict[str, list[EvidenceRecord]]:
    """About ``total`` records (exactly, after trimming the last paper), keyed by PMID."""
    rng = random.Random(seed)
    docs = corpus_docs()
    drafts: dict[str, list[EvidenceRecord]] = {}
    count = 0
    i = 0
    while count < total:
        doc = docs[i % len(docs)]
        pmid = doc.pmid if i < len(docs) else f"7{i:08d}"
        records = _records_for(doc, pmid, rng)[: total - count]
        drafts[pmid] = records
        count += len(records)
        i += 1
    return drafts


def upsert_all(store: Store, drafts: dict[str, list[EvidenceRecord]]) -> tuple[float, dict[str, int]]:
    """Upsert paper by paper (as ``persist_step`` does); wall time and summed outcome counts."""
    totals = dict.fromkeys(("created", "updated", "unchanged", "conflicts", "retired"), 0)
    start = time.perf_counter()
    for pmid, records in drafts.items():
        summary = store.upsert_drafts(pmid, records)
        for name in totals:
            totals[name] += getattr(summary, name)
    return time.perf_counter() - start, totals


@contextmanager
def postgres_scratch(url: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped (with everything in it) on exit."""
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(url_for_run: callable, drafts: dict[str, list[EvidenceRecord]], runs: int) -> tuple[Timing, Timing, dict, dict]:
    first: list[float] = []
    again: list[float] = []
    counts_first: dict[str, int] = {}
    counts_again: dict[str, int] = {}
    for _ in range(runs):
        with url_for_run() as url:
            store = Store(url)
            try:
                elapsed, counts_first = upsert_all(store, drafts)
                first.append(elapsed)
                elapsed, counts_again = upsert_all(store, drafts)
                again.append(elapsed)
            finally:
                store.close()
    return Timing(tuple(first)), Timing(tuple(again)), counts_first, counts_again


@contextmanager
def sqlite_scratch() -> Iterator[str]:
    yield f"sqlite:///{scratch_dir('store') / 'genelit.db'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    drafts = workload(args.records)
    n = sum(len(r) for r in drafts.values())
    backends = [("SQLite (file, WAL)", sqlite_scratch)]
    if not args.no_postgres:
        backends.append(("PostgreSQL (scratch schema)", lambda: postgres_scratch(args.postgres)))
    rows = []
    for name, url_for_run in backends:
        first, again, counts_first, counts_again = measure(url_for_run, drafts, args.runs)
        for label, timing, counts in (("first upsert", first, counts_first), ("re-upsert unchanged", again, counts_again)):
            best, median = timing.rate(n)
            rows.append([name, label, f"{best:,.0f}", f"{median:,.0f}", f"{timing.best:.2f} / {timing.median:.2f}",
                         ", ".join(f"{k}={v}" for k, v in counts.items() if v)])
    report(
        f"Store throughput ({n:,} records over {len(drafts):,} PMIDs via upsert_drafts)",
        table(["backend", "pass", "records/s best", "records/s median", "wall s best / median", "outcome"], rows),
        notes=[f"{args.runs} runs per backend, each on a fresh database; one upsert_drafts call (one transaction) per PMID"],
    )


if __name__ == "__main__":
    main()
