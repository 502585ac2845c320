"""The cash benefit scope, redeployments and driven benefits in the report, against figures
worked out by hand (discount rate 0, so that NPV is the plain sum)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from roi_tracker.config import Settings
from roi_tracker.services import finance
from roi_tracker.store.tables import (
    Benefit,
    Cost,
    Kpi,
    Measurement,
    Project,
    Redeployment,
    ValueDriver,
)

START = date(2025, 1, 1)


@pytest.fixture
def zero_rate(db_url: str) -> Settings:
    return Settings(database_url=db_url, _env_file=None, discount_rate=0.0)


def add_project(session, horizon: int = 12) -> Project:
    project = Project(key="p", name="P", start_date=START, horizon_months=horizon, discount_rate=0)
    session.add(project)
    session.flush()
    return project


def monthly_benefit(project: Project, key: str, category: str, amount: str, **more) -> Benefit:
    more.setdefault("type", "hard")
    return Benefit(project_id=project.id, key=key, date=date(2025, 2, 1), category=category,
                   amount=Decimal(amount), recurrence="monthly", **more)  # fmt: skip


def add_cash_portfolio(session) -> Project:
    """1,200 spent in January; from February, each month: revenue 100 (cashable), a cost
    avoided 50, time saved 200 (non-cashable by default), brand 30 (soft, non-financial)."""
    project = add_project(session)
    session.add_all(
        [
            Cost(project_id=project.id, key="build", date=START, category="development",
                 amount=Decimal("1200.00"), status="actual"),
            monthly_benefit(project, "rev", "revenue", "100.00"),
            monthly_benefit(project, "avoid", "cost_savings", "50.00",
                            cash_class="cost_avoidance"),
            monthly_benefit(project, "time", "time_savings", "200.00"),
            monthly_benefit(project, "brand", "brand", "30.00", type="soft"),
        ]
    )  # fmt: skip
    session.flush()
    return project


def report(session, settings, basis="plan", as_of=date(2024, 12, 31)):
    return finance.portfolio_report(session, settings, basis=basis, as_of=as_of)


def test_the_cash_scope_counts_cashable_and_cost_avoidance_benefits(session, zero_rate):
    add_cash_portfolio(session)
    result = report(session, zero_rate, basis="forecast", as_of=date(2025, 1, 31))
    (project,) = result.projects
    # 11 months (February to December) of 150 against 1,200
    assert project.cash.benefits == 1650.0
    assert project.cash.costs == 1200.0
    assert project.cash.npv == 450.0
    assert project.cash.roi == pytest.approx(450 / 1200, rel=1e-12)
    assert project.cash.payback_period == 8  # -1,200 + 8 x 150 = 0 in month 8
    assert project.cash.risk_adjusted_npv == 450.0
    # hard and total as before: 350 and 380 a month
    assert project.hard.benefits == 3850.0
    assert project.total.benefits == 4180.0
    assert result.portfolio.cash.npv == 450.0
    printed = result.model_dump(mode="json")
    assert list(printed["portfolio"]) == ["total", "hard", "cash"]
    assert list(printed["portfolio"]["cash"]) == list(printed["portfolio"]["hard"])


def test_the_category_gives_the_default_evidence_and_cash_class(session):
    project = add_cash_portfolio(session)
    stored = {b.key: (b.evidence, b.cash_class) for b in session.query(Benefit).all()}
    assert project.id
    assert stored == {
        "rev": ("estimated", "cashable"),
        "avoid": ("estimated", "cost_avoidance"),
        "time": ("estimated", "non_cashable"),
        "brand": ("assumed", "non_financial"),
    }


def test_a_redeployment_turns_time_savings_into_cash_never_more_than_saved(session, zero_rate):
    project = add_cash_portfolio(session)
    session.add_all(
        [
            # 80 a month from July (periods 6 to 11), and 500 from October: capped at 200
            Redeployment(project_id=project.id, date=date(2025, 7, 15), kind="overtime_cut",
                         amount_per_month=Decimal("80.00"), evidence="Q3 overtime budget"),
            Redeployment(project_id=project.id, date=date(2025, 10, 1), kind="headcount_avoided",
                         amount_per_month=Decimal("500.00"), evidence="Hiring plan"),
        ]
    )  # fmt: skip
    session.flush()
    (result,) = report(session, zero_rate).projects
    # 1,650 + 80 x 3 (July to September) + 200 x 3 (October to December, capped)
    assert result.cash.benefits == 1650.0 + 240.0 + 600.0
    assert result.hard.benefits == 3850.0 and result.total.benefits == 4180.0


def add_kpi(session, project: Project, key: str, unit: str, *, baseline, target) -> Kpi:
    """A KPI of ``project`` from its start to the end of 2025."""
    kpi = Kpi(project_id=project.id, key=key, name=key.title(), unit=unit, baseline=baseline,
              target=target, baseline_date=START, target_date=date(2025, 12, 31))  # fmt: skip
    session.add(kpi)
    session.flush()
    return kpi


def add_driven_project(session, *, control: bool) -> Project:
    """Time saved driven by KPIs: 1,000 tasks a month, 12 minutes a task before, 40.00 an
    hour; February measured 10 minutes, March 9 (January to March only)."""
    project = add_project(session, horizon=3)
    volume = add_kpi(session, project, "VOL", "tasks", baseline=1000, target=1200)
    minutes = add_kpi(session, project, "MIN", "min", baseline=12, target=8)
    measured = [
        Measurement(kpi_id=volume.id, date=date(2025, 2, 15), value=1000),
        Measurement(kpi_id=volume.id, date=date(2025, 3, 15), value=1000),
        Measurement(kpi_id=minutes.id, date=date(2025, 2, 1), value=11),
        Measurement(kpi_id=minutes.id, date=date(2025, 2, 15), value=10),  # February's latest
        Measurement(kpi_id=minutes.id, date=date(2025, 3, 15), value=9),
    ]
    if control:
        measured += [
            Measurement(kpi_id=minutes.id, date=date(2024, 12, 15), value=12),
            Measurement(kpi_id=minutes.id, group="control", date=date(2024, 12, 15), value=12),
            Measurement(kpi_id=minutes.id, group="control", date=date(2025, 2, 15), value=11.5),
            Measurement(kpi_id=minutes.id, group="control", date=date(2025, 3, 15), value=11.5),
        ]
    session.add_all(
        [
            *measured,
            Cost(project_id=project.id, key="build", date=START, category="development",
                 amount=Decimal("1000.00"), status="actual"),
            monthly_benefit(project, "time", "time_savings", "1.00", confidence=0.5),
            ValueDriver(project_id=project.id, benefit_key="time", kind="time_saved",
                        volume_kpi="VOL", rate_kpi="MIN", hourly_rate=Decimal("40.00")),
        ]
    )  # fmt: skip
    session.flush()
    return project


def test_a_driven_benefit_is_valued_from_the_months_measurements(session, zero_rate):
    add_driven_project(session, control=False)
    result = report(session, zero_rate, basis="forecast", as_of=date(2025, 3, 31))
    (project,) = result.projects
    # February: 1,000 x (12 - 10) / 60 x 40 = 1,333.33; March: 1,000 x 3 / 60 x 40 = 2,000
    assert project.total.benefits == 3333.33
    assert project.cash.benefits == 0.0  # time saved nobody redeployed
    assert project.total.npv == 2333.33


def test_a_control_group_attributes_only_the_difference_in_differences(session, zero_rate):
    add_driven_project(session, control=True)
    result = report(session, zero_rate, basis="forecast", as_of=date(2025, 3, 31))
    (project,) = result.projects
    # treated 12 before, 10 after (11, 10 and 9); control 12 before, 11.5 after:
    # effect (10 - 12) - (11.5 - 12) = -1.5 minutes, each month from go-live:
    # 1,000 x 1.5 / 60 x 40 = 1,000.00 in February and in March
    assert project.total.benefits == 2000.0
    # every bootstrap effect is below zero (lower is better): confidence 1, nothing pending
    assert project.total.risk_adjusted_npv == project.total.npv


def test_flows_by_evidence_tell_measured_from_typed_amounts(session, zero_rate):
    add_driven_project(session, control=False)
    flows = finance.monthly_flows(
        session, zero_rate, basis="forecast", as_of=date(2025, 3, 31), by="evidence"
    )
    benefits = flows[flows["kind"] == "benefit"]
    assert benefits[["period", "group", "amount"]].values.tolist() == [
        [1, "measured", 1333.33],
        [2, "measured", 2000.0],
    ]


def test_the_waterfall_steps_carry_their_evidence(session, zero_rate):
    project = add_driven_project(session, control=False)
    session.add_all(
        [
            Benefit(project_id=project.id, key="licences", date=date(2025, 2, 1), type="hard",
                    category="cost_savings", amount=Decimal("500.00"), status="realized"),
            # 1,000 a month from March: capped at March's 2,000 of time saved
            Redeployment(project_id=project.id, date=date(2025, 3, 1), kind="contractor_spend_cut",
                         amount_per_month=Decimal("1000.00"), evidence="Contract ended"),
        ]
    )  # fmt: skip
    session.flush()
    result = finance.waterfall(session, zero_rate, as_of=date(2025, 3, 31))
    assert [(s.step, s.amount, s.evidence) for s in result.steps] == [
        ("cashable", 1500.0, {"estimated": 500.0, "redeployed": 1000.0}),
        ("cost_avoidance", 0.0, {}),
        ("non_cashable", 2333.33, {"measured": 2333.33}),
        ("non_financial", 0.0, {}),
        ("expected", 0.0, {}),
    ]


def test_a_driven_benefit_explains_each_month(session, zero_rate):
    add_driven_project(session, control=False)
    explained = finance.explain_driver(
        session, zero_rate, project_key="p", benefit_key="time", as_of=date(2025, 3, 31)
    )
    assert explained.kind == "time_saved" and explained.attribution is None
    table = explained.table
    assert [d.isoformat() for d in table["month"]] == ["2025-02-01", "2025-03-01"]
    assert table["volume"].tolist() == [1000.0, 1000.0]
    assert table["rate"].tolist() == [10.0, 9.0]
    assert table["change"].tolist() == [-2.0, -3.0]
    assert table["value"].tolist() == [1333.33, 2000.0]
    assert table["evidence"].tolist() == ["measured", "measured"]


def test_an_attributed_driver_explains_its_interval(session, zero_rate):
    add_driven_project(session, control=True)
    explained = finance.explain_driver(
        session, zero_rate, project_key="p", benefit_key="time", as_of=date(2025, 3, 31)
    )
    attribution = explained.attribution
    assert attribution is not None
    assert attribution.effect == -1.5 and attribution.method == "percentile bootstrap"
    assert (attribution.treated_before, attribution.treated_after) == (12.0, 10.0)
    assert (attribution.control_before, attribution.control_after) == (12.0, 11.5)
    assert attribution.low <= -1.5 <= attribution.high < 0
    assert attribution.confidence == 1.0


def test_a_cost_avoided_driver_values_the_unit_cost_in_currency(session, zero_rate):
    project = add_project(session, horizon=2)
    units = add_kpi(session, project, "UNITS", "units", baseline=200, target=250)
    cost = add_kpi(session, project, "COST", "USD", baseline=5.0, target=3.0)
    session.add_all(
        [
            Measurement(kpi_id=units.id, date=date(2025, 2, 20), value=200),
            Measurement(kpi_id=cost.id, date=date(2025, 2, 20), value=3.5),
            monthly_benefit(project, "unit-cost", "cost_savings", "1.00"),
            ValueDriver(project_id=project.id, benefit_key="unit-cost", kind="cost_avoided",
                        volume_kpi="UNITS", rate_kpi="COST"),
        ]
    )  # fmt: skip
    session.flush()
    (result,) = report(session, zero_rate, basis="forecast", as_of=date(2025, 2, 28)).projects
    # 200 units x (5.00 - 3.50) = 300.00 in February, cashable
    assert result.cash.benefits == 300.0


def test_the_kpi_chart_shows_the_control_group_and_the_effect(session):
    from roi_tracker.services import tracking
    from roi_tracker.ui import charts, components

    add_driven_project(session, control=True)
    chart = tracking.kpi_chart(session, project_key="p", kpi_key="MIN", as_of=date(2025, 3, 31))
    assert chart.control is not None
    assert chart.control["value"].tolist() == [12.0, 11.5, 11.5]
    assert chart.measurements["value"].tolist() == [12.0, 11.0, 10.0, 9.0]  # treated only
    effect = chart.effect
    assert effect is not None and effect.go_live == date(2025, 2, 1)  # the benefit's date
    assert effect.effect == -1.5 and effect.low <= -1.5 <= effect.high
    figure = charts.kpi_progress(**components.kpi_chart_arguments(chart))
    assert "control group" in [trace.name for trace in figure.data]
    assert any("effect -1.5" in a.text for a in figure.layout.annotations)
