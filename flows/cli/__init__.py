"""The ``genelit`` command line.

Each command group lives in its own module and registers itself on :data:`app`; :func:`main`
turns every :class:`~flows.errors.GenelitError` into a one-line message and its exit code, so a
user never sees a traceback for bad input.
"""
from __future__ import annotations

import sys

from flows.cli.app import app, console_err
from flows.config import ConfigError
from flows.errors import GenelitError

# command modules register themselves on `app` when imported
from flows.cli import annotate, demo, export, lexicon, run, review, scan  # noqa: E402,F401


def main() -> None:
    try:
        app(standalone_mode=False)
    except GenelitError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except ConfigError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        console_err.print("interrupted; finished work is saved, re-run to resume", highlight=False)
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
