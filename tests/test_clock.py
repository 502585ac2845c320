"""The one clock: "today" is the day in ROI_TRACKER_TIMEZONE, else in the machine's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from roi_tracker import clock
from roi_tracker.cli import app
from roi_tracker.config import Settings
from roi_tracker.errors import InvalidInput


def test_now_is_an_aware_utc_instant() -> None:
    before = datetime.now(UTC)
    moment = clock.now()
    assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0
    assert before <= moment <= datetime.now(UTC)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Europe/Berlin", "Pacific/Pago_Pago"])
def test_today_is_the_day_in_the_configured_zone(zone: str) -> None:
    before = datetime.now(ZoneInfo(zone)).date()
    day = Settings(timezone=zone, _env_file=None).today()
    assert day in {before, datetime.now(ZoneInfo(zone)).date()}


def test_zones_25_hours_apart_never_share_a_day() -> None:
    ahead = Settings(timezone="Pacific/Kiritimati", _env_file=None)  # UTC+14
    behind = Settings(timezone="Pacific/Pago_Pago", _env_file=None)  # UTC-11
    assert 1 <= (ahead.today() - behind.today()).days <= 2


def test_without_a_zone_today_is_the_machines_day() -> None:
    before = datetime.now().date()
    assert Settings(_env_file=None).today() in {before, datetime.now().date()}


def test_an_unknown_zone_is_refused_with_its_name() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(timezone="Mars/Olympus", _env_file=None)
    with pytest.raises(InvalidInput, match="Mars/Olympus"):
        clock.zone("Mars/Olympus")


def test_an_unknown_zone_in_the_environment_is_a_one_line_error(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROI_TRACKER_TIMEZONE", "Mars/Olympus")
    result = CliRunner().invoke(app, ["report", "--database-url", db_url])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: invalid settings: ROI_TRACKER_TIMEZONE: unknown time zone 'Mars/Olympus': "
        "use an IANA name such as UTC or Europe/Berlin"
    ]
