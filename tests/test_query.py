"""The PubMed query builder and HGNC-based gene resolution behind ``genelit gene`` / ``genelit scan``."""
from __future__ import annotations

import pytest
from genelit.flows.query import (
    GeneNames,
    QueryOptions,
    extra_clause,
    field_term,
    filter_clause,
    gene_query,
    select_synonyms,
)
from genelit.flows.scan_targets import gene_target

from genelit.errors import InputError


@pytest.mark.parametrize(
    ("text", "tag", "expected"),
    [
        ("IGF1", "tiab", "IGF1[tiab]"),
        ("variant*", "tiab", "variant*[tiab]"),
        ("IGF-I", "tiab", '"IGF-I"[tiab]'),
        ("insulin like growth factor 1", "tiab", '"insulin like growth factor 1"[tiab]'),
        ("OR", "tiab", '"OR"[tiab]'),  # an alias spelled like an operator stays a word
        ('say "hi" [x] (y)', "tiab", '"say hi x y"[tiab]'),  # no quote or bracket inside a phrase
        ("case reports", "pt", '"case reports"[pt]'),
    ],
)
def test_field_term_quotes_everything_but_plain_words(text: str, tag: str, expected: str) -> None:
    assert field_term(text, tag) == expected


def test_select_synonyms_skips_short_ambiguous_and_repeated_names() -> None:
    chosen = select_synonyms(
        ["GH", "igf1", "IGF-I", "MASS", "IGFI", "IGF-I ", "X"], "IGF1", min_length=3,
        is_ambiguous=lambda s: s == "MASS",
    )
    assert chosen == ("IGF-I", "IGFI")


def test_gene_query_combines_names_filter_and_extra() -> None:
    names = GeneNames("IGF1", "insulin like growth factor 1", ("IGF-I",))
    query = gene_query(names, QueryOptions(variant_terms=("variant*", "mutation*"), publication_types=("case reports",)), "humans[mh]")
    assert query == (
        '(IGF1[tiab] OR "IGF-I"[tiab] OR "insulin like growth factor 1"[tiab]) '
        'AND (variant*[tiab] OR mutation*[tiab] OR "case reports"[pt]) AND (humans[mh])'
    )


def test_empty_filter_and_operator_led_extra() -> None:
    options = QueryOptions(variant_terms=(), publication_types=())
    assert filter_clause(options) == ""
    assert gene_query(GeneNames("GH1"), options, "NOT review[pt]") == "(GH1[tiab]) NOT review[pt]"
    assert extra_clause("  ") == ""


def test_igf1_query_uses_hgnc_names_and_the_default_case_level_filter() -> None:
    target = gene_target("IGF1")
    assert (target.symbol, target.hgnc_id, target.ncbi_gene_id, target.note) == ("IGF1", "HGNC:5464", "3479", None)
    gene_part, case_part = target.query.split(" AND ", 1)
    assert gene_part.startswith("(IGF1[tiab] OR ")
    assert '"IGF-I"[tiab]' in gene_part and '"insulin like growth factor 1"[tiab]' in gene_part
    assert "variant*[tiab]" in case_part and "mutation*[tiab]" in case_part and '"case reports"[pt]' in case_part


def test_aliases_and_previous_symbols_map_to_the_approved_symbol_with_a_note() -> None:
    alias = gene_target("IGF-I")
    assert alias.symbol == "IGF1" and alias.query == gene_target("IGF1").query
    assert "alias of IGF1" in alias.note
    previous = gene_target("MGF")
    assert previous.symbol == "KITLG" and "previous symbol of KITLG" in previous.note


@pytest.mark.parametrize(
    ("symbol", "left_out", "kept"),
    [
        ("GH1", "GH[tiab]", '"GH-N"[tiab]'),  # two letters
        ("FBN1", "MASS[tiab]", '"fibrillin 1"[tiab]'),  # an English word
        ("SCN1A", "NAC1[tiab]", '"Nav1.1"[tiab]'),  # NACC1's alias
        ("SCN1A", "HBSCI[tiab]", "GEFSP2[tiab]"),  # shared with SCN2A
        ("COL1A1", "OI4[tiab]", "COL1A1[tiab]"),  # previous symbol now pointing at COL1A2
        ("IGF1", "IGF[tiab]", '"IGF-I"[tiab]'),  # the stem of IGF1, IGF2 ...
        ("FBN1", "FBN[tiab]", "MFS1[tiab]"),  # the stem of FBN1, FBN2, FBN3
        ("SCN1A", "SCN1[tiab]", "SMEI[tiab]"),  # the stem of SCN1A, SCN1B
    ],
)
def test_short_or_ambiguous_synonyms_are_left_out(symbol: str, left_out: str, kept: str) -> None:
    query = gene_target(symbol).query
    assert left_out not in query
    assert kept in query


def test_a_family_stem_is_ambiguous_only_when_another_gene_is_in_the_family() -> None:
    from genelit.flows.scan_targets import family_stems, is_family_stem

    assert {"HGNC:5464", "HGNC:5466"} <= family_stems()["IGF"]  # IGF1, IGF2
    assert is_family_stem("IGF", "HGNC:5464") and is_family_stem("igf", "HGNC:5466")
    assert is_family_stem("SCN1", "HGNC:10585")  # SCN1A's alias: SCN1B is another gene
    assert not is_family_stem("ACTC", "HGNC:143")  # ACTC1's alias: there is no ACTC2
    assert "ACTC[tiab]" in gene_target("ACTC1").query
    assert not is_family_stem("IGF-I", "HGNC:5464")


def test_unknown_symbol_is_an_input_error_with_suggestions() -> None:
    with pytest.raises(InputError, match="IGF11 is not an HGNC gene symbol; did you mean .*IGF1"):
        gene_target("IGF11")


def test_withdrawn_symbol_is_an_input_error() -> None:
    from genelit.extractors.gene_index import gene_index
    from genelit.extractors.gene_lookup import resolve_symbol

    # a withdrawn symbol that is not also an alias or previous symbol of an approved gene
    withdrawn = next(s for s in gene_index().withdrawn if resolve_symbol(s).status == "withdrawn")
    with pytest.raises(InputError, match="withdrawn HGNC symbol"):
        gene_target(withdrawn)
