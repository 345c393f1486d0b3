"""Shared test fixtures.

Prefect's ephemeral API takes ~10 s to start, so only tests that request the ``prefect_harness``
fixture pay for it, once per session.  Every test gets its own SQLite store and Prefect home.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test: its own store, no user config file, no real NCBI, settings re-read."""
    from genelit.config import settings

    monkeypatch.setenv("GENELIT_DB_URL", f"sqlite:///{tmp_path / 'genelit.db'}")
    monkeypatch.delenv("GENELIT_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("GENELIT_EUTILS_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for the whole session (started on first use only)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
