"""Budgets against actuals, per project and per cost category, on the monthly grid.

Pure and vectorised (numpy/pandas over every cost of a portfolio). Money is integer cents.

- Occurrences follow docs/finance.md: a cost dated ``date`` adds ``amount``
  in month(date), then every 1, 3 or 12 months up to and including month(end_date) or the
  horizon end; only months 0 … H−1 from the month of the project's start count.
- "To date" means every month up to and including month(as_of), as the forecast basis does.
- The planned total (the budget) is the sum of planned occurrences over the horizon.
- variance = actual to date − planned to date (positive: overspent so far).
- burn rate = actual spend of the three months ending with month(as_of), divided by the
  number of those months the project has run (at most 3).
- estimate at completion = actual to date + planned after month(as_of).
- exhaustion month = the month in which spending at the burn rate after month(as_of) brings
  actual spend to the planned total; where actual spend already reached it, the month it did.
- a threshold (50, 75, 90, 100 % of the planned total) is crossed on the date of the actual
  occurrence that first brings the running actual total to it; occurrences on one day are
  taken in their given order. No thresholds where the planned total is zero.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from roi_tracker.domain.cashflows import month_index, month_start, step_months
from roi_tracker.domain.fiscal import fiscal_quarter, fiscal_year
from roi_tracker.domain.vocabulary import CostStatus

__all__ = [
    "ALL_CATEGORIES",
    "BURN_RATE_MONTHS",
    "THRESHOLDS_PERCENT",
    "budget_summary",
    "expand_cost_occurrences",
    "fiscal_quarters",
    "month_number",
    "monthly_budget",
    "threshold_crossings",
]

#: the category name of a project's whole budget
ALL_CATEGORIES = "all"
THRESHOLDS_PERCENT = (50, 75, 90, 100)
BURN_RATE_MONTHS = 3

OCCURRENCE_COLUMNS = ["project_id", "category", "status", "month", "date", "amount_cents"]


def month_number(values: object) -> np.ndarray:
    """Dates as calendar month indexes (year · 12 + month − 1), as ``domain.cashflows``."""
    return month_index(values)


def _month_start(month: np.ndarray) -> np.ndarray:
    return month_start(month).astype("datetime64[M]")


def _occurrence_dates(month: np.ndarray, day_of_month: np.ndarray) -> pd.DatetimeIndex:
    """The given day in each month, moved to the month's last day where it has fewer days."""
    first = _month_start(month)
    length = (first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")
    offset = np.minimum(day_of_month - 1, length.astype(np.int64) - 1)
    return pd.DatetimeIndex(first.astype("datetime64[D]") + offset.astype("timedelta64[D]"))


def expand_cost_occurrences(
    costs: pd.DataFrame, projects: pd.DataFrame, *, default_horizon_months: int
) -> pd.DataFrame:
    """Every monthly occurrence of every cost inside its project's horizon.

    ``costs`` needs ``project_id``, ``category``, ``status``, ``date``, ``amount_cents``,
    ``recurrence``, ``end_date``; ``projects`` needs ``id``, ``start_date``,
    ``horizon_months`` (NaN: ``default_horizon_months``). Returns one row per occurrence
    with ``project_id``, ``category``, ``status``, ``month`` (see ``month_number``),
    ``date`` and ``amount_cents``, ordered by project, date and cost.
    """
    if costs.empty:
        return pd.DataFrame(
            {
                "project_id": pd.Series(dtype="int64"),
                "category": pd.Series(dtype="str"),
                "status": pd.Series(dtype="str"),
                "month": pd.Series(dtype="int64"),
                "date": pd.Series(dtype="datetime64[us]"),
                "amount_cents": pd.Series(dtype="int64"),
            }
        )
    project = projects.set_index("id").loc[costs["project_id"]]
    horizon = project["horizon_months"].fillna(default_horizon_months).to_numpy(dtype=np.int64)
    first_period = month_number(project["start_date"])
    last_period = first_period + horizon - 1

    first = month_number(costs["date"])
    steps = step_months(costs["recurrence"])
    # as in domain.cashflows: a one-time item ignores its end date, and a recurring item whose
    # end date precedes its date still occurs at its date
    end = np.where(steps > 0, np.maximum(month_number(costs["end_date"]), first), first)
    last = np.minimum(end, last_period)
    count = np.where(last >= first, (last - first) // np.maximum(steps, 1) + 1, 0)
    rows = np.repeat(np.arange(len(costs)), count)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    month = first[rows] + k * steps[rows]
    inside = month >= first_period[rows]  # before the project's month 0: outside the horizon
    rows, month = rows[inside], month[inside]

    day_of_month = pd.to_datetime(costs["date"]).dt.day.to_numpy()[rows]
    result = pd.DataFrame(
        {
            "project_id": costs["project_id"].to_numpy()[rows],
            "category": costs["category"].to_numpy()[rows],
            "status": costs["status"].to_numpy()[rows],
            "month": month,
            "date": _occurrence_dates(month, day_of_month),
            "amount_cents": costs["amount_cents"].to_numpy(dtype=np.int64)[rows],
            "order": rows,
        }
    )
    result = result.sort_values(["project_id", "date", "order"], kind="stable")
    return result.drop(columns="order").reset_index(drop=True)


def _with_all_categories(occurrences: pd.DataFrame) -> pd.DataFrame:
    """The occurrences twice: under their category and under ``ALL_CATEGORIES``."""
    whole = occurrences.assign(category=ALL_CATEGORIES)
    both = pd.concat([occurrences, whole], ignore_index=True)
    return both.sort_values(["project_id", "category", "date"], kind="stable")


def _sum_by_group(frame: pd.DataFrame, mask: pd.Series, groups: pd.MultiIndex) -> np.ndarray:
    sums = frame.loc[mask].groupby(["project_id", "category"])["amount_cents"].sum()
    return sums.reindex(groups, fill_value=0).to_numpy(dtype=np.int64)


def budget_summary(
    occurrences: pd.DataFrame, projects: pd.DataFrame, *, as_of: date
) -> pd.DataFrame:
    """Planned vs actual per project and category (and ``ALL_CATEGORIES``) on ``as_of``.

    Returns one row per project and category that has occurrences, plus one ``all`` row per
    project of ``projects``: ``planned_total_cents``, ``planned_to_date_cents``,
    ``actual_to_date_cents``, ``variance_cents``, ``variance_ratio`` (variance / planned to
    date, NaN where that is 0), ``remaining_plan_cents``, ``burn_rate_cents`` (per month),
    ``estimate_at_completion_cents`` and ``exhausted_month`` (first day of that month, NaT
    where the burn rate never exhausts the budget).
    """
    as_of_month = int(month_number([as_of])[0])
    both = _with_all_categories(occurrences)
    pairs = set(zip(both["project_id"], both["category"], strict=True))
    pairs |= {(pid, ALL_CATEGORIES) for pid in projects["id"]}
    groups = pd.MultiIndex.from_tuples(sorted(pairs), names=["project_id", "category"])

    planned = both["status"] == CostStatus.PLANNED.value
    actual = both["status"] == CostStatus.ACTUAL.value
    to_date = both["month"] <= as_of_month
    recent = to_date & (both["month"] > as_of_month - BURN_RATE_MONTHS)

    result = pd.DataFrame(index=groups)
    result["planned_total_cents"] = _sum_by_group(both, planned, groups)
    result["planned_to_date_cents"] = _sum_by_group(both, planned & to_date, groups)
    result["actual_to_date_cents"] = _sum_by_group(both, actual & to_date, groups)
    result["variance_cents"] = result["actual_to_date_cents"] - result["planned_to_date_cents"]
    planned_to_date = result["planned_to_date_cents"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["variance_ratio"] = np.where(
            planned_to_date > 0, result["variance_cents"] / planned_to_date, np.nan
        )
    result["remaining_plan_cents"] = _sum_by_group(both, planned & ~to_date, groups)

    start_month = pd.Series(month_number(projects["start_date"]), index=projects["id"])
    months_run = as_of_month - start_month.reindex(groups.get_level_values(0)).to_numpy() + 1
    burn_months = np.clip(months_run, 0, BURN_RATE_MONTHS)
    recent_cents = _sum_by_group(both, actual & recent, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["burn_rate_cents"] = np.where(burn_months > 0, recent_cents / burn_months, np.nan)
    result["estimate_at_completion_cents"] = (
        result["actual_to_date_cents"] + result["remaining_plan_cents"]
    )
    result["exhausted_month"] = _exhaustion_months(
        result, recent_cents, burn_months, as_of_month, occurrences=both, as_of=as_of
    )
    return result.reset_index()


def _exhaustion_months(
    summary: pd.DataFrame,
    recent_cents: np.ndarray,
    burn_months: np.ndarray,
    as_of_month: int,
    *,
    occurrences: pd.DataFrame,
    as_of: date,
) -> pd.DatetimeIndex:
    total = summary["planned_total_cents"].to_numpy(dtype=np.int64)
    remaining = total - summary["actual_to_date_cents"].to_numpy(dtype=np.int64)
    burning = (recent_cents > 0) & (remaining > 0) & (total > 0)
    # integer ceiling of remaining / (recent / months): no rounding at exact multiples
    months_needed = np.where(
        burning, -(-remaining * burn_months // np.where(burning, recent_cents, 1)), 0
    )
    month = np.where(burning, as_of_month + months_needed, -1).astype(np.int64)
    spent = (remaining <= 0) & (total > 0)
    if spent.any():
        crossed = threshold_crossings(occurrences, summary.reset_index(), as_of=as_of)
        hundred = crossed[crossed["threshold_percent"] == 100].set_index(
            ["project_id", "category"]
        )["crossed_on"]
        crossed_month = month_number(hundred.reindex(summary.index))
        month = np.where(spent, crossed_month, month)
    dates = pd.DatetimeIndex(_month_start(np.where(month >= 0, month, 0)))
    return dates.where(month >= 0)


def threshold_crossings(
    occurrences: pd.DataFrame, summary: pd.DataFrame, *, as_of: date
) -> pd.DataFrame:
    """The first date actual spend to date reached each threshold of each planned total.

    ``occurrences`` from ``expand_cost_occurrences`` (with or without ``all`` rows);
    ``summary`` from ``budget_summary``. Returns ``project_id``, ``category``,
    ``threshold_percent`` and ``crossed_on`` for the thresholds crossed by ``as_of``.
    """
    as_of_month = int(month_number([as_of])[0])
    if ALL_CATEGORIES not in set(occurrences["category"]):
        occurrences = _with_all_categories(occurrences)
    actual = occurrences[
        (occurrences["status"] == CostStatus.ACTUAL.value) & (occurrences["month"] <= as_of_month)
    ]
    totals = summary.set_index(["project_id", "category"])["planned_total_cents"]
    keys = pd.MultiIndex.from_frame(actual[["project_id", "category"]])
    total = totals.reindex(keys).fillna(0).to_numpy(dtype=np.int64)
    running = actual.groupby(["project_id", "category"])["amount_cents"].cumsum().to_numpy()
    found = []
    for percent in THRESHOLDS_PERCENT:
        # exact in integer cents: running / total ≥ percent / 100
        reached = (total > 0) & (running * 100 >= percent * total)
        first = actual.loc[reached].groupby(["project_id", "category"], sort=False)["date"].first()
        found.append(first.rename("crossed_on").reset_index().assign(threshold_percent=percent))
    result = pd.concat(found, ignore_index=True)
    result = result.sort_values(["project_id", "category", "threshold_percent"], kind="stable")
    return result[["project_id", "category", "threshold_percent", "crossed_on"]].reset_index(
        drop=True
    )


def monthly_budget(occurrences: pd.DataFrame) -> pd.DataFrame:
    """Planned and actual cents per project, month and category, with running totals.

    Returns ``project_id``, ``month_start`` (first day), ``category``, ``planned_cents``,
    ``actual_cents`` and, over all categories of the project, ``cumulative_planned_cents``
    and ``cumulative_actual_cents`` up to that month.
    """
    sums = occurrences.pivot_table(
        index=["project_id", "month", "category"],
        columns="status",
        values="amount_cents",
        aggfunc="sum",
        fill_value=0,
    )
    result = pd.DataFrame(
        {
            "planned_cents": sums.get(CostStatus.PLANNED.value, 0),
            "actual_cents": sums.get(CostStatus.ACTUAL.value, 0),
        },
        index=sums.index,
    ).reset_index()
    result = result.astype({"planned_cents": "int64", "actual_cents": "int64"})
    per_month = result.groupby(["project_id", "month"])[["planned_cents", "actual_cents"]].sum()
    cumulative = per_month.groupby(level="project_id").cumsum()
    cumulative.columns = ["cumulative_planned_cents", "cumulative_actual_cents"]
    result = result.merge(cumulative.reset_index(), on=["project_id", "month"], how="left")
    result.insert(1, "month_start", pd.DatetimeIndex(_month_start(result["month"].to_numpy())))
    return result.drop(columns="month")


def fiscal_quarters(occurrences: pd.DataFrame, start_month: int = 1) -> pd.DataFrame:
    """Planned and actual cents per project and fiscal quarter (``domain.fiscal``).

    Returns ``project_id``, ``fiscal_year`` (``FY2027``), ``quarter`` (``FY2027 Q1``),
    ``planned_cents`` and ``actual_cents``, ordered by project and quarter.
    """
    months = occurrences["month"].to_numpy(dtype=np.int64)
    years = fiscal_year(months, start_month)
    quarters = fiscal_quarter(months, start_month)
    frame = pd.DataFrame(
        {
            "project_id": occurrences["project_id"].to_numpy(),
            "order": years * 4 + quarters,
            "fiscal_year": [f"FY{y}" for y in years],
            "quarter": [f"FY{y} Q{q}" for y, q in zip(years, quarters, strict=True)],
            "planned_cents": np.where(
                occurrences["status"] == CostStatus.PLANNED.value, occurrences["amount_cents"], 0
            ),
            "actual_cents": np.where(
                occurrences["status"] == CostStatus.ACTUAL.value, occurrences["amount_cents"], 0
            ),
        }
    )
    sums = frame.groupby(["project_id", "order", "fiscal_year", "quarter"], as_index=False)[
        ["planned_cents", "actual_cents"]
    ].sum()
    return sums.drop(columns="order").astype({"planned_cents": "int64", "actual_cents": "int64"})
