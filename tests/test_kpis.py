"""KPI progress, forecast, status, SMART assessment, benchmarks and staleness (pure domain)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_tracker.domain.kpis import (
    benchmark_gaps,
    kpi_progress,
    smart_assessment,
    stale_kpis,
    status_changes,
)

START = date(2025, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def kpis_frame(*rows: dict) -> pd.DataFrame:
    """KPIs from 0 to 10 over days 0 … 100 unless a row says otherwise."""
    defaults = {
        "name": "Tickets solved by the assistant",
        "unit": "%",
        "baseline": 0.0,
        "target": 10.0,
        "baseline_date": day(0),
        "project_start_date": day(0),
        "target_date": day(100),
        "specific": "share of first-level tickets closed without a human",
        "relevant_objective": "cut support cost",
    }
    frame = pd.DataFrame([{**defaults, "id": i + 1, **row} for i, row in enumerate(rows)])
    for column in ("baseline_date", "project_start_date", "target_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def measurements_frame(*points: tuple[int, int, float]) -> pd.DataFrame:
    """(kpi_id, day number, value) triples."""
    frame = pd.DataFrame(points, columns=["kpi_id", "day", "value"])
    frame["date"] = pd.to_datetime([day(n) for n in frame["day"]])
    frame["value"] = frame["value"].astype(float)
    return frame.drop(columns="day").astype({"kpi_id": "int64"})


def one_kpi(value: float, *, on_day: int = 50, as_of: int = 60, **kpi) -> pd.Series:
    result = kpi_progress(kpis_frame(kpi), measurements_frame((1, on_day, value)), as_of=day(as_of))
    return result.iloc[0]


# One measurement on day 50 and the baseline (0 on day 0) make a line reaching 2·value on day
# 100, the target date: projected progress = 2·value / 10.
@pytest.mark.parametrize(
    ("value", "status", "projected"),
    [
        (10.0, "achieved", 2.0),
        (5.0, "on_track", 1.0),
        (4.0, "at_risk", 0.8),
        (3.99, "off_track", 0.798),
        (-1.0, "off_track", -0.2),
    ],
)
def test_status_at_its_boundaries_with_one_measurement(value, status, projected):
    row = one_kpi(value)
    assert row["status"] == status
    assert row["progress"] == pytest.approx(value / 10)
    assert row["projected_progress"] == pytest.approx(projected)
    assert row["forecast"] == pytest.approx(2 * value)
    assert row["latest"] == value
    assert row["measurement_count"] == 1


def test_progress_of_exactly_one_is_achieved_even_after_the_target_date():
    assert one_kpi(10.0, as_of=150)["status"] == "achieved"


def test_missed_only_once_as_of_is_past_the_target_date():
    assert one_kpi(9.0, on_day=90, as_of=100)["status"] == "on_track"
    assert one_kpi(9.0, on_day=90, as_of=101)["status"] == "missed"


def test_no_data_without_measurements_until_the_target_date_passes():
    kpis = kpis_frame({})
    empty = measurements_frame()
    assert kpi_progress(kpis, empty, as_of=day(50)).iloc[0]["status"] == "no_data"
    assert kpi_progress(kpis, empty, as_of=day(101)).iloc[0]["status"] == "missed"
    row = kpi_progress(kpis, empty, as_of=day(50)).iloc[0]
    assert np.isnan(row["progress"]) and np.isnan(row["projected_progress"])


def test_forecast_is_the_least_squares_line_through_baseline_and_measurements():
    points = [(1, 20, 2.0), (1, 45, 2.5), (1, 70, 6.0), (1, 71, 5.5)]
    row = kpi_progress(kpis_frame({}), measurements_frame(*points), as_of=day(80)).iloc[0]
    x = np.array([0, 20, 45, 70, 71])
    y = np.array([0, 2.0, 2.5, 6.0, 5.5])
    slope, intercept = np.polyfit(x, y, 1)
    assert row["forecast"] == pytest.approx(intercept + slope * 100)
    assert row["slope_per_day"] == pytest.approx(slope)
    assert row["latest"] == 5.5
    assert row["latest_date"] == pd.Timestamp(day(71))


def test_measurement_on_the_baseline_date_gives_a_flat_line_at_the_mean():
    row = one_kpi(6.0, on_day=0, as_of=10)
    assert row["forecast"] == pytest.approx(3.0)  # mean of baseline 0 and 6
    assert row["projected_progress"] == pytest.approx(0.3)
    assert row["progress"] == pytest.approx(0.6)
    assert row["status"] == "off_track"


def test_baseline_date_defaults_to_the_project_start():
    kpis = kpis_frame({"baseline_date": None, "project_start_date": day(50)})
    row = kpi_progress(kpis, measurements_frame((1, 75, 4.0)), as_of=day(80)).iloc[0]
    assert row["baseline_date"] == pd.Timestamp(day(50))
    assert row["forecast"] == pytest.approx(8.0)  # (50, 0) to (75, 4): 8 on day 100


def test_target_below_baseline_means_lower_is_better():
    kpis = kpis_frame({"baseline": 100.0, "target": 50.0})
    row = kpi_progress(kpis, measurements_frame((1, 50, 60.0)), as_of=day(60)).iloc[0]
    assert row["direction"] == "decrease"
    assert row["progress"] == pytest.approx(0.8)  # (60 − 100) / (50 − 100)
    assert row["forecast"] == pytest.approx(20.0)
    assert row["projected_progress"] == pytest.approx(1.6)
    assert row["status"] == "on_track"
    worse = kpi_progress(kpis, measurements_frame((1, 50, 110.0)), as_of=day(60)).iloc[0]
    assert worse["progress"] == pytest.approx(-0.2)
    assert worse["status"] == "off_track"
    better = kpi_progress(kpis, measurements_frame((1, 50, 45.0)), as_of=day(60)).iloc[0]
    assert better["status"] == "achieved"


def test_measurements_after_as_of_are_ignored():
    kpis = kpis_frame({})
    before = measurements_frame((1, 30, 3.0), (1, 50, 4.0))
    with_later = measurements_frame((1, 30, 3.0), (1, 50, 4.0), (1, 61, 10.0), (1, 90, 20.0))
    expected = kpi_progress(kpis, before, as_of=day(60))
    actual = kpi_progress(kpis, with_later, as_of=day(60))
    pd.testing.assert_frame_equal(actual, expected)
    assert actual.iloc[0]["status"] == "at_risk"
    assert kpi_progress(kpis, with_later, as_of=day(61)).iloc[0]["status"] == "achieved"


def test_many_kpis_at_once_match_each_kpi_alone():
    kpis = kpis_frame({}, {"baseline": 50.0, "target": 20.0}, {"target_date": day(40)}, {})
    points = [(1, 10, 1.0), (2, 20, 40.0), (2, 40, 30.0), (1, 50, 4.5), (3, 30, 2.0), (7, 5, 1.0)]
    together = kpi_progress(kpis, measurements_frame(*points), as_of=day(60))
    assert list(together["status"]) == ["at_risk", "on_track", "missed", "no_data"]
    for position in range(4):
        alone = kpi_progress(
            kpis.iloc[[position]], measurements_frame(*points), as_of=day(60)
        ).iloc[0]
        pd.testing.assert_series_equal(alone, together.iloc[position], check_names=False)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_order_of_the_measurements_does_not_matter(random):
    """Grouped by KPI (the store's order, reduced in runs) or shuffled (scattered into bins),
    with measurements after as_of: the same figures."""
    kpis = kpis_frame({}, {"baseline": 50.0, "target": 20.0}, {"target_date": day(40)}, {})
    points = [(1, 10, 1.0), (1, 50, 4.5), (1, 70, 9.0), (2, 20, 40.0), (2, 40, 30.0),
              (3, 30, 2.0), (3, 61, 3.0)]  # fmt: skip
    grouped = kpi_progress(kpis, measurements_frame(*points), as_of=day(60))
    assert grouped["latest"].tolist()[:3] == [4.5, 30.0, 2.0]
    random.shuffle(points)
    shuffled = kpi_progress(kpis, measurements_frame(*points), as_of=day(60))
    pd.testing.assert_frame_equal(shuffled, grouped)


@settings(max_examples=60, deadline=None)
@given(
    baseline=st.floats(-1e4, 1e4),
    change=st.floats(1e-2, 1e4) | st.floats(-1e4, -1e-2),
    values=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=6),
    scale=st.floats(1e-3, 1e3),
)
def test_progress_is_invariant_to_the_units(baseline, change, values, scale):
    points = [(1, 10 + 7 * i, v) for i, v in enumerate(values)]

    def figures(factor: float) -> pd.Series:
        kpis = kpis_frame({"baseline": baseline * factor, "target": (baseline + change) * factor})
        scaled = [(k, d, v * factor) for k, d, v in points]
        return kpi_progress(kpis, measurements_frame(*scaled), as_of=day(100)).iloc[0]

    plain, scaled = figures(1.0), figures(scale)
    for column in ("progress", "projected_progress"):
        assert scaled[column] == pytest.approx(plain[column], rel=1e-6, abs=1e-6)


def test_status_changes_since_a_date():
    kpis = kpis_frame({}, {}, {})
    points = measurements_frame((1, 20, 1.0), (1, 50, 10.0), (2, 20, 2.0), (3, 55, 6.0))
    changed = status_changes(kpis, points, since=day(30), as_of=day(60))
    assert changed[["id", "previous_status", "status"]].values.tolist() == [
        [1, "off_track", "achieved"],
        [3, "no_data", "on_track"],
    ]


def test_stale_kpis_have_no_measurement_for_longer_than_their_usual_interval():
    kpis = kpis_frame({}, {}, {}, {"target_date": day(60)})
    points = measurements_frame(
        (1, 0, 1.0), (1, 10, 1.0), (1, 20, 1.0), (1, 40, 1.0),  # usual 10 days, last day 40
        (2, 30, 1.0), (2, 45, 1.0),  # usual 15 days, last day 45
        (3, 50, 1.0),  # a single measurement: no usual interval
        (4, 0, 1.0), (4, 10, 1.0),  # target date passed: not judged
    )  # fmt: skip
    stale = stale_kpis(kpis, points, as_of=day(61))
    assert stale["id"].tolist() == [1, 2]
    assert stale["usual_interval_days"].tolist() == [10.0, 15.0]
    assert stale["days_since_last"].tolist() == [21.0, 16.0]
    assert stale_kpis(kpis, points, as_of=day(50))["id"].tolist() == [4]  # 40 days > 10
    assert stale_kpis(kpis, points, as_of=day(45))["id"].tolist() == [4]
    assert stale_kpis(kpis, points, as_of=day(41))["id"].tolist() == [4]
    assert stale_kpis(kpis, points, as_of=day(20))["id"].tolist() == []


def test_benchmark_gaps_in_the_direction_of_the_kpi():
    kpis = kpis_frame({}, {"baseline": 100.0, "target": 50.0})
    progress = kpi_progress(kpis, measurements_frame((1, 10, 6.0), (2, 10, 70.0)), as_of=day(20))
    benchmarks = pd.DataFrame(
        {"kpi_id": [1, 1, 2], "name": ["peer", "industry", "internal"], "value": [5.0, 8.0, 60.0]}
    )
    gaps = benchmark_gaps(progress, benchmarks)
    assert gaps[["name", "gap", "ahead"]].values.tolist() == [
        ["peer", 1.0, True],
        ["industry", -2.0, False],
        ["internal", 10.0, False],  # 70 is above 60 where lower is better
    ]


def smart_of(kpi: dict, points=(), benchmarks=(), as_of: int = 60) -> pd.Series:
    kpis = kpis_frame(kpi)
    progress = kpi_progress(kpis, measurements_frame(*points), as_of=day(as_of))
    frame = pd.DataFrame(list(benchmarks), columns=["kpi_id", "name", "value"])
    return smart_assessment(kpis, progress, frame).iloc[0]


def test_a_complete_kpi_meets_every_smart_criterion_with_reasons():
    smart = smart_of({}, points=[(1, 50, 5.0)], benchmarks=[(1, "Industry", 9.5)])
    assert smart[[f"{c}_ok" for c in ("specific", "measurable", "achievable")]].all()
    assert smart["relevant_ok"] and smart["time_bound_ok"]
    assert smart["specific_reason"] == (
        "states what is measured: share of first-level tickets closed without a human"
    )
    assert smart["measurable_reason"] == "measured in %, from 0 to 10"
    assert smart["achievable_reason"] == (
        "the target is 5 % above the best benchmark (Industry: 9.5); "
        "its trend reaches 100 % of the planned change by 2025-04-11"
    )
    assert smart["relevant_reason"] == "supports the objective: cut support cost"
    assert smart["time_bound_reason"] == "target date 2025-04-11, 100 days after the baseline date"


def test_smart_reasons_when_criteria_fail():
    smart = smart_of(
        {"specific": " ", "unit": "", "relevant_objective": None, "target": 140.0},
        benchmarks=[(1, "Peer", 60.0), (1, "Industry", 100.0)],
    )
    assert not smart[[f"{c}_ok" for c in ("specific", "measurable", "achievable")]].any()
    assert smart["specific_reason"] == "no description of what is measured beyond the name"
    assert smart["measurable_reason"] == "no unit of measure"
    assert (
        smart["achievable_reason"] == "the target is 40 % above the best benchmark (Industry: 100)"
    )
    assert not smart["relevant_ok"]
    assert smart["relevant_reason"] == "not tied to a stated business objective"


def test_smart_achievable_judged_by_trend_and_said_when_nothing_judges_it():
    lagging = smart_of({}, points=[(1, 50, 2.0)])
    assert not lagging["achievable_ok"]
    assert lagging["achievable_reason"] == (
        "its trend reaches 40 % of the planned change by 2025-04-11"
    )
    nothing = smart_of({})
    assert not nothing["achievable_ok"]
    assert nothing["achievable_reason"] == (
        "nothing to judge it by: no benchmark and no measurement yet"
    )
    reached = smart_of({}, points=[(1, 50, 12.0)])
    assert (
        reached["achievable_ok"] and reached["achievable_reason"] == "the target has been reached"
    )


def test_smart_benchmark_for_a_lower_is_better_kpi():
    smart = smart_of(
        {"baseline": 100.0, "target": 30.0},
        benchmarks=[(1, "Peer", 50.0), (1, "Industry", 40.0)],
    )
    assert not smart["achievable_ok"]
    assert (
        smart["achievable_reason"] == "the target is 25 % below the best benchmark (Industry: 40)"
    )


def test_smart_specific_repeating_the_name_and_time_bound_problems():
    smart = smart_of({"specific": "tickets solved by the assistant", "target_date": day(0)})
    assert not smart["specific_ok"]
    assert smart["specific_reason"] == "the description only repeats the name"
    assert not smart["time_bound_ok"]
    assert smart["time_bound_reason"] == (
        "the target date 2025-01-01 is not after the baseline date 2025-01-01"
    )
    assert smart_of({"target_date": None})["time_bound_reason"] == "no target date"


def test_a_portfolio_without_kpis_or_measurements():
    kpis = kpis_frame({}).iloc[0:0]
    empty = measurements_frame()
    assert kpi_progress(kpis, empty, as_of=day(10)).empty
    assert stale_kpis(kpis, empty, as_of=day(10)).empty
    assert status_changes(kpis, empty, since=day(0), as_of=day(10)).empty
    progress = kpi_progress(kpis, empty, as_of=day(10))
    assert smart_assessment(kpis, progress, pd.DataFrame(columns=["kpi_id", "name", "value"])).empty
    assert stale_kpis(kpis_frame({}), empty, as_of=day(10)).empty
