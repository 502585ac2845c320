"""The finance services on a real database, against figures computed by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from roi_tracker.config import Settings
from roi_tracker.domain.metrics import METRIC_NAMES
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.services import finance
from roi_tracker.store import make_engine, migrate, session_scope
from tests.finance_portfolio import (
    A_COSTS,
    A_HARD,
    A_RISK_COSTS,
    A_RISK_HARD,
    A_SOFT,
    AS_OF,
    B_COSTS,
    B_HARD,
    SETTINGS,
    add_portfolio,
    discounted,
    irr_by_bisection,
    minus,
    monthly,
    npv,
    on_calendar,
    payback,
    plus,
)

M_A, M_B, M_A_RISK = monthly(0.12), monthly(0.08), monthly(0.15)


@pytest.fixture
def portfolio_settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, _env_file=None, **SETTINGS)


@pytest.fixture
def loaded(session, portfolio_settings):
    add_portfolio(session)
    return session, portfolio_settings


def expected_report() -> dict:
    """Every figure of the report, computed from the hand-written flows."""
    a_total = plus(A_HARD, A_SOFT)
    a = {}
    for scope, benefits in (("total", a_total), ("hard", A_HARD)):
        net = minus(benefits, A_COSTS)
        risk_benefits = plus(A_RISK_HARD, A_SOFT) if scope == "total" else A_RISK_HARD
        a[scope] = {
            "costs": 12000.0,
            "benefits": float(sum(benefits)),
            "npv": round(npv(M_A, net), 2),
            "irr": irr_by_bisection(net),
            "roi": (sum(benefits) - 12000) / 12000,
            "discounted_roi": npv(M_A, net) / npv(M_A, A_COSTS),
            "payback_period": payback(net),
            "discounted_payback_period": payback(discounted(M_A, net)),
            "risk_adjusted_npv": round(npv(M_A_RISK, minus(risk_benefits, A_RISK_COSTS)), 2),
            "risk_adjusted_roi": (sum(risk_benefits) - sum(A_RISK_COSTS)) / sum(A_RISK_COSTS),
        }
    b_net = minus(B_HARD, B_COSTS)
    b_scope = {
        "costs": 12000.0,
        "benefits": 16100.0,
        "npv": round(npv(M_B, b_net), 2),
        "irr": irr_by_bisection(b_net),
        "roi": 4100 / 12000,
        "discounted_roi": npv(M_B, b_net) / npv(M_B, B_COSTS),
        "payback_period": payback(b_net),
        "discounted_payback_period": payback(discounted(M_B, b_net)),
        "risk_adjusted_npv": round(npv(M_B, b_net), 2),
        "risk_adjusted_roi": 4100 / 12000,
    }
    b = {"total": b_scope, "hard": b_scope}
    portfolio = {}
    for scope in ("total", "hard"):
        benefits = a_total if scope == "total" else A_HARD
        risk_benefits = plus(A_RISK_HARD, A_SOFT) if scope == "total" else A_RISK_HARD
        a_net = minus(benefits, A_COSTS)
        npv_sum = npv(M_A, a_net) + npv(M_B, b_net)
        all_benefits = sum(benefits) + 16100
        risk_costs = sum(A_RISK_COSTS) + 12000
        risk_gains = sum(risk_benefits) + 16100
        portfolio[scope] = {
            "costs": 24000.0,
            "benefits": float(all_benefits),
            "npv": round(npv_sum, 2),
            "irr": irr_by_bisection(on_calendar(a_net, b_net)),
            "roi": (all_benefits - 24000) / 24000,
            "discounted_roi": npv_sum / (npv(M_A, A_COSTS) + npv(M_B, B_COSTS)),
            "payback_period": payback(on_calendar(a_net, b_net)),
            "discounted_payback_period": payback(
                on_calendar(discounted(M_A, a_net), discounted(M_B, b_net))
            ),
            "risk_adjusted_npv": round(
                npv(M_A_RISK, minus(risk_benefits, A_RISK_COSTS)) + npv(M_B, b_net), 2
            ),
            "risk_adjusted_roi": (risk_gains - risk_costs) / risk_costs,
        }
    return {"a": a, "b": b, "portfolio": portfolio}


def assert_metrics_equal(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for name, want in expected.items():
        got = actual[name]
        if want is None or name in ("costs", "benefits", "npv", "risk_adjusted_npv"):
            assert got == want, name  # money to the cent, exactly
        elif name.endswith("payback_period"):
            assert got == want and isinstance(got, int), name
        else:
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12), name


def check_report(report: finance.PortfolioReport) -> None:
    expected = expected_report()
    assert report.currency == "USD"
    assert report.basis == "forecast"
    assert report.as_of == AS_OF
    assert [p.key for p in report.projects] == ["a", "b"]
    assert [p.name for p in report.projects] == ["Alpha", "Beta"]
    for project in report.projects:
        assert_metrics_equal(project.total.model_dump(), expected[project.key]["total"])
        assert_metrics_equal(project.hard.model_dump(), expected[project.key]["hard"])
    assert_metrics_equal(report.portfolio.total.model_dump(), expected["portfolio"]["total"])
    assert_metrics_equal(report.portfolio.hard.model_dump(), expected["portfolio"]["hard"])
    # the JSON the command line prints: dates as text, fields in the documented order
    printed = report.model_dump(mode="json")
    assert printed["as_of"] == "2025-02-20"
    assert list(printed["projects"][0]) == ["key", "name", "total", "hard", "cash"]
    assert list(printed["portfolio"]["hard"]) == list(METRIC_NAMES)


def test_report_agrees_with_the_hand_computation(loaded) -> None:
    session, settings = loaded
    report = finance.portfolio_report(session, settings, basis="forecast", as_of=AS_OF)
    check_report(report)
    # the figures a reviewer would check first, spelled out
    assert report.projects[0].total.costs == 12000.00
    assert report.projects[0].total.benefits == 29500.00


@pytest.mark.postgres
def test_report_is_the_same_on_postgresql(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with session_scope(engine) as session:
            add_portfolio(session)
        with session_scope(engine) as session:
            settings = Settings(database_url=postgres_url, _env_file=None, **SETTINGS)
            check_report(finance.portfolio_report(session, settings, as_of=AS_OF))
    finally:
        engine.dispose()


def test_plan_basis_counts_the_plan_only(loaded) -> None:
    session, settings = loaded
    report = finance.portfolio_report(session, settings, project_key="a", basis="plan", as_of=AS_OF)
    a = report.projects[0].total
    # planned licence Feb..Jun (5 x 500), expected benefit only; the actuals are left out
    assert a.costs == 2500.00
    assert a.benefits == 28500.00
    assert [p.key for p in report.projects] == ["a"]


def test_unknown_project_and_bad_basis_are_refused(loaded) -> None:
    session, settings = loaded
    with pytest.raises(NotFound, match="nope"):
        finance.portfolio_report(session, settings, project_key="nope", as_of=AS_OF)
    with pytest.raises(InvalidInput, match="basis"):
        finance.portfolio_report(session, settings, basis="budget", as_of=AS_OF)


def test_empty_database_gives_an_empty_report(session, portfolio_settings) -> None:
    report = finance.portfolio_report(session, portfolio_settings, as_of=date(2025, 1, 1))
    assert report.projects == []
    assert report.portfolio.total.costs == 0.0
    assert report.portfolio.total.irr is None


def test_report_frame_has_one_row_per_project_and_the_portfolio(loaded) -> None:
    session, settings = loaded
    frame = finance.report_frame(finance.portfolio_report(session, settings, as_of=AS_OF))
    assert frame["key"].tolist() == ["a", "b", "portfolio"]
    assert frame.loc[2, "costs"] == 24000.0


def test_monthly_flows_by_category_add_up_to_the_report(loaded) -> None:
    session, settings = loaded
    flows = finance.monthly_flows(session, settings, as_of=AS_OF, by="category")
    a = flows[flows["project_key"] == "a"]
    assert a[a["kind"] == "cost"]["amount"].sum() == pytest.approx(12000)
    assert set(a["group"]) == {"development", "licensing", "revenue", "brand"}
    march = a[(a["period"] == 2) & (a["kind"] == "benefit")]
    assert march["amount"].tolist() == [1500.0]
    assert str(march["month"].iloc[0])[:10] == "2025-03-01"
    by_type = finance.monthly_flows(session, settings, as_of=AS_OF, by="type")
    assert set(by_type["group"]) == {"cost", "hard", "soft"}
    with pytest.raises(InvalidInput):
        finance.monthly_flows(session, settings, by="colour", as_of=AS_OF)


def test_explanation_table_recomputes_the_npv(loaded) -> None:
    session, settings = loaded
    explanation = finance.explain(
        session, settings, project_key="a", metric="npv", scope="total", as_of=AS_OF
    )
    table = explanation.table
    assert list(table.columns) == [
        "period", "month", "benefits", "costs", "net", "discount_factor", "discounted_net",
        "cumulative_net", "cumulative_discounted_net",
    ]  # fmt: skip
    assert table["costs"].tolist() == A_COSTS
    assert table["benefits"].tolist() == plus(A_HARD, A_SOFT)
    assert round(table["discounted_net"].sum(), 2) == explanation.value
    assert explanation.inputs.monthly_rate == pytest.approx(M_A)
    assert "NPV" in explanation.formula.symbols
    risky = finance.explain(
        session, settings, project_key="a", metric="risk_adjusted_npv", as_of=AS_OF
    )
    assert risky.inputs.risk_adjusted is True
    with pytest.raises(InvalidInput):
        finance.explain(session, settings, project_key="a", metric="beauty", as_of=AS_OF)


def test_what_if_changes_only_the_scenario(loaded) -> None:
    session, settings = loaded
    result = finance.what_if(
        session, settings, finance.Scenario(cost_multiplier=2.0), project_key="b", as_of=AS_OF
    )
    assert result.base.projects[0].total.costs == 12000.0
    assert result.scenario.projects[0].total.costs == 24000.0
    delayed = finance.what_if(
        session, settings, finance.Scenario(delay_months=3), project_key="b", as_of=AS_OF
    )
    # three fewer months of 700 inside the 24-month horizon
    assert delayed.scenario.projects[0].total.benefits == 16100.0 - 2100.0


def test_sensitivity_sorts_drivers_by_swing(loaded) -> None:
    session, settings = loaded
    result = finance.sensitivity(session, settings, as_of=AS_OF)
    swings = [d.swing for d in result.drivers]
    assert swings == sorted(swings, reverse=True)
    assert {d.driver for d in result.drivers} == {
        "discount rate", "benefits", "costs", "benefit timing", "probability of success",
    }  # fmt: skip
    report = finance.portfolio_report(session, settings, as_of=AS_OF)
    assert result.base == report.portfolio.total.risk_adjusted_npv
    benefits = next(d for d in result.drivers if d.driver == "benefits")
    assert benefits.low < result.base < benefits.high


def test_simulation_is_reproducible_and_ordered(loaded) -> None:
    session, settings = loaded
    first = finance.simulate(session, settings, as_of=AS_OF, trials=3000, seed=7)
    again = finance.simulate(session, settings, as_of=AS_OF, trials=3000, seed=7)
    assert first == again
    other = finance.simulate(session, settings, as_of=AS_OF, trials=3000, seed=8)
    assert other.portfolio != first.portfolio
    for r in [
        first.portfolio.total,
        first.portfolio.hard,
        *(d for p in first.projects for d in (p.total, p.hard)),
    ]:
        assert r.p10 is not None and r.p50 is not None and r.p90 is not None
        assert r.p10 <= r.p50 <= r.p90
        assert r.prob_positive is not None and 0.0 <= r.prob_positive <= 1.0
    histogram = first.histogram.total
    assert sum(histogram.counts) == 3000
    assert len(histogram.edges) == len(histogram.counts) + 1
    # the histogram is for the chart: the JSON of ``roi-tracker simulate`` leaves it out
    assert list(first.model_dump(mode="json")) == ["trials", "seed", "basis", "projects",
                                                   "portfolio"]  # fmt: skip
    with pytest.raises(InvalidInput):
        finance.simulate(session, settings, trials=0, as_of=AS_OF)


def test_simulated_mean_matches_risk_adjusted_npv_without_contingency(loaded) -> None:
    """Project B has no uncertainty but A's probability and confidence: mean ~ rNPV(0 %)."""
    session, settings = loaded
    result = finance.simulate(session, settings, as_of=AS_OF, trials=40_000, seed=11)
    a_flows = minus(plus(A_RISK_HARD, A_SOFT), A_COSTS)  # contingency left out
    expected = npv(M_A_RISK, a_flows)
    simulated = result.projects[0].total.mean
    # the standard error of the mean is about 0.4 % of it with 40,000 trials
    assert simulated == pytest.approx(expected, rel=0.02)
    b = result.projects[1].total
    assert b.mean == b.p10 == b.p90 == round(npv(M_B, minus(B_HARD, B_COSTS)), 2)
    assert b.prob_positive is not None and np.isclose(b.prob_positive, 1.0)
