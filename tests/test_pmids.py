"""PMID validation (flows.pmids): what a curator may type or put in a file, and the errors they see."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from genelit.flows.pmids import parse_pmids, read_pmid_file
from hypothesis import given, settings
from hypothesis import strategies as st

from genelit.errors import InputError


def test_splits_on_commas_and_whitespace_and_deduplicates_in_order() -> None:
    assert parse_pmids(["9401537, 12091962", "9401537\t27797938", "12091962"]) == [
        "9401537",
        "12091962",
        "27797938",
    ]


def test_leading_zeros_are_dropped_so_duplicates_are_recognised() -> None:
    assert parse_pmids(["009401537", "9401537"]) == ["9401537"]


def test_nine_digits_accepted_ten_rejected() -> None:
    assert parse_pmids(["123456789"]) == ["123456789"]
    with pytest.raises(InputError, match="1234567890"):
        parse_pmids(["123456789", "1234567890"])


@pytest.mark.parametrize("bad", ["PMID:9401537", "94O1537", "", "   ", "0", "٣٤٥", "12.5", "-5"])
def test_invalid_items_are_rejected_with_their_position(bad: str) -> None:
    with pytest.raises(InputError) as error:
        parse_pmids(["9401537", bad])
    message = str(error.value)
    assert "item 2" in message
    assert "\n" not in message


def test_error_names_the_first_bad_items_only() -> None:
    with pytest.raises(InputError) as error:
        parse_pmids(["a", "b", "c", "d", "e", "1"])
    message = str(error.value)
    assert "'a'" in message and "'c'" in message and "'d'" not in message
    assert "2 more" in message


def test_no_pmids_at_all_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no PMIDs"):
        parse_pmids([])


def test_file_with_comments_blank_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "pmids.txt"
    path.write_text("\ufeff# IGF1 papers\n9401537\n\n12091962, 27797938  # case series\n9401537\n", encoding="utf-8")
    assert list(read_pmid_file(path)) == ["9401537", "12091962", "27797938", "9401537"]
    assert parse_pmids(read_pmid_file(path)) == ["9401537", "12091962", "27797938"]


def test_file_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pmids.txt"
    path.write_text("9401537\n12091962\nrs121912659\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: 'rs121912659'"):
        list(read_pmid_file(path))


def test_non_utf8_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "pmids.txt"
    path.write_bytes("9401537\n# Müller\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_pmid_file(path))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        list(read_pmid_file(tmp_path / "absent.txt"))


def test_hundred_thousand_lines_stream_quickly(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("".join(f"{10_000_000 + i}\n" for i in range(100_000)), encoding="utf-8")
    started = time.perf_counter()
    pmids = parse_pmids(read_pmid_file(path))
    elapsed = time.perf_counter() - started
    assert len(pmids) == 100_000 and pmids[0] == "10000000" and pmids[-1] == "10099999"
    assert elapsed < 5.0


_pmid_like = st.one_of(
    st.text(),
    st.from_regex(r"\A[0-9]{1,12}\Z"),
    st.lists(st.from_regex(r"\A[0-9]{1,9}\Z"), max_size=5).map(", ".join),
    st.lists(st.text(alphabet="0123456789 ,\t\n", max_size=20), max_size=3).map(" ".join),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_pmid_like, max_size=8))
def test_parse_pmids_only_raises_input_error_and_is_idempotent(items: list[str]) -> None:
    try:
        pmids = parse_pmids(items)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert parse_pmids(pmids) == pmids
    assert all(p.isascii() and p.isdigit() and not p.startswith("0") and len(p) <= 9 for p in pmids)
    assert len(set(pmids)) == len(pmids)


def test_positions_count_pmids_within_one_comma_separated_argument() -> None:
    """`--pmids abc,123x` is one argument holding two PMIDs: they are items 1 and 2, not item 1 twice."""
    with pytest.raises(InputError) as error:
        parse_pmids(["abc,123x"])
    message = str(error.value)
    assert "item 1: 'abc'" in message and "item 2: '123x'" in message


def test_thousands_of_bad_pmids_give_a_short_message() -> None:
    with pytest.raises(InputError) as error:
        parse_pmids([",".join(f"x{i}" for i in range(5000))])
    message = str(error.value)
    assert "(and 4997 more)" in message and len(message) < 200
