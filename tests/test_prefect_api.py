"""The shared local Prefect API (flows/prefect_api.py), with real processes and real Prefect servers.

Every test gets its own state_dir and stops its server afterwards; every wait is bounded.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from genelit.flows import prefect_api as ps

pytestmark = pytest.mark.prefect

PY = sys.executable
LIMIT = 300  # seconds: no child process may take longer


def child_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GENELIT_PREFECT_"))}
    env["HOME"] = str(tmp / "home")  # the client's own ~/.prefect is a fresh, throwaway one
    (tmp / "home").mkdir(exist_ok=True)
    env.update(extra)
    return env


ENSURE = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from genelit.flows import prefect_api as ps
    import prefect.settings  # ensure_server reads the user's Prefect settings: time the rest
    t0 = time.monotonic()
    url = ps.ensure_server(Path(sys.argv[1]))
    print(json.dumps({"url": url, "seconds": time.monotonic() - t0, "pid": os.getpid()}))
""")


def run_ensure(state_dir: Path, tmp: Path, **env: str) -> dict:
    p = subprocess.run([PY, "-c", ENSURE, str(state_dir)], env=child_env(tmp, **env),
                       capture_output=True, text=True, timeout=LIMIT)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def starts_logged(state_dir: Path) -> int:
    log = state_dir / ps.LOG_FILE
    return log.read_text().count("starting Prefect server") if log.exists() else 0


def wait_until(pred, seconds: float, step: float = 0.25) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


@pytest.fixture(scope="session")
def migrated_home(tmp_path_factory) -> Path:
    """A PREFECT_HOME whose database is migrated: made once with a fresh home (the cold path)."""
    tmp = tmp_path_factory.mktemp("template")
    state = tmp / "state"
    info = run_ensure(state, tmp)
    assert info["url"].startswith("http://127.0.0.1:")
    assert ps.stop_server(state)
    return state / ps.HOME_DIR


@pytest.fixture
def state_dir(tmp_path, migrated_home):
    """A state dir whose PREFECT_HOME starts as a copy of the migrated one; its server is stopped."""
    state = tmp_path / "state"
    state.mkdir()
    shutil.copytree(migrated_home, state / ps.HOME_DIR)
    yield state
    ps.stop_server(state)


def test_reuse_across_two_processes(state_dir, tmp_path):
    first = run_ensure(state_dir, tmp_path)
    st1 = ps.server_status(state_dir)
    assert st1["state"] == "running" and st1["url"] == first["url"]
    second = run_ensure(state_dir, tmp_path)
    st2 = ps.server_status(state_dir)
    assert second["url"] == first["url"]
    assert st2["pid"] == st1["pid"]
    assert starts_logged(state_dir) == 1
    assert second["seconds"] < 5, second  # reuse: one health check, nothing started


@pytest.mark.slow
def test_three_concurrent_processes_start_one_server(state_dir, tmp_path):
    procs = [subprocess.Popen([PY, "-c", ENSURE, str(state_dir)], env=child_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=LIMIT)
        assert p.returncode == 0, err
        outs.append(json.loads(out.strip().splitlines()[-1]))
    assert len({o["url"] for o in outs}) == 1
    assert starts_logged(state_dir) == 1
    assert ps.server_status(state_dir)["state"] == "running"


class _Impostor(http.server.BaseHTTPRequestHandler):
    """Answers 200 to everything, like a healthy server would: must not be mistaken for ours."""

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_stale_state_is_recovered(state_dir, tmp_path):
    # a dead pid, and its port now owned by another process that answers /api/health
    dead = subprocess.Popen([PY, "-c", "pass"])
    dead.wait(timeout=60)
    impostor = http.server.HTTPServer(("127.0.0.1", 0), _Impostor)
    threading.Thread(target=impostor.serve_forever, daemon=True).start()
    port = impostor.server_address[1]
    fake = f"http://127.0.0.1:{port}/api"
    try:
        (state_dir / ps.STATE_FILE).write_text(json.dumps(
            {"pid": dead.pid, "proc_start": None, "port": port, "url": fake}))
        assert ps.server_status(state_dir)["state"] == "stale"
        info = run_ensure(state_dir, tmp_path)
        assert info["url"] != fake
        st = ps.server_status(state_dir)
        assert st["state"] == "running" and st["url"] == info["url"]

        # a live pid that is some other process (pid reused): its start time differs
        ps.stop_server(state_dir)
        (state_dir / ps.STATE_FILE).write_text(json.dumps(
            {"pid": os.getpid(), "proc_start": "1", "port": port, "url": fake}))
        assert ps.server_status(state_dir)["state"] == "stale"
        info2 = run_ensure(state_dir, tmp_path)
        assert info2["url"] != fake
        assert ps.server_status(state_dir)["state"] == "running"
    finally:
        impostor.shutdown()
        impostor.server_close()
    # garbage in the state file is a missing state file
    ps.stop_server(state_dir)
    (state_dir / ps.STATE_FILE).write_text("{not json")
    assert ps.server_status(state_dir)["state"] == "stopped"
    assert run_ensure(state_dir, tmp_path)["url"].startswith("http://127.0.0.1:")


@pytest.mark.slow
def test_server_of_another_prefect_version_is_replaced_when_unused(state_dir, tmp_path):
    run_ensure(state_dir, tmp_path)
    old = json.loads((state_dir / ps.STATE_FILE).read_text())
    (state_dir / ps.STATE_FILE).write_text(json.dumps({**old, "prefect_version": "0.0.1"}))
    run_ensure(state_dir, tmp_path)  # the first client has exited: nobody uses the old server
    new = ps.server_status(state_dir)
    assert new["pid"] != old["pid"] and new["prefect_version"] == ps._prefect_version()
    assert not ps._alive(old["pid"], old["proc_start"])


def test_stop(state_dir, tmp_path):
    run_ensure(state_dir, tmp_path)
    pid = ps.server_status(state_dir)["pid"]
    assert ps.stop_server(state_dir) is True
    assert not ps._alive(pid)
    assert ps.server_status(state_dir)["state"] == "stopped"
    assert ps.stop_server(state_dir) is False
    # and it starts again afterwards
    assert run_ensure(state_dir, tmp_path)["url"].startswith("http://127.0.0.1:")


def test_user_api_url_is_passed_through(tmp_path):
    state = tmp_path / "state"
    info = run_ensure(state, tmp_path, PREFECT_API_URL="http://prefect.example:4200/api")
    assert info["url"] == "http://prefect.example:4200/api"
    assert not (state / ps.STATE_FILE).exists() and starts_logged(state) == 0


def test_user_api_url_from_active_profile_is_passed_through(tmp_path):
    # `prefect config set PREFECT_API_URL=...` writes it to the active profile, not the environment
    prefect_home = tmp_path / "home" / ".prefect"
    prefect_home.mkdir(parents=True)
    (prefect_home / "profiles.toml").write_text(
        'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://profile.example:4200/api"\n')
    state = tmp_path / "state"
    info = run_ensure(state, tmp_path)
    assert info["url"] == "http://profile.example:4200/api"
    assert not (state / ps.STATE_FILE).exists() and starts_logged(state) == 0


def test_user_api_url_from_temporary_settings_is_passed_through(tmp_path):
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from prefect.settings import PREFECT_API_URL, temporary_settings
        from genelit.flows import prefect_api as ps
        with temporary_settings({PREFECT_API_URL: "http://ctx.example:4200/api"}):
            print(ps.ensure_server(Path(sys.argv[1])))
    """)
    state = tmp_path / "state"
    p = subprocess.run([PY, "-c", code, str(state)], env=child_env(tmp_path), capture_output=True,
                       text=True, timeout=LIMIT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "http://ctx.example:4200/api"
    assert not (state / ps.STATE_FILE).exists()


FLOW = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    if sys.argv[2] == "import-first":
        import prefect  # settings and logging are read now: use_api must refresh them
    from genelit.flows import prefect_api as ps
    url = ps.ensure_server(Path(sys.argv[1]))
    ps.use_api(url)
    from prefect import flow, task

    @task
    def add_one(x):
        return x + 1

    @flow
    def trivial(x=1):
        return add_one(x)

    print("result", trivial())
""")


def flow_runs_on(url: str) -> int:
    req = urllib.request.Request(f"{url}/flow_runs/count", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=30) as r:
        return int(r.read())


BAD = ("Traceback", "telemetry", "database is locked", "Timed out", "Starting temporary server",
       "Still processing items", "ERROR", "WARNING")


@pytest.mark.parametrize("order", ["import-first", "import-after"])
def test_flow_runs_against_shared_server_quietly(state_dir, tmp_path, order):
    p = subprocess.run([PY, "-c", FLOW, str(state_dir), order], env=child_env(tmp_path),
                       capture_output=True, text=True, timeout=LIMIT)
    assert p.returncode == 0, p.stderr
    assert "result 2" in p.stdout
    for bad in BAD:
        assert bad not in p.stderr, p.stderr
    url = ps.server_status(state_dir)["url"]
    assert flow_runs_on(url) == 1  # the run was recorded by the shared server, not an ephemeral one


@pytest.mark.slow
def test_concurrent_flows_share_one_server_quietly(state_dir, tmp_path):
    procs = [subprocess.Popen([PY, "-c", FLOW, str(state_dir), "import-first"], env=child_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=LIMIT)
        assert p.returncode == 0, err
        assert "result 2" in out
        for bad in BAD:
            assert bad not in err, err
    assert starts_logged(state_dir) == 1
    assert flow_runs_on(ps.server_status(state_dir)["url"]) == 3


@pytest.mark.slow
def test_idle_server_stops_itself_but_not_while_a_client_lives(state_dir, tmp_path):
    env = dict(GENELIT_PREFECT_IDLE_MINUTES="0.05", GENELIT_PREFECT_WATCHDOG_SECONDS="0.5")  # 3 s idle
    holder = subprocess.Popen(
        [PY, "-c", ENSURE + "\nsys.stdout.flush()\ntime.sleep(8)\n", str(state_dir)],
        env=child_env(tmp_path, **env), stdout=subprocess.PIPE, text=True)
    try:
        json.loads(holder.stdout.readline())
        pid = ps.server_status(state_dir)["pid"]
        time.sleep(6)  # > idle period, but the client lives
        assert ps._alive(pid), "stopped while a client was alive"
        holder.wait(timeout=60)
        assert wait_until(lambda: not ps._alive(pid), 60), "idle server did not stop"
        assert ps.server_status(state_dir)["state"] == "stopped"
        assert "idle for" in (state_dir / ps.LOG_FILE).read_text()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)


def test_disowned_server_stops_itself(state_dir, tmp_path):
    run_ensure(state_dir, tmp_path, GENELIT_PREFECT_WATCHDOG_SECONDS="0.5")
    pid = ps.server_status(state_dir)["pid"]
    (state_dir / ps.STATE_FILE).unlink()  # nobody can find it any more
    assert wait_until(lambda: not ps._alive(pid), 60)


def test_startup_deadline_raises_and_leaves_nothing_running(tmp_path):
    state = tmp_path / "state"  # fresh home: migrations take far longer than 0.5 s
    t0 = time.monotonic()
    with pytest.raises(ps.PrefectUnavailable, match="did not answer within .*PREFECT_API_URL"):
        ps.ensure_server(state, startup_timeout=0.5)
    assert time.monotonic() - t0 < 30
    assert ps.server_status(state)["state"] == "stopped"
    assert not [p for p in ps._CHILDREN if p.poll() is None]


def test_server_that_crashes_raises_at_once(tmp_path, monkeypatch):
    # a real failure: the database URL points into a directory that does not exist
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:////nonexistent/dir/x.db")
    t0 = time.monotonic()
    with pytest.raises(ps.PrefectUnavailable, match="exited with code"):
        ps.ensure_server(tmp_path / "state", startup_timeout=120)
    assert time.monotonic() - t0 < 100


def test_cli_server_status_start_stop(state_dir, tmp_path):
    env = child_env(tmp_path, GENELIT_PREFECT_STATE=str(state_dir), COLUMNS="200")
    genelit = Path(PY).with_name("genelit")

    def run(*args: str) -> str:
        p = subprocess.run([str(genelit), "server", *args], env=env, capture_output=True, text=True, timeout=LIMIT)
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
        return p.stdout

    assert run("status").startswith("stopped")
    url = run("start").strip()
    assert url.startswith("http://127.0.0.1:")
    assert run("status").startswith(f"running · {url}")
    assert run("stop").strip() == "stopped"
    assert run("stop").strip() == "no server was running"


RESTART_IN_PROCESS = textwrap.dedent("""
    import sys
    from pathlib import Path
    from genelit.flows import prefect_api as ps
    state = Path(sys.argv[1])
    url1 = ps.ensure_server(state)
    ps.use_api(url1)
    from prefect import flow

    @flow
    def trivial():
        return 1

    assert trivial() == 1
    assert ps.stop_server(state)
    # PREFECT_API_URL now holds url1, set by use_api: not a user's choice, so a new server starts
    url2 = ps.ensure_server(state)
    assert url2 != url1, (url1, url2)
    ps.use_api(url2)
    assert trivial() == 1
    print("ok", url1, url2)
""")


@pytest.mark.slow
def test_same_process_gets_a_new_server_after_its_server_stopped(state_dir, tmp_path):
    p = subprocess.run([PY, "-c", RESTART_IN_PROCESS, str(state_dir)], env=child_env(tmp_path),
                       capture_output=True, text=True, timeout=LIMIT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("ok")
    assert starts_logged(state_dir) == 2
    url2 = p.stdout.split()[2]
    assert flow_runs_on(url2) == 2  # the same database: both runs are in the history
