"""Curator edits checked against what genelit knows, the same way wherever they come from.

`genelit review edit`, the review spreadsheet (`genelit review import`) and the review web app all turn a
curator's typed values into record changes in two steps:

1. *format*, value by value (:data:`~genelit.outputs.xlsx.EDITABLE_COLUMNS`, :func:`~genelit.outputs.xlsx.parse_edits`):
   ``HP:0001511``, a whole number, TRUE/FALSE, a known zygosity;
2. *meaning*, here (:func:`check_changes`), against the grammar and lexicons the extractors use: HGVS by
   genelit's variant grammar (written ``c.``/``p.``/``g.`` forms, canonicalized as extraction does:
   ``p.V92M`` -> ``p.Val92Met``), the gene symbol an approved HGNC symbol with its HGNC and NCBI ids,
   phenotypes current HPO phenotype terms (empty labels filled in), OMIM/ORPHA disease ids from HPO's
   disease annotations and MeSH tree ids from the MeSH disease list (the label follows a changed id), and
   the mode of inheritance one of the HPO inheritance terms, its HPO id filled in.

Only values that differ from the stored record are checked for meaning, so a stored value genelit would no
longer accept (an old gene symbol, an id from another vocabulary) never blocks an unrelated edit.  Disease
ids of vocabularies genelit ships no list for (MONDO, DOID, MeSH descriptors) are checked for format only.
The lexicons are loaded on first use (seconds), once per process.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from genelit.extractors import hgnc
from genelit.extractors.cues import INHERITANCE_TERMS
from genelit.extractors.genes import resolve_symbol
from genelit.extractors.hpo_lexicon import load_lexicon as load_phenotype_lexicon
from genelit.extractors.variants import parse_variant
from genelit.models.evidence import EvidenceRecord
from genelit.models.review import Decision
from genelit.outputs.xlsx import changed_fields, parse_edits

from genelit.errors import InputError

# HGVS level(s) each field holds, as :class:`~genelit.extractors.variants.ParsedVariant` names them
HGVS_LEVELS: dict[str, frozenset[str]] = {
    "hgvs_c": frozenset({"c", "n", "r"}),
    "hgvs_p": frozenset({"p"}),
    "hgvs_g": frozenset({"g", "m"}),
}
# a reference sequence before the description: NM_000618.5:c.274G>A
_REFERENCE = re.compile(r"^([A-Za-z]{2}_?[A-Za-z0-9]+(?:\.\d+)?):(.+)$")
# keys genelit's grammar reads in papers that are not HGVS changes: a residue named without a change
# (p.Asn62), an insertion or duplication given only by its length (c.1222ins27), a repeat-count range
_NOT_A_CHANGE = re.compile(r"^p\.[A-Z][a-z]{2}\d+(?:_[A-Z][a-z]{2}\d+)?$|(?:ins|dup)\d+$|\[\d+-\d+\]$")
# disease vocabularies with a list to check ids against (others: format only)
LISTED_DISEASE_PREFIXES = ("OMIM:", "ORPHA:", "MESHTREE:")
_INHERITANCE_SUFFIX = " inheritance"


def _words(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _inheritance_names() -> dict[str, str]:
    """Every accepted spelling of a mode of inheritance -> its HPO id: the HPO name with or without the
    word "inheritance" ("autosomal recessive"), in any case, and the id itself."""
    names: dict[str, str] = {}
    for hpo_id, label in INHERITANCE_TERMS.items():
        names[hpo_id.lower()] = hpo_id
        names[_words(label)] = hpo_id
        names[_words(label.removesuffix(_INHERITANCE_SUFFIX))] = hpo_id
    return names


@lru_cache(maxsize=1)
def _hgnc_by_id() -> dict[str, hgnc.HgncRecord]:
    return {r.hgnc_id: r for r in hgnc.load_lexicon()[1]}


@lru_cache(maxsize=1)
def _disease_labels() -> dict[str, str]:
    """Disease id -> label for every disease the phenotype lexicon names: OMIM/ORPHA from HPO's
    annotations, MeSH tree ids from the MeSH disease list, MeSH ids of the corpus gazetteer."""
    lexicon = load_phenotype_lexicon()
    labels = {k: v for k, v in lexicon.labels.items() if k.startswith(LISTED_DISEASE_PREFIXES)}
    for entry in lexicon.entries.values():
        concept = entry.concept
        if concept.kind == "disease" and concept.concept_id not in labels:
            labels[concept.concept_id] = concept.label
    return labels


def _phenotype_labels() -> dict[str, str]:
    return load_phenotype_lexicon().labels


def load_lexicons() -> None:
    """Load everything :func:`check_changes` consults, so a server's first edit does not wait for it."""
    _hgnc_by_id()
    _disease_labels()
    resolve_symbol("IGF1")


def checked_hgvs(field: str, value: str) -> str:
    """``value`` as the canonical HGVS of ``field``'s level (reference prefix kept); ValueError if it is not."""
    reference, description = "", value.strip()
    prefixed = _REFERENCE.match(description)
    if prefixed:
        reference, description = prefixed.group(1) + ":", prefixed.group(2)
    parsed = parse_variant(description)
    levels = HGVS_LEVELS[field]
    example = {"hgvs_c": "c.274G>A", "hgvs_p": "p.Val92Met", "hgvs_g": "g.102403500C>T"}[field]
    if parsed is not None and (parsed.is_allele or _NOT_A_CHANGE.search(parsed.key)):
        raise ValueError(f"names an allele or a position, not a change (e.g. {example})")
    if parsed is None or parsed.level not in levels:
        raise ValueError(f"is not {'/'.join(level + '.' for level in sorted(levels))} HGVS (e.g. {example})")
    return reference + parsed.key


def _check_gene(changes: dict[str, Any], merged: dict[str, Any], problems: list[str]) -> None:
    """An approved HGNC symbol, its HGNC/NCBI ids filled in; a changed HGNC id must name the record's gene."""
    if changes.get("gene_symbol"):
        found = resolve_symbol(changes["gene_symbol"])
        if found.status != "approved":
            hint = (f"; the approved symbol is {found.symbol}" if found.status in ("previous", "alias")
                    else f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else "")
            problems.append(f"gene_symbol {changes['gene_symbol']!r} is not an approved HGNC symbol "
                            f"({found.status}){hint}")
            return
        changes["gene_symbol"] = merged["gene_symbol"] = found.symbol
        if "hgnc_id" not in changes:
            changes["hgnc_id"] = merged["hgnc_id"] = found.hgnc_id
        if "ncbi_gene_id" not in changes:
            changes["ncbi_gene_id"] = merged["ncbi_gene_id"] = found.ncbi_gene_id or None
    if changes.get("hgnc_id") or ("gene_symbol" in changes and merged.get("hgnc_id")):
        entry = _hgnc_by_id().get(merged["hgnc_id"])
        if entry is None or not entry.approved:
            problems.append(f"hgnc_id {merged['hgnc_id']!r} is not a current HGNC gene")
        elif entry.symbol.upper() != (merged.get("gene_symbol") or "").upper():
            problems.append(f"hgnc_id {merged['hgnc_id']} is {entry.symbol}, but the gene is "
                            f"{merged.get('gene_symbol')}: change gene_symbol too")


def _check_inheritance(changes: dict[str, Any], merged: dict[str, Any], problems: list[str]) -> None:
    """The mode named by either field, written back as the HPO term's name and id."""
    names = _inheritance_names()
    ids: dict[str, str | None] = {}
    for name in ("inheritance", "inheritance_hpo"):
        if name in changes:
            value = changes[name]
            ids[name] = names.get(_words(value)) if value else None
            if value and ids[name] is None:
                problems.append(f"{name} {value!r} is not a mode of inheritance HPO names; use one of "
                                + ", ".join(label.removesuffix(_INHERITANCE_SUFFIX).lower()
                                            for label in INHERITANCE_TERMS.values()))
                return
    if not ids:
        return
    if len(ids) == 2 and ids["inheritance"] and ids["inheritance_hpo"] and ids["inheritance"] != ids["inheritance_hpo"]:
        problems.append(f"inheritance {changes['inheritance']!r} and inheritance_hpo "
                        f"{changes['inheritance_hpo']!r} name different modes")
        return
    hpo_id = next((i for i in ids.values() if i), None)
    changes["inheritance_hpo"] = merged["inheritance_hpo"] = hpo_id
    changes["inheritance"] = merged["inheritance"] = INHERITANCE_TERMS[hpo_id] if hpo_id else None


def _check_phenotypes(changes: dict[str, Any], problems: list[str]) -> None:
    labels = _phenotype_labels()
    unknown = [p["hpo_id"] for p in changes["phenotypes"] if p["hpo_id"] not in labels]
    if unknown:
        problems.append(f"phenotypes: {', '.join(unknown)} is not a current HPO phenotype term")
        return
    changes["phenotypes"] = [{"hpo_id": p["hpo_id"], "label": p["label"] or labels[p["hpo_id"]]}
                             for p in changes["phenotypes"]]


def _check_disease(changes: dict[str, Any], problems: list[str]) -> None:
    disease_id = changes["disease_id"]
    if not disease_id:
        return
    label = _disease_labels().get(disease_id)
    if label is None and disease_id.startswith(LISTED_DISEASE_PREFIXES):
        problems.append(f"disease_id {disease_id!r} is not in genelit's disease list "
                        "(OMIM and ORPHA ids of HPO's disease annotations, MeSH disease tree ids)")
    elif label is not None and "disease_label" not in changes:
        changes["disease_label"] = label


def check_changes(changes: Mapping[str, Any], record: EvidenceRecord) -> tuple[dict[str, Any], list[str]]:
    """``changes`` (parsed, differing from ``record``) checked and completed; and the problems found.

    Completed means: canonical HGVS, the approved symbol with its ids, phenotype labels, the disease
    label of a changed id, both inheritance fields.  Completion never overrides a value the curator gave.
    """
    checked = dict(changes)
    problems: list[str] = []
    merged = {**record.model_dump(mode="json"), **checked}
    for name in HGVS_LEVELS:
        if checked.get(name):
            try:
                checked[name] = checked_hgvs(name, checked[name])
            except ValueError as exc:
                problems.append(f"{name} {checked[name]!r} {exc}")
    _check_gene(checked, merged, problems)
    _check_inheritance(checked, merged, problems)
    if checked.get("phenotypes"):
        _check_phenotypes(checked, problems)
    if "disease_id" in checked:
        _check_disease(checked, problems)
    return changed_fields(checked, record), problems


def validated_edit(values: Mapping[str, str], record: EvidenceRecord) -> dict[str, Any]:
    """The changes a curator's typed ``values`` (column name -> text, ``""`` clears) make to ``record``.

    Raises one :class:`InputError` naming every invalid value; returns only fields that change.
    """
    parsed, problems = parse_edits(dict(values))
    if not problems:
        changes, problems = check_changes(changed_fields(parsed, record), record)
    if problems:
        raise InputError("invalid edit: " + "; ".join(problems))
    if not changes:
        raise InputError("nothing to change: every value given is already the record's")
    return changes


def checked_decisions(
    decisions: Sequence[Decision], records: Mapping[str, EvidenceRecord], source: str
) -> list[Decision]:
    """A reviewed spreadsheet's decisions with each edit reduced to its checked changes.

    Raises one :class:`InputError` naming every bad row of ``source`` (nothing is applied then).
    """
    checked: list[Decision] = []
    problems: list[str] = []
    for d in decisions:
        if d.decision != "edit":
            checked.append(d)
            continue
        record = records[d.record_id]
        changes, found = check_changes(changed_fields(d.changes, record), record)
        if found:
            problems.append(f"row {d.row}: " + "; ".join(found))
        checked.append(replace(d, changes=changes))
    if problems:
        raise InputError(f"{source}: {len(problems)} bad row(s), nothing imported: " + " | ".join(problems))
    return checked
