"""Value drivers and difference in differences against figures worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from roi_tracker.domain.attribution import difference_in_differences
from roi_tracker.domain.drivers import KpiMonths, driver_values, kpi_months


def flat(value: float, baseline: float, months: int = 1, measured: bool = True) -> KpiMonths:
    return KpiMonths(
        baseline=baseline, values=np.full(months, value), measured=np.full(months, measured)
    )


def test_time_saved_is_volume_times_minutes_saved_times_rate_and_adoption():
    # 1000 tasks x (12 - 9) min / 60 = 50 h; x 40.00 an hour = 2000.00; x 50 % adoption
    result = driver_values(
        "time_saved",
        volume=flat(1000, 1000),
        rate=flat(9, 12),
        adoption=flat(0.5, 0),
        hourly_rate=40.0,
    )
    assert result.values.tolist() == [1000.0]
    assert result.change.tolist() == [-3.0]
    assert result.measured.tolist() == [True]


def test_time_saved_without_adoption_counts_every_user():
    result = driver_values("time_saved", volume=flat(600, 0), rate=flat(10, 12), hourly_rate=30)
    assert result.values.tolist() == [600 * 2 / 60 * 30]  # 600.00


def test_cost_avoided_is_volume_times_the_unit_cost_saved():
    # 200 units x (5.00 - 3.50) = 300.00
    result = driver_values("cost_avoided", volume=flat(200, 0), rate=flat(3.5, 5.0))
    assert result.values.tolist() == [300.0]


def test_revenue_uplift_is_the_relative_conversion_gain_times_base_and_margin():
    # 100,000 x (3.3 % - 3 %) / 3 % x 25 % = 2,500.00
    result = driver_values(
        "revenue_uplift",
        volume=flat(1, 1),
        rate=flat(0.033, 0.03),
        revenue_base=100_000,
        margin=0.25,
    )
    assert result.values[0] == pytest.approx(2500.0, rel=1e-12)


def test_a_kpi_moving_the_wrong_way_is_no_benefit_and_parameters_are_checked():
    assert driver_values("cost_avoided", volume=flat(10, 0), rate=flat(6, 5)).values.tolist() == [
        0.0
    ]
    with pytest.raises(ValueError, match="hourly rate"):
        driver_values("time_saved", volume=flat(1, 0), rate=flat(1, 2))
    with pytest.raises(ValueError, match="revenue base"):
        driver_values("revenue_uplift", volume=flat(1, 0), rate=flat(1, 2))


def test_the_attributable_effect_replaces_the_raw_change():
    # raw change -3 min, but a control group says only -2 are the AI's
    result = driver_values(
        "time_saved",
        volume=flat(1000, 0, months=2),
        rate=flat(9, 12, months=2),
        hourly_rate=40,
        effect=np.array([0.0, -2.0]),
    )
    assert result.values.tolist() == [0.0, 1000 * 2 / 60 * 40]


def test_a_month_takes_its_latest_measurement_and_other_months_the_forecast_line():
    day = date.toordinal
    months = np.array([2025 * 12 + m for m in range(5)])  # January to May 2025
    values = kpi_months(
        baseline=12.0,
        baseline_day=day(date(2025, 1, 1)),
        days=np.array(
            [
                day(date(2025, 2, 10)),
                day(date(2025, 2, 25)),
                day(date(2025, 3, 15)),
                day(date(2025, 6, 1)),
            ]
        ),
        values=np.array([11.0, 10.0, 9.0, 1.0]),
        months=months,
        as_of_day=day(date(2025, 3, 31)),
    )
    assert values.measured.tolist() == [False, True, True, False, False]
    assert values.values[1:3].tolist() == [10.0, 9.0]  # February's latest, March's
    # least squares by hand through (day, value), the June measurement being after as-of
    x = np.array([day(date(2025, 1, 1)), day(date(2025, 2, 10)), day(date(2025, 2, 25)),
                  day(date(2025, 3, 15))], dtype=float)  # fmt: skip
    y = np.array([12.0, 11.0, 10.0, 9.0])
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    line = lambda d: y.mean() + slope * (d - x.mean())  # noqa: E731
    for i, last_day in ((0, date(2025, 1, 31)), (3, date(2025, 4, 30)), (4, date(2025, 5, 31))):
        assert values.values[i] == pytest.approx(line(day(last_day)), rel=1e-9)


def test_difference_in_differences_by_hand():
    go_live = date(2025, 1, 1).toordinal()
    before, after = go_live - 10, go_live + 10
    result = difference_in_differences(
        np.array([before, before, after, after]),
        np.array([10.0, 12.0, 7.0, 9.0]),  # treated: 11 before, 8 after
        np.array([before, before, after, after]),
        np.array([10.0, 10.0, 9.0, 11.0]),  # control: 10 before, 10 after
        go_live,
        seed=7,
    )
    assert result.effect == -3.0  # (8 - 11) - (10 - 10)
    assert result.means == (11.0, 8.0, 10.0, 10.0)
    assert result.counts == (2, 2, 2, 2)
    assert result.method == "percentile bootstrap" and result.level == 0.9
    assert result.low <= result.effect <= result.high
    # resampled treated-after means are 7, 8 or 9, the others 10, 11 or 12 and 9, 10 or 11:
    # every resampled effect lies within -3 -/+ 4, and most below 0
    assert result.low >= -7.0 and result.high <= 1.0
    assert result.share_below_zero > 0.9
    again = difference_in_differences(
        np.array([before, before, after, after]), np.array([10.0, 12.0, 7.0, 9.0]),
        np.array([before, before, after, after]), np.array([10.0, 10.0, 9.0, 11.0]),
        go_live, seed=7,
    )  # fmt: skip
    assert (again.low, again.high) == (result.low, result.high)  # the same seed, the same


def test_constant_groups_have_an_interval_of_one_point():
    go_live = 100
    result = difference_in_differences(
        np.array([90, 110]), np.array([12.0, 9.0]), np.array([90, 110]), np.array([12.0, 11.5]),
        go_live,
    )  # fmt: skip
    assert (result.low, result.effect, result.high) == (-2.5, -2.5, -2.5)
    assert result.share_below_zero == 1.0


def test_a_group_without_measurements_on_one_side_is_refused():
    with pytest.raises(ValueError, match="control group has no measurement before"):
        difference_in_differences(
            np.array([90, 110]), np.array([1.0, 2.0]), np.array([110]), np.array([1.0]), 100
        )
