"""Value drivers: a benefit's monthly value computed from KPIs, not typed in (docs/value.md).

Three named kinds, nothing evaluated from user text. With c = rate KPI − its baseline (or,
where a control group attributes the change, the difference-in-differences effect):

- time saved = volume × (−c) / 60 × hourly rate × adoption (adoption 1 without a KPI);
- cost avoided = volume × (−c);
- revenue uplift = revenue base × c / baseline × margin.

A month is *measured* when each KPI the driver reads has a measurement in it (the latest
of the month counts); any other month reads each KPI's forecast line (least squares through
the baseline and the measurements up to as-of) at the month's last day: *derived*. A value
below zero (the KPI moved the wrong way) counts as no benefit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from roi_tracker.domain.vocabulary import DriverKind

__all__ = ["DriverValues", "KpiMonths", "driver_values", "kpi_months", "month_end_days"]

MINUTES_PER_HOUR = 60.0


def month_end_days(months: np.ndarray) -> np.ndarray:
    """The last day of each calendar month index (year * 12 + month − 1) as a day ordinal."""
    following = np.asarray(months, dtype=np.int64) + 1
    first = [date(int(m // 12), int(m % 12) + 1, 1).toordinal() for m in following]
    return np.asarray(first, dtype=np.int64) - 1


@dataclass(frozen=True)
class KpiMonths:
    """A KPI as a driver reads it, one value per month, and which months were measured."""

    baseline: float
    values: np.ndarray
    measured: np.ndarray


def kpi_months(
    *,
    baseline: float,
    baseline_day: int,
    days: np.ndarray,
    values: np.ndarray,
    months: np.ndarray,
    as_of_day: int,
) -> KpiMonths:
    """The KPI's value in each of ``months`` (calendar month indexes).

    ``days`` (day ordinals) and ``values`` are its measurements; those after ``as_of_day``
    are ignored. A month with measurements takes its latest; the others read the forecast
    line through (baseline_day, baseline) and the measurements, at the month's last day.
    """
    days = np.asarray(days, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    known = days <= as_of_day
    days, values = days[known], values[known]
    x = np.concatenate([[baseline_day], days]).astype(float)
    y = np.concatenate([[baseline], values])
    if np.ptp(x) > 0:
        slope, intercept = np.polyfit(x, y, 1)
    else:  # the baseline alone (or all on one day): a flat line
        slope, intercept = 0.0, float(np.mean(y))
    result = slope * month_end_days(months) + intercept
    measured = np.zeros(len(months), dtype=bool)
    if days.size:
        order = np.lexsort((days,))
        measured_months = np.array(
            [date.fromordinal(int(d)).year * 12 + date.fromordinal(int(d)).month - 1 for d in days]
        )[order]
        latest = dict(zip(measured_months.tolist(), values[order].tolist(), strict=True))
        for i, month in enumerate(np.asarray(months).tolist()):
            if month in latest:  # later measurements of a month overwrote earlier ones
                result[i] = latest[month]
                measured[i] = True
    return KpiMonths(baseline=float(baseline), values=result, measured=measured)


@dataclass(frozen=True)
class DriverValues:
    """A driver's value per month (in the unit of its money parameters) with its inputs."""

    values: np.ndarray
    measured: np.ndarray
    change: np.ndarray


def driver_values(
    kind: DriverKind | str,
    *,
    volume: KpiMonths,
    rate: KpiMonths,
    adoption: KpiMonths | None = None,
    hourly_rate: float | None = None,
    revenue_base: float | None = None,
    margin: float | None = None,
    effect: np.ndarray | None = None,
) -> DriverValues:
    """The value of a driver in each month.

    Parameters
    ----------
    kind : DriverKind
        time_saved, cost_avoided or revenue_uplift.
    volume, rate, adoption : KpiMonths
        Tasks (units) per month; minutes per task, cost per unit or conversion; share of
        users (0 … 1, optional).
    hourly_rate, revenue_base : float
        Money per hour and per month (any unit: the result is in the same one).
    margin : float
        Share of the revenue kept (revenue uplift).
    effect : ndarray, optional
        The change attributable to the AI per month (difference in differences), used
        instead of rate − baseline.

    Returns
    -------
    DriverValues
        ``values`` ≥ 0 per month, ``measured`` where every KPI read was measured, ``change``
        the change used.
    """
    kind = DriverKind(kind)
    change = rate.values - rate.baseline if effect is None else np.asarray(effect, dtype=float)
    measured = volume.measured & rate.measured
    if kind is DriverKind.TIME_SAVED:
        if hourly_rate is None:
            raise ValueError("a time_saved driver needs an hourly rate")
        share = np.ones_like(change) if adoption is None else adoption.values
        if adoption is not None:
            measured = measured & adoption.measured
        values = volume.values * -change / MINUTES_PER_HOUR * hourly_rate * share
    elif kind is DriverKind.COST_AVOIDED:
        values = volume.values * -change
    else:
        if revenue_base is None or margin is None:
            raise ValueError("a revenue_uplift driver needs a revenue base and a margin")
        if rate.baseline == 0:
            raise ValueError("a revenue_uplift driver needs a conversion baseline other than 0")
        values = revenue_base * change / rate.baseline * margin
        measured = rate.measured
    return DriverValues(values=np.maximum(values, 0.0), measured=measured, change=change)
