"""``roi-tracker kpis`` and ``roi-tracker budget`` on the hand-checked portfolio."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roi_tracker.cli import app

runner = CliRunner()


def run(*arguments: str):
    return runner.invoke(app, list(arguments))


def kpis_json(db_url: str, *extra: str) -> list[dict]:
    result = run("kpis", "--database-url", db_url, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kpis_json_by_hand(portfolio, db_url):
    report = kpis_json(db_url, "--as-of", "2025-06-01")
    assert [(r["project_key"], r["key"]) for r in report] == [
        ("alpha", "handling-time"), ("alpha", "resolution"), ("beta", "accuracy"),
    ]  # fmt: skip
    handling, resolution, accuracy = report
    # resolution: least squares through (0, 10), (60, 12), (120, 15), read on day 364
    slope = (-60 * (10 - 37 / 3) + 60 * (15 - 37 / 3)) / 7200
    projected = 37 / 3 + slope * (364 - 60)
    assert resolution["latest"] == 15
    assert resolution["progress"] == pytest.approx((15 - 10) / (20 - 10))
    assert resolution["projected"] == pytest.approx(projected)
    assert resolution["projected_progress"] == pytest.approx((projected - 10) / 10)
    assert resolution["status"] == "on_track"
    assert resolution["smart"]["specific"]["ok"] is True
    assert resolution["smart"]["time_bound"] == {
        "ok": True,
        "reason": "target date 2025-12-31, 364 days after the baseline date",
    }
    # handling time: lower is better; (0, 100) and (90, 95) read on day 364
    assert handling["progress"] == pytest.approx(0.1)
    assert handling["projected"] == pytest.approx(100 - 5 * 364 / 90)
    assert handling["projected_progress"] == pytest.approx(5 * 364 / 90 / 50)
    assert handling["status"] == "off_track"
    assert handling["smart"]["relevant"] == {
        "ok": False,
        "reason": "not tied to a stated business objective",
    }
    assert accuracy["status"] == "no_data"
    assert accuracy["latest"] is None and accuracy["progress"] is None


def test_kpis_as_of_moves_the_status(portfolio, db_url):
    later = {r["key"]: r for r in kpis_json(db_url, "--as-of", "2025-07-01", "--project", "alpha")}
    assert later["resolution"]["latest"] == 30
    assert later["resolution"]["status"] == "achieved"
    past = {r["key"]: r for r in kpis_json(db_url, "--as-of", "2026-01-01")}
    assert past["handling-time"]["status"] == "missed"


def test_kpis_table(portfolio, db_url):
    result = run("kpis", "--database-url", db_url, "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "project", "kpi", "status", "latest", "progress", "projected", "proj.", "progress",
        "SMART",
    ]  # fmt: skip
    resolution = next(line for line in lines if " resolution " in line)
    assert resolution.split()[:5] == ["alpha", "resolution", "on_track", "15", "50"]
    assert "alpha/handling-time: relevant: not tied to a stated business objective" in (
        result.stdout
    )


def test_budget_json_by_hand(portfolio, db_url):
    result = run("budget", "--database-url", db_url, "--as-of", "2025-03-10", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["as_of"] == "2025-03-10"
    alpha, beta = report["projects"]
    assert (alpha["key"], alpha["currency"]) == ("alpha", "USD")
    lines = {line["category"]: line for line in alpha["categories"]}
    assert list(lines) == ["all", "development", "licensing"]
    development = lines["development"]
    assert development["planned_total"] == 12 * 1000.00
    assert development["planned_to_date"] == 3 * 1000.00
    assert development["actual_to_date"] == 3 * 1500.00
    assert development["variance"] == 3 * 1500.00 - 3 * 1000.00
    assert development["variance_ratio"] == pytest.approx(1500 / 3000)
    assert development["burn_rate"] == 1500.00
    assert development["estimate_at_completion"] == 3 * 1500.00 + 9 * 1000.00
    # 12,000 − 4,500 left at 1,500 a month: five months after March
    assert development["exhausted_month"] == "2025-08"
    assert [t["crossed_on"] for t in development["thresholds"]] == [None] * 4
    licensing = lines["licensing"]
    assert licensing["variance"] == 2900.00 - 3000.00
    assert licensing["thresholds"] == [
        {"percent": 50, "crossed_on": "2025-02-05"},
        {"percent": 75, "crossed_on": "2025-02-05"},
        {"percent": 90, "crossed_on": "2025-02-05"},
        {"percent": 100, "crossed_on": None},
    ]
    whole = lines["all"]
    assert whole["planned_total"] == 15_000.00
    assert whole["actual_to_date"] == 4500.00 + 2900.00
    assert whole["burn_rate"] == round(7400.00 / 3, 2)  # money is shown in cents
    assert whole["estimate_at_completion"] == 7400.00 + 9 * 1000.00
    assert beta["categories"] == [
        {
            "category": "all", "planned_total": 0.0, "planned_to_date": 0.0,
            "actual_to_date": 0.0, "variance": 0.0, "variance_ratio": None, "burn_rate": 0.0,
            "estimate_at_completion": 0.0, "exhausted_month": None, "thresholds": [],
        }
    ]  # fmt: skip


def test_budget_table(portfolio, db_url):
    result = run("budget", "--database-url", db_url, "--as-of", "2025-03-10", "--project", "alpha")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "alpha: Support assistant (USD, as of 2025-03-10)"
    licensing = next(line for line in result.stdout.splitlines() if line.startswith("licensing"))
    assert licensing.split()[:5] == ["licensing", "3,000.00", "3,000.00", "2,900.00", "-100.00"]
    assert "90 % on 2025-02-05" in licensing


@pytest.mark.parametrize("command", ["kpis", "budget"])
def test_unknown_project_is_a_one_line_error(portfolio, db_url, command):
    result = run(command, "--database-url", db_url, "--project", "gamma")
    assert result.exit_code == 1
    assert result.stderr == "error: no project with key 'gamma'\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["kpis", "budget"])
def test_bad_date_is_a_one_line_error_and_bad_format_is_bad_usage(db_url, command):
    result = run(command, "--database-url", db_url, "--as-of", "2025-13-01")
    assert result.exit_code == 1
    assert result.stderr == "error: --as-of: '2025-13-01' is not a date (YYYY-MM-DD)\n"
    assert run(command, "--database-url", db_url, "--format", "xml").exit_code == 2


def test_an_empty_database(db_url):
    assert kpis_json(db_url) == []
    result = run("budget", "--database-url", db_url, "--format", "json", "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"as_of": "2025-01-01", "projects": []}
    assert run("kpis", "--database-url", db_url).stdout == "no KPIs\n"


@pytest.mark.parametrize(
    ("start_month", "quarters"),
    [
        (1, ["FY2025 Q1", "FY2025 Q2", "FY2025 Q3", "FY2025 Q4"]),
        # April: January … March 2025 close FY2025; April 2025 opens FY2026
        (4, ["FY2025 Q4", "FY2026 Q1", "FY2026 Q2", "FY2026 Q3"]),
        (10, ["FY2025 Q2", "FY2025 Q3", "FY2025 Q4", "FY2026 Q1"]),
    ],
)
def test_budget_by_fiscal_quarter(portfolio, db_url, monkeypatch, start_month, quarters):
    monkeypatch.setenv("ROI_TRACKER_FISCAL_YEAR_START_MONTH", str(start_month))
    result = run("budget", "--database-url", db_url, "--as-of", "2025-03-10", "--format", "json")
    assert result.exit_code == 0, result.output
    alpha, beta = json.loads(result.stdout)["projects"]
    assert alpha["fiscal_quarters"] == [
        {"fiscal_year": quarter.split()[0], "quarter": quarter, "planned": planned,
         "actual": actual}
        for quarter, planned, actual in zip(
            quarters, [6000.0, 3000.0, 3000.0, 3000.0], [7400.0, 0.0, 0.0, 0.0], strict=True
        )
    ]  # fmt: skip
    assert beta["fiscal_quarters"] == []

    table = run("budget", "--database-url", db_url, "--as-of", "2025-03-10", "--project", "alpha")
    assert "By fiscal quarter" in table.stdout
    assert next(line for line in table.stdout.splitlines() if line.startswith(quarters[0])).split()[
        -2:
    ] == ["6,000.00", "7,400.00"]
