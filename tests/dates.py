"""Dates of test data relative to the clock, so the suite passes on any day it runs."""

from __future__ import annotations

from datetime import date, timedelta

from roi_tracker import clock


def month(offset: int, day: int = 1) -> date:
    """Day ``day`` of the month ``offset`` months from the current one (negative: before)."""
    today = clock.today()
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, day)


def month_end(offset: int) -> date:
    """The last day of the month ``offset`` months from the current one."""
    return month(offset + 1) - timedelta(days=1)
