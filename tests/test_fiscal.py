"""Fiscal years and quarters: named after the calendar year the fiscal year ends in."""

from __future__ import annotations

import numpy as np
import pytest

from roi_tracker.config import Settings
from roi_tracker.domain.fiscal import fiscal_quarter, fiscal_year, quarter_label, year_label


def month(year: int, number: int) -> int:
    return year * 12 + number - 1


@pytest.mark.parametrize(
    ("start", "calendar_month", "label"),
    [
        (1, month(2027, 1), "FY2027 Q1"),
        (1, month(2027, 3), "FY2027 Q1"),
        (1, month(2027, 4), "FY2027 Q2"),
        (1, month(2026, 12), "FY2026 Q4"),
        (4, month(2026, 4), "FY2027 Q1"),
        (4, month(2026, 6), "FY2027 Q1"),
        (4, month(2026, 7), "FY2027 Q2"),
        (4, month(2027, 1), "FY2027 Q4"),
        (4, month(2027, 3), "FY2027 Q4"),
        (4, month(2027, 4), "FY2028 Q1"),
        (7, month(2026, 6), "FY2026 Q4"),
        (7, month(2026, 7), "FY2027 Q1"),
        (7, month(2026, 12), "FY2027 Q2"),
        (7, month(2027, 1), "FY2027 Q3"),
        (10, month(2026, 9), "FY2026 Q4"),
        (10, month(2026, 10), "FY2027 Q1"),
        (10, month(2027, 1), "FY2027 Q2"),
        (10, month(2027, 9), "FY2027 Q4"),
    ],
)
def test_labels(start: int, calendar_month: int, label: str) -> None:
    assert quarter_label(calendar_month, start) == label
    assert year_label(calendar_month, start) == label.split()[0]


@pytest.mark.parametrize("start", [1, 4, 7, 10])
def test_every_fiscal_year_has_twelve_consecutive_months_in_four_quarters(start: int) -> None:
    months = np.arange(month(2020, 1), month(2030, 1))
    years, quarters = fiscal_year(months, start), fiscal_quarter(months, start)
    first = months[(months % 12) == start - 1]
    # a fiscal year starts in its start month and ends in the calendar year it is named after
    assert (years[np.isin(months, first)] == first // 12 + (start > 1)).all()
    for year in np.unique(years)[1:-1]:
        inside = years == year
        assert inside.sum() == 12 and (np.diff(months[inside]) == 1).all()
        assert list(np.bincount(quarters[inside])[1:]) == [3, 3, 3, 3]
        assert months[inside][-1] // 12 == year  # it ends in the year it is named after


@pytest.mark.parametrize("bad", [0, 13])
def test_the_start_month_is_a_month(bad: int) -> None:
    with pytest.raises(ValueError, match="1 … 12"):
        fiscal_year(month(2026, 1), bad)
    with pytest.raises(ValueError):
        Settings(fiscal_year_start_month=bad, _env_file=None)


def test_the_setting_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("ROI_TRACKER_FISCAL_YEAR_START_MONTH", "7")
    assert Settings(_env_file=None).fiscal_year_start_month == 7
    assert Settings(_env_file=None, fiscal_year_start_month=1).fiscal_year_start_month == 1
