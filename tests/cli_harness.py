"""Harness for end-to-end tests: the real ``genelit`` console script in a subprocess, against a
:class:`~flows.replay.ReplayServer` in the test process (the only fake: the network boundary) and a
temporary store; plus readers that look straight at the store's tables.

Used by the reliability, interrupt, concurrency, bad-input, security and end-to-end tests and by
``benchmarks/reliability.py``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from genelit.flows.replay import (
    ReplayServer,
    RequestRecord,
    _pubmed_set,
    records_from_pubtator,
)

ROOT = Path(__file__).resolve().parent.parent
BIORED_TEXTS = ROOT / "tests" / "data" / "entrez" / "biored_texts_450.PubTator.gz"
GENELIT = shutil.which("genelit", path=str(Path(sys.executable).parent)) or "genelit"
RUN_TIMEOUT = 300  # seconds; a hung subprocess fails the test instead of the whole suite



@lru_cache(maxsize=1)
def _biored_records() -> dict[str, bytes]:
    return records_from_pubtator(BIORED_TEXTS)


def biored_pool(n: int) -> dict[str, bytes]:
    """The first ``n`` BioRED abstracts (real text) as efetch records, PMID -> record bytes."""
    records = _biored_records()
    return {pmid: records[pmid] for pmid in list(records)[:n]}


@lru_cache(maxsize=4)
def _reference(pmids: tuple[str, ...]) -> dict[str, frozenset[str]]:
    from genelit.flows.pubmed_xml import parse_pubmed_xml
    from genelit.flows.steps import extract_and_draft

    records = _biored_records()
    articles = parse_pubmed_xml(_pubmed_set([records[p] for p in pmids]))
    drafts = extract_and_draft(articles, show_progress=False)
    return {pmid: frozenset(r.record_id for r in drafts.get(pmid, [])) for pmid in pmids}


def reference_record_ids(pmids: Iterable[str]) -> dict[str, frozenset[str]]:
    """Record ids a clean, fault-free extraction of these BioRED abstracts drafts, per PMID."""
    return _reference(tuple(sorted(pmids)))


def cli_env(server: ReplayServer, db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for a ``genelit`` subprocess: this server, this store, local engine, fast retries."""
    env = {
        **os.environ,
        "GENELIT_EUTILS_URL": server.url,
        "GENELIT_DB_URL": db_url,
        "GENELIT_ENGINE": "local",
        "GENELIT_RATE_LIMIT": "1000",
        "GENELIT_BACKOFF_BASE": "0.01",
        "GENELIT_TIMEOUT": "5",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PYTHONWARNINGS": "ignore",
        "COLUMNS": "200",
    }
    env.update(extra)
    return env


def genelit(args: Sequence[str], env: Mapping[str, str], timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run the installed console script to completion."""
    return subprocess.run([GENELIT, *args], env=dict(env), capture_output=True, text=True, timeout=timeout)


def start_genelit(args: Sequence[str], env: Mapping[str, str], log_dir: Path, name: str) -> subprocess.Popen[str]:
    """Start the console script in the background; output goes to ``log_dir/name.{out,err}``."""
    out = (log_dir / f"{name}.out").open("w")
    err = (log_dir / f"{name}.err").open("w")
    return subprocess.Popen([GENELIT, *args], env=dict(env), stdout=out, stderr=err, text=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def stored_records(db_url: str) -> dict[str, list[str]]:
    """PMID -> live (not retired) record ids, read straight from the table (duplicates would show)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT pmid, record_id FROM evidence_records WHERE retired_at IS NULL")
            ).all()
    finally:
        engine.dispose()
    by_pmid: dict[str, list[str]] = {}
    for pmid, record_id in rows:
        by_pmid.setdefault(pmid, []).append(record_id)
    return by_pmid


def stored_article_pmids(db_url: str) -> list[str]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [p for (p,) in conn.execute(sa.text("SELECT pmid FROM articles"))]
    finally:
        engine.dispose()


def stored_failures(db_url: str) -> dict[str, str]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(sa.text("SELECT pmid, reason FROM fetch_failures")).all())
    finally:
        engine.dispose()


def sqlite_integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def request_ids(record: RequestRecord) -> list[str]:
    """The PMIDs one efetch request asked for, as the server received them."""
    return [i for i in record.params.get("id", "").split(",") if i]


def served_ids(server: ReplayServer, since: int = 0) -> list[str]:
    """PMIDs of every efetch request the server answered without a fault (request number > since)."""
    return [i for r in server.requests_to("efetch") if r.number > since and r.fault is None for i in request_ids(r)]


def assert_records_match_reference(db_url: str, pmids: Iterable[str]) -> None:
    """Each PMID's live records are exactly the clean run's, each once; nothing for other PMIDs."""
    pmids = list(pmids)
    reference = reference_record_ids(pmids)
    stored = stored_records(db_url)
    duplicated = {p: ids for p, ids in stored.items() if len(ids) != len(set(ids))}
    assert not duplicated
    differing = {p: (sorted(stored.get(p, [])), sorted(reference[p])) for p in pmids if set(stored.get(p, [])) != reference[p]}
    assert not differing, f"{len(differing)} PMID(s) differ from the clean run: {list(differing.items())[:3]}"
    assert set(stored) <= set(pmids)


def assert_clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]


