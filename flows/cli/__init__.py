"""The ``genelit`` command line.

Each command group lives in its own module and registers itself on :data:`app`; :func:`main`
turns every :class:`~genelit.errors.GenelitError` into a one-line message and its exit code, so a
user never sees a traceback for bad input.
"""
from __future__ import annotations

import signal
import sys
from types import FrameType

# command modules register themselves on `app` when imported
from genelit.flows.cli import annotate, demo, export, lexicon, review, run, scan, serve  # noqa: E402,F401
from genelit.flows.cli.app import app, console_err
from rich.text import Text

from genelit.errors import GenelitError

INTERRUPTED_MESSAGE = "interrupted; finished work is saved, re-run to resume"


class Interrupted(BaseException):
    """Raised in the main thread when SIGTERM or SIGINT (Ctrl-C) arrives.

    A ``BaseException`` so that no ``except Exception`` on the way up swallows it, and not a
    ``KeyboardInterrupt`` so that click does not turn it into its own "Aborted!": it unwinds every
    ``with`` block, so the transaction in flight is rolled back and connections are closed, while
    every chunk committed before stays saved.  `kill`, systemd, Kubernetes and CI runners stop jobs
    with SIGTERM, so it is handled exactly like Ctrl-C.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum  # the shell convention for "terminated by signal N"


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def main() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _raise_interrupted)
    try:
        # standalone mode: click reports usage errors itself (usage line + message, exit 2)
        app()
    except Interrupted as exc:
        console_err.print(INTERRUPTED_MESSAGE, highlight=False)
        sys.exit(exc.exit_code)
    except GenelitError as exc:
        console_err.print(Text.assemble(("error:", "bold red"), f" {exc}"), highlight=False)
        sys.exit(exc.exit_code)
