"""Errors a user can cause or meet, each with the exit code the CLI returns for it.

Exit codes: 0 success; 1 the job ran but some items failed (e.g. PMIDs not fetched after retries);
2 invalid input or usage (bad PMIDs, unreadable file, bad config); 3 the store is unusable or does not
exist (a read-only command before the first run, a SQLite path whose folder does not exist).
"""
from __future__ import annotations


class GenelitError(Exception):
    """Base class: ``str(error)`` is the one-line message shown to the user."""

    exit_code = 1


class InputError(GenelitError):
    """The user's input (arguments, files, config) is invalid."""

    exit_code = 2


class ConflictError(InputError):
    """A decision was made on a record as it was before someone else changed it (optimistic check)."""


class ConfigError(InputError):
    """The configuration (``genelit.toml``, ``GENELIT_*`` variables) is unreadable or invalid."""


class StoreError(GenelitError):
    """The evidence store does not exist, or cannot be opened, migrated or written."""

    exit_code = 3


class RecordRejected(StoreError):
    """The store refused one write for what it holds (e.g. a value its column cannot take), while the
    store itself is fine: the caller reports that item and goes on with the others."""

    exit_code = 1


class FetchError(GenelitError):
    """NCBI could not be reached or kept failing after all retries."""

    exit_code = 1


class PrefectUnavailable(GenelitError):
    """The shared local Prefect API could not be started or reached (the local engine still works)."""

    exit_code = 1
