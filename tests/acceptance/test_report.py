"""`roi-tracker report --format json` against the contract, recomputed independently."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from roi_tracker.config import Settings
from roi_tracker.services import finance
from roi_tracker.store import make_engine, session_scope
from tests.acceptance import reference
from tests.acceptance.conftest import cli
from tests.acceptance.portfolio import AS_OF, FILES

METRICS = (
    "costs", "benefits", "npv", "irr", "roi", "discounted_roi", "payback_period",
    "discounted_payback_period", "risk_adjusted_npv", "risk_adjusted_roi",
)  # fmt: skip
MONEY = {"costs", "benefits", "npv", "risk_adjusted_npv"}


def assert_same(got: dict, want: dict, where: str) -> None:
    assert list(got) == list(METRICS), where
    for name in METRICS:
        value, expected = got[name], want[name]
        label = f"{where} {name}: got {value}, want {expected}"
        if name in MONEY:
            assert isinstance(value, int | float), label
            assert abs(value - float(expected)) <= 0.005 + 1e-9, label
        elif name == "irr":
            # null where no rate zeroes the NPV; one of the rates where one does
            if not expected:
                assert value is None, label
            else:
                assert value is not None, label
                assert any(value == pytest.approx(r, rel=1e-6, abs=1e-9) for r in expected), label
        elif name.endswith("payback_period"):
            assert value == expected, label
        elif expected is None:
            assert value is None, label
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), label


@pytest.mark.parametrize("basis", ["forecast", "plan"])
def test_every_report_field_matches_the_contract(portfolio_url: str, basis: str) -> None:
    result = cli("report", "--database-url", portfolio_url, "--basis", basis, "--as-of", AS_OF,
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert list(got) == ["currency", "basis", "as_of", "projects", "portfolio"]
    assert (got["currency"], got["basis"], got["as_of"]) == ("USD", basis, AS_OF)
    want = reference.report(FILES, basis, date.fromisoformat(AS_OF))
    assert [p["key"] for p in got["projects"]] == sorted(want["projects"])
    for project in got["projects"]:
        # the cash scope (cashable + cost avoidance) is checked against hand figures elsewhere
        assert list(project) == ["key", "name", "total", "hard", "cash"]
        assert list(project["cash"]) == list(project["total"])
        for scope in ("total", "hard"):
            assert_same(project[scope], want["projects"][project["key"]][scope],
                        f"{basis} {project['key']} {scope}")  # fmt: skip
    for scope in ("total", "hard"):
        assert_same(got["portfolio"][scope], want["portfolio"][scope], f"{basis} portfolio {scope}")


def test_the_portfolio_exercises_the_tricky_cases() -> None:
    """Guards the portfolio itself: each case the report test relies on is really in it."""
    forecast = reference.report(FILES, "forecast", date.fromisoformat(AS_OF))
    plan = reference.report(FILES, "plan", date.fromisoformat(AS_OF))
    projects = reference.build(FILES, "forecast", date.fromisoformat(AS_OF))
    assert any(p.rate == reference.DEFAULT_RATE and p.horizon == 36 for p in projects)
    assert (
        forecast["projects"]["alpha"]["total"]["costs"]
        != plan["projects"]["alpha"]["total"]["costs"]
    )
    # some metrics defined, some null, across projects
    paybacks = [forecast["projects"][k]["total"]["payback_period"] for k in forecast["projects"]]
    assert None in paybacks and any(p is not None for p in paybacks)
    assert any(forecast["projects"][k]["total"]["irr"] for k in forecast["projects"])
    assert not math.isclose(
        forecast["portfolio"]["total"]["npv"], forecast["portfolio"]["hard"]["npv"]
    )


def test_one_project_report_equals_its_row_of_the_portfolio(portfolio_url: str) -> None:
    whole = json.loads(cli("report", "--database-url", portfolio_url, "--as-of", AS_OF,
                           "--format", "json").stdout)  # fmt: skip
    single = cli("report", "--database-url", portfolio_url, "--as-of", AS_OF, "--project",
                 "beta", "--format", "json")  # fmt: skip
    assert single.exit_code == 0, single.output
    only = json.loads(single.stdout)
    beta = next(p for p in whole["projects"] if p["key"] == "beta")
    assert only["projects"] == [beta]
    assert only["portfolio"]["total"]["npv"] == beta["total"]["npv"]


@pytest.mark.parametrize("basis", ["forecast", "plan"])
def test_benefits_delayed_three_months_arrive_three_months_later(
    portfolio_url: str, basis: str
) -> None:
    """The what-if delay moves the expected flows still to come, not the items' dates."""
    settings = Settings(database_url=portfolio_url, _env_file=None)
    engine = make_engine(portfolio_url)
    with session_scope(engine) as session:
        result = finance.what_if(session, settings, finance.Scenario(delay_months=3),
                                 basis=basis, as_of=date.fromisoformat(AS_OF))  # fmt: skip
    engine.dispose()
    want = reference.report(FILES, basis, date.fromisoformat(AS_OF), delay=3)
    scenario = result.scenario.model_dump()
    for project in scenario["projects"]:
        for scope in ("total", "hard"):
            assert_same(project[scope], want["projects"][project["key"]][scope],
                        f"delayed {project['key']} {scope}")  # fmt: skip
    for scope in ("total", "hard"):
        assert_same(scenario["portfolio"][scope], want["portfolio"][scope], "delayed")
