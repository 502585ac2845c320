"""`roi-tracker report --by-fiscal-year`: flows per fiscal year against hand figures."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.config import get_settings
from roi_tracker.store import make_engine, session_scope
from tests.finance_portfolio import add_portfolio

runner = CliRunner()

# tests/finance_portfolio.py's flows as of 2025-02-20 (forecast): A runs Jan … Dec 2025,
# B Apr 2025 … Mar 2027, summed by hand per fiscal year as (costs, benefits, net)
CALENDAR = {
    "a": {"FY2025": (12000, 29500, 17500)},
    "b": {"FY2025": (12000, 5600, -6400), "FY2026": (0, 8400, 8400), "FY2027": (0, 2100, 2100)},
    "portfolio": {
        "FY2025": (24000, 35100, 11100),
        "FY2026": (0, 8400, 8400),
        "FY2027": (0, 2100, 2100),
    },
}
# the fiscal year starting in April: FY2026 is April 2025 … March 2026
APRIL = {
    "a": {"FY2025": (10500, 2500, -8000), "FY2026": (1500, 27000, 25500)},
    "b": {"FY2026": (12000, 7700, -4300), "FY2027": (0, 8400, 8400)},
    "portfolio": {
        "FY2025": (10500, 2500, -8000),
        "FY2026": (13500, 34700, 21200),
        "FY2027": (0, 8400, 8400),
    },
}


@pytest.fixture
def filled_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_portfolio(session)
    engine.dispose()
    monkeypatch.setenv("ROI_TRACKER_DISCOUNT_RATE", "0.08")
    monkeypatch.setenv("ROI_TRACKER_HORIZON_MONTHS", "24")
    get_settings.cache_clear()
    return db_url


def _years(entries: list[dict]) -> dict[str, tuple[float, float, float]]:
    return {e["fiscal_year"]: (e["costs"], e["benefits"], e["net"]) for e in entries}


@pytest.mark.parametrize(("start_month", "expected"), [(1, CALENDAR), (4, APRIL)])
def test_json_groups_flows_by_fiscal_year(
    filled_url: str, monkeypatch: pytest.MonkeyPatch, start_month: int, expected: dict
) -> None:
    monkeypatch.setenv("ROI_TRACKER_FISCAL_YEAR_START_MONTH", str(start_month))
    get_settings.cache_clear()
    result = runner.invoke(app, ["report", "--by-fiscal-year", "--database-url", filled_url,
                                 "--as-of", "2025-02-20", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == [
        "currency", "basis", "as_of", "fiscal_year_start_month", "projects", "portfolio",
    ]  # fmt: skip
    assert report["fiscal_year_start_month"] == start_month
    assert {p["key"]: _years(p["fiscal_years"]) for p in report["projects"]} == {
        "a": expected["a"],
        "b": expected["b"],
    }
    assert _years(report["portfolio"]) == expected["portfolio"]


def test_table_has_a_by_fiscal_year_section(
    filled_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROI_TRACKER_FISCAL_YEAR_START_MONTH", "4")
    get_settings.cache_clear()
    result = runner.invoke(app, ["report", "--by-fiscal-year", "--database-url", filled_url,
                                 "--as-of", "2025-02-20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("By fiscal year (USD; the fiscal year starts in month 4)")
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["PORTFOLIO", "FY2026", "13,500.00", "34,700.00", "21,200.00"] in lines
    assert ["a", "FY2025", "10,500.00", "2,500.00", "-8,000.00"] in lines


def test_plan_basis_and_one_project(filled_url: str) -> None:
    # on the plan only the planned licences count: five months of 500
    args = ["--project", "a", "--basis", "plan", "--format", "json"]
    result = runner.invoke(app, ["report", "--by-fiscal-year", "--database-url", filled_url, *args])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [p["key"] for p in report["projects"]] == ["a"]
    assert report["portfolio"][0]["fiscal_year"] == "FY2025"
    assert report["portfolio"][0]["costs"] == 2500.0


def test_cannot_be_combined_with_the_baseline_variance(filled_url: str) -> None:
    result = runner.invoke(app, ["report", "--by-fiscal-year", "--against-baseline",
                                 "--database-url", filled_url])  # fmt: skip
    assert result.exit_code == 2
    assert "exclude each other" in result.output
