"""Reliability scenario: injected NCBI faults and two concurrent ``genelit run`` processes on one store.

Runs the real console script (local engine) twice at once over overlapping halves of N BioRED
abstracts, against the loopback replay server injecting the faults NCBI produces, on one SQLite store;
then compares every abstract's stored records with a clean extraction of the same abstracts and appends
a table (faults injected and survived, inputs tried, records lost or duplicated) to
``benchmarks/RESULTS.md``.

    python benchmarks/reliability.py --abstracts 100
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from cli_harness import (  # noqa: E402
    biored_pool,
    reference_record_ids,
    sqlite_integrity,
    sqlite_url,
    stored_article_pmids,
    stored_records,
)
from genelit.flows.replay import Fault, ReplayServer  # noqa: E402
from test_concurrency import run_two_at_once  # noqa: E402

FAULTS = [
    Fault.http_error(429, retry_after="1", times=1),
    Fault.http_error(429, times=1),
    Fault.http_error(500, times=1),
    Fault.http_error(502, times=1),
    Fault.http_error(503, times=1),
    Fault.slow(7.0, times=1),  # > the 5 s client timeout
    Fault.reset(times=1),
    Fault.truncated(times=1),
    Fault.error_body(times=1),
]


def fault_label(fault: Fault) -> str:
    if fault.kind == "http_error":
        return f"HTTP {fault.http_status}" + (" + Retry-After" if fault.retry_after else "")
    return {"slow": "read timeout", "reset": "connection reset", "truncated": "truncated XML", "error_body": "<ERROR> body"}[fault.kind]


def scenario(abstracts: int) -> dict[str, object]:
    pool = biored_pool(abstracts)
    pmids = list(pool)
    third = len(pmids) // 3
    sets = [pmids[: 2 * third], pmids[third:]]  # overlapping by a third
    reference = reference_record_ids(pmids)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "genelit.db"
        started = time.monotonic()
        with ReplayServer(pool=pool, faults=FAULTS) as server:
            results = run_two_at_once(server, sqlite_url(db), tmp, sets)
            requests = [r for r in server.requests_to("efetch") if r.params.get("db") != "pmc"]
            pmc_requests = Counter(r.endpoint for r in server.requests if r.params.get("db") == "pmc")
        wall = time.monotonic() - started
        stored = stored_records(sqlite_url(db))
        articles = stored_article_pmids(sqlite_url(db))
        integrity = sqlite_integrity(db)
    injected = Counter(r.fault for r in requests if r.fault)
    expected = sum(len(ids) for ids in reference.values())
    present = sum(len(set(stored.get(p, [])) & ids) for p, ids in reference.items())
    return {
        "abstracts": len(pmids),
        "runs": [code for code, _out, _err in results],
        "locked": sum("database is locked" in out + err for _code, out, err in results),
        "tracebacks": sum("Traceback" in err for _code, _out, err in results),
        "injected": injected,
        "requests": len(requests),
        "pmc_requests": pmc_requests,
        "articles": len(articles),
        "article_duplicates": len(articles) - len(set(articles)),
        "records_expected": expected,
        "records_present": present,
        "records_lost": expected - present,
        "records_duplicated": sum(len(ids) - len(set(ids)) for ids in stored.values()),
        "records_unexpected": sum(len(set(stored.get(p, [])) - ids) for p, ids in reference.items()),
        "integrity": integrity,
        "wall": wall,
    }


def table(result: dict[str, object], command: str) -> str:
    injected: Counter[str] = result["injected"]  # type: ignore[assignment]
    survived = all(code == 0 for code in result["runs"])  # type: ignore[attr-defined]
    lines = [
        f"## Reliability: injected faults + 2 concurrent runs on one SQLite store ({result['abstracts']} abstracts)",
        "",
        f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- command: `{command}` (from the repository root)",
        f"- machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average at the end "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "- two `genelit run --engine local` processes at once over overlapping thirds-of-PMIDs sets "
        "(batch 10, chunk 20), one ReplayServer injecting each fault once; records compared with a clean "
        "in-process extraction of the same abstracts",
        "",
        "| measure | value |",
        "|---|---|",
        f"| faults injected | {sum(injected.values())} ({', '.join(fault_label(f) for f in FAULTS)}) |",
        f"| faults survived (both runs exit 0) | {sum(injected.values()) if survived else 0} — exit codes {result['runs']} |",
        f"| inputs tried (PMIDs, union of both runs) | {result['abstracts']} |",
        f"| efetch db=pubmed requests (retries included) | {result['requests']} |",
        f"| PMC requests: elink pubmed->pmc / efetch db=pmc (full text is the default; these abstracts are not in PMC) "
        f"| {result['pmc_requests']['elink']} / {result['pmc_requests']['efetch']} |",
        f"| articles stored / duplicated | {result['articles']} / {result['article_duplicates']} |",
        f"| records expected / present | {result['records_expected']} / {result['records_present']} |",
        f"| records lost | {result['records_lost']} |",
        f"| records duplicated / unexpected | {result['records_duplicated']} / {result['records_unexpected']} |",
        f"| 'database is locked' / tracebacks | {result['locked']} / {result['tracebacks']} |",
        f"| SQLite integrity_check | {result['integrity']} |",
        f"| wall time (both runs) | {result['wall']:.1f} s |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=100)
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    command = "python benchmarks/reliability.py " + shlex.join(sys.argv[1:])
    text = table(scenario(args.abstracts), command.strip())
    print(text)
    with args.results.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
