"""KPI progress, least-squares forecast, status, SMART assessment, benchmarks and staleness.

Pure and vectorised: every function works on all KPIs of a portfolio at once (numpy over a
KPI frame and a measurement frame), following docs/kpis-and-budgets.md:

- progress = (latest − baseline) / (target − baseline), latest being the newest measurement
  on or before ``as_of``;
- the forecast is the least-squares line through (baseline_date, baseline) and every
  measurement on or before ``as_of``, read at target_date; projected progress is its progress;
- status: achieved (progress ≥ 1), else missed (as_of past target_date), else no_data (no
  measurement), else on_track (projected progress ≥ 1), at_risk (≥ 0.8), off_track.

Dates are counted in whole days. Progress is compared with its thresholds allowing for a
relative rounding error of 1e-9, so that a value exactly on a boundary never flips status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "AMBITION_MARGIN",
    "AT_RISK_PROGRESS",
    "DIRECTIONS",
    "SMART_CRITERIA",
    "STATUSES",
    "KpiStatus",
    "benchmark_gaps",
    "effective_baseline_dates",
    "kpi_progress",
    "kpi_status_arrays",
    "smart_assessment",
    "stale_kpis",
    "status_changes",
    "to_days",
]

#: projected progress from which a KPI is at risk rather than off track
AT_RISK_PROGRESS = 0.8
#: how far (relative to the best benchmark) a target may go beyond it and still be achievable
AMBITION_MARGIN = 0.10
#: rounding allowance when progress is compared with 1 and 0.8
TOLERANCE = 1e-9
SMART_CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
#: the two directions of a KPI, in code order (0: lower is better, 1: higher is better)
DIRECTIONS = ("decrease", "increase")


class KpiStatus(StrEnum):
    ACHIEVED = "achieved"
    MISSED = "missed"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


STATUSES = tuple(status.value for status in KpiStatus)


def to_days(values: object) -> np.ndarray:
    """Dates (date, datetime64 or a Series of them) as whole days since 1970-01-01 (float)."""
    given = values.to_numpy() if isinstance(values, pd.Series) else None
    if given is not None and given.dtype.kind == "M":
        moments = given  # already datetime64: no conversion to pay for (a third of the time)
    else:
        moments = np.asarray(pd.to_datetime(values).to_numpy())
    if moments.dtype.kind != "M":
        moments = moments.astype("datetime64[us]")
    unit, _ = np.datetime_data(moments.dtype)
    per_day = np.timedelta64(1, "D") // np.array(1, dtype=f"timedelta64[{unit}]")
    days = (moments.view(np.int64) // per_day).astype(float)  # // floors before 1970 too
    missing = np.isnat(moments)
    if missing.any():
        days[missing] = np.nan
    return days


def _day(value: date) -> float:
    return float(np.datetime64(value, "D").astype(np.int64))


def effective_baseline_dates(kpis: pd.DataFrame) -> pd.Series:
    """The KPI's baseline_date, or its project's start_date where it has none."""
    baseline_dates = pd.to_datetime(kpis["baseline_date"])
    if "project_start_date" in kpis:
        baseline_dates = baseline_dates.fillna(pd.to_datetime(kpis["project_start_date"]))
    return baseline_dates


def _group_reductions(
    position: np.ndarray, day: np.ndarray, bins: int
) -> tuple[Callable[[np.ndarray], np.ndarray], np.ndarray, np.ndarray]:
    """A per-KPI sum of weights, and the count and the newest day of each KPI's measurements
    (``position`` holds each measurement's KPI, 0 ... bins - 1).

    Measurements usually come grouped by KPI, as the store returns them: then each group is
    a run, reduced in one sweep (``reduceat``), several times faster than scattering every
    measurement into its bin, which any order allows.
    """
    newest_day = np.full(bins, -np.inf)
    if position.size == 0 or np.any(position[1:] < position[:-1]):
        np.maximum.at(newest_day, position, day)

        def scattered(weights: np.ndarray) -> np.ndarray:
            return np.bincount(position, weights=weights, minlength=bins)

        return scattered, np.bincount(position, minlength=bins), newest_day
    starts = np.flatnonzero(np.concatenate([[True], position[1:] != position[:-1]]))
    owners = position[starts]
    counts = np.zeros(bins, dtype=np.int64)
    counts[owners] = np.diff(np.append(starts, position.size))
    newest_day[owners] = np.maximum.reduceat(day, starts)

    def in_runs(weights: np.ndarray) -> np.ndarray:
        sums = np.zeros(bins)
        sums[owners] = np.add.reduceat(weights, starts)
        return sums

    return in_runs, counts, newest_day


def kpi_status_arrays(
    baseline: np.ndarray,
    target: np.ndarray,
    baseline_day: np.ndarray,
    target_day: np.ndarray,
    kpi_position: np.ndarray,
    measurement_day: np.ndarray,
    value: np.ndarray,
    as_of_day: float,
) -> dict[str, np.ndarray]:
    """Progress, forecast and status of K KPIs from M measurements, in one pass of numpy.

    Parameters
    ----------
    baseline, target, baseline_day, target_day : arrays of length K
        The KPIs' numbers and their dates in days (see ``to_days``).
    kpi_position, measurement_day, value : arrays of length M
        For each measurement: the position (0 … K−1) of its KPI, its day and its value.
    as_of_day : float
        Measurements after this day are ignored.

    Returns
    -------
    dict of arrays of length K
        ``latest``, ``latest_day``, ``measurement_count``, ``progress``, ``slope_per_day``,
        ``forecast``, ``projected_progress`` (NaN where undefined), ``status`` (str) and
        ``status_code`` (its position in ``STATUSES``).
    """
    count = len(baseline)
    baseline = np.asarray(baseline, dtype=float)
    target = np.asarray(target, dtype=float)
    baseline_day = np.asarray(baseline_day, dtype=float)
    target_day = np.asarray(target_day, dtype=float)

    position = np.asarray(kpi_position, dtype=np.int64)
    day = np.asarray(measurement_day, dtype=float)
    value = np.asarray(value, dtype=float)
    seen = day <= as_of_day
    if not seen.all():
        # measurements after as_of are left out (a copy keeps them grouped by KPI)
        position, day, value = position[seen], day[seen], value[seen]

    per_kpi, measurement_count, newest_day = _group_reductions(position, day, count)
    # one scratch array of measurement length, reused: fresh large arrays cost page faults
    scratch = np.take(newest_day, position)
    newest = day == scratch
    latest = np.full(count, np.nan)
    latest[position[newest]] = value[newest]
    without_data = measurement_count == 0
    latest_day = np.where(without_data, np.nan, newest_day)

    # Least squares over the baseline point and the measurements, x in days from the baseline
    # date: whole days keep n·Σx² − (Σx)² exact, so "all points on one day" is found exactly.
    x = np.take(baseline_day, position)
    np.subtract(day, x, out=x)
    n = measurement_count + 1.0
    sum_x = per_kpi(x)
    sum_y = per_kpi(value) + baseline
    sum_xx = per_kpi(np.multiply(x, x, out=scratch))
    sum_xy = per_kpi(np.multiply(x, value, out=scratch))
    spread = n * sum_xx - sum_x * sum_x
    with np.errstate(divide="ignore", invalid="ignore"):
        # all points on one day: no trend can be read, the line is flat at their mean
        slope = np.where(spread > 0, (n * sum_xy - sum_x * sum_y) / spread, 0.0)
        mean_x, mean_y = sum_x / n, sum_y / n
        forecast = mean_y + slope * (target_day - baseline_day - mean_x)
        change = target - baseline
        progress = (latest - baseline) / change
        projected_progress = (forecast - baseline) / change
    slope[without_data] = np.nan
    forecast[without_data] = np.nan
    projected_progress[without_data] = np.nan

    reached = progress >= 1 - TOLERANCE
    conditions = [
        reached,
        as_of_day > target_day,
        without_data,
        projected_progress >= 1 - TOLERANCE,
        projected_progress >= AT_RISK_PROGRESS * (1 - TOLERANCE),
    ]
    # codes index STATUSES: the first condition that holds wins, off_track otherwise
    status_code = np.select(conditions, list(range(len(conditions))), default=len(conditions))
    return {
        "latest": latest,
        "latest_day": latest_day,
        "measurement_count": measurement_count,
        "progress": progress,
        "slope_per_day": slope,
        "forecast": forecast,
        "projected_progress": projected_progress,
        "status_code": status_code.astype(np.int8),
        "status": np.asarray(STATUSES)[status_code],
    }


def _positions(ids: np.ndarray, kpi_ids: np.ndarray) -> np.ndarray:
    """The position in ``ids`` of each measurement's KPI (-1 where it is not there), each
    run of equal KPI ids (the store's order groups them) looked up once."""
    if kpi_ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], kpi_ids[1:] != kpi_ids[:-1]]))
    runs = np.diff(np.append(starts, kpi_ids.size))
    return np.repeat(pd.Index(ids).get_indexer(kpi_ids[starts]), runs)


def kpi_progress(kpis: pd.DataFrame, measurements: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """One row per KPI (same index as ``kpis``) with its progress, forecast and status.

    ``kpis`` needs ``id``, ``baseline``, ``target``, ``baseline_date`` (and
    ``project_start_date`` for the default), ``target_date``; ``measurements`` needs
    ``kpi_id``, ``date``, ``value``. Adds ``baseline_date`` (effective), ``direction``
    (``increase`` or ``decrease``, from target vs baseline), ``latest``, ``latest_date``,
    ``measurement_count``, ``progress``, ``slope_per_day``, ``forecast``,
    ``projected_progress`` and ``status``.
    """
    baseline_dates = effective_baseline_dates(kpis)
    positions = _positions(kpis["id"].to_numpy(), measurements["kpi_id"].to_numpy())
    days = to_days(measurements["date"])
    values = measurements["value"].to_numpy(dtype=float)
    known = positions >= 0  # measurements of KPIs outside this frame are not ours
    if not known.all():
        positions, days, values = positions[known], days[known], values[known]
    figures = kpi_status_arrays(
        kpis["baseline"].to_numpy(dtype=float),
        kpis["target"].to_numpy(dtype=float),
        to_days(baseline_dates),
        to_days(kpis["target_date"]),
        positions,
        days,
        values,
        _day(as_of),
    )
    latest_day = figures.pop("latest_day")
    latest_date = np.where(np.isnan(latest_day), 0, latest_day).astype("datetime64[D]")
    latest_date[np.isnan(latest_day)] = np.datetime64("NaT")
    increase = kpis["target"].to_numpy(dtype=float) > kpis["baseline"].to_numpy(dtype=float)
    columns = {
        "kpi_id": kpis["id"].to_numpy(),
        "baseline_date": baseline_dates.to_numpy(),
        # categoricals: cheap to build and to compare for a whole portfolio
        "direction": pd.Categorical.from_codes(increase.astype(np.int8), DIRECTIONS),
        "latest": figures["latest"],
        "latest_date": latest_date,
        **{name: figures[name] for name in ("measurement_count", "progress", "slope_per_day")},
        "forecast": figures["forecast"],
        "projected_progress": figures["projected_progress"],
        "status": pd.Categorical.from_codes(figures["status_code"], STATUSES),
    }
    return pd.DataFrame(columns, index=kpis.index)


def status_changes(
    kpis: pd.DataFrame, measurements: pd.DataFrame, *, since: date, as_of: date
) -> pd.DataFrame:
    """KPIs whose status on ``as_of`` differs from their status on ``since``.

    Returns the rows of ``kpis`` that changed, with ``previous_status`` and ``status``.
    """
    before = kpi_progress(kpis, measurements, as_of=since)["status"]
    now = kpi_progress(kpis, measurements, as_of=as_of)["status"]
    changed = before != now
    result = kpis.loc[changed].copy()
    result["previous_status"] = before[changed]
    result["status"] = now[changed]
    return result


def stale_kpis(kpis: pd.DataFrame, measurements: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """KPIs without a measurement for longer than their usual interval, on ``as_of``.

    The usual interval is the median number of days between consecutive measurements (on or
    before ``as_of``); a KPI with fewer than two measurements has none and is not judged, nor
    is a KPI whose target date has passed (its tracking is over). Returns the stale rows of
    ``kpis`` with ``last_measured``, ``usual_interval_days`` and ``days_since_last``.
    """
    as_of_day = _day(as_of)
    seen = measurements.loc[to_days(measurements["date"]) <= as_of_day, ["kpi_id", "date"]]
    seen = seen.sort_values(["kpi_id", "date"], kind="stable")
    gaps = seen.groupby("kpi_id")["date"].diff().dt.days
    usual = gaps.groupby(seen["kpi_id"]).median()
    last = seen.groupby("kpi_id")["date"].max()
    usual_interval = usual.reindex(kpis["id"]).to_numpy(dtype=float)
    last_measured = pd.Series(last.reindex(kpis["id"]).to_numpy(), index=kpis.index)
    days_since_last = as_of_day - to_days(last_measured)
    running = to_days(kpis["target_date"]) >= as_of_day
    stale = running & (days_since_last > usual_interval)  # NaN compares False
    result = kpis.loc[stale].copy()
    result["last_measured"] = last_measured[stale]
    result["usual_interval_days"] = usual_interval[stale]
    result["days_since_last"] = days_since_last[stale]
    return result


def benchmark_gaps(progress: pd.DataFrame, benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The gap of each KPI's latest value to each of its benchmarks.

    ``progress`` is a frame of ``kpi_progress`` (``kpi_id``, ``latest``, ``direction``);
    ``benchmarks`` has ``kpi_id``, ``name``, ``value``. Returns the benchmarks with ``latest``,
    ``gap`` (latest − benchmark, NaN without a measurement) and ``ahead`` (the latest value
    is at least as good as the benchmark in the KPI's direction; False without one).
    """
    columns = progress[["kpi_id", "latest", "direction"]]
    result = benchmarks.merge(columns, on="kpi_id", how="inner")
    result["gap"] = result["latest"] - result["value"]
    better_sign = np.where(result["direction"] == "increase", 1.0, -1.0)
    result["ahead"] = (result["gap"] * better_sign >= 0).to_numpy()
    return result


def _number(value: float) -> str:
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _text(value: object) -> str:
    """Free text of a frame cell; missing cells (None, NaN) are empty."""
    return value.strip() if isinstance(value, str) else ""


def _specific(name: str, text: str | None) -> tuple[bool, str]:
    text = _text(text)
    if not text:
        return False, "no description of what is measured beyond the name"
    if text.casefold() == _text(name).casefold():
        return False, "the description only repeats the name"
    return True, f"states what is measured: {text}"


def _measurable(unit: str | None, baseline: float, target: float) -> tuple[bool, str]:
    unit = _text(unit)
    if not unit:
        return False, "no unit of measure"
    if not (np.isfinite(baseline) and np.isfinite(target)):
        return False, "baseline and target must both be numbers"
    if baseline == target:
        return False, "the target equals the baseline"
    return True, f"measured in {unit}, from {_number(baseline)} to {_number(target)}"


def _benchmark_judgement(
    target: float, increase: bool, kpi_benchmarks: pd.DataFrame
) -> tuple[bool, str] | None:
    if kpi_benchmarks.empty:
        return None
    values = kpi_benchmarks["value"].to_numpy(dtype=float)
    best_at = int(np.argmax(values) if increase else np.argmin(values))
    best, best_name = values[best_at], kpi_benchmarks["name"].iloc[best_at]
    beyond = (target - best) if increase else (best - target)
    side = "above" if increase else "below"
    label = f"the best benchmark ({best_name}: {_number(best)})"
    if beyond <= 0:
        return True, f"the target does not go beyond {label}"
    if best == 0:
        return False, f"the target is {side} {label}"
    share = beyond / abs(best)
    text = f"the target is {share:.0%} {side} {label}".replace("%", " %")
    return share <= AMBITION_MARGIN, text


def _trend_judgement(projected: float, target_date: pd.Timestamp) -> tuple[bool, str]:
    share = f"{projected:.0%}".replace("%", " %")
    when = target_date.date().isoformat()
    reason = f"its trend reaches {share} of the planned change by {when}"
    enough = projected >= AT_RISK_PROGRESS * (1 - TOLERANCE)
    return bool(enough), reason


def _achievable(row: Any, kpi_benchmarks: pd.DataFrame) -> tuple[bool, str]:
    if row.status == KpiStatus.ACHIEVED:
        return True, "the target has been reached"
    judgements = []
    by_benchmark = _benchmark_judgement(row.target, row.direction == "increase", kpi_benchmarks)
    if by_benchmark is not None:
        judgements.append(by_benchmark)
    if row.measurement_count > 0 and np.isfinite(row.projected_progress):
        judgements.append(_trend_judgement(row.projected_progress, row.target_date))
    if not judgements:
        return False, "nothing to judge it by: no benchmark and no measurement yet"
    return all(ok for ok, _ in judgements), "; ".join(reason for _, reason in judgements)


def _relevant(objective: str | None) -> tuple[bool, str]:
    objective = _text(objective)
    if not objective:
        return False, "not tied to a stated business objective"
    return True, f"supports the objective: {objective}"


def _time_bound(baseline_date: pd.Timestamp, target_date: pd.Timestamp) -> tuple[bool, str]:
    if pd.isna(target_date):
        return False, "no target date"
    if pd.isna(baseline_date):
        return False, "no baseline date to count from"
    if target_date <= baseline_date:
        return False, (
            f"the target date {target_date.date()} is not after the baseline date "
            f"{baseline_date.date()}"
        )
    days = (target_date - baseline_date).days
    return True, f"target date {target_date.date()}, {days} days after the baseline date"


def smart_assessment(
    kpis: pd.DataFrame, progress: pd.DataFrame, benchmarks: pd.DataFrame
) -> pd.DataFrame:
    """For every KPI, each SMART criterion as ``<criterion>_ok`` and ``<criterion>_reason``.

    ``kpis`` as for ``kpi_progress`` plus ``name``, ``unit``, ``specific``,
    ``relevant_objective``; ``progress`` is its result; ``benchmarks`` has ``kpi_id``,
    ``name``, ``value``. Achievable is judged against the best benchmark in the KPI's
    direction (a target more than 10 % beyond it is not) and against the KPI's own trend (a
    projected progress below 0.8 is not); where neither exists it says so and is not met.
    """
    frame = kpis.drop(columns=["baseline_date"]).join(progress.drop(columns=["kpi_id"]))
    by_kpi = dict(tuple(benchmarks.groupby("kpi_id"))) if len(benchmarks) else {}
    empty = benchmarks.iloc[0:0]
    rows = []
    for row in frame.itertuples(index=False):
        rows.append(
            {
                "specific": _specific(row.name, row.specific),
                "measurable": _measurable(row.unit, row.baseline, row.target),
                "achievable": _achievable(row, by_kpi.get(row.id, empty)),
                "relevant": _relevant(row.relevant_objective),
                "time_bound": _time_bound(row.baseline_date, row.target_date),
            }
        )
    result = pd.DataFrame(index=kpis.index)
    for criterion in SMART_CRITERIA:
        result[f"{criterion}_ok"] = np.array([r[criterion][0] for r in rows], dtype=bool)
        result[f"{criterion}_reason"] = [r[criterion][1] for r in rows]
    return result
