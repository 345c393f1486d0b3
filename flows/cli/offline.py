"""Offline runs: the bundled real PubMed records served by the loopback E-utilities replay.

``genelit demo`` falls back to it when NCBI is unreachable and ``genelit run --offline`` asks for it.  The
replay answers the same Entrez client a normal run uses (same requests, same parsing, same store), so an
offline run differs from an online one only in where the records come from.  The records are the real
PubMed records shipped in ``flows/examples`` (see its README); a PMID that is not among them is never
requested offline -- it is named to the user instead of being recorded as "not returned by NCBI".
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack

from genelit.flows.cli.app import console_err
from genelit.flows.replay import ReplayServer, example_pool

from genelit.config import settings

# how many PMIDs a message names before it gives only a count
SHOWN_PMIDS = 5


def bundled_pmids() -> frozenset[str]:
    """PMIDs of the real PubMed records bundled with genelit."""
    return frozenset(example_pool())


def serve_bundled_records(stack: ExitStack) -> str:
    """Start the replay of the bundled records for the rest of ``stack``; every Entrez request this process
    makes from now on (``GENELIT_EUTILS_URL``, settings re-read) goes to it.  Returns its URL."""
    server = stack.enter_context(ReplayServer(example_pool()))
    os.environ["GENELIT_EUTILS_URL"] = server.url
    settings.cache_clear()
    return server.url


def not_available_offline(pmids: Sequence[str], cached: set[str]) -> list[str]:
    """The PMIDs an offline run cannot process: neither bundled nor already in the store's article cache."""
    bundled = bundled_pmids()
    return [p for p in pmids if p not in bundled and p not in cached]


def report_unavailable(pmids: Sequence[str]) -> None:
    """One line naming the first few PMIDs an offline run could not process, and how many there are."""
    shown = ", ".join(pmids[:SHOWN_PMIDS]) + (f" and {len(pmids) - SHOWN_PMIDS} more" if len(pmids) > SHOWN_PMIDS else "")
    console_err.print(
        f"not available offline: {len(pmids)} PMID(s) are neither bundled nor in the store ({shown}); "
        "run without --offline to fetch them from NCBI",
        highlight=False,
    )
