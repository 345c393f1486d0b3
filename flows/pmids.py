"""Reading and validating PubMed identifiers (PMIDs) given by a curator.

PMIDs arrive from the command line (``--pmids 9401537,12091962``) or from a file, one or more per
line.  They are validated up front so that a typo is reported once, with its position, before any
request is sent to NCBI, instead of surfacing later as a "missing" article.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from genelit.errors import InputError

# PubMed PMIDs have at most 8 digits today; one more digit leaves room for growth.
MAX_PMID_DIGITS = 9
_SEPARATORS = re.compile(r"[,\s]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_MAX_REPORTED = 3


def canonical_pmid(token: str) -> str | None:
    """The PMID written without leading zeros, or ``None`` when ``token`` is not a PMID.

    Only ASCII digits count: ``str.isdigit`` would also accept superscripts and other scripts' digits.
    """
    if not _ASCII_DIGITS.fullmatch(token):
        return None
    digits = token.lstrip("0")
    if not digits or len(digits) > MAX_PMID_DIGITS:
        return None
    return digits


def _describe(bad: list[tuple[str, str]], counted_all: bool = True) -> str:
    shown = ", ".join(f"{where}: {value!r}" for where, value in bad[:_MAX_REPORTED])
    more = ""
    if len(bad) > _MAX_REPORTED:
        more = f" (and {len(bad) - _MAX_REPORTED} more)" if counted_all else " (and more)"
    return f"not a PMID (1-{MAX_PMID_DIGITS} digits expected) at {shown}{more}"


def parse_pmids(items: Iterable[str]) -> list[str]:
    """Validate PMIDs, split on commas/whitespace, drop duplicates keeping the first occurrence.

    Raises :class:`InputError` naming the first few invalid entries, their 1-based position among all
    the PMIDs given (after splitting), and how many more there are (an empty item is invalid too: it
    usually means a stray separator or a wrong column).
    """
    pmids: dict[str, None] = {}
    bad: list[tuple[str, str]] = []
    position = 0  # counts PMIDs as the user sees them: "abc,123x" is items 1 and 2
    for item in items:
        if not isinstance(item, str):
            position += 1
            bad.append((f"item {position}", repr(item)))
            continue
        tokens = [t for t in _SEPARATORS.split(item) if t]
        if not tokens:
            position += 1
            bad.append((f"item {position}", item))
        for token in tokens:
            position += 1
            pmid = canonical_pmid(token)
            if pmid is None:
                bad.append((f"item {position}", token))
            else:
                pmids.setdefault(pmid)
    if bad:
        raise InputError(_describe(bad))
    if not pmids:
        raise InputError("no PMIDs given")
    return list(pmids)


def read_pmid_file(path: str | Path) -> Iterator[str]:
    """Stream the PMIDs of a text file, validated, with their line number in any error message.

    One or more PMIDs per line (commas/whitespace); blank lines and ``#`` comments are ignored.
    The file is read line by line, so very long lists do not need to fit in memory.
    """
    path = Path(path)
    bad: list[tuple[str, str]] = []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line_number, line in enumerate(handle, start=1):
                content = line.split("#", 1)[0]
                for token in _SEPARATORS.split(content):
                    if not token:
                        continue
                    pmid = canonical_pmid(token)
                    if pmid is None:
                        bad.append((f"{path.name} line {line_number}", token))
                        if len(bad) > _MAX_REPORTED:
                            break
                    elif not bad:
                        yield pmid
                if len(bad) > _MAX_REPORTED:
                    break
    except FileNotFoundError:
        raise InputError(f"PMID file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"PMID file is a directory: {path}") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"PMID file {path} is not UTF-8 text (undecodable byte at offset {exc.start} of a line)"
        ) from None
    except PermissionError:
        raise InputError(f"PMID file is not readable: {path}") from None
    if bad:
        raise InputError(_describe(bad, counted_all=False))
