"""Monthly flows from items: recurrence, end dates, ramp, horizon, bases, risk adjustment."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_tracker.config import Settings
from roi_tracker.domain import finance
from roi_tracker.domain.cashflows import NO_END, Grid, Items, month_index, present_values, spread
from roi_tracker.domain.metrics import project_metrics
from roi_tracker.services.finance import inputs_from_frames


def month(text: str) -> int:
    return int(month_index([text])[0])


def items(*rows: dict) -> Items:
    """Items from dicts with date, amount and optional end, step, ramp, happened, project."""
    return Items(
        project=np.array([r.get("project", 0) for r in rows], dtype=np.int64),
        month=np.array([month(r["date"]) for r in rows], dtype=np.int64),
        end_month=np.array(
            [month(r["end"]) if r.get("end") else NO_END for r in rows], dtype=np.int64
        ),
        step=np.array([r.get("step", 0) for r in rows], dtype=np.int64),
        amount=np.array([float(r["amount"]) for r in rows]),
        ramp=np.array([r.get("ramp", 0) for r in rows], dtype=np.int64),
        happened=np.array([r.get("happened", False) for r in rows], dtype=bool),
    )


def grid(start: str = "2025-01-01", horizon: int = 12, as_of: str | None = None) -> Grid:
    return Grid(
        start=np.array([month(start)]),
        horizon=np.array([horizon]),
        as_of=month(as_of) if as_of else None,
    )


def test_one_time_item_lands_in_its_month() -> None:
    flows = spread(items({"date": "2025-03-31", "amount": 100}), grid())
    expected = np.zeros(12)
    expected[2] = 100
    np.testing.assert_array_equal(flows[0], expected)


def test_item_before_the_project_start_counts_only_inside_the_horizon() -> None:
    one_time = spread(items({"date": "2024-11-15", "amount": 100}), grid())
    assert one_time.sum() == 0
    monthly = spread(items({"date": "2024-11-15", "amount": 10, "step": 1}), grid())
    np.testing.assert_array_equal(monthly[0], np.full(12, 10.0))
    # the ramp counts from the item's own date: j = 2 months after November at period 0
    ramped = spread(items({"date": "2024-11-15", "amount": 60, "step": 1, "ramp": 6}), grid())
    np.testing.assert_allclose(ramped[0][:4], [30, 40, 50, 60])


def test_recurrence_includes_the_end_month() -> None:
    monthly = spread(
        items({"date": "2025-01-10", "amount": 5, "step": 1, "end": "2025-04-01"}), grid()
    )
    np.testing.assert_array_equal(monthly[0][:6], [5, 5, 5, 5, 0, 0])
    quarterly = spread(
        items({"date": "2025-02-28", "amount": 7, "step": 3, "end": "2025-08-01"}), grid()
    )
    np.testing.assert_array_equal(np.flatnonzero(quarterly[0]), [1, 4, 7])
    annually = spread(items({"date": "2025-01-01", "amount": 9, "step": 12}), grid(horizon=36))
    np.testing.assert_array_equal(np.flatnonzero(annually[0]), [0, 12, 24])


def test_end_date_before_the_date_leaves_a_single_occurrence() -> None:
    flows = spread(
        items({"date": "2025-05-01", "amount": 3, "step": 1, "end": "2025-02-01"}), grid()
    )
    np.testing.assert_array_equal(np.flatnonzero(flows[0]), [4])


def test_horizon_boundary() -> None:
    flows = spread(items({"date": "2025-01-01", "amount": 1, "step": 1}), grid(horizon=12))
    assert flows.shape == (1, 12)
    assert flows.sum() == 12
    after = spread(items({"date": "2026-01-01", "amount": 1}), grid(horizon=12))
    assert after.sum() == 0
    last = spread(items({"date": "2025-12-31", "amount": 1}), grid(horizon=12))
    assert last[0, 11] == 1


def test_ramp_longer_than_the_horizon_never_reaches_full_amount() -> None:
    flows = spread(
        items({"date": "2025-01-01", "amount": 120, "step": 1, "ramp": 24}), grid(horizon=12)
    )
    np.testing.assert_allclose(flows[0], 120 * (np.arange(12) + 1) / 24)


def test_ramp_on_a_quarterly_item_uses_months_since_its_date() -> None:
    flows = spread(
        items({"date": "2025-01-01", "amount": 90, "step": 3, "ramp": 6}), grid(horizon=12)
    )
    # occurrences j = 0, 3, 6, 9 months after: factors 1/6, 4/6, 1, 1
    np.testing.assert_allclose(flows[0][[0, 3, 6, 9]], [15, 60, 90, 90])
    assert flows.sum() == pytest.approx(255)


def test_month_end_and_leap_day_dates() -> None:
    rows = items(
        {"date": "2024-02-29", "amount": 1, "step": 12},
        {"date": "2024-01-31", "amount": 2, "step": 1},
    )
    flows = spread(rows, grid(start="2024-01-01", horizon=30))
    assert flows[0, 0] == 2 and flows[0, 1] == 3 and flows[0, 13] == 3 and flows[0, 25] == 3
    assert flows[0].sum() == 2 * 30 + 3


def test_plan_basis_keeps_planned_and_expected_only() -> None:
    rows = items(
        {"date": "2025-01-01", "amount": 100, "happened": True},
        {"date": "2025-01-01", "amount": 80},
    )
    np.testing.assert_array_equal(spread(rows, grid())[0][:1], [80])


def test_forecast_basis_switches_at_the_as_of_month() -> None:
    rows = items(
        {"date": "2025-01-01", "amount": 10, "step": 1, "happened": True},
        {"date": "2025-01-01", "amount": 7, "step": 1},
    )
    flows = spread(rows, grid(as_of="2025-03-15"))
    np.testing.assert_array_equal(flows[0][:6], [10, 10, 10, 7, 7, 7])


def test_delay_moves_the_flows_still_to_come_not_the_items() -> None:
    rows = items(
        # an ongoing monthly benefit that started before the as-of month
        {"date": "2025-01-01", "amount": 10, "step": 1},
        # ramping up, with occurrences on both sides of the as-of month
        {"date": "2025-02-01", "amount": 60, "step": 1, "ramp": 6},
        # pushed past the horizon: it drops out
        {"date": "2025-11-01", "amount": 5},
        # what happened stays where it happened
        {"date": "2025-01-01", "amount": 1, "step": 1, "end": "2025-04-30", "happened": True},
    )
    g = grid(as_of="2025-04-15")
    late = rows.delayed(3, ~rows.happened)
    flows = spread(late.take(np.array([0])), g)[0]
    # the three months after April lose their flow; the stream resumes in August
    np.testing.assert_array_equal(flows, [0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10])
    ramp = spread(late.take(np.array([1])), g)[0]
    # the May occurrence (j = 3, factor 4/6) now arrives in August, the June one in September
    np.testing.assert_allclose(ramp[7:], [40, 50, 60, 60, 60])
    assert ramp[:7].sum() == 0
    assert spread(late.take(np.array([2])), g).sum() == 0
    np.testing.assert_array_equal(spread(late.take(np.array([3])), g)[0][:4], [1, 1, 1, 1])
    monthly = np.array([0.01])
    expected = [finance.npv(0.01, spread(late.take(np.array([i])), g)[0]) for i in range(4)]
    unit_values = present_values(late, g, monthly) * late.amount
    np.testing.assert_allclose(unit_values, expected, rtol=1e-12)


def test_delay_on_the_plan_basis_moves_the_whole_expected_stream() -> None:
    rows = items({"date": "2025-01-01", "amount": 10, "step": 1, "end": "2025-06-30"})
    flows = spread(rows.delayed(2, np.array([True])), grid())[0]
    np.testing.assert_array_equal(flows, [0, 0, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0])


def test_groups_split_the_flows() -> None:
    rows = items(
        {"date": "2025-01-01", "amount": 1, "step": 1}, {"date": "2025-02-01", "amount": 2}
    )
    split = spread(rows, grid(), groups=np.array([0, 1]), n_groups=2)
    assert split.shape == (2, 1, 12)
    np.testing.assert_array_equal(split.sum(axis=0), spread(rows, grid()))


def test_present_values_match_discounting_the_spread() -> None:
    rows = items(
        {"date": "2024-10-01", "amount": 1, "step": 1, "ramp": 5},
        {"date": "2025-02-01", "amount": 1, "step": 3, "end": "2025-11-30"},
        {"date": "2025-06-01", "amount": 1},
        {"date": "2025-01-01", "amount": 1, "step": 1, "happened": True},
    )
    g = grid(horizon=24, as_of="2025-04-01")
    monthly = np.array([0.01])
    expected = [finance.npv(0.01, spread(rows.take(np.array([i])), g)[0]) for i in range(4)]
    np.testing.assert_allclose(present_values(rows, g, monthly), expected, rtol=1e-12)


def test_projects_of_different_horizons_share_one_array() -> None:
    rows = items(
        {"date": "2025-01-01", "amount": 1, "step": 1, "project": 0},
        {"date": "2025-01-01", "amount": 1, "step": 1, "project": 1},
    )
    g = Grid(start=np.array([month("2025-01-01")] * 2), horizon=np.array([3, 5]))
    np.testing.assert_array_equal(spread(rows, g), [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])


# ------------------------------------------------------------------ risk adjustment

PROJECT_COLUMNS = dict(
    id=[1], key=["p"], name=["P"], start_date=pd.to_datetime(["2025-01-01"]),
    horizon_months=[24.0], discount_rate=[0.1],
)  # fmt: skip


def frames(confidence, probability, contingency, premium, happened_costs=False):
    projects = pd.DataFrame(
        PROJECT_COLUMNS
        | dict(probability_of_success=[probability], cost_contingency=[contingency],
               risk_premium=[premium])
    )  # fmt: skip
    costs = pd.DataFrame(
        dict(id=[1, 2], project_id=[1, 1], key=["a", "b"],
             date=pd.to_datetime(["2025-01-01", "2025-02-01"]), category=["data", "talent"],
             amount_cents=[500_000, 20_000], recurrence=["one_time", "monthly"],
             end_date=pd.to_datetime([None, None]),
             status=["actual" if happened_costs else "planned", "planned"],
             low_cents=[np.nan, np.nan], high_cents=[np.nan, np.nan])
    )  # fmt: skip
    benefits = pd.DataFrame(
        dict(id=[1, 2], project_id=[1, 1], key=["x", "y"],
             date=pd.to_datetime(["2025-03-01", "2025-02-01"]), type=["hard", "soft"],
             category=["revenue", "brand"], amount_cents=[60_000, 10_000],
             recurrence=["monthly", "monthly"], end_date=pd.to_datetime([None, None]),
             status=["expected", "realized"], confidence=confidence, ramp_months=[4, 0],
             low_cents=[np.nan, np.nan], high_cents=[np.nan, np.nan])
    )  # fmt: skip
    return projects, costs, benefits


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=2),
    st.floats(0, 1),
    st.floats(0, 2),
    st.floats(0, 0.5),
    st.booleans(),
)
def test_risk_adjusted_npv_never_exceeds_npv(
    confidence, probability, contingency, premium, happened
):
    inputs = inputs_from_frames(
        *frames(confidence, probability, contingency, premium, happened),
        Settings(_env_file=None),
        basis="forecast",
        as_of=date(2025, 2, 15),
    )
    for scope in ("hard", "total"):
        metrics = project_metrics(inputs.flows(), scope)
        assert metrics["risk_adjusted_npv"][0] <= metrics["npv"][0] + 1e-6
        assert metrics["risk_adjusted_roi"][0] <= metrics["roi"][0] + 1e-12


def test_risk_adjustment_leaves_what_happened_alone() -> None:
    inputs = inputs_from_frames(
        *frames([0.5, 0.5], 0.5, 0.3, 0.0, happened_costs=True),
        Settings(_env_file=None),
        as_of=date(2025, 2, 15),
    )
    flows = inputs.flows()
    # the realized soft benefit of February and the actual January cost are untouched
    assert flows.risk_costs[0, 0] == flows.costs[0, 0] == 500_000
    assert flows.risk_benefits["total"][0, 1] == flows.benefits["total"][0, 1] == 10_000
    # the planned monthly cost after the as-of month carries the contingency
    assert flows.risk_costs[0, 2] == pytest.approx(20_000 * 1.3)
    # expected hard benefit: ramp 1/4 in March, x confidence x probability
    assert flows.benefits["hard"][0, 2] == pytest.approx(15_000)
    assert flows.risk_benefits["hard"][0, 2] == pytest.approx(15_000 * 0.5 * 0.5)


def test_a_project_without_costs_has_no_roi_but_an_npv() -> None:
    projects, costs, benefits = frames([1.0, 1.0], 1.0, 0.0, 0.0)
    inputs = inputs_from_frames(
        projects,
        costs.iloc[0:0],
        benefits,
        Settings(_env_file=None),
        basis="plan",
        as_of=date(2025, 1, 1),
    )
    metrics = project_metrics(inputs.flows(), "total")
    assert np.isnan(metrics["roi"][0]) and np.isnan(metrics["discounted_roi"][0])
    assert np.isnan(metrics["irr"][0]) and np.isnan(metrics["payback_period"][0])
    assert metrics["npv"][0] > 0 and metrics["costs"][0] == 0


def test_fractional_ramps_leave_no_noise_in_later_months() -> None:
    rows = items(
        {"date": "2025-01-01", "amount": 10, "step": 1, "ramp": 3, "end": "2025-02-28"},
        {"date": "2025-01-01", "amount": 7},
    )
    flows = spread(rows, grid())
    assert flows[0, 2] == 0.0 and flows[0, 11] == 0.0
    assert flows[0, 0] == pytest.approx(7 + 10 / 3, abs=1e-6)
    assert flows[0, 1] == pytest.approx(20 / 3, abs=1e-6)


def test_several_weight_rows_spread_like_one_spread_each() -> None:
    rows = items(
        {"date": "2024-10-01", "amount": 3, "step": 1, "ramp": 5},
        {"date": "2025-02-01", "amount": 5, "step": 3, "end": "2025-11-30", "project": 1},
        {"date": "2025-06-01", "amount": 7, "step": 12},
        {"date": "2025-01-01", "amount": 11, "step": 1, "project": 1},
    )
    g = Grid(start=np.array([month("2025-01-01")] * 2), horizon=np.array([24, 18]))
    weights = np.array([[3.0, 5, 7, 11], [0.5, 0, 2.25, 1 / 3]])
    together = spread(rows, g, weights=weights, groups=np.array([0, 1, 0, 1]), n_groups=2)
    assert len(together) == 2
    for row, flows in zip(weights, together, strict=True):
        alone = spread(rows, g, weights=row, groups=np.array([0, 1, 0, 1]), n_groups=2)
        np.testing.assert_array_equal(flows, alone)
    np.testing.assert_array_equal(together[0].sum(axis=0), spread(rows, g))
