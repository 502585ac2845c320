"""Budgets against actuals on the monthly grid (pure domain)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from roi_tracker.domain.budget import (
    budget_summary,
    expand_cost_occurrences,
    monthly_budget,
    threshold_crossings,
)
from roi_tracker.domain.cashflows import Grid, Items, month_index, spread, step_months


def projects_frame(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame([{"id": i + 1, "horizon_months": 12.0, **r} for i, r in enumerate(rows)])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    return frame


def costs_frame(*rows: dict) -> pd.DataFrame:
    defaults = {"project_id": 1, "recurrence": "one_time", "end_date": None, "status": "planned"}
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    for column in ("date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.astype({"amount_cents": "int64"})


def occurrences(costs: pd.DataFrame, projects: pd.DataFrame, horizon: int = 36) -> pd.DataFrame:
    return expand_cost_occurrences(costs, projects, default_horizon_months=horizon)


def test_occurrences_follow_recurrence_end_date_and_horizon():
    projects = projects_frame({"start_date": "2025-02-10", "horizon_months": 6.0})
    costs = costs_frame(
        {"date": "2025-01-31", "category": "data", "amount_cents": 100},  # before month 0
        {"date": "2025-03-31", "category": "licensing", "amount_cents": 200,
         "recurrence": "monthly", "end_date": "2025-05-01"},
        {"date": "2025-02-28", "category": "talent", "amount_cents": 300,
         "recurrence": "quarterly"},
        {"date": "2024-12-15", "category": "infrastructure", "amount_cents": 400,
         "recurrence": "monthly"},
        {"date": "2025-06-30", "category": "other", "amount_cents": 500,
         "recurrence": "annually"},
    )  # fmt: skip
    found = occurrences(costs, projects)
    by_category = found.groupby("category")["date"].apply(lambda d: [x.date() for x in d])
    assert by_category["licensing"] == [date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)]
    assert by_category["talent"] == [date(2025, 2, 28), date(2025, 5, 28)]
    # horizon: February … July 2025; the December start only counts from February
    assert by_category["infrastructure"] == [date(2025, m, 15) for m in range(2, 8)]
    assert by_category["other"] == [date(2025, 6, 30)]
    assert "data" not in by_category
    assert found["date"].is_monotonic_increasing


def test_default_horizon_applies_where_a_project_has_none():
    projects = projects_frame({"start_date": "2025-01-01", "horizon_months": np.nan})
    costs = costs_frame({"date": "2025-01-01", "category": "data", "amount_cents": 1,
                         "recurrence": "monthly"})  # fmt: skip
    assert len(occurrences(costs, projects, horizon=5)) == 5


# A 12-month project from January 2025: development planned 1,000.00 a month, licensing
# 3,000.00 once in January; actual development 1,500.00 a month January … March and
# licensing 2,900.00 in February.
PROJECTS = projects_frame({"start_date": "2025-01-15"})
COSTS = costs_frame(
    {"date": "2025-01-31", "category": "development", "amount_cents": 100_000,
     "recurrence": "monthly"},
    {"date": "2025-01-10", "category": "licensing", "amount_cents": 300_000},
    {"date": "2025-01-20", "category": "development", "amount_cents": 150_000,
     "recurrence": "monthly", "end_date": "2025-03-31", "status": "actual"},
    {"date": "2025-02-05", "category": "licensing", "amount_cents": 290_000,
     "status": "actual"},
)  # fmt: skip


def summary_on(as_of: date) -> pd.DataFrame:
    found = occurrences(COSTS, PROJECTS)
    return budget_summary(found, PROJECTS, as_of=as_of).set_index("category")


def test_budget_summary_by_hand():
    summary = summary_on(date(2025, 3, 10))
    development, licensing, whole = (summary.loc[c] for c in ("development", "licensing", "all"))
    assert development["planned_total_cents"] == 1_200_000
    assert development["planned_to_date_cents"] == 300_000
    assert development["actual_to_date_cents"] == 450_000
    assert development["variance_cents"] == 150_000
    assert development["variance_ratio"] == 0.5
    assert development["burn_rate_cents"] == 150_000
    assert development["estimate_at_completion_cents"] == 450_000 + 900_000
    # 750,000 left at 150,000 a month: five more months after March
    assert development["exhausted_month"] == pd.Timestamp("2025-08-01")
    assert licensing["actual_to_date_cents"] == 290_000
    assert licensing["variance_cents"] == -10_000
    assert licensing["estimate_at_completion_cents"] == 290_000
    assert whole["planned_total_cents"] == 1_500_000
    assert whole["actual_to_date_cents"] == 740_000
    assert whole["burn_rate_cents"] == 740_000 / 3
    # 760,000 left at 246,666.67 a month: 3.08 months, so the fourth month after March
    assert whole["exhausted_month"] == pd.Timestamp("2025-07-01")


def test_burn_rate_counts_only_months_the_project_has_run():
    summary = summary_on(date(2025, 2, 1))
    assert summary.loc["development", "burn_rate_cents"] == 150_000  # 300,000 over 2 months
    assert np.isnan(summary_on(date(2024, 12, 31)).loc["all", "burn_rate_cents"])


def test_exhaustion_month_of_a_spent_budget_is_when_it_was_spent():
    summary = summary_on(date(2025, 6, 30))
    # licensing: 2,900.00 of 3,000.00 and no more spending: never exhausted
    assert pd.isna(summary.loc["licensing", "exhausted_month"])
    short = PROJECTS.assign(horizon_months=2.0)
    over = budget_summary(occurrences(COSTS, short), short, as_of=date(2025, 6, 30))
    development = over.set_index("category").loc["development"]
    assert development["planned_total_cents"] == 200_000  # January and February only
    assert development["actual_to_date_cents"] == 300_000  # horizon: 2 actual occurrences
    assert development["exhausted_month"] == pd.Timestamp("2025-02-01")


def test_thresholds_first_crossing_dates():
    found = occurrences(COSTS, PROJECTS)
    as_of = date(2025, 12, 31)
    crossed = threshold_crossings(found, budget_summary(found, PROJECTS, as_of=as_of), as_of=as_of)
    table = {
        (row.category, row.threshold_percent): row.crossed_on.date() for row in crossed.itertuples()
    }
    assert table == {
        # licensing 2,900.00 of 3,000.00 on 5 February: 96.7 %
        ("licensing", 50): date(2025, 2, 5),
        ("licensing", 75): date(2025, 2, 5),
        ("licensing", 90): date(2025, 2, 5),
        # development 450,000 of 1,200,000 (37.5 %); the whole project 740,000 of 1,500,000
        # (49.3 %): neither crosses 50 %
    }


def test_exactly_on_a_threshold_counts_as_crossed():
    projects = projects_frame({"start_date": "2025-01-01"})
    costs = costs_frame(
        {"date": "2025-01-01", "category": "data", "amount_cents": 1_000},
        {"date": "2025-03-03", "category": "data", "amount_cents": 750, "status": "actual"},
        {"date": "2025-03-04", "category": "data", "amount_cents": 1, "status": "actual"},
    )
    found = occurrences(costs, projects)
    crossed = threshold_crossings(
        found, budget_summary(found, projects, as_of=date(2025, 4, 1)), as_of=date(2025, 4, 1)
    )
    data = crossed[crossed["category"] == "data"].set_index("threshold_percent")["crossed_on"]
    assert data.to_dict() == {50: pd.Timestamp("2025-03-03"), 75: pd.Timestamp("2025-03-03")}
    # not yet crossed before that month
    early = threshold_crossings(
        found, budget_summary(found, projects, as_of=date(2025, 2, 28)), as_of=date(2025, 2, 28)
    )
    assert early.empty


def test_no_costs_gives_zero_rows_per_project():
    projects = projects_frame({"start_date": "2025-01-01"}, {"start_date": "2025-01-01"})
    found = occurrences(COSTS.iloc[0:0], projects)
    summary = budget_summary(found, projects, as_of=date(2025, 6, 1))
    assert summary[["project_id", "category"]].values.tolist() == [[1, "all"], [2, "all"]]
    assert (summary["planned_total_cents"] == 0).all()
    assert summary["exhausted_month"].isna().all()
    assert threshold_crossings(found, summary, as_of=date(2025, 6, 1)).empty


def test_monthly_budget_for_charts():
    months = monthly_budget(occurrences(COSTS, PROJECTS))
    january = months[months["month_start"] == pd.Timestamp("2025-01-01")].set_index("category")
    assert january.loc["development", ["planned_cents", "actual_cents"]].tolist() == [
        100_000,
        150_000,
    ]
    assert january.loc["licensing", "planned_cents"] == 300_000
    assert january["cumulative_planned_cents"].tolist() == [400_000, 400_000]
    december = months[months["month_start"] == pd.Timestamp("2025-12-01")]
    assert december["cumulative_planned_cents"].tolist() == [1_500_000]
    assert december["cumulative_actual_cents"].tolist() == [740_000]


def test_occurrences_sum_to_the_monthly_flows_of_the_finance_engine():
    projects = projects_frame(
        {"start_date": "2025-02-10", "horizon_months": 7.0},
        {"start_date": "2024-11-01", "horizon_months": 30.0},
    )
    costs = costs_frame(
        {"date": "2025-01-31", "category": "data", "amount_cents": 100},
        {"date": "2025-03-31", "category": "licensing", "amount_cents": 200,
         "recurrence": "monthly", "end_date": "2025-05-01"},
        {"date": "2025-02-28", "category": "talent", "amount_cents": 300,
         "recurrence": "quarterly", "status": "actual"},
        {"date": "2024-12-15", "category": "data", "amount_cents": 400, "recurrence": "monthly"},
        {"project_id": 2, "date": "2024-10-31", "category": "other", "amount_cents": 500,
         "recurrence": "annually"},
        {"project_id": 2, "date": "2025-01-31", "category": "other", "amount_cents": 600,
         "recurrence": "quarterly", "end_date": "2026-02-01"},
    )  # fmt: skip
    found = occurrences(costs, projects)
    start = month_index(projects["start_date"])
    period = found["month"].to_numpy() - start[found["project_id"].to_numpy() - 1]
    ours = np.zeros((2, 30))
    np.add.at(ours, (found["project_id"].to_numpy() - 1, period), found["amount_cents"])

    grid = Grid(start=start, horizon=projects["horizon_months"].to_numpy(dtype=np.int64))
    items = Items(
        project=costs["project_id"].to_numpy() - 1,
        month=month_index(costs["date"]),
        end_month=month_index(costs["end_date"]),
        step=step_months(costs["recurrence"]),
        amount=costs["amount_cents"].to_numpy(dtype=float),
        ramp=np.zeros(len(costs), dtype=np.int64),
        happened=np.zeros(len(costs), dtype=bool),  # the plan basis: every item counts
    )
    np.testing.assert_array_equal(ours, spread(items, grid))
