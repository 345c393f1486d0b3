"""The fuzzy HPO linker: scispaCy's ``CandidateGenerator`` over a char-3-gram TF-IDF + HNSW index.

Normalizes phrases the dictionary missed ("intrauterine growth failure") to the nearest lexicon aliases
(:func:`extractors.phenotypes.link_phenotype`, the phenotype component's ``use_linker``).  The vectorizer
and index are cached on disk beside the lexicon, keyed like it.

Separate because it is optional and heavy (scikit-learn, nmslib, ~10 s to build once): nothing is
imported or built until it is first used.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from genelit.extractors.hpo_lexicon import Lexicon, cache_dir, cache_stem, load_lexicon

from genelit.files import atomic_folder

if TYPE_CHECKING:
    from scispacy.candidate_generation import CandidateGenerator
    from scispacy.linking_utils import KnowledgeBase


def knowledge_base(lexicon: Lexicon) -> KnowledgeBase:
    """scispaCy KnowledgeBase of every phenotype and disease with all its aliases (names + synonyms)."""
    from scispacy.linking_utils import Entity, KnowledgeBase

    aliases: dict[str, list[str]] = defaultdict(list)
    for table in (lexicon.phenotype_aliases, lexicon.disease_aliases):
        for alias, ids in table.items():
            for concept_id in ids:
                aliases[concept_id].append(alias)
    entities = [
        Entity(cid, lexicon.labels[cid], names, ["phenotype" if cid.startswith("HP:") else "disease"])
        for cid, names in aliases.items()
    ]
    return KnowledgeBase(entities)


def _fit_index(aliases: list[str]) -> tuple[object, object]:
    """char-3-gram TF-IDF (float32) + HNSW cosine index over the aliases.

    scispaCy's own ``create_tfidf_ann_index`` refuses to run on Python >= 3.11 (a scipy float16 check),
    so we fit the same two pieces ourselves.  HNSW builds are randomized: with M=8, efConstruction=32
    about one build in two lost near neighbours ("Marfan syndrom" found no *Marfan syndrome*), so the graph
    is denser (M=16, efConstruction=100: ~10 s once per cache version, every trial build found them).
    """
    import nmslib
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), min_df=2, dtype=numpy.float32)
    vectors = vectorizer.fit_transform(aliases)
    index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
    index.addDataPointBatch(vectors)
    index.createIndex({"M": 16, "efConstruction": 100, "post": 0, "indexThreadQty": 2}, print_progress=False)
    return vectorizer, index


@lru_cache(maxsize=1)
def load_candidate_generator() -> CandidateGenerator:
    """scispaCy ``CandidateGenerator`` over the HPO/disease KB; vectorizer and index cached on disk."""
    import json

    import joblib
    import nmslib
    from scispacy.candidate_generation import CandidateGenerator

    lexicon = load_lexicon()
    kb = knowledge_base(lexicon)
    folder = cache_dir() / f"linker-{cache_stem()}"
    paths = folder / "aliases.json", folder / "tfidf.joblib", folder / "hnsw.bin"
    if all(p.exists() for p in paths):
        aliases = json.loads(paths[0].read_text())
        vectorizer = joblib.load(paths[1])
        index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
        index.loadIndex(str(paths[2]), load_data=True)
    else:
        aliases = sorted(kb.alias_to_cuis)
        vectorizer, index = _fit_index(aliases)
        # written into a folder of this process's own, then renamed into place in one step, so a process
        # that finds the folder finds it complete; if another process got there first, its copy stays
        def save(building: Path) -> None:
            (building / paths[0].name).write_text(json.dumps(aliases))
            joblib.dump(vectorizer, building / paths[1].name)
            index.saveIndex(str(building / paths[2].name), save_data=True)

        try:
            atomic_folder(folder, save)
        except OSError:  # a read-only or full cache folder: run without the cache
            pass
    index.setQueryTimeParams({"efSearch": 100})
    return CandidateGenerator(index, vectorizer, aliases, kb)
