"""Fiscal years and quarters of calendar months, labelled as finance teams do.

A fiscal year is named after the calendar year in which it ends: with a fiscal year starting
in April, April 2026 … March 2027 is FY2027 and its first quarter (April … June 2026) is
FY2027 Q1. With the default start month 1 the fiscal year is the calendar year.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fiscal_quarter", "fiscal_year", "quarter_label", "year_label"]


def _check(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError(f"the fiscal year's start month must be 1 … 12, not {start_month}")


def fiscal_year(month_index: np.ndarray | int, start_month: int = 1) -> np.ndarray:
    """The fiscal year (the calendar year it ends in) of each calendar month index.

    ``month_index`` counts months as year * 12 + month - 1 (see ``cashflows.month_index``).
    """
    _check(start_month)
    months = np.asarray(month_index, dtype=np.int64)
    # shifting by the months before the start puts each fiscal year's first month in January
    # of the calendar year it begins in; a year that starts after January ends a year later
    return (months - (start_month - 1)) // 12 + (1 if start_month > 1 else 0)


def fiscal_quarter(month_index: np.ndarray | int, start_month: int = 1) -> np.ndarray:
    """The quarter (1 … 4) of the fiscal year of each calendar month index."""
    _check(start_month)
    months = np.asarray(month_index, dtype=np.int64)
    return (months - (start_month - 1)) % 12 // 3 + 1


def year_label(month_index: int, start_month: int = 1) -> str:
    """``FY2027`` for a calendar month index."""
    return f"FY{int(fiscal_year(month_index, start_month))}"


def quarter_label(month_index: int, start_month: int = 1) -> str:
    """``FY2027 Q1`` for a calendar month index."""
    quarter = int(fiscal_quarter(month_index, start_month))
    return f"{year_label(month_index, start_month)} Q{quarter}"
