"""The watchlist file of ``genelit scan``: which genes to scan, and how.

Accepted forms (TOML)::

    look_back_days = 30      # first scan of a gene: papers added to PubMed in the last 30 days
    overlap_days = 3         # later scans re-search 3 days before the last scan (late indexing)
    max = 1000               # at most this many papers per gene and scan
    with_gene_links = false  # also take the papers NCBI Gene links to the gene

    genes = ["IGF1", "SCN1A", { symbol = "GH1", max = 200 }]

    [query]                  # optional: the case-level filter (see flows.query)
    variant_terms = ["variant*", "mutation*"]
    publication_types = ["case reports"]

or genes as tables, one per gene, for per-gene options::

    [genes.IGF1]
    query_extra = "humans[mh]"
    max = 500

    [genes.SCN1A]            # an empty table: the defaults

Per-gene options: ``query_extra``, ``max``, ``look_back_days``, ``with_gene_links``, ``since``
(a date: re-scan from there once, overriding the watermark).  Unknown keys are errors, so a typo does
not silently change a nightly scan.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from genelit.flows.query import (
    DEFAULT_PUBLICATION_TYPES,
    DEFAULT_VARIANT_TERMS,
    MIN_SYNONYM_LENGTH,
    QueryOptions,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from genelit.errors import InputError

DEFAULT_LOOK_BACK_DAYS = 30
DEFAULT_OVERLAP_DAYS = 3
DEFAULT_MAX_PER_GENE = 1000


class QuerySection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    variant_terms: tuple[str, ...] = DEFAULT_VARIANT_TERMS
    publication_types: tuple[str, ...] = DEFAULT_PUBLICATION_TYPES
    min_synonym_length: int = Field(default=MIN_SYNONYM_LENGTH, ge=1)

    def options(self) -> QueryOptions:
        return QueryOptions(self.variant_terms, self.publication_types, self.min_synonym_length)


class GeneEntry(BaseModel):
    """One gene of the watchlist, with its own options (None = the watchlist default)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    symbol: str
    query_extra: str | None = None
    max_results: int | None = Field(default=None, alias="max", ge=1)
    look_back_days: int | None = Field(default=None, ge=0)
    with_gene_links: bool | None = None
    since: dt.date | None = None

    @field_validator("symbol")
    @classmethod
    def _symbol_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty gene symbol")
        return value.strip()


class Watchlist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    genes: tuple[GeneEntry, ...]
    look_back_days: int = Field(default=DEFAULT_LOOK_BACK_DAYS, ge=0)
    overlap_days: int = Field(default=DEFAULT_OVERLAP_DAYS, ge=0)
    max_results: int = Field(default=DEFAULT_MAX_PER_GENE, alias="max", ge=1)
    with_gene_links: bool = False
    query: QuerySection = QuerySection()

    @field_validator("genes", mode="before")
    @classmethod
    def _gene_entries(cls, value: Any) -> list[Any]:
        """``genes`` as a list (of symbols or inline tables) or as a table keyed by symbol."""
        if isinstance(value, dict):
            return [{"symbol": symbol, **(options or {})} for symbol, options in value.items()]
        if isinstance(value, list):
            return [{"symbol": item} if isinstance(item, str) else item for item in value]
        raise ValueError("must be a list of gene symbols or one [genes.SYMBOL] table per gene")

    @field_validator("genes")
    @classmethod
    def _not_empty_no_repeats(cls, genes: tuple[GeneEntry, ...]) -> tuple[GeneEntry, ...]:
        if not genes:
            raise ValueError("no genes listed")
        seen: set[str] = set()
        for gene in genes:
            if gene.symbol.upper() in seen:
                raise ValueError(f"{gene.symbol} is listed twice")
            seen.add(gene.symbol.upper())
        return genes


def _one_line(error: ValidationError) -> str:
    """The first problem pydantic found, as ``where: what``."""
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "file"
    more = error.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more problem(s))" if more else "")


def parse_watchlist(text: str, source: str = "watchlist") -> Watchlist:
    """Validate watchlist TOML text; every problem becomes a one-line :class:`InputError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source} is not valid TOML: {exc}") from None
    if "genes" not in data:
        raise InputError(f'{source} lists no genes: add genes = ["IGF1", ...]')
    try:
        return Watchlist.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{source}: {_one_line(exc)}") from None


def read_watchlist(path: Path) -> Watchlist:
    """Read and validate a watchlist file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"watchlist not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read watchlist {path}: {exc}") from None
    return parse_watchlist(text, str(path))
