"""Normalizing a gene name to HGNC: the look-up API (``lookup_gene``, ``resolve_symbol``) and species ids.

:func:`lookup_gene` normalizes a mention a recognizer found or a curator typed ("IGF-I", "Igf1 gene",
"insulin-like growth factor I") to its HGNC gene; :func:`resolve_symbol` answers as HGNC would for a
symbol (approved, previous, alias, withdrawn or unknown).  :func:`text_species` and
:func:`species_ncbi_gene_id` give a recognized gene the NCBI id of the abstract's organism (BioRED gives
a rat "IGF-I" the rat gene's id).

Separate from recognition because other components (``genelit_ner``), the scan flow and the CLI look
genes up without scanning text.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from genelit.extractors import hgnc
from genelit.extractors.gene_index import (
    FIRST_MEMBER,
    GAZETTEER,
    SYMBOL_KINDS,
    Entry,
    GeneIndex,
    english_words,
    gene_index,
    synonym_rank,
)
from genelit.extractors.gene_pieces import Piece, cased_key, piece_key, pieces

_TRAILING_GENERIC = re.compile(
    r"(?i)[\s-]+(gene|genes|protein|proteins|mrna|transcripts?|expression|polymorphisms?|mutations?|"
    r"promoter|locus|alleles?|isoforms?|product|subunit|homolog|family)$"
)
_LEADING_SYMBOL = re.compile(r"^([A-Z][A-Za-z0-9]{1,6}(?:-[0-9IV]{1,3})?)[- ]((?:[a-z]+[ -])*(?:protein|receptor|factor)[- ]?\w*)$")
_KNOCKOUT_MARK = re.compile(r"\s*\(?[-+]/[-+]\)?$")
_EMBEDDED_ABBREVIATION = re.compile(r"\s*\(([A-Za-z][A-Za-z0-9]{1,7})\)")
LEADING_SPECIES = re.compile(r"(?i)^(human|mouse|murine|rat|bovine|porcine|zebrafish|recombinant|mammalian)\s+")


@dataclass(frozen=True)
class GeneConcept:
    """An HGNC gene a mention was normalized to."""

    hgnc_id: str
    symbol: str
    name: str
    ncbi_gene_id: str
    locus_type: str


@dataclass(frozen=True)
class SymbolResolution:
    """What HGNC says about a symbol a curator typed (``genelit gene SYMBOL``)."""

    query: str
    status: str  # "approved", "previous", "alias", "withdrawn" or "unknown"
    symbol: str = ""
    hgnc_id: str = ""
    ncbi_gene_id: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    previous_symbols: tuple[str, ...] = ()
    # other approved genes that share the previous symbol or alias with the one reported
    other_matches: tuple[str, ...] = ()
    # withdrawn: the approved genes it was merged into; unknown: close approved symbols
    suggestions: tuple[str, ...] = ()


def _concept(record: hgnc.HgncRecord) -> GeneConcept:
    return GeneConcept(record.hgnc_id, record.symbol, record.name, record.ncbi_gene_id, record.locus_type)


def _best_entry(index: GeneIndex, parts: list[Piece], surface: str) -> Entry | None:
    """Best entry for a piece sequence: HGNC before the corpus gazetteer (a look-up names the human
    gene), exact-case symbol matches before case-insensitive ones, never a symbol whose first
    word is a word of prose ("a 15" is not the alias "A15"; "IGF I" is IGF1)."""
    found = index.entries.get(piece_key(parts))
    if not found:
        return None
    cased = cased_key(parts)
    head = surface.split(maxsplit=1)[0] if surface.strip() else ""
    word_then_space = head != surface.strip() and (len(head) < 2 or head.lower() in english_words())
    usable = [e for e in found if not (word_then_space and e[1] in SYMBOL_KINDS and not e[3])]
    hgnc_entries = [e for e in usable if e[1] != GAZETTEER]
    for entry in hgnc_entries:
        if entry[1] not in SYMBOL_KINDS or entry[2] == cased:
            return entry
    return (hgnc_entries or usable or [None])[0]


def _lookup_forms(text: str) -> Iterator[str]:
    """The mention, then variants a recognizer's span may need: without species words, generic heads
    ("gene", "protein"), knockout marks ("-/-"), an embedded abbreviation ("interleukin (IL)-6") or a
    plural s."""
    text = _KNOCKOUT_MARK.sub("", text.strip()).strip("()[]{},;:. ")
    yield text
    core = _TRAILING_GENERIC.sub("", LEADING_SPECIES.sub("", text))
    if core != text:
        yield core
    embedded = _EMBEDDED_ABBREVIATION.search(core)
    if embedded:
        yield core[:embedded.start()] + core[embedded.end():]
        yield embedded.group(1) + core[embedded.end():]
    if len(core) > 4 and core.endswith("s") and not core.endswith("ss"):
        yield core[:-1]


def _expanded_family_forms(index: GeneIndex, text: str) -> Iterator[str]:
    """ "IGF-binding protein-3" -> "insulin like growth factor binding protein 3": a leading symbol
    spelled out with its gene's name, without the member designator."""
    m = _LEADING_SYMBOL.match(text)
    if not m:
        return
    entry = _best_entry(index, pieces(m.group(1)), m.group(1))
    if entry is not None and entry[1] in SYMBOL_KINDS:
        name = index.records[entry[0]].name
        yield f"{name} {m.group(2)}"  # "IGF-I receptor" -> "insulin like growth factor 1 receptor"
        base = FIRST_MEMBER.match(name)
        if base:
            yield f"{base.group(1)} {m.group(2)}"


def lookup_record(index: GeneIndex, text: str) -> int | None:
    """Record index for a mention (see :func:`lookup_gene`); memoized on the index, since abbreviation
    long forms and model spans recur across abstracts."""
    cache = index.lookup_cache
    if text in cache:
        return cache[text]
    found = None
    for form in (*_lookup_forms(text), *_expanded_family_forms(index, text)):
        parts = pieces(form)
        entry = _best_entry(index, parts, form) if parts else None
        if entry is not None:
            found = entry[0]
            break
    if len(cache) < 200_000:
        cache[text] = found
    return found


def lookup_gene(text: str, index: GeneIndex | None = None) -> GeneConcept | None:
    """Normalize a gene mention ("IGF-I", "insulin-like growth factor I", "Igf1 gene") to HGNC.

    ``index``: the compiled index to use (a component holds the one it was built with); by default the
    active lexicon's, which costs a check of the lexicon files on every call."""
    index = index or gene_index()
    i = lookup_record(index, text)
    return None if i is None else _concept(index.records[i])


def resolve_symbol(symbol: str) -> SymbolResolution:
    """Resolve a symbol as HGNC would: approved, previous, alias, withdrawn or unknown."""
    index = gene_index()
    query = symbol.strip()
    upper = query.upper()
    if upper in index.by_symbol:
        return _resolution(index, query, "approved", index.by_symbol[upper], [])
    for status, table in (("previous", index.previous), ("alias", index.aliases)):
        if upper in table:
            found = table[upper]
            best = min(found, key=lambda i: synonym_rank(index.records[i], 0))
            return _resolution(index, query, status, best, found)
    if upper in index.withdrawn:
        r = index.records[index.withdrawn[upper]]
        merged = tuple(
            index.records[index.by_symbol[s]].symbol for s in _approved_symbols(index, r.replaced_by)
        )
        return SymbolResolution(query=query, status="withdrawn", symbol=r.symbol, hgnc_id=r.hgnc_id,
                                name=r.name, suggestions=merged)
    close = difflib.get_close_matches(upper, list(index.by_symbol), n=5, cutoff=0.75)
    return SymbolResolution(query=query, status="unknown",
                            suggestions=tuple(index.records[index.by_symbol[c]].symbol for c in close))


def _resolution(index: GeneIndex, query: str, status: str, i: int, others: list[int]) -> SymbolResolution:
    r = index.records[i]
    return SymbolResolution(
        query=query, status=status, symbol=r.symbol, hgnc_id=r.hgnc_id, ncbi_gene_id=r.ncbi_gene_id,
        name=r.name, aliases=r.aliases, previous_symbols=r.previous,
        other_matches=tuple(index.records[o].symbol for o in others if o != i),
    )


def _approved_symbols(index: GeneIndex, hgnc_ids: tuple[str, ...]) -> list[str]:
    wanted = set(hgnc_ids)
    return [sym for sym, i in index.by_symbol.items() if index.records[i].hgnc_id in wanted]


HUMAN, MOUSE, RAT = "9606", "10090", "10116"  # NCBI taxonomy ids
# one pass over the text: group 1 mouse, 2 rat, 3 human words
_SPECIES_WORDS = re.compile(
    r"\b(?=[MmRrPpHhWwCcIiFf])(?:([Mm]ice|[Mm]ouse|[Mm]urine|Mus musculus)|([Rr]ats?|Rattus)|([Pp]atients?|[Hh]umans?|[Mm]en|[Ww]omen|"
    r"[Cc]hildren|[Ii]ndividuals|[Pp]robands?|[Ff]amil(?:y|ies)|[Cc]ases?|[Pp]ersons?|[Pp]eople|Homo sapiens))\b"
)


def text_species(text: str) -> str:
    """The organism an abstract is about (NCBI taxon): mouse or rat when the text speaks of them more
    than of people, else human.  Curated corpora give a rat "IGF-I" the rat gene's NCBI id."""
    counts = [0, 0, 0, 0]
    for m in _SPECIES_WORDS.finditer(text):
        counts[m.lastindex or 0] += 1
    _, mouse, rat, human = counts
    if max(mouse, rat) <= human:
        return HUMAN
    return MOUSE if mouse >= rat else RAT


def species_ncbi_gene_id(index: GeneIndex, record: hgnc.HgncRecord, species: str) -> str:
    """The NCBI Gene id of a recognized gene in the abstract's species: the rodent orthologue learned
    from BioRED Train for a mouse/rat abstract, the human gene's id for a human one."""
    if record.hgnc_id:
        if species != HUMAN:
            found = index.orthologs.get((species, record.hgnc_id))
            if found:
                return found
        elif record.status == "Corpus":
            return index.human_ncbi.get(record.hgnc_id, record.ncbi_gene_id)
    return record.ncbi_gene_id
