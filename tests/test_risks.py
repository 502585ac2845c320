"""Open risks in the risk-adjusted figures, the Monte Carlo and the tornado (docs/finance.md).

The reference figures are written by hand: one project from January 2025, 12 months, no
discounting, a planned cost of 1,000.00 in month 0 and an expected benefit of 200.00 a
month from month 1 (2,200.00 in the horizon): NPV = risk-adjusted NPV = 1,200.00.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_tracker.config import Settings
from roi_tracker.domain import simulation
from roi_tracker.domain.metrics import MONEY_METRICS, project_metrics
from roi_tracker.services import finance, views
from roi_tracker.services.finance import inputs_from_frames, simulation_model

SETTINGS = Settings(_env_file=None)
PLAN = {"basis": "plan", "as_of": date(2025, 1, 15)}


def project(rate: float = 0.0, months: int = 12) -> pd.DataFrame:
    return pd.DataFrame(
        dict(id=[1], key=["p"], name=["P"], start_date=pd.to_datetime(["2025-01-01"]),
             horizon_months=[float(months)], discount_rate=[rate], probability_of_success=[1.0],
             cost_contingency=[0.0], risk_premium=[0.0])
    )  # fmt: skip


def items() -> tuple[pd.DataFrame, pd.DataFrame]:
    common = {"id": [1], "project_id": [1], "end_date": pd.NaT, "category": "other"}
    costs = pd.DataFrame(
        {**common, "key": ["build"], "date": pd.to_datetime(["2025-01-01"]),
         "amount_cents": [1000_00], "recurrence": ["one_time"], "status": ["planned"],
         "low_cents": [np.nan], "high_cents": [np.nan]}
    )  # fmt: skip
    benefits = pd.DataFrame(
        {**common, "key": ["saving"], "date": pd.to_datetime(["2025-02-01"]),
         "amount_cents": [200_00], "recurrence": ["monthly"], "status": ["expected"],
         "type": ["hard"], "confidence": [1.0], "ramp_months": [0],
         "low_cents": [np.nan], "high_cents": [np.nan]}
    )  # fmt: skip
    return costs, benefits


def risk(kind: str, p: float, low: float, likely: float, high: float, **more) -> dict:
    """One row as the store reads it: impacts in hundredths."""
    return {
        "project_id": 1, "key": more.get("key", kind), "title": f"a {kind}", "probability": p,
        "impact_kind": kind, "low_cents": low * 100, "likely_cents": likely * 100,
        "high_cents": high * 100, "date": pd.to_datetime(more.get("date")),
        "status": more.get("status", "open"),
    }  # fmt: skip


def figures(*risks: dict, rate: float = 0.0, **basis) -> dict[str, float]:
    inputs = inputs_from_frames(
        project(rate), *items(), SETTINGS, risks=pd.DataFrame(list(risks)) if risks else None,
        **(basis or PLAN),
    )  # fmt: skip
    metrics = project_metrics(inputs.flows(), "total")
    return {
        name: float(values[0]) / (100 if name in MONEY_METRICS else 1)
        for name, values in metrics.items()
    }


def test_without_risks_the_figures_are_the_plain_ones():
    assert figures()["npv"] == pytest.approx(1200.0)
    assert figures()["risk_adjusted_npv"] == pytest.approx(1200.0)


def test_a_cost_risk_adds_its_probability_times_its_mean():
    # 0.5 x (100 + 200 + 600) / 3 = 150.00
    result = figures(risk("cost", 0.5, 100, 200, 600, date="2025-04-01"))
    assert result["risk_adjusted_npv"] == pytest.approx(1050.0)
    assert result["npv"] == pytest.approx(1200.0)
    # ROI of the risk-adjusted flows: (2,200 - 1,150) / 1,150
    assert result["risk_adjusted_roi"] == pytest.approx(1050 / 1150)


def test_a_delay_moves_the_expected_benefits_by_its_mean_with_its_probability():
    # mean 2 months: 9 x 200 = 1,800 left in the horizon; 0.5 x 2,200 + 0.5 x 1,800 = 2,000
    assert figures(risk("delay", 0.5, 1, 2, 3))["risk_adjusted_npv"] == pytest.approx(1000.0)
    # mean 1.5 months: half of a 1-month shift (2,000) and half of a 2-month one (1,800)
    assert figures(risk("delay", 1.0, 1, 1, 2.5))["risk_adjusted_npv"] == pytest.approx(900.0)


def test_a_reduction_scales_the_expected_benefits():
    # 1 - 0.5 x 20 % = 0.9: 2,200 x 0.9 = 1,980
    assert figures(risk("benefit_reduction", 0.5, 10, 20, 30))["risk_adjusted_npv"] == (
        pytest.approx(980.0)
    )


def test_risks_of_a_project_combine_as_independent_events():
    both = figures(
        risk("benefit_reduction", 0.5, 10, 20, 30, key="r"), risk("delay", 0.5, 1, 2, 3, key="d")
    )
    # 0.9 x 2,000 = 1,800 expected benefits
    assert both["risk_adjusted_npv"] == pytest.approx(800.0)
    two_delays = figures(risk("delay", 0.5, 2, 2, 2, key="a"), risk("delay", 0.5, 2, 2, 2, key="b"))
    # no delay 1/4 (2,200), 2 months 1/2 (1,800), 4 months 1/4 (7 x 200 = 1,400)
    assert two_delays["risk_adjusted_npv"] == pytest.approx(1800 - 1000)


def test_the_risks_move_every_benefit_scope_alike_but_not_redeployed_cash():
    costs, hard = items()
    hard = hard.assign(cash_class="cashable")
    soft = hard.assign(id=2, key="hours", type="soft", amount_cents=100_00,
                       category="time_savings", cash_class="non_cashable")  # fmt: skip
    inputs = inputs_from_frames(
        project(), costs, pd.concat([hard, soft], ignore_index=True), SETTINGS,
        risks=pd.DataFrame([risk("benefit_reduction", 0.5, 10, 20, 30, key="r"),
                            risk("delay", 0.5, 1, 2, 3, key="d")]),
        **PLAN,
    )  # fmt: skip
    # 50.00 a month of the time savings redeployed: recorded cash, which no risk moves
    flows = replace(inputs, redeployed=np.full((1, 12), 50_00.0)).flows()
    plain = {scope: flows.benefits[scope].sum() / 100 for scope in ("total", "hard", "cash")}
    adjusted = {scope: flows.risk_benefits[scope].sum() / 100 for scope in plain}
    assert plain == pytest.approx({"total": 3300.0, "hard": 2200.0, "cash": 2200.0 + 600.0})
    # each scope's expected benefits x 0.9 (the reduction) x 2,000 / 2,200 (the delay)
    assert adjusted == pytest.approx({"total": 2700.0, "hard": 1800.0, "cash": 1800.0 + 600.0})


def test_a_closed_risk_has_no_effect():
    closed = figures(risk("cost", 1.0, 500, 500, 500, status="closed"))
    assert closed["risk_adjusted_npv"] == pytest.approx(1200.0)


def test_on_the_forecast_basis_a_past_dated_cost_risk_falls_after_the_as_of_month():
    inputs = inputs_from_frames(
        project(), *items(), SETTINGS, basis="forecast", as_of=date(2025, 5, 15),
        risks=pd.DataFrame([risk("cost", 1.0, 300, 300, 300, date="2025-02-01")]),
    )  # fmt: skip
    flows = inputs.flows()
    assert flows.risk_costs[0, 5] == pytest.approx(300_00)
    assert flows.risk_costs[0, 1] == 0


def test_a_cost_risk_without_date_falls_at_the_start_and_outside_the_horizon_counts_nothing():
    start = inputs_from_frames(
        project(), *items(), SETTINGS, risks=pd.DataFrame([risk("cost", 1.0, 3, 3, 3)]), **PLAN
    )
    assert start.flows().risk_costs[0, 0] == pytest.approx(1000_00 + 300)
    late = figures(risk("cost", 1.0, 300, 300, 300, date="2026-06-01"))
    assert late["risk_adjusted_npv"] == pytest.approx(1200.0)


def test_the_monte_carlo_mean_converges_to_the_expected_figure():
    risks = pd.DataFrame(
        [
            risk("cost", 0.3, 100, 200, 600, date="2025-04-01", key="c"),
            risk("delay", 0.4, 1, 2, 6, key="d"),
            risk("benefit_reduction", 0.25, 5, 10, 30, key="r"),
        ]
    )
    inputs = inputs_from_frames(
        project(rate=0.12, months=24), *items(), SETTINGS, risks=risks, **PLAN
    )
    expected = project_metrics(inputs.flows(), "total")["risk_adjusted_npv"][0]
    trials = 40_000
    values = simulation.run(simulation_model(inputs), trials=trials, seed=7).projects["total"][:, 0]
    standard_error = values.std() / np.sqrt(trials)
    # five standard errors, plus the curvature of discounting over the drawn delay (< 0.1 %)
    assert abs(values.mean() - expected) <= 5 * standard_error + 1e-3 * abs(expected)
    without = simulation.run(
        simulation_model(replace(inputs, risks=inputs.risks.take(np.zeros(3, dtype=bool)))),
        trials=trials,
        seed=7,
    ).projects["total"][:, 0]
    # the risks cost money on average and widen the spread
    assert values.mean() < without.mean() and values.std() > without.std()


@settings(max_examples=30, deadline=None)
@given(
    p=st.floats(0, 1),
    low=st.integers(0, 10_000),
    spread=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
    month=st.integers(0, 30),
    rate=st.floats(0, 0.3),
    other=st.sampled_from(["none", "delay", "benefit_reduction"]),
)
def test_an_open_cost_risk_never_raises_the_risk_adjusted_npv(p, low, spread, month, rate, other):
    others = [] if other == "none" else [risk(other, 0.5, 1, 2, 3, key="other")]
    before = figures(*others, rate=rate)["risk_adjusted_npv"] if others else None
    before = figures(rate=rate)["risk_adjusted_npv"] if before is None else before
    day = (pd.Timestamp("2025-01-01") + pd.DateOffset(months=month)).date().isoformat()
    cost = risk("cost", p, low, low + spread[0], low + spread[0] + spread[1], date=day, key="c")
    after = figures(*others, cost, rate=rate)
    assert after["risk_adjusted_npv"] <= before + 1e-9
    assert after["npv"] == pytest.approx(figures(rate=rate)["npv"])


# ---- through the store ------------------------------------------------------------------------


def store_project(session, *risks: dict) -> None:
    from roi_tracker.store.tables import Benefit, Cost, Project, Risk

    row = Project(key="p", name="P", start_date=date(2025, 1, 1), horizon_months=12,
                  discount_rate=0.0)  # fmt: skip
    session.add(row)
    session.flush()
    session.add(Cost(project_id=row.id, key="build", date=date(2025, 1, 1), category="other",
                     amount=1000))  # fmt: skip
    session.add(Benefit(project_id=row.id, key="saving", date=date(2025, 2, 1), type="hard",
                        category="other", amount=200, recurrence="monthly"))  # fmt: skip
    for values in risks:
        session.add(Risk(project_id=row.id, **values))
    session.flush()


def test_report_simulation_tornado_and_page_rows_read_the_stored_risks(session):
    store_project(
        session,
        {"key": "vendor", "title": "Vendor raises prices", "probability": 0.5,
         "impact_kind": "cost", "low": 100, "likely": 200, "high": 600, "date": date(2025, 4, 1)},
        {"key": "late", "title": "Late data", "probability": 0.5, "impact_kind": "delay",
         "low": 1, "likely": 2, "high": 3},
        {"key": "old", "title": "<b>closed</b> *one*", "probability": 1.0,
         "impact_kind": "benefit_reduction", "low": 50, "likely": 50, "high": 50,
         "status": "closed"},
    )  # fmt: skip
    report = finance.portfolio_report(session, SETTINGS, **PLAN)
    # 1,200 - 150 (cost risk) - 200 (delay)
    assert report.projects[0].total.risk_adjusted_npv == 850.0
    assert report.projects[0].total.npv == 1200.0
    tornado = finance.sensitivity(session, SETTINGS, **PLAN)
    risks = {d.driver: d for d in tornado.drivers if d.driver.startswith("risk ")}
    assert set(risks) == {"risk p/late: Late data", "risk p/vendor: Vendor raises prices"}
    assert risks["risk p/late: Late data"].high == 1050.0
    assert risks["risk p/vendor: Vendor raises prices"].swing == 150.0
    assert all(d.low == 850.0 for d in risks.values())
    simulated = finance.simulate(session, SETTINGS, trials=2000, seed=3, **PLAN)
    assert simulated.portfolio.total.mean < 1200.0
    rows = views.project_risks(session, project_id=1)
    assert list(rows["key"]) == ["late", "vendor", "old"]
    assert rows["impact"].tolist()[1] == "cost 100.00 / 200.00 / 600.00"
    assert rows["impact"].tolist()[0] == "delay 1.00 / 2.00 / 3.00 months"
    assert rows["title"].tolist()[2] == "<b>closed</b> *one*"
