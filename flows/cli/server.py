"""``genelit server start|stop|status``: the shared local Prefect API that Prefect-engine runs use.

Runs start it on first need and it stops itself after an idle period, so these commands are only for
looking at it, starting it ahead of a batch of runs, or stopping it now.  With PREFECT_API_URL set,
runs use that server instead and these commands only manage genelit's own.
"""
from __future__ import annotations

import datetime as dt

import typer
from genelit.flows.cli.app import app, console

server_app = typer.Typer(help="The shared local Prefect API used by `--engine prefect` runs.", no_args_is_help=True)
app.add_typer(server_app, name="server")


@server_app.command("start")
def start() -> None:
    """Start the shared local Prefect API (or find the running one) and print its URL."""
    from genelit.flows.prefect_api import default_state_dir, ensure_server

    console.print(ensure_server(default_state_dir()), highlight=False)


@server_app.command("stop")
def stop() -> None:
    """Stop the shared local Prefect API now (runs in progress that use it will fail)."""
    from genelit.flows.prefect_api import default_state_dir, stop_server

    stopped = stop_server(default_state_dir())
    console.print("stopped" if stopped else "no server was running")


@server_app.command("status")
def status() -> None:
    """Whether the shared local Prefect API runs, its URL, process, clients and log file."""
    from genelit.flows.prefect_api import default_state_dir, server_status

    info = server_status(default_state_dir())
    line = f"{info['state']}"
    if info.get("url"):
        line += f" · {info['url']} · pid {info.get('pid')}"
    line += f" · clients {len(info['clients'])}"
    if info.get("last_used"):
        line += f" · last used {dt.datetime.fromtimestamp(info['last_used']).isoformat(timespec='seconds')}"
    console.print(line, highlight=False)
    console.print(f"state {info['state_dir']} · log {info['log']}", highlight=False)
