"""The compiled HPO phenotype and rare-disease lexicon (:class:`Lexicon`), built once and cached on disk.

Phenotypes are the terms under *Phenotypic abnormality* (HP:0000118) — the *Mode of inheritance*
subtree belongs to the cues component — with their names and EXACT, RELATED and BROAD synonyms
(RELATED+BROAD measured +0.02 F1 on GSC+ and BioRED over EXACT alone; NARROW changed nothing).  Diseases
are the OMIM / ORPHA names of the HPO annotation file, then MeSH's.  Entries are keyed by normalized
tokens (:mod:`extractors.hpo_tokens`); phenotype names are also indexed order-free (:func:`build_bags`,
words folded by :mod:`extractors.hpo_bags`).  The BioRED Train gazetteer (vendored, learned by
``training/learn_disease_gazetteer.py``) adds and blocks phrases.

Separate because building takes seconds and is done once per HPO release: the compiled lexicon is cached
on disk (:class:`genelit.files.PickleCache`) keyed by the HPO release, :data:`CACHE_FORMAT` and the
vendored lists.
"""
from __future__ import annotations

import gzip
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from genelit.extractors.hpo_bags import (
    ABNORMALITY_WORDS,
    MANY_WORDS,
    adjective_nouns,
    bag_word,
    content_words,
    fine_bag_word,
)
from genelit.extractors.hpo_sources import (
    MESH_DISEASES,
    PHENOTYPIC_ABNORMALITY,
    depths,
    descendants,
    hpo_data_dir,
    hpo_version,
    read_diseases,
    read_mesh_diseases,
    read_obo,
)
from genelit.extractors.hpo_tokens import key_of

from genelit import files
from genelit.files import PickleCache

# bump when the compiled lexicon layout or normalization changes (27: its classes left the old hpo.py, so
# a pickle of 26 would not load)
CACHE_FORMAT = "27"
GAZETTEER = Path(__file__).parent / "data" / "biored_train_disease_gazetteer.tsv.gz"


@dataclass(frozen=True)
class Concept:
    """A normalized concept: ``HP:…`` phenotype or ``OMIM:…``/``ORPHA:…``/``MESH:…`` disease."""

    concept_id: str
    label: str
    kind: str  # "phenotype" | "disease"
    score: float = 1.0


@dataclass(frozen=True)
class Entry:
    """What a lexicon key maps to; ``surface`` is set for short abbreviations matched case-sensitively."""

    concept: Concept
    surface: str | None = None


@dataclass
class Lexicon:
    version: str
    entries: dict[tuple[str, ...], Entry]
    prefixes: frozenset[tuple[str, ...]]
    phenotype_aliases: dict[str, set[str]]  # alias text -> HP ids (for the fuzzy linker)
    disease_aliases: dict[str, set[str]]
    labels: dict[str, str]  # concept id -> label
    disease_keys: dict[tuple[str, ...], str]  # key of a disease name -> its OMIM/ORPHA id
    bags: dict[frozenset[str], Entry]  # order-free key of a phenotype name (:func:`bag_key`) -> entry
    bag_words: dict[str, str]  # normalized word -> its bag word, for every content word of the bags
    adjective_nouns: dict[str, str]  # relational adjective -> anatomy noun (:func:`adjective_nouns`)
    bag_pairs: frozenset[tuple[str, str]]  # ordered pairs of bag words that share a bag (a cheap pre-test)
    # order-free key that keeps the abnormality word (:func:`fine_bag_word`) -> entry, where it names another
    # term than the coarse bag: "malformations of the kidney" = *Renal malformation*, not *Abnormality of the kidney*
    fine_bags: dict[frozenset[str], Entry]
    parents: dict[str, tuple[str, ...]]  # HPO phenotype id -> its is_a parents (:func:`extractors.hpo_matching.is_a`)


def LEXICON_VERSION() -> str:  # noqa: N802 - name fixed by the extraction contract
    return f"HPO {hpo_version().rsplit('/', 1)[-1]}"


_LOCALIZED = re.compile(r"^locali[sz]ed (.+ lesions?)$", re.IGNORECASE)


def _variants(text: str) -> list[str]:
    """Cheap variants of a name: word order (``Intellectual disability, mild`` -> ``mild Intellectual
    disability``) and redundant qualifiers (``Localized skin lesion`` -> ``skin lesion``: a lesion is a
    localized abnormality by definition, so writers drop the word; "skin lesions" is the usual phrase).
    """
    out = [text]
    if text.count(", ") == 1:
        head, modifier = text.split(", ")
        if len(modifier.split()) <= 3:
            out.append(f"{modifier} {head}")
    if m := _LOCALIZED.match(text):
        out.append(m.group(1))
    return out


def _is_abbreviation(text: str) -> bool:
    return " " not in text and len(text) <= 6 and any(c.isupper() for c in text[1:])


Rank = tuple[int, int]  # (source rank, depth of the HPO term): lower wins a shared key


def _add(entries: dict[tuple[str, ...], tuple[Rank, Entry]], text: str, concept: Concept, rank: Rank) -> None:
    """Add ``text`` unless a better-ranked entry already holds its key (lower rank wins, then the first)."""
    key = key_of(text)
    if not key or (len(key) == 1 and len(key[0]) < 3):
        return
    surface = text if _is_abbreviation(text) else None
    if surface is None and len(key) == 1 and len(key[0]) <= 3:
        return
    held = entries.get(key)
    if held is None or rank < held[0]:
        entries[key] = (rank, Entry(concept, surface))


def build_lexicon(
    data_dir: Path | None = None,
    synonym_scopes: tuple[str, ...] = ("EXACT", "RELATED", "BROAD"),
    gazetteer: Path | None = GAZETTEER,
    mesh_diseases: Path | None = MESH_DISEASES,
) -> Lexicon:
    """Compile the phenotype + disease lexicon from hp.obo and phenotype.hpoa (+ MeSH disease names).

    Ranking when two concepts share a key: HPO names, then HPO synonyms (at one level the more general,
    shallower term: "ear anomalies" names both *Abnormality of the ear* and its child *Abnormality of the
    outer ear*, and the generic reading is the usual one, as in :func:`build_bags`; then the lower id, since
    terms are visited in id order and builds must not depend on set order), then OMIM names, then ORPHA
    names, then the corpus gazetteer (``training/learn_disease_gazetteer.py``), then MeSH disease names
    (:func:`read_mesh_diseases`; the gazetteer's blocks remove them too).  A span that is both an HPO term
    and a disease name ("congenital hypothyroidism") is thus a *phenotype* mention — what a curator records for a patient — with the disease id kept in attrs by
    the component.
    """
    data_dir = data_dir or hpo_data_dir()
    terms = read_obo(data_dir / "hp.obo")
    phenotypes = descendants(terms, PHENOTYPIC_ABNORMALITY)
    depth = depths(terms, PHENOTYPIC_ABNORMALITY)
    entries: dict[tuple[str, ...], tuple[Rank, Entry]] = {}
    pheno_aliases: dict[str, set[str]] = defaultdict(set)
    disease_aliases: dict[str, set[str]] = defaultdict(set)
    disease_keys: dict[tuple[str, ...], str] = {}
    labels: dict[str, str] = {}
    pheno_names: list[tuple[str, Concept, int]] = []
    for tid in sorted(phenotypes):
        term = terms[tid]
        if term.obsolete:
            continue
        concept = Concept(tid, term.name, "phenotype")
        labels[tid] = term.name
        for text in _variants(term.name):
            _add(entries, text, concept, (0, depth.get(tid, 0)))
        pheno_aliases[term.name].add(tid)
        pheno_names.append((term.name, concept, 0))
        for text, scope in term.synonyms or []:
            if scope in synonym_scopes:
                for variant in _variants(text):
                    _add(entries, variant, concept, (1, depth.get(tid, 0)))
                pheno_names.append((text, concept, 1))
                pheno_aliases[text].add(tid)
    for tid, term in terms.items():  # obsolete names still found in older papers
        target = terms.get(term.replaced_by or "")
        if term.obsolete and target is not None and term.replaced_by in phenotypes:
            replacement = Concept(term.replaced_by, target.name, "phenotype")
            _add(entries, term.name.removeprefix("obsolete "), replacement, (2, depth.get(term.replaced_by, 0)))
    for did, titles in read_diseases(data_dir / "phenotype.hpoa").items():
        rank = 3 if did.startswith("OMIM:") else 4
        concept = Concept(did, titles[0], "disease")
        labels[did] = titles[0]
        for text in titles:
            for variant in _variants(text):
                _add(entries, variant, concept, (rank, 0))
            disease_aliases[text].add(did)
            disease_keys.setdefault(key_of(text), did)
    final = {k: e for k, (_, e) in entries.items()}
    blocked: list[str] = []
    if gazetteer is not None and gazetteer.exists():
        rows = read_gazetteer(gazetteer)
        apply_gazetteer(final, rows)
        blocked = [surface for action, surface, _, _ in rows if action == "block"]
    if mesh_diseases is not None and mesh_diseases.exists():
        mesh: dict[tuple[str, ...], tuple[Rank, Entry]] = {}
        for surface, heading, tree in read_mesh_diseases(mesh_diseases):
            _add(mesh, surface, Concept(f"MESHTREE:{tree}", heading, "disease"), (6, 0))
        for key in map(key_of, blocked):
            mesh.pop(key, None)
        for key, (_, entry) in mesh.items():
            final.setdefault(key, entry)
    prefixes = frozenset(k[:i] for k in final for i in range(1, len(k) + 1))
    adjectives = adjective_nouns(terms, phenotypes)
    bags, bag_words, fine_bags = build_bags(pheno_names, adjectives, depth)
    for surface in blocked:  # a phrase the corpus never annotates stays out in any word order
        bags.pop(frozenset(bag_words.get(w, w) for w in content_words(surface)), None)
    return Lexicon(
        hpo_version(), final, prefixes, dict(pheno_aliases), dict(disease_aliases), labels, disease_keys,
        bags, bag_words, adjectives, frozenset((a, b) for bag in bags for a in bag for b in bag), fine_bags,
        {tid: tuple(terms[tid].parents or ()) for tid in sorted(phenotypes) if not terms[tid].obsolete},
    )


def _shared_key_winner(
    index: dict[frozenset[str], tuple[tuple[int, int, int, str], Entry]],
    key: frozenset[str], order: tuple[int, int, int, str], concept: Concept,
) -> None:
    """Give ``key`` to ``concept`` unless a name of lower ``order`` holds it (see :func:`build_bags`)."""
    held = index.get(key)
    if held is None or order < held[0]:
        index[key] = (order, Entry(concept))


def build_bags(
    names: list[tuple[str, Concept, int]], adjective_to_noun: dict[str, str], depth: dict[str, int]
) -> tuple[dict[frozenset[str], Entry], dict[str, str], dict[frozenset[str], Entry]]:
    """Index phenotype names by the *set* of their content words' bag forms (FastHPOCR-style).

    A shared bag goes to the lower rank (name before synonym), then to the more general (shallower) term:
    "cutaneous abnormalities" is *Abnormality of the skin*, not its child *Abnormal skin morphology*
    (measured on GSC+: the generic reading is what annotators chose 4 times out of 5), then to the name
    with fewer words, then to the lower id (builds are deterministic).  Only names of two or more content
    words: single words are the exact matcher's job.  The third result is the fine index
    (:func:`fine_bag_word`), kept only where it disagrees with the coarse one.
    """
    bags: dict[frozenset[str], tuple[tuple[int, int, int, str], Entry]] = {}
    fine: dict[frozenset[str], tuple[tuple[int, int, int, str], Entry]] = {}
    coarse_of: dict[frozenset[str], frozenset[str]] = {}  # fine key -> its coarse bag
    bag_words: dict[str, str] = {}
    for text, concept, rank in names:
        words = content_words(text)
        for word in words:
            bag_words.setdefault(word, bag_word(word, adjective_to_noun))
        bag = frozenset(bag_words[w] for w in words)
        if len(bag) < 2:
            continue
        order = (rank, depth.get(concept.concept_id, 0), len(words), concept.concept_id)
        _shared_key_winner(bags, bag, order, concept)
        if ABNORMALITY_WORDS.intersection(words):
            key = frozenset(fine_bag_word(w, adjective_to_noun) for w in words)
            _shared_key_winner(fine, key, order, concept)
            coarse_of[key] = bag
    for word in [*ABNORMALITY_WORDS, *MANY_WORDS, *adjective_to_noun]:
        bag_words.setdefault(word, bag_word(word, adjective_to_noun))
    coarse = {bag: entry for bag, (_, entry) in bags.items()}
    fine_bags = {key: entry for key, (_, entry) in fine.items() if coarse[coarse_of[key]] != entry}
    return coarse, bag_words, fine_bags


def cache_dir() -> Path:
    """Where the compiled HPO lexicon and linker index are cached (per user)."""
    return files.cache_dir("hpo")


def cache_stem() -> str:
    """HPO release + layout version + a digest of the vendored word lists: any change rebuilds."""
    sha = hashlib.sha1()
    for path in (GAZETTEER, MESH_DISEASES):
        sha.update(path.read_bytes() if path.exists() else b"none")
    digest = sha.hexdigest()[:8]
    return f"{hpo_version().replace('/', '_')}-v{CACHE_FORMAT}-{digest}"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled lexicon, built once per HPO release and cached on disk (pickle, gzip)."""
    return PickleCache(cache_dir(), "lexicon", compress=True).get(cache_stem(), build_lexicon)


def read_gazetteer(path: Path) -> list[tuple[str, str, str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t")) for line in fh if not line.startswith("#")]  # type: ignore[misc]


def apply_gazetteer(entries: dict[tuple[str, ...], Entry], rows: list[tuple[str, str, str, str]]) -> None:
    """Blocked keys leave the lexicon; added phrases join it as diseases where no entry holds the key."""
    for action, surface, concept_id, label in rows:
        key = key_of(surface)
        if action == "block":
            entries.pop(key, None)
        elif key and key not in entries:
            entries[key] = Entry(Concept(concept_id, label, "disease"), surface if _is_abbreviation(surface) else None)
