"""One shared, private, quiet local Prefect API server for every genelit process.

Why: without ``PREFECT_API_URL`` every Prefect process starts its own *ephemeral* API server
(``prefect.server.api.server.SubprocessASGIServer``) and gives it
``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS`` (20 s) to answer.  A fresh ``~/.prefect``
migrates its SQLite database first, a busy 2-core machine is slower, and concurrent processes
each start a server on the same SQLite file: runs time out, and the servers' stderr (inherited
by the client) carries "database is locked" tracebacks and "Failed to send telemetry" errors.

This module starts **one** server per *state_dir* (detached, in its own session, its output in
``state_dir/server.log``), records it in ``state_dir/server.json`` under an ``fcntl`` lock, and
hands its URL to every later process; the server stops itself after an idle period.

    url = ensure_server(state_dir)     # PREFECT_API_URL if the user set it, else the shared server
    use_api(url)                       # point this process (and its children) at it, quietly
    my_flow()

``genelit server start|stop|status`` does the same from a shell.  The state lives under genelit's
state folder (``~/.local/state/genelit/prefect``; ``$GENELIT_PREFECT_STATE`` overrides).  POSIX only (fcntl).
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import platformdirs

from genelit.config import APP_NAME
from genelit.errors import PrefectUnavailable
from genelit.files import atomic_write_text

# --- tunables ------------------------------------------------------------------------------------

#: Seconds to wait for a new server to answer GET /api/health.  On this 2-core machine a fresh
#: database (all migrations) took 10-12 s idle, 36-53 s with both cores saturated, and up to 78 s
#: for a whole fresh ensure_server at load ~10 (README, Configuration); 180 s is >2x the worst figure.  The deadline only costs time when the server is
#: genuinely stuck: a server that crashes fails at once, a healthy one returns as soon as it answers.
#: Override: the ``startup_timeout`` argument, else $GENELIT_PREFECT_STARTUP_TIMEOUT.
DEFAULT_STARTUP_TIMEOUT = 180.0

#: Minutes without any genelit process using the server after which it stops itself.
#: Override: ``idle_minutes`` argument, else $GENELIT_PREFECT_IDLE_MINUTES; 0 means never.
DEFAULT_IDLE_MINUTES = 30.0

#: How often the in-server watchdog looks at the clients and the idle clock (seconds).
WATCHDOG_INTERVAL = float(os.environ.get("GENELIT_PREFECT_WATCHDOG_SECONDS", "10"))

#: A running, recorded server that does not answer /api/health for this long is replaced.  Generous:
#: on an overloaded machine a healthy server can take seconds to answer, and replacing it would
#: break the runs that use it.
UNHEALTHY_GRACE = 30.0

STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
LOG_FILE = "server.log"
LAST_USED_FILE = "last_used"
CLIENTS_DIR = "clients"
HOME_DIR = "prefect-home"

#: Settings for the server process.  Names are Prefect 3.8.8's (prefect/settings/models/...).
SERVER_SETTINGS: dict[str, str] = {
    # server/root.py: the telemetry heartbeat service (server/services/telemetry.py,
    # "Failed to send telemetry" offline) runs only when this is true
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # server/ui.py: no UI bundle to copy into PREFECT_HOME and serve: faster start
    "PREFECT_SERVER_UI_ENABLED": "false",
    # server/root.py + logging.yml: prefect.server, uvicorn and fastapi loggers
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # _internal/analytics/enabled.py: the SDK's own event analytics (client side)
    "DO_NOT_TRACK": "1",
    # create_app(): last app in this process, so Prefect may skip some caching work
    "PREFECT__SERVER_FINAL": "1",
}

#: Settings for a process that runs flows against the server.
CLIENT_SETTINGS: dict[str, str] = {
    # _internal/analytics/{enabled,service}.py: no SDK analytics events, no server check thread
    "DO_NOT_TRACK": "1",
    # logging.yml: the `prefect`, `prefect.client`, `prefect.extra`, `prefect.infrastructure`
    # loggers, and prefect.flow_runs / prefect.task_runs, which inherit `prefect`'s level
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # harmless on the client; keeps a server started *by* this process (e.g. a test harness) quiet
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


#: Grace (s) beyond the start-up deadline for waiting on the lock of another process starting a server.
LOCK_MARGIN = 30.0
#: Seconds a stopping server's lingering threads get before the process exits regardless.
EXIT_GRACE = 20.0
#: Seconds between two health checks while a new server starts.
POLL_INTERVAL = 0.2


def default_state_dir() -> Path:
    """$GENELIT_PREFECT_STATE, else genelit's per-user state folder + ``/prefect``
    (``~/.local/state/genelit/prefect``): state, not cache, as the server's database holds the run history."""
    explicit = os.environ.get("GENELIT_PREFECT_STATE", "").strip()
    return Path(explicit).expanduser() if explicit else Path(platformdirs.user_state_dir(APP_NAME)) / "prefect"


# --- small helpers -------------------------------------------------------------------------------


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise PrefectUnavailable(f"${name} must be a number of seconds/minutes, not {raw!r}") from None


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of *pid* (to tell a reused pid apart), or None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ')'
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None  # field 22 overall: starttime


def _alive(pid: int, start: str | None = None) -> bool:
    """True if *pid* runs (not a zombie) and, where *start* is known, is the same process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat[stat.rfind(")") + 2:].split()[0] in ("Z", "X"):
            return False
    except OSError:
        pass  # no /proc (macOS): trust kill(0)
    if start is not None:
        now = _proc_start(pid)
        if now is not None and now != start:
            return False
    return True


# a loopback health check must not go through an http_proxy from the environment
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str, timeout: float = 5.0) -> bool:
    try:
        with _OPENER.open(f"{url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, urllib.error.URLError, ValueError):
        return False


def _read_state(state_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((state_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int) or not data.get("url"):
        return None
    return data


def _write_state(state_dir: Path, data: dict[str, Any]) -> None:
    atomic_write_text(state_dir / STATE_FILE, json.dumps(data, indent=1))


def _remove_state(state_dir: Path, pid: int | None = None) -> None:
    """Remove the state file (only if it still names *pid*, when given)."""
    if pid is not None:
        cur = _read_state(state_dir)
        if cur is not None and cur.get("pid") != pid:
            return
    with contextlib.suppress(FileNotFoundError):
        (state_dir / STATE_FILE).unlink()


@contextlib.contextmanager
def _locked(state_dir: Path, deadline: float | None, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the state_dir lock (fcntl.flock: released by the kernel if the holder dies).

    Yields True once held; with blocking=False yields False at once if another process holds it.
    Raises PrefectUnavailable if *deadline* (a time.monotonic() value) passes first.
    """
    fd = os.open(state_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by children
    try:
        held = False
        while not held:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not blocking:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise PrefectUnavailable(
                        f"another process held {state_dir / LOCK_FILE} too long while starting the "
                        f"Prefect server; retry, use --engine local, or set PREFECT_API_URL"
                    ) from None
                time.sleep(0.1)
        yield held
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _touch(path: Path) -> None:
    path.touch()
    os.utime(path, None)


def _register_client(state_dir: Path, pid: int | None = None) -> None:
    """Record the calling process as a user of the server: it is in use while that pid lives."""
    pid = os.getpid() if pid is None else pid
    clients = state_dir / CLIENTS_DIR
    clients.mkdir(exist_ok=True)
    atomic_write_text(clients / str(pid), _proc_start(pid) or "")
    _touch(state_dir / LAST_USED_FILE)


def _live_clients(state_dir: Path, prune: bool = False) -> list[int]:
    live = []
    clients = state_dir / CLIENTS_DIR
    for entry in clients.glob("*") if clients.is_dir() else []:
        try:
            pid, start = int(entry.name), entry.read_text().strip() or None
        except (ValueError, OSError):
            continue
        if _alive(pid, start):
            live.append(pid)
        elif prune:
            with contextlib.suppress(OSError):
                entry.unlink()
    return sorted(live)


def _stop_pid(pid: int, start: str | None, timeout: float = 30.0) -> None:
    """SIGTERM the server's process group (it is a session leader), then SIGKILL after *timeout*."""
    if not _alive(pid, start):
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reap it if it is our own child
            if not _alive(pid, start):
                return
            time.sleep(0.1)


def _resolve_timeout(startup_timeout: float | None) -> float:
    if startup_timeout is None:
        startup_timeout = _env_float("GENELIT_PREFECT_STARTUP_TIMEOUT", DEFAULT_STARTUP_TIMEOUT)
    if startup_timeout <= 0:
        raise ValueError("startup_timeout must be > 0")
    return float(startup_timeout)


# --- settings for the two sides ------------------------------------------------------------------


def server_env(prefect_home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server process: the caller's, pointed at *prefect_home*, quiet."""
    env = dict(os.environ if base is None else base)
    # the server must not be a client of some other API, nor start ephemeral servers itself
    for key in ("PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_PROFILE"):
        env.pop(key, None)
    env.update(SERVER_SETTINGS)
    env["PREFECT_HOME"] = str(prefect_home)
    # PREFECT_SERVER_DATABASE_CONNECTION_URL, if the user set one, is kept; by default the
    # database is $PREFECT_HOME/prefect.db
    return env


def client_env(url: str, verbose: bool = False) -> dict[str, str]:
    """Environment variables that point a Prefect client at *url*, quietly (INFO with ``verbose``)."""
    env = {**CLIENT_SETTINGS, "PREFECT_API_URL": url}
    if verbose:
        env["PREFECT_LOGGING_LEVEL"] = "INFO"
    return env


def use_api(url: str, verbose: bool = False) -> None:
    """Point this process, and the processes it starts later, at the API *url*.

    Sets os.environ (read by Prefect at import, and inherited by Dask workers and other child
    processes).  If prefect is already imported its settings and logging were read at import
    time, so they are refreshed: the global settings context is rebuilt from the environment
    (``prefect.context.refresh_global_settings_context``) and prefect's loggers are set to the
    new level.  A ``prefect.settings.temporary_settings`` block that the caller has entered
    still takes precedence over both.
    """
    global _API_URL_SET_BY_US
    os.environ.update(client_env(url, verbose))
    _API_URL_SET_BY_US = url
    if "prefect.context" in sys.modules:
        import logging

        import prefect.context

        prefect.context.refresh_global_settings_context()
        level = os.environ["PREFECT_LOGGING_LEVEL"]
        for name in ("prefect", "prefect.client", "prefect.extra", "prefect.infrastructure"):
            logging.getLogger(name).setLevel(level)
    _quiet_exit_loggers()


def _quiet_exit_loggers() -> None:
    """Silence the "Still processing items: N items remaining..." warnings printed at exit.

    They come from prefect/_internal/concurrency/services.py, whose loggers are named after the
    class ("EventsWorker", "APILogWorker"), outside the `prefect` tree and logging.yml, so no
    PREFECT_LOGGING_* setting reaches them; prefect's dictConfig keeps a level set here.
    """
    import logging

    for name in ("EventsWorker", "APILogWorker"):
        logging.getLogger(name).setLevel(logging.ERROR)


_API_URL_SET_BY_US: str | None = None  # what use_api put in os.environ: not the user's choice


def _user_api_url() -> str | None:
    """PREFECT_API_URL as the user set it: environment, else Prefect's other settings sources.

    The environment is checked first, without importing prefect.  Otherwise Prefect itself
    resolves it: the active profile ($PREFECT_HOME/profiles.toml, where `prefect config set`
    writes), prefect.toml, pyproject.toml [tool.prefect], .env, and, if prefect is already
    imported, an entered ``temporary_settings`` block (e.g. prefect_test_harness).  That imports
    prefect.settings, which the flow run needs anyway; use_api() refreshes what it read.
    """
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if url:
        return None if url == _API_URL_SET_BY_US else url
    try:
        if "prefect.context" in sys.modules:
            from prefect.settings import get_current_settings

            url = get_current_settings().api.url or ""
        else:
            from prefect.settings import Settings

            url = Settings().api.url or ""
    except Exception:  # an unreadable profile is Prefect's error to report, at flow run time
        url = ""
    url = url.strip()
    return None if not url or url == _API_URL_SET_BY_US else url


# --- public API ----------------------------------------------------------------------------------


def ensure_server(
    state_dir: Path,
    *,
    startup_timeout: float | None = None,
    idle_minutes: float | None = None,
    prefect_home: Path | None = None,
) -> str:
    """Return the URL of a Prefect API (".../api") for this process to use.

    * ``PREFECT_API_URL`` set in the environment: returned as is, nothing is started.
    * else, under a lock in *state_dir*: the recorded server, if its process lives and answers
      GET /api/health, is reused; otherwise (none, dead, pid reused, stuck) a new one is started
      detached (own session, output to ``state_dir/server.log``, PREFECT_HOME =
      *prefect_home*, default ``state_dir/prefect-home``), awaited for at most
      *startup_timeout* seconds, and recorded.

    The calling process is registered as a client: the server does not stop for idleness while
    it lives.  After *idle_minutes* with no live client and no ensure_server call it stops.

    Raises PrefectUnavailable (never hangs past the deadline) when no server can be had.
    """
    # before prefect is first imported (below, or by the caller): prefect/__init__ runs the SDK
    # analytics' first-import hook (a notice on a TTY, an event) unless DO_NOT_TRACK is set
    os.environ.setdefault("DO_NOT_TRACK", "1")
    user_url = _user_api_url()
    if user_url:
        return user_url

    state_dir = Path(state_dir).resolve()
    timeout = _resolve_timeout(startup_timeout)
    idle = float(idle_minutes) if idle_minutes is not None else _env_float(
        "GENELIT_PREFECT_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)
    home = Path(prefect_home).resolve() if prefect_home else state_dir / HOME_DIR
    state_dir.mkdir(parents=True, exist_ok=True)

    # another process may be starting the server: wait for the lock as long as it may take
    lock_deadline = time.monotonic() + timeout + UNHEALTHY_GRACE + LOCK_MARGIN
    with _locked(state_dir, lock_deadline):
        state = _read_state(state_dir)
        if state is not None:
            pid, start, url = state["pid"], state.get("proc_start"), state["url"]
            if state.get("prefect_version") != _prefect_version() and not _live_clients(state_dir):
                # prefect was upgraded (or another venv shares state_dir) and nobody uses the old
                # server: replace it, the new one migrates the same database forward
                _stop_pid(pid, start)
            if _alive(pid, start):
                end = time.monotonic() + UNHEALTHY_GRACE
                while True:
                    if _healthy(url):
                        _register_client(state_dir)
                        return url
                    if time.monotonic() > end or not _alive(pid, start):
                        break
                    time.sleep(0.5)
                # alive but not answering: it is ours (same pid and start time), replace it
                _stop_pid(pid, start)
            _remove_state(state_dir)

        url = _start_server(state_dir, home, timeout, idle)
        _register_client(state_dir)
        return url


def server_status(state_dir: Path) -> dict[str, Any]:
    """What is known of the shared server in *state_dir* (no lock taken, nothing changed).

    ``state`` is "running" (process alive, /api/health answers), "unhealthy" (alive, silent),
    "stale" (recorded, but the process is gone or its pid reused) or "stopped" (none recorded).
    """
    state_dir = Path(state_dir).resolve()
    info: dict[str, Any] = {"state": "stopped", "state_dir": str(state_dir), "log": str(state_dir / LOG_FILE)}
    st = _read_state(state_dir)
    with contextlib.suppress(OSError):
        info["last_used"] = (state_dir / LAST_USED_FILE).stat().st_mtime
    info["clients"] = _live_clients(state_dir)
    if st is None:
        return info
    info.update({k: st.get(k) for k in ("url", "pid", "port", "prefect_home", "started_at", "idle_minutes", "prefect_version")})
    if not _alive(st["pid"], st.get("proc_start")):
        info["state"] = "stale"
    else:
        info["state"] = "running" if _healthy(st["url"]) else "unhealthy"
    return info


def stop_server(state_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the shared server of *state_dir*; True if a live one was stopped."""
    state_dir = Path(state_dir).resolve()
    if not state_dir.is_dir():
        return False
    with _locked(state_dir, time.monotonic() + timeout + 60.0):
        st = _read_state(state_dir)
        if st is None:
            return False
        was_alive = _alive(st["pid"], st.get("proc_start"))
        if was_alive:
            _stop_pid(st["pid"], st.get("proc_start"), timeout)
        _remove_state(state_dir)
        return was_alive


# --- starting the server -------------------------------------------------------------------------

_BOOT = "import sys; from genelit.flows.prefect_serve import serve_main; serve_main(sys.argv[1:])"

_CHILDREN: list[subprocess.Popen[bytes]] = []  # keep Popen objects alive: no "still running" warning


def _prefect_version() -> str | None:
    try:
        import importlib.metadata as md

        return md.version("prefect")
    except Exception:  # pragma: no cover - metadata missing
        return None


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])


def _start_server(state_dir: Path, home: Path, timeout: float, idle_minutes: float) -> str:
    home.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / LOG_FILE
    # bind the port here and hand the socket to the server: no window in which another process
    # can take a "free" port, and no retry loop.  Not listening yet: connections are refused
    # (not queued) until uvicorn listens, i.e. after the migrations.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}/api"
        with log_path.open("ab") as log:
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting Prefect server on {url}\n".encode())
            log.flush()
            cmd = [
                sys.executable, "-c", _BOOT,
                "--state-dir", str(state_dir), "--fd", str(sock.fileno()), "--port", str(port),
                "--idle-minutes", str(idle_minutes), "--startup-timeout", str(timeout),
            ]
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=server_env(home), cwd=str(state_dir), start_new_session=True,
                pass_fds=(sock.fileno(),),
            )
    finally:
        sock.close()
    _CHILDREN.append(proc)
    start = _proc_start(proc.pid)
    t0 = time.monotonic()
    deadline = t0 + timeout
    try:
        while True:
            code = proc.poll()
            if code is not None:
                raise PrefectUnavailable(
                    f"the Prefect server exited with code {code} while starting (log: {log_path}: "
                    f"{_tail(log_path)}); use --engine local, or set PREFECT_API_URL to a running server"
                )
            if _healthy(url, timeout=2.0):
                break
            if time.monotonic() > deadline:
                raise PrefectUnavailable(
                    f"the Prefect server did not answer within {timeout:.0f} s (log: {log_path}); "
                    f"raise $GENELIT_PREFECT_STARTUP_TIMEOUT, use --engine local, or set PREFECT_API_URL"
                )
            time.sleep(POLL_INTERVAL)
    except BaseException:  # deadline, crash, Ctrl-C: leave no half-started server behind
        _stop_pid(proc.pid, start, timeout=10.0)
        raise
    version = _prefect_version()
    _write_state(state_dir, {
        "pid": proc.pid, "proc_start": start, "port": port, "url": url,
        "prefect_home": str(home), "started_at": time.time(),
        "startup_seconds": round(time.monotonic() - t0, 2),
        "idle_minutes": idle_minutes, "prefect_version": version, "log": str(log_path),
    })
    return url
