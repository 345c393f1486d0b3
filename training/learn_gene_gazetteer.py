"""Learn the gene gazetteer from BioRED Train gold: ``extractors/data/biored_train_gene_gazetteer.tsv.gz``.

A maintainer step, run from the repository root when the corpus, HGNC or the gene rules change::

    python -m training.learn_gene_gazetteer                    # corpora/biored/Train.PubTator
    python training/learn_gene_gazetteer.py CORPUS --output PATH

It learns against the plain HGNC lexicon (an index built in memory without the vendored gazetteer, which
stays untouched while it runs) and writes the rows to the repository's source tree; commit the result.
The library only reads the file (:func:`extractors.gene_index.read_gazetteer`).
"""
from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

from genelit.extractors import hgnc
from genelit.extractors.base import mentions
from genelit.extractors.gene_index import (
    GAZETTEER_PATH,
    GazetteerRow,
    GeneIndex,
    build_index,
    english_words,
)
from genelit.extractors.gene_lookup import HUMAN, lookup_record, text_species
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.pubtator import read_pubtator
from genelit.models.mentions import MentionKind
from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "corpora" / "biored" / "Train.PubTator"
# the vendored file in the repository's source tree (not wherever the package is installed)
DEFAULT_OUTPUT = REPO / "extractors" / "data" / GAZETTEER_PATH.name
def corpus_gazetteer(
    docs: list, nlp: Language, min_ratio: float = 0.5, min_annotated: int = 2, block_min: int = 3,
    block_ratio: float = 0.1,
) -> list[GazetteerRow]:
    """Learn lexicon additions and removals from a gold training corpus (BioRED Train).

    Why: HGNC lacks much of what abstracts call genes ("psoriasin", "gankyrin", "Wnt", viral "Tat") and
    the NCBI ids curated corpora give them (a rat "IGF-I" is rat Igf1).  A gold gene string (exact case)
    is *added* when at least ``min_ratio`` of its whole-word occurrences in the corpus are annotated, at
    least ``min_annotated`` times (strings annotated once added noise on BioRED Dev), and it is not a
    common English word; a string the lexicon (``nlp`` runs ``genelit_genes`` without a
    gazetteer) matches ``block_min`` times or more but gold at most ``block_ratio`` of the time is
    *blocked*.  In abstracts about mice or rats (:func:`text_species`), gold genes whose id is not the
    human gene's give *ortholog* rows (action, taxon, rodent id, HGNC id, count, all).  Returns rows
    (action, surface, ncbi_gene_id, hgnc_id, annotated, occurrences).
    """
    index = nlp.get_pipe("genelit_genes").index
    ids: dict[str, Counter] = defaultdict(Counter)
    gold_spans: set[tuple[str, int, int]] = set()
    for doc in docs:
        for a in doc.annotations:
            if a.type == "GeneOrGeneProduct":
                gold_spans.add((doc.pmid, a.start, a.end))
                ncbi = re.split(r"[,;|]", a.concept_id)[0].strip()
                if ncbi.isdigit() and len(a.text) >= 2:
                    ids[a.text][ncbi] += 1
    occurrences: Counter = Counter()
    for surface in ids:
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(surface)}(?![A-Za-z0-9])")
        occurrences[surface] = sum(len(pattern.findall(doc.text)) for doc in docs)
    by_ncbi = {r.ncbi_gene_id: r.hgnc_id for r in index.records if r.approved and r.ncbi_gene_id}
    orthologs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for doc in docs:
        species = text_species(doc.text)
        if species == HUMAN:
            continue
        for a in doc.annotations:
            ncbi = re.split(r"[,;|]", a.concept_id)[0].strip()
            human = lookup_record(index, a.text) if a.type == "GeneOrGeneProduct" and ncbi.isdigit() else None
            if human is not None and index.records[human].ncbi_gene_id != ncbi:
                orthologs[species, index.records[human].hgnc_id][ncbi] += 1
    rows: list[GazetteerRow] = []
    for surface, found in ids.items():
        annotated = sum(found.values())
        english = surface.lower() in english_words() and not surface.isupper()
        if english or annotated < max(min_annotated, min_ratio * occurrences[surface]):
            continue
        ncbi = found.most_common(1)[0][0]
        human = lookup_record(index, surface)
        hgnc_id = by_ncbi.get(ncbi) or (index.records[human].hgnc_id if human is not None else "")
        rows.append(("add", surface, ncbi, hgnc_id, annotated, occurrences[surface]))
    for (species, hgnc_id), found in orthologs.items():
        ncbi, count = found.most_common(1)[0]
        rows.append(("ortholog", species, ncbi, hgnc_id, count, sum(found.values())))
    matched: Counter = Counter()
    matched_gold: Counter = Counter()
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs)):
        for m in mentions(parsed):
            if m.kind == MentionKind.GENE:
                matched[m.text] += 1
                matched_gold[m.text] += (doc.pmid, m.start, m.end) in gold_spans
    for surface, count in matched.items():
        if count >= block_min and matched_gold[surface] <= block_ratio * count and surface not in ids:
            rows.append(("block", surface, "", "", matched_gold[surface], count))
    return sorted(rows)


def write_gazetteer(rows: list[GazetteerRow], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# action\tsurface\tncbi_gene_id\thgnc_id\tannotated\toccurrences  (learned from BioRED Train "
                 "by `python -m training.learn_gene_gazetteer Train.PubTator`)\n")
        fh.writelines("\t".join(map(str, row)) + "\n" for row in rows)


def plain_hgnc_index() -> GeneIndex:
    """The index of the HGNC lexicon alone, built in memory: what the gazetteer is learned against, so
    that it adds what HGNC lacks and blocks what HGNC over-matches."""
    version, records = hgnc.load_lexicon()
    return build_index(f"{version} + no gazetteer", records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Learn the gene gazetteer from a gold PubTator corpus.")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="gold corpus (default: BioRED Train, corpora/biored/Train.PubTator)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="gazetteer to write (default: the vendored extractors/data file)")
    args = parser.parse_args(argv)
    nlp = build_pipeline(PipelineConfig(components=("genelit_genes",)))
    nlp.get_pipe("genelit_genes").index = plain_hgnc_index()
    rows = corpus_gazetteer(read_pubtator(args.corpus), nlp)
    write_gazetteer(rows, args.output)
    print(f"{sum(r[0] == 'add' for r in rows)} added, {sum(r[0] == 'block' for r in rows)} blocked -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
