"""Gene targeting for scans: resolve what the user typed to an HGNC gene and build its PubMed query.

Symbol resolution (approved, previous, alias, withdrawn) comes from :mod:`extractors.genes`; the query
text from :mod:`flows.query`.  This module is the glue between the two -- which synonyms are safe to
search, what note a mapped symbol gets -- and runs before any search, so a bad symbol is a one-line
input error before the scan starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from genelit.flows.query import GeneNames, QueryOptions, gene_query, select_synonyms
from genelit.flows.watchlist import GeneEntry, Watchlist

from genelit.errors import InputError

if TYPE_CHECKING:
    from genelit.extractors.genes import SymbolResolution


@dataclass(frozen=True)
class GeneTarget:
    """A gene to search, as HGNC names it, with the PubMed query built for it."""

    requested: str  # what the user typed
    symbol: str
    hgnc_id: str
    ncbi_gene_id: str
    query: str
    note: str | None = None  # "IGF-I is an alias of IGF1 ..." when the symbol was mapped


# An approved symbol read as a family stem and a member: IGF|2, FBN|3, SCN|1B (a number, maybe a letter)
# and SCN1|B (a letter after a stem ending in a number).
_NUMBERED_MEMBER = re.compile(r"^(?P<stem>.*[A-Z])\d+[A-Z]?$")
_LETTERED_MEMBER = re.compile(r"^(?P<stem>.*\d)[A-Z]$")


@lru_cache(maxsize=2)
def _family_stems(lexicon_version: str) -> dict[str, frozenset[str]]:
    from genelit.extractors import hgnc

    members: dict[str, set[str]] = {}
    for record in hgnc.load_lexicon()[1]:
        if record.approved:
            symbol = record.symbol.upper()
            for pattern in (_NUMBERED_MEMBER, _LETTERED_MEMBER):
                match = pattern.match(symbol)
                if match:
                    members.setdefault(match.group("stem"), set()).add(record.hgnc_id)
    return {stem: frozenset(ids) for stem, ids in members.items()}


def family_stems() -> dict[str, frozenset[str]]:
    """Family stem -> HGNC ids of the approved symbols that are the stem and a member number or letter
    (``IGF`` -> IGF1, IGF2, ...; ``SCN1`` -> SCN1A, SCN1B), for the active HGNC lexicon."""
    from genelit.extractors import hgnc

    return _family_stems(hgnc.active_version())


def is_family_stem(synonym: str, hgnc_id: str) -> bool:
    """True when ``synonym`` is the stem of a numbered gene family another gene belongs to: IGF (IGF2)
    for IGF1, FBN (FBN2) for FBN1, SCN1 (SCN1B) for SCN1A.  Papers use the stem for the family."""
    return bool(family_stems().get(synonym.upper(), frozenset()) - {hgnc_id})


def is_ambiguous_synonym(synonym: str, hgnc_id: str) -> bool:
    """True when a synonym would also find other genes' papers or everyday words.

    Ambiguous: another gene's approved symbol, an alias/previous symbol shared with another gene, the
    stem of a numbered gene family another gene belongs to (``IGF`` for IGF1: IGF2 is another gene), or
    an English word (HGNC has aliases such as ``CAT`` or ``MAX``).
    """
    from genelit.extractors.genes import english_words, resolve_symbol

    if synonym.lower() in english_words() or is_family_stem(synonym, hgnc_id):
        return True
    found = resolve_symbol(synonym)  # approved symbols win over aliases, so another gene's symbol shows here
    return found.hgnc_id != hgnc_id or bool(found.other_matches)


def resolve_gene(symbol: str) -> tuple[SymbolResolution, str | None]:
    """HGNC's answer for ``symbol`` and a note when it was mapped; InputError if withdrawn/unknown."""
    from genelit.extractors.genes import resolve_symbol

    found = resolve_symbol(symbol)
    if found.status == "approved":
        return found, None
    if found.status in ("previous", "alias"):
        kind = "a previous symbol" if found.status == "previous" else "an alias"
        others = f" (also used for {', '.join(found.other_matches)})" if found.other_matches else ""
        return found, f"{symbol} is {kind} of {found.symbol} ({found.hgnc_id}){others}; searching {found.symbol}"
    hint = f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else ""
    if found.status == "withdrawn":
        raise InputError(f"{symbol} is a withdrawn HGNC symbol{hint or ' (no replacement given by HGNC)'}")
    raise InputError(f"{symbol} is not an HGNC gene symbol{hint or ' (check https://www.genenames.org)'}")


def gene_target(symbol: str, options: QueryOptions = QueryOptions(), query_extra: str | None = None) -> GeneTarget:
    """Resolve ``symbol`` and build its query."""
    found, note = resolve_gene(symbol)
    synonyms = select_synonyms(
        (*found.aliases, *found.previous_symbols), found.symbol, min_length=options.min_synonym_length,
        is_ambiguous=lambda s: is_ambiguous_synonym(s, found.hgnc_id),
    )
    query = gene_query(GeneNames(found.symbol, found.name, synonyms), options, query_extra)
    return GeneTarget(symbol, found.symbol, found.hgnc_id, found.ncbi_gene_id, query, note)


def watchlist_targets(watchlist: Watchlist) -> list[tuple[GeneEntry, GeneTarget]]:
    """Resolve every gene before any search, so a bad symbol stops the scan before it starts."""
    options = watchlist.query.options()
    pairs = [(entry, gene_target(entry.symbol, options, entry.query_extra)) for entry in watchlist.genes]
    seen: dict[str, str] = {}
    for entry, target in pairs:
        if target.hgnc_id in seen:
            raise InputError(f"watchlist lists {target.symbol} twice (as {seen[target.hgnc_id]} and {entry.symbol})")
        seen[target.hgnc_id] = entry.symbol
    return pairs
