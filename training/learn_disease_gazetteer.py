"""Learn the disease gazetteer from BioRED Train gold: ``extractors/data/biored_train_disease_gazetteer.tsv.gz``.

A maintainer step, run from the repository root when the corpus, HPO or the matching rules change::

    python -m training.learn_disease_gazetteer                 # corpora/biored/Train.PubTator
    python training/learn_disease_gazetteer.py CORPUS --output PATH

It learns against the lexicon built without the vendored gazetteer and writes the rows to the
repository's source tree; commit the result.  The library only reads the file
(:func:`extractors.hpo_lexicon.read_gazetteer`).
"""
from __future__ import annotations

import argparse
import gzip
from collections import Counter, defaultdict
from pathlib import Path

from genelit.extractors.hpo_lexicon import GAZETTEER, Lexicon, build_lexicon
from genelit.extractors.hpo_matching import iter_matches
from genelit.extractors.hpo_tokens import key_of, tokenize
from genelit.extractors.pubtator import read_pubtator

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "corpora" / "biored" / "Train.PubTator"
# the vendored file in the repository's source tree (not wherever the package is installed)
DEFAULT_OUTPUT = REPO / "extractors" / "data" / GAZETTEER.name

def corpus_gazetteer(
    docs: list, lexicon: Lexicon, gold_type: str = "DiseaseOrPhenotypicFeature",
    min_ratio: float = 0.5, block_min: int = 3, block_ratio: float = 0.1,
) -> list[tuple[str, str, str, str]]:
    """Learn lexicon additions and removals from a gold training corpus (BioRED Train).

    Why: HPO and the rare-disease names lack the common disease vocabulary of abstracts ("breast cancer",
    "hypertension" as MeSH diseases, "SLE").  A gold phrase is *added* when at least ``min_ratio`` of
    its occurrences in the corpus are annotated (so "tumor" is in, "toxicity" only if annotators agree
    it is a disease); a lexicon key matched ``block_min`` times or more but gold at most
    ``block_ratio`` of the time is *blocked*.  Occurrences inside a longer gold span are not counted.
    Returns rows (action, surface, concept_id, label).
    """
    gold: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    gold_spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for doc in docs:
        for a in doc.annotations:
            if a.type == gold_type and key_of(a.text):
                key = key_of(a.text)
                gold[key][a.concept_id] += 1
                surfaces[key][a.text] += 1
                gold_spans[doc.pmid].add((a.start, a.end))
    longest = max(map(len, gold), default=0)
    total: Counter = Counter()
    matched: Counter = Counter()
    matched_gold: Counter = Counter()
    for doc in docs:
        tokens = tokenize(doc.text)
        words = [t[3] for t in tokens]
        spans = gold_spans[doc.pmid]
        for i in range(len(words)):
            for j in range(i + 1, min(i + longest, len(words)) + 1):
                if tuple(words[i:j]) in gold and not _inside_longer(spans, tokens[i][0], tokens[j - 1][1]):
                    total[tuple(words[i:j])] += 1
        for first, last, _ in iter_matches(tokens, lexicon):
            key, span = tuple(words[first:last]), (tokens[first][0], tokens[last - 1][1])
            if not _inside_longer(spans, *span):
                matched[key] += 1
                matched_gold[key] += span in spans
    rows = []
    for key, ids in gold.items():
        count = sum(ids.values())
        concept_id = ids.most_common(1)[0][0]
        if count / max(total[key], 1) >= min_ratio and concept_id not in ("", "-"):
            concept_id = concept_id if ":" in concept_id else f"MESH:{concept_id.split(',')[0].split('|')[0]}"
            surface = surfaces[key].most_common(1)[0][0]
            rows.append(("add", surface, concept_id, surface))
    for key, count in matched.items():
        if count >= block_min and matched_gold[key] / count <= block_ratio:
            entry = lexicon.entries[key]
            rows.append(("block", " ".join(key), entry.concept.concept_id, entry.concept.label))
    return sorted(rows)


def _inside_longer(spans: set[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies strictly inside a gold span: "diabetes" in a gold "type 2 diabetes" says
    nothing about whether annotators take "diabetes" alone, so it counts neither for nor against it."""
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)


def write_gazetteer(rows: list[tuple[str, str, str, str]], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# action\tsurface\tconcept_id\tlabel  (learned from BioRED Train by training/learn_disease_gazetteer.py)\n")
        fh.writelines("\t".join(row) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Learn the disease gazetteer from a gold PubTator corpus.")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="gold corpus (default: BioRED Train, corpora/biored/Train.PubTator)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="gazetteer to write (default: the vendored extractors/data file)")
    args = parser.parse_args(argv)
    lexicon = build_lexicon(gazetteer=None)  # learn against the lexicon without the vendored gazetteer
    rows = corpus_gazetteer(read_pubtator(args.corpus), lexicon)
    write_gazetteer(rows, args.output)
    print(f"{len(rows)} rows -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
