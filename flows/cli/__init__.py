"""The ``genelit`` command line.

Each command group lives in its own module and registers itself on :data:`app`; :func:`main`
turns every :class:`~flows.errors.GenelitError` into a one-line message and its exit code, so a
user never sees a traceback for bad input.
"""
from __future__ import annotations

import signal
import sys
from types import FrameType

from flows.cli.app import app, console_err
from flows.config import ConfigError
from flows.errors import GenelitError

# command modules register themselves on `app` when imported
from flows.cli import annotate, demo, export, lexicon, run, review, scan  # noqa: E402,F401


INTERRUPTED_MESSAGE = "interrupted; finished work is saved, re-run to resume"
# 128 + signal number, the shell convention for "terminated by SIGTERM"
SIGTERM_EXIT_CODE = 128 + signal.SIGTERM


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that no ``except Exception`` on the way up
    swallows it: it unwinds every ``with`` block, so the transaction in flight is rolled back and
    connections are closed, while every chunk committed before stays saved.
    """


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated()


def main() -> None:
    # `kill`, systemd, Kubernetes and CI runners stop jobs with SIGTERM: stop as cleanly as on Ctrl-C
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        app(standalone_mode=False)
    except Terminated:
        console_err.print(INTERRUPTED_MESSAGE, highlight=False)
        sys.exit(SIGTERM_EXIT_CODE)
    except GenelitError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except ConfigError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        console_err.print(INTERRUPTED_MESSAGE, highlight=False)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and aborts
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        raise
