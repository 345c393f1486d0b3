"""Build the PubMed query for a gene: its HGNC names AND words that mark variant/case-level papers.

The query's form and the default filter terms are documented in the README ("The PubMed query").
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

DEFAULT_VARIANT_TERMS: tuple[str, ...] = (
    "variant*", "mutation*", "mutant*", "de novo", "homozygo*", "heterozygo*", "hemizygo*", "proband*",
    "pathogenic",
)
DEFAULT_PUBLICATION_TYPES: tuple[str, ...] = ("case reports",)
MIN_SYNONYM_LENGTH = 3
MAX_SYNONYMS = 30  # keeps the query readable and well below PubMed's term limits
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+\*?")
_BOOLEAN_WORDS = frozenset({"AND", "OR", "NOT"})
_UNSAFE_IN_PHRASE = re.compile(r'["\[\]()]+')
_LEADING_OPERATOR = re.compile(r"^\s*(AND|OR|NOT)\s", re.IGNORECASE)


@dataclass(frozen=True)
class QueryOptions:
    """How the case-level filter is written (``[query]`` in a watchlist)."""

    variant_terms: tuple[str, ...] = DEFAULT_VARIANT_TERMS
    publication_types: tuple[str, ...] = DEFAULT_PUBLICATION_TYPES
    min_synonym_length: int = MIN_SYNONYM_LENGTH


@dataclass(frozen=True)
class GeneNames:
    """What a gene is called in papers: approved symbol and name, plus the usable synonyms."""

    symbol: str
    name: str = ""
    synonyms: tuple[str, ...] = field(default_factory=tuple)


def field_term(text: str, tag: str) -> str:
    """One PubMed term restricted to a field; quoted unless it is a plain word (wildcard allowed).

    Quoting keeps hyphens, spaces and Boolean words (an alias ``OR``) from being read as syntax;
    characters that cannot appear inside a PubMed phrase are replaced by spaces.
    """
    cleaned = " ".join(_UNSAFE_IN_PHRASE.sub(" ", text).split())
    if _PLAIN_WORD.fullmatch(cleaned) and cleaned.upper() not in _BOOLEAN_WORDS:
        return f"{cleaned}[{tag}]"
    return f'"{cleaned}"[{tag}]'


def select_synonyms(
    candidates: Iterable[str], symbol: str, *, min_length: int = MIN_SYNONYM_LENGTH,
    is_ambiguous: Callable[[str], bool] = lambda _s: False,
) -> tuple[str, ...]:
    """Synonyms worth searching: long enough, not ambiguous, not the symbol again, case-insensitively unique."""
    seen = {symbol.upper()}
    kept: list[str] = []
    for synonym in candidates:
        text = synonym.strip()
        key = text.upper()
        if key in seen or len(text) < min_length or is_ambiguous(text):
            continue
        seen.add(key)
        kept.append(text)
    return tuple(kept[:MAX_SYNONYMS])


def gene_clause(names: GeneNames) -> str:
    """``(symbol[tiab] OR synonym[tiab] ... OR "approved name"[tiab])``."""
    words = [names.symbol, *names.synonyms]
    if names.name:
        words.append(names.name)
    return "(" + " OR ".join(field_term(w, "tiab") for w in dict.fromkeys(words)) + ")"


def filter_clause(options: QueryOptions) -> str:
    """The variant / case-level filter, or ``""`` when both term lists are empty."""
    terms = [field_term(t, "tiab") for t in options.variant_terms]
    terms += [field_term(t, "pt") for t in options.publication_types]
    return "(" + " OR ".join(terms) + ")" if terms else ""


def extra_clause(extra: str | None) -> str:
    """``query_extra`` joined to the rest: ANDed unless it starts with its own operator."""
    extra = (extra or "").strip()
    if not extra:
        return ""
    if _LEADING_OPERATOR.match(extra):
        return " " + extra
    return f" AND ({extra})"


def gene_query(names: GeneNames, options: QueryOptions = QueryOptions(), extra: str | None = None) -> str:
    """The full PubMed query for one gene."""
    query = gene_clause(names)
    case_level = filter_clause(options)
    if case_level:
        query += f" AND {case_level}"
    return query + extra_clause(extra)
