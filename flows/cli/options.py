"""Options and their parsing shared by several commands (engine, Dask, dates).

Below every command module, so ``run``, ``gene``, ``scan`` and ``demo`` share them without importing
each other.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from genelit.errors import InputError

if TYPE_CHECKING:
    from genelit.flows.pubmed_flow import DaskOptions

ENGINE_HELP = (
    "`prefect` runs as a Prefect flow (run history and logs; starts a local ephemeral API unless "
    "PREFECT_API_URL points at a server), `local` runs the same steps in-process without Prefect. "
    "Default: $GENELIT_ENGINE or prefect."
)


def checked_engine(engine: str) -> str:
    """The engine to use: the option, else $GENELIT_ENGINE, else prefect; anything else is bad input."""
    engine = engine or os.environ.get("GENELIT_ENGINE", "prefect")
    if engine not in ("prefect", "local"):
        raise InputError(f"--engine must be 'prefect' or 'local', not {engine!r}")
    return engine


OFFLINE_HELP = (
    "Do not contact NCBI: serve the real PubMed records bundled with genelit (e.g. 9401537) through a "
    "loopback replay of E-utilities. Articles already in the store are used as usual; other PMIDs are "
    "listed as not available offline."
)

DASK_ADDRESS_HELP = "Run extraction on an existing Dask cluster, e.g. `tcp://scheduler:8786`."
DASK_WORKERS_HELP = "Run extraction on a temporary local Dask cluster of N single-threaded worker processes."


def parse_day(value: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` (or ``YYYY/MM/DD``) to a date; InputError naming the option otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        raise InputError(f"{option} must be a date like 2024-01-31, not {value!r}") from None


def dask_options(address: str | None, workers: int | None) -> DaskOptions | None:
    """The Dask options the user gave, or None to extract in this process."""
    if address is None and workers is None:
        return None
    from genelit.flows.pubmed_flow import DaskOptions

    return DaskOptions(address=address, workers=workers)


ABSTRACT_ONLY_HELP = "Read titles and abstracts only: do not look for PubMed Central full text (faster, fewer requests)."


def apply_abstract_only(abstract_only: bool) -> None:
    """``--abstract-only``: switch full text off for this process (the flows read it from the settings)."""
    if abstract_only:
        os.environ["GENELIT_FULL_TEXT"] = "0"


def check_store() -> None:
    """Open (and migrate) the evidence store now: an unusable store is one line at once, before the
    flows, their heavy libraries and any Prefect API start."""
    from genelit.models.store import Store

    from genelit.config import settings

    with Store(settings().db_url):
        pass
