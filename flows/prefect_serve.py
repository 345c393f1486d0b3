"""The shared local Prefect API's own process: uvicorn serving Prefect's app, and its idle watchdog.

Started (detached) by :func:`flows.prefect_api.ensure_server`, which binds the port and passes the socket
in; this module only runs in that process.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from genelit.flows.prefect_api import (
    EXIT_GRACE,
    LAST_USED_FILE,
    WATCHDOG_INTERVAL,
    _live_clients,
    _locked,
    _read_state,
    _remove_state,
    _touch,
)

def _watchdog(server: Any, state_dir: Path, idle_minutes: float, startup_timeout: float) -> None:
    """Stop *server* when no client has used it for *idle_minutes*, or when it was disowned.

    Activity = a live registered client process, or a recent ensure_server (mtime of last_used).
    The decision is taken under the state_dir lock and the state file is removed before the
    server stops, so an ensure_server either registers first (and the server stays) or sees
    no server (and starts a new one): it never gets the URL of a server that is going away.
    """
    me = os.getpid()
    born = time.monotonic()
    seen_myself = False
    last_used = state_dir / LAST_USED_FILE
    while not server.should_exit:
        time.sleep(WATCHDOG_INTERVAL)
        st = _read_state(state_dir)
        mine = st is not None and st.get("pid") == me
        if mine:
            seen_myself = True
        elif seen_myself or time.monotonic() - born > startup_timeout + 60:
            # recorded no more (stop_server's record removed, or replaced): nobody will find us
            print(f"prefect_server watchdog: no longer recorded in {state_dir}; stopping", flush=True)
            server.should_exit = True
            return
        if not mine or idle_minutes <= 0:
            continue
        if _live_clients(state_dir, prune=True):
            with contextlib.suppress(OSError):
                _touch(last_used)  # the idle clock starts when the last client has gone
            continue
        try:
            idle_for = time.time() - last_used.stat().st_mtime
        except OSError:
            idle_for = float("inf")
        if idle_for < idle_minutes * 60:
            continue
        with _locked(state_dir, None, blocking=False) as held:
            if not held:
                continue  # an ensure_server is under way: it is activity
            try:
                idle_for = time.time() - last_used.stat().st_mtime
            except OSError:
                idle_for = float("inf")
            if _live_clients(state_dir) or idle_for < idle_minutes * 60:
                continue
            _remove_state(state_dir, pid=me)
        print(f"prefect_server watchdog: idle for {idle_for / 60:.1f} min; stopping", flush=True)
        server.should_exit = True
        return


def serve_main(argv: list[str]) -> None:
    """Entry point of the server process (started by _start_server)."""
    ap = argparse.ArgumentParser(prog="prefect_server-serve")
    ap.add_argument("--state-dir", type=Path, required=True)
    ap.add_argument("--fd", type=int, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle-minutes", type=float, required=True)
    ap.add_argument("--startup-timeout", type=float, required=True)
    args = ap.parse_args(argv)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=args.fd)

    import uvicorn

    # what `prefect server start` runs in the foreground, minus the CLI: the same app factory
    config = uvicorn.Config(
        "prefect.server.api.server:create_app", factory=True, log_level="warning",
        lifespan="on", timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    threading.Thread(
        target=_watchdog, args=(server, args.state_dir, args.idle_minutes, args.startup_timeout),
        name="genelit-prefect-watchdog", daemon=True,
    ).start()
    try:
        server.run(sockets=[sock])
    finally:
        _remove_state(args.state_dir, pid=os.getpid())
        sys.stdout.flush()
        sys.stderr.flush()
        # a lingering non-daemon thread of a service must not keep a stopped server around
        killer = threading.Timer(EXIT_GRACE, os._exit, args=(0,))
        killer.daemon = True
        killer.start()
