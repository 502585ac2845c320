"""How fast the status of every KPI of a large portfolio is computed.

Builds 10,000 KPIs with 36 monthly measurements each (in memory: the KPI maths is pure),
computes progress, forecast and status for all of them with ``domain.kpis.kpi_progress``
(vectorised) and with a per-KPI Python loop applying the same conventions, checks both agree,
and prints the best times (the two run in turns) and their ratio, measured in the same run.

    .venv/bin/python benchmarks/kpis.py [--kpis 10000] [--measurements 36] [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roi_tracker.domain.kpis import kpi_progress  # noqa: E402

GOAL_SECONDS = 0.5
GOAL_SPEED_UP = 20.0
AS_OF = date(2026, 6, 15)


def build(kpis: int, measurements: int, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPIs rising or falling from their baseline, with noisy monthly measurements."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-06-01") + rng.integers(0, 90, kpis).astype("timedelta64[D]")
    baseline = rng.uniform(10, 100, kpis)
    change = rng.uniform(5, 50, kpis) * rng.choice([-1, 1], kpis)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, kpis + 1),
            "baseline": baseline,
            "target": baseline + change,
            "baseline_date": pd.to_datetime(start),
            "project_start_date": pd.to_datetime(start),
            "target_date": pd.to_datetime(start + rng.integers(700, 1300, kpis)),
        }
    )
    kpi = np.repeat(np.arange(kpis), measurements)
    month = np.tile(np.arange(1, measurements + 1), kpis)
    pace = rng.uniform(0.2, 1.6, kpis)[kpi]  # share of the change reached by the target date
    days = month * 30
    span = (frame["target_date"] - frame["baseline_date"]).dt.days.to_numpy()[kpi]
    value = baseline[kpi] + change[kpi] * pace * days / span + rng.normal(0, 1.5, kpi.size)
    points = pd.DataFrame(
        {
            "kpi_id": kpi + 1,
            "date": pd.to_datetime(start[kpi] + days.astype("timedelta64[D]")),
            "value": value,
        }
    )
    return frame, points


def loop_statuses(
    kpis: pd.DataFrame, measurements: pd.DataFrame, as_of: date
) -> tuple[list[str], list[float]]:
    """The slow path: one KPI at a time, in plain Python, computing what the vectorised path
    returns for every KPI (latest value, progress, forecast, projected progress, status)."""
    by_kpi: dict[int, list[tuple[date, float]]] = {}
    for kpi_id, when, value in zip(
        measurements["kpi_id"].tolist(),
        measurements["date"].dt.date.tolist(),
        measurements["value"].tolist(),
        strict=True,
    ):
        by_kpi.setdefault(kpi_id, []).append((when, value))
    statuses: list[str] = []
    forecasts: list[float] = []
    for row in kpis.itertuples(index=False):
        baseline_date = row.baseline_date.date()
        target_date = row.target_date.date()
        points = sorted(p for p in by_kpi.get(row.id, []) if p[0] <= as_of)
        change = row.target - row.baseline
        progress = (points[-1][1] - row.baseline) / change if points else None
        xs = [0.0] + [float((d - baseline_date).days) for d, _ in points]
        ys = [row.baseline] + [v for _, v in points]
        n = len(xs)
        mean_x, mean_y = sum(xs) / n, sum(ys) / n
        sxx = sum((x - mean_x) ** 2 for x in xs)
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
        slope = sxy / sxx if sxx > 0 else 0.0
        forecast = mean_y + slope * ((target_date - baseline_date).days - mean_x)
        projected = (forecast - row.baseline) / change
        forecasts.append(forecast if points else float("nan"))
        if progress is not None and progress >= 1 - 1e-9:
            statuses.append("achieved")
        elif as_of > target_date:
            statuses.append("missed")
        elif not points:
            statuses.append("no_data")
        elif projected >= 1 - 1e-9:
            statuses.append("on_track")
        elif projected >= 0.8 * (1 - 1e-9):
            statuses.append("at_risk")
        else:
            statuses.append("off_track")
    return statuses, forecasts


def best_times(first, second, repeat: int) -> tuple[float, object, float, object]:
    """Best time of each of two functions, run in turns so that both see the same load."""
    times: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for _ in range(repeat):
        for index, function in enumerate((first, second)):
            began = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - began)
    return min(times[0]), results[0], min(times[1]), results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=10_000)
    parser.add_argument("--measurements", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()

    kpis, measurements = build(arguments.kpis, arguments.measurements)
    vectorised_seconds, result, loop_seconds, looped = best_times(
        lambda: kpi_progress(kpis, measurements, as_of=AS_OF),
        lambda: loop_statuses(kpis, measurements, AS_OF),
        arguments.repeat,
    )
    looped_statuses, looped_forecasts = looped
    agree = list(result["status"]) == looped_statuses and np.allclose(
        result["forecast"].to_numpy(dtype=float), looped_forecasts, equal_nan=True
    )
    counts = result["status"].value_counts().to_dict()
    speed_up = loop_seconds / vectorised_seconds
    print(f"{len(kpis):,} KPIs x {arguments.measurements} measurements ({len(measurements):,})")
    print(f"statuses: {counts}")
    print(f"vectorised kpi_progress: {vectorised_seconds:.3f} s (best of {arguments.repeat})")
    print(f"per-KPI Python loop:     {loop_seconds:.3f} s (best of {arguments.repeat})")
    print(f"speed-up: {speed_up:.1f}x; statuses and forecasts agree: {agree}")
    print(
        f"goal: < {GOAL_SECONDS} s and >= {GOAL_SPEED_UP:.0f}x: "
        f"{'met' if vectorised_seconds < GOAL_SECONDS and speed_up >= GOAL_SPEED_UP else 'NOT met'}"
    )
    if not agree:
        raise SystemExit("the vectorised statuses differ from the loop's")


if __name__ == "__main__":
    main()
