"""The ``genelit`` command line.

Each command group lives in its own module and registers itself on :data:`app`; :func:`main`
turns every :class:`~genelit.errors.GenelitError` into a one-line message and its exit code, so a
user never sees a traceback for bad input.
"""
from __future__ import annotations

import errno
import os
import signal
import sys
from types import FrameType

# command modules register themselves on `app` when imported
from genelit.flows.cli import annotate, demo, export, lexicon, review, run, scan, serve, server  # noqa: E402,F401
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


# Prefect's analytics and telemetry stay off unless the user turned them on (a setting of theirs wins)
QUIET_PREFECT = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def main() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _raise_interrupted)
    for name, value in QUIET_PREFECT.items():
        os.environ.setdefault(name, value)
    try:
        # standalone mode: click reports usage errors itself (usage line + message, exit 2)
        app()
    except Interrupted as exc:
        console_err.print(INTERRUPTED_MESSAGE, highlight=False)
        sys.exit(exc.exit_code)
    except GenelitError as exc:
        console_err.print(Text.assemble(("error:", "bold red"), f" {exc}"), highlight=False)
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            where = f" writing {exc.filename}" if exc.filename else ""
            console_err.print(Text.assemble(("error:", "bold red"), f" disk full{where}; free some space and re-run "
                                            "(finished work is saved)"), highlight=False)
            sys.exit(STORE_EXIT)
        _unexpected(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        _unexpected(exc)


STORE_EXIT = 3  # a full disk makes the store (and every output) unusable


def _unexpected(exc: BaseException) -> None:
    """An error genelit did not foresee: one line; the traceback only with GENELIT_DEBUG=1."""
    if os.environ.get("GENELIT_DEBUG") == "1":
        raise exc
    console_err.print(f"error: {_one_line(exc)} (set GENELIT_DEBUG=1 for the traceback)",
                      highlight=False, markup=False, soft_wrap=True)
    sys.exit(1)
