"""Start-up: ``genelit --help``, what ``import genelit.flows.cli`` loads, and one cached PMID ``genelit run``
on the local engine and on the Prefect engine through the shared local API (warm: server running).

NCBI is the loopback replay server with the bundled IGF1 record; the store is a scratch SQLite file,
seeded by one run first, so every timed run finds the PMID cached.  The shared API lives in a scratch
state folder and is stopped at the end.

Run: ``python benchmarks/bench_startup.py [--runs 5]``
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import Timing, report, scratch_dir, table
from genelit.flows import prefect_api
from genelit.flows.replay import IGF1_EXAMPLE_PMID, ReplayServer, example_pool

GENELIT = shutil.which("genelit", path=str(Path(sys.executable).parent)) or "genelit"
HEAVY = ("pandas", "sqlalchemy", "spacy", "prefect", "openpyxl", "alembic", "distributed")
HELP_TARGET = 0.5  # seconds, issue #13
RUN_TARGET = 5.0  # seconds, one cached PMID on a warm machine, issue #13


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run([GENELIT, *args], env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"genelit {' '.join(args)} failed ({result.returncode}): {result.stderr[-500:]}")
    return seconds


def heavy_modules_loaded() -> list[str]:
    probe = f"import sys, genelit.flows.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=scratch_dir("probe"))
    return [m for m in out.stdout.strip().split(",") if m]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = scratch_dir("startup")
    state = work / "prefect-state"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GENELIT_"))}
    env.update(GENELIT_DB_URL=f"sqlite:///{work / 'genelit.db'}", GENELIT_PREFECT_STATE=str(state),
               GENELIT_RATE_LIMIT="1000", HOME=str(work))
    rows = []
    try:
        help_times = Timing(tuple(timed(["--help"], env) for _ in range(args.runs)))
        rows.append(["`genelit --help`", f"{help_times.best:.2f}", f"{help_times.median:.2f}", f"≤ {HELP_TARGET}"])
        with ReplayServer(example_pool()) as server:
            env["GENELIT_EUTILS_URL"] = server.url
            run = ["run", "--pmids", IGF1_EXAMPLE_PMID]
            timed([*run, "--engine", "local"], env)  # seed the store: the PMID is cached from now on
            local = Timing(tuple(timed([*run, "--engine", "local"], env) for _ in range(args.runs)))
            start = time.perf_counter()
            timed([*run, "--engine", "prefect"], env)  # starts the shared API (fresh state folder)
            first_prefect = time.perf_counter() - start
            prefect = Timing(tuple(timed([*run, "--engine", "prefect"], env) for _ in range(args.runs)))
        rows.append(["cached PMID, `run --engine local`", f"{local.best:.2f}", f"{local.median:.2f}", f"≤ {RUN_TARGET}"])
        rows.append(["cached PMID, `run --engine prefect`, shared API running", f"{prefect.best:.2f}",
                     f"{prefect.median:.2f}", f"≤ {RUN_TARGET}"])
        rows.append(["cached PMID, `run --engine prefect`, first run (starts the API, fresh state)",
                     f"{first_prefect:.2f}", "", ""])
    finally:
        prefect_api.stop_server(state)
        shutil.rmtree(work, ignore_errors=True)
    lines = table(["measurement", "best s", "median s", "target"], rows)
    lines += ["", f"Prefect's per-run overhead against the local engine (medians): {prefect.median - local.median:+.2f} s",
              f"Heavy modules loaded by `import genelit.flows.cli`: {', '.join(heavy_modules_loaded()) or 'none'}"]
    report("Start-up (bench_startup.py)", lines, notes=[f"{args.runs} runs each; wall time of the whole process"])


if __name__ == "__main__":
    main()
