"""Progress reporting: a rich progress bar on a terminal, plain log lines otherwise.

Long phases (fetching thousands of PMIDs, extracting thousands of abstracts) report through
:func:`phase`, which yields an ``advance(n)`` callback.  When stderr is not a TTY (cron, CI, Prefect
workers) it logs ``phase: done/total`` at most every ``log_every`` seconds instead of drawing a bar.
"""
from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

log = logging.getLogger("genelit")


@contextmanager
def phase(description: str, total: int | None, *, enabled: bool = True, log_every: float = 5.0) -> Iterator[Callable[[int], None]]:
    """Context manager yielding ``advance(n)`` for a phase of ``total`` items."""
    if not enabled or not total:
        yield lambda n=1: None
        return
    if sys.stderr.isatty():
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)
        return
    done = 0
    last = time.monotonic()

    def advance(n: int = 1) -> None:
        nonlocal done, last
        done += n
        now = time.monotonic()
        if done >= total or now - last >= log_every:
            log.info("%s: %d/%d", description, done, total)
            last = now

    yield advance
