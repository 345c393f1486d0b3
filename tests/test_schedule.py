"""``genelit schedule``: the watchlist scan as a Prefect deployment on a cron schedule."""
from __future__ import annotations

from pathlib import Path

import pytest
from genelit.flows.cli.app import app
from genelit.flows.scan_flow import scan_deployment
from typer.testing import CliRunner

from genelit.errors import InputError


@pytest.fixture
def watchlist(tmp_path: Path) -> Path:
    path = tmp_path / "watchlist.toml"
    path.write_text('genes = ["IGF1", "SCN1A"]\n')
    return path


def test_deployment_carries_the_cron_schedule_and_absolute_paths(watchlist: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    deployment = scan_deployment(Path("watchlist.toml"), Path("digests"), cron="0 2 * * *", timezone="Europe/London", name="nightly")
    assert deployment.name == "nightly" and deployment.flow_name == "genelit-scan"
    (schedule,) = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Europe/London")
    assert deployment.parameters == {"watchlist": str(watchlist.resolve()), "out": str((tmp_path / "digests").resolve())}


@pytest.mark.parametrize(
    ("cron", "timezone", "message"),
    [("every night", None, "invalid cron schedule 'every night'"), ("0 2 * * *", "Mars/Olympus", "unknown time zone")],
)
def test_bad_cron_or_time_zone_is_an_input_error(watchlist: Path, tmp_path: Path, cron: str, timezone: str | None, message: str) -> None:
    with pytest.raises(InputError, match=message):
        scan_deployment(watchlist, tmp_path, cron=cron, timezone=timezone)


def test_bad_watchlist_fails_when_scheduling_not_at_run_time(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('genes = ["NOTAGENE1"]\n')
    with pytest.raises(InputError, match="NOTAGENE1 is not an HGNC gene symbol"):
        scan_deployment(bad, tmp_path, cron="0 2 * * *")


def test_schedule_help_documents_the_command() -> None:
    result = CliRunner().invoke(app, ["schedule", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for text in ("--watchlist", "--cron", "--timezone", "--name", "Prefect deployment", "Ctrl-C"):
        assert text in result.output


def test_deployment_registered_with_the_api_reads_back_its_schedule(watchlist: Path, tmp_path: Path, prefect_harness) -> None:
    from prefect.client.orchestration import get_client

    deployment = scan_deployment(watchlist, tmp_path / "digests", cron="30 1 * * 1-5", timezone="America/New_York", name="weekdays")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
    assert stored.name == "weekdays"
    assert [(s.schedule.cron, s.schedule.timezone) for s in stored.schedules] == [("30 1 * * 1-5", "America/New_York")]
    assert stored.parameters["watchlist"] == str(watchlist.resolve())
