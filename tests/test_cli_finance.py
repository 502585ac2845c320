"""`roi-tracker report` and `simulate` on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.config import get_settings
from roi_tracker.store import make_engine, session_scope
from tests.finance_portfolio import add_portfolio
from tests.test_finance_service import assert_metrics_equal, expected_report

runner = CliRunner()


@pytest.fixture
def filled_url(db_url: str, monkeypatch) -> str:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_portfolio(session)
    engine.dispose()
    # B takes its horizon and rate from the environment, as a user would set them
    monkeypatch.setenv("ROI_TRACKER_DISCOUNT_RATE", "0.08")
    monkeypatch.setenv("ROI_TRACKER_HORIZON_MONTHS", "24")
    get_settings.cache_clear()
    return db_url


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_report_json_has_the_contract_shape_and_numbers(filled_url: str) -> None:
    result = invoke("report", "--database-url", filled_url, "--as-of", "2025-02-20",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["currency", "basis", "as_of", "projects", "portfolio"]
    assert list(report["projects"][0]) == ["key", "name", "total", "hard", "cash"]
    expected = expected_report()
    for project in report["projects"]:
        for scope in ("total", "hard"):
            assert_metrics_equal(project[scope], expected[project["key"]][scope])
    for scope in ("total", "hard"):
        assert_metrics_equal(report["portfolio"][scope], expected["portfolio"][scope])
    # to the cent, as JSON numbers
    assert report["projects"][1]["total"]["benefits"] == 16100.0
    assert report["portfolio"]["total"]["costs"] == 24000.0


def test_report_for_one_project_on_the_plan(filled_url: str) -> None:
    result = invoke("report", "--database-url", filled_url, "--project", "a", "--basis", "plan",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["basis"] == "plan"
    assert [p["key"] for p in report["projects"]] == ["a"]
    assert report["projects"][0]["total"]["costs"] == 2500.0


def test_report_table_is_readable(filled_url: str) -> None:
    result = invoke("report", "--database-url", filled_url, "--as-of", "2025-02-20")
    assert result.exit_code == 0, result.output
    assert "12,000.00" in result.stdout and "29,500.00" in result.stdout
    assert "PORTFOLIO" in result.stdout and "24,000.00" in result.stdout
    assert "Hard benefits only" in result.stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("--project", "zzz"), 1, "no project with key 'zzz'"),
        (("--as-of", "2025-02-30"), 1, "--as-of"),
        (("--basis", "budget"), 2, "--basis"),
        (("--format", "xml"), 2, "--format"),
    ],
)
def test_report_errors(filled_url: str, args, status, message) -> None:
    result = invoke("report", "--database-url", filled_url, *args)
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.output
    if status == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_simulate_json_is_reproducible(filled_url: str) -> None:
    args = ("simulate", "--database-url", filled_url, "--as-of", "2025-02-20", "--trials", "2000",
            "--seed", "42", "--format", "json")  # fmt: skip
    first, again = invoke(*args), invoke(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    result = json.loads(first.stdout)
    assert list(result) == ["trials", "seed", "basis", "projects", "portfolio"]
    assert result["trials"] == 2000 and result["seed"] == 42 and result["basis"] == "forecast"
    assert list(result["portfolio"]["total"]) == ["mean", "p10", "p50", "p90", "prob_positive"]
    assert [p["key"] for p in result["projects"]] == ["a", "b"]
    # B has no uncertainty: every trial gives its NPV of the report
    report = json.loads(
        invoke("report", "--database-url", filled_url, "--as-of", "2025-02-20",
               "--format", "json").stdout
    )  # fmt: skip
    assert result["projects"][1]["hard"]["p10"] == report["projects"][1]["hard"]["npv"]


def test_simulate_table_and_errors(filled_url: str) -> None:
    result = invoke("simulate", "--database-url", filled_url, "--trials", "500", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "500 trials, seed 1" in result.stdout and "P(NPV > 0)" in result.stdout
    assert invoke("simulate", "--database-url", filled_url, "--trials", "0").exit_code == 2
    missing = invoke("simulate", "--database-url", filled_url, "--project", "zzz")
    assert missing.exit_code == 1 and "zzz" in missing.stderr
