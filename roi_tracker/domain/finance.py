"""Vectorised time-value-of-money functions.

Every function takes a 1-D sequence (one series) or a 2-D array (one series per row) and
returns a float for 1-D input or an array with one value per row for 2-D input. Where a
result does not exist (no sign change, a rate of -100 %, no costs...) the answer is NaN:
these functions never raise on numbers and never return a silently wrong root.

Sign convention: money paid out is negative, money received is positive; ``values[0]``
happens at t = 0 and is not discounted (numpy-financial's and Excel's NPV-with-t0
convention). Rates are per period of the series (monthly for the monthly grid of
:mod:`roi_tracker.domain.cashflows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from roi_tracker.domain.rate_solver import EXCEL_GUESS, has_sign_change, solve_rates

__all__ = [
    "annual_to_monthly",
    "discount_factors",
    "discounted_payback_period",
    "discounted_roi",
    "irr",
    "mirr",
    "monthly_to_annual",
    "npv",
    "payback_period",
    "roi",
    "xirr",
    "xnpv",
]

ArrayLike = npt.ArrayLike
FloatOrArray = float | np.ndarray


def _rows(values: ArrayLike) -> tuple[np.ndarray, bool]:
    """The values as a float 2-D array (one row per series) and whether the input was 1-D."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    one_dimensional = array.ndim == 1
    if one_dimensional:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"values must be 1-D or 2-D, not {array.ndim}-D")
    return array, one_dimensional


def _out(result: np.ndarray, one_dimensional: bool) -> FloatOrArray:
    return float(result[0]) if one_dimensional else result


def _row_rates(rate: ArrayLike, rows: int) -> np.ndarray:
    rates = np.asarray(rate, dtype=float)
    if rates.ndim > 1 or (rates.ndim == 1 and rates.size not in (1, rows)):
        raise ValueError(f"rate must be a scalar or one value per series ({rows})")
    return np.broadcast_to(rates.reshape(-1), (rows,)) if rates.ndim else np.full(rows, rates)


def annual_to_monthly(rate: ArrayLike) -> FloatOrArray:
    """Monthly rate m = (1 + r)^(1/12) - 1 equivalent to the annual rate r."""
    result = np.power(1.0 + np.asarray(rate, dtype=float), 1.0 / 12.0) - 1.0
    return float(result) if result.ndim == 0 else result


def monthly_to_annual(rate: ArrayLike) -> FloatOrArray:
    """Annual rate (1 + m)^12 - 1 equivalent to the monthly rate m."""
    result = np.power(1.0 + np.asarray(rate, dtype=float), 12.0) - 1.0
    return float(result) if result.ndim == 0 else result


def discount_factors(rate: ArrayLike, periods: int) -> np.ndarray:
    """Discount factors 1 / (1 + rate)^t for t = 0 ... periods-1, one row per rate.

    Parameters
    ----------
    rate : float or array of shape (n,)
        Rate per period; values <= -1 give rows of NaN.
    periods : int
        Number of periods.

    Returns
    -------
    ndarray of shape (periods,) for a scalar rate, (n, periods) otherwise.
    """
    rates = np.asarray(rate, dtype=float)
    t = np.arange(periods, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        safe = np.where(rates > -1.0, rates, np.nan)
        return np.power(1.0 + safe[..., np.newaxis], -t)


def npv(rate: ArrayLike, values: ArrayLike) -> FloatOrArray:
    """Net present value with ``values[0]`` at t = 0 (numpy-financial's convention).

    Parameters
    ----------
    rate : float or array of shape (n,)
        Discount rate per period, one for all series or one per series.
    values : array_like of shape (T,) or (n, T)
        Cash flows; negative = paid out.

    Returns
    -------
    float or ndarray of shape (n,)
        Sum of values[t] / (1 + rate)^t; NaN where rate <= -1.
    """
    flows, one_dimensional = _rows(values)
    rates = np.asarray(rate, dtype=float)
    if rates.ndim == 0:
        # one shared rate: a single matrix product
        factors = discount_factors(float(rates), flows.shape[1])
        result = flows @ factors
    else:
        factors = discount_factors(_row_rates(rates, flows.shape[0]), flows.shape[1])
        result = np.einsum("ij,ij->i", flows, factors)
    return _out(np.asarray(result, dtype=float), one_dimensional)


def _year_fractions(dates: Any, shape: tuple[int, int]) -> np.ndarray:
    """Actual/365 year fractions from each row's earliest date, shaped like the values."""
    days = np.asarray(dates, dtype="datetime64[D]")
    if days.ndim == 1:
        days = days[np.newaxis, :]
    days = np.broadcast_to(days, shape)
    offsets = (days - days.min(axis=1, keepdims=True)).astype(float)
    return offsets / 365.0


def xnpv(
    rate: ArrayLike, values: ArrayLike, dates: Sequence[date | str] | np.ndarray
) -> FloatOrArray:
    """Net present value of dated flows (Excel's XNPV, actual/365).

    Parameters
    ----------
    rate : float or array of shape (n,)
        Annual discount rate.
    values : array_like of shape (T,) or (n, T)
        Cash flows.
    dates : sequence of dates or ISO strings, shape (T,) or (n, T)
        The date of each flow; the earliest date of a series is t = 0 (the first date in
        Excel, which requires it to be the earliest).

    Returns
    -------
    float or ndarray of shape (n,)
        Sum of values_i / (1 + rate)^((d_i - d_0) / 365); NaN where rate <= -1 or the
        series is empty.
    """
    flows, one_dimensional = _rows(values)
    if flows.shape[1] == 0:
        return _out(np.full(flows.shape[0], np.nan), one_dimensional)
    years = _year_fractions(dates, flows.shape)
    rates = _row_rates(rate, flows.shape[0])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        safe = np.where(rates > -1.0, rates, np.nan)
        result = (flows * np.power(1.0 + safe[:, np.newaxis], -years)).sum(axis=1)
    return _out(result, one_dimensional)


def irr(values: ArrayLike, guess: float = EXCEL_GUESS) -> FloatOrArray:
    """Internal rate of return per period: the rate at which the NPV of the series is zero.

    Parameters
    ----------
    values : array_like of shape (T,) or (n, T)
        Periodic cash flows, ``values[0]`` at t = 0.
    guess : float, default 0.1
        Start of the Newton iteration (Excel's default); where several rates zero the NPV,
        the one this iteration reaches is returned, as Excel does.

    Returns
    -------
    float or ndarray of shape (n,)
        The rate per period; NaN where no rate exists (no sign change, all zero) or none
        can be found. All rows are solved at once; rows where Newton fails fall back to a
        bracketing scan, which picks the root nearest ``guess``, then to Newton from 0 for
        two roots too close together for the scan.
    """
    flows, one_dimensional = _rows(values)
    times = np.arange(flows.shape[1], dtype=float)[np.newaxis, :]
    return _out(solve_rates(flows, times, guess), one_dimensional)


def xirr(
    values: ArrayLike,
    dates: Sequence[date | str] | np.ndarray,
    guess: float = EXCEL_GUESS,
) -> FloatOrArray:
    """Annual internal rate of return of dated flows (Excel's XIRR, actual/365).

    Parameters
    ----------
    values : array_like of shape (T,) or (n, T)
        Cash flows.
    dates : sequence of dates or ISO strings, shape (T,) or (n, T)
        The date of each flow, in any order.
    guess : float, default 0.1
        Start of the Newton iteration.

    Returns
    -------
    float or ndarray of shape (n,)
        The annual rate zeroing :func:`xnpv`; NaN where none exists.
    """
    flows, one_dimensional = _rows(values)
    if flows.shape[1] == 0:
        return _out(np.full(flows.shape[0], np.nan), one_dimensional)
    times = _year_fractions(dates, flows.shape)
    return _out(solve_rates(flows, np.ascontiguousarray(times), guess), one_dimensional)


def mirr(values: ArrayLike, finance_rate: ArrayLike, reinvest_rate: ArrayLike) -> FloatOrArray:
    """Modified internal rate of return (Excel's MIRR, numpy-financial's formula).

    Parameters
    ----------
    values : array_like of shape (T,) or (n, T)
        Periodic cash flows.
    finance_rate : float or array of shape (n,)
        Rate paid on the money invested (applied to the negative flows).
    reinvest_rate : float or array of shape (n,)
        Rate earned on reinvested positive flows.

    Returns
    -------
    float or ndarray of shape (n,)
        ((FV of positive flows at reinvest_rate) / (-PV of negative flows at finance_rate))
        ^ (1 / (T - 1)) - 1; NaN without both a positive and a negative flow.
    """
    flows, one_dimensional = _rows(values)
    rows, periods = flows.shape
    finance = _row_rates(finance_rate, rows)
    reinvest = _row_rates(reinvest_rate, rows)
    with np.errstate(all="ignore"):
        gains = np.abs(npv(reinvest, np.where(flows > 0, flows, 0.0)))
        losses = np.abs(npv(finance, np.where(flows < 0, flows, 0.0)))
        result = (gains / losses) ** (1.0 / max(periods - 1, 1)) * (1.0 + reinvest) - 1.0
    result = np.where(has_sign_change(flows), result, np.nan)
    return _out(np.asarray(result, dtype=float), one_dimensional)


def payback_period(values: ArrayLike) -> FloatOrArray:
    """First period whose cumulative flow (0 ... t) is >= 0 after having been negative.

    Parameters
    ----------
    values : array_like of shape (T,) or (n, T)
        Net cash flows per period.

    Returns
    -------
    float or ndarray of shape (n,)
        The period index t (a whole number); NaN where the cumulative flow never turns
        negative, or never recovers to >= 0 within the series.
    """
    flows, one_dimensional = _rows(values)
    if flows.shape[1] == 0:
        return _out(np.full(flows.shape[0], np.nan), one_dimensional)
    cumulative = np.cumsum(flows, axis=1)
    negative = cumulative < 0
    first_negative = np.where(negative.any(axis=1), negative.argmax(axis=1), flows.shape[1])
    # "after having been negative": later than the first negative cumulative
    after = np.arange(flows.shape[1]) > first_negative[:, np.newaxis]
    recovered = after & (cumulative >= 0)
    first = recovered.argmax(axis=1)
    result = np.where(recovered[np.arange(flows.shape[0]), first], first.astype(float), np.nan)
    return _out(result, one_dimensional)


def discounted_payback_period(values: ArrayLike, rate: ArrayLike) -> FloatOrArray:
    """:func:`payback_period` of the flows discounted at ``rate`` per period (t = 0 undiscounted).

    Parameters
    ----------
    values : array_like of shape (T,) or (n, T)
        Net cash flows per period.
    rate : float or array of shape (n,)
        Discount rate per period.

    Returns
    -------
    float or ndarray of shape (n,)
        The period index; NaN where there is none.
    """
    flows, one_dimensional = _rows(values)
    factors = discount_factors(_row_rates(rate, flows.shape[0]), flows.shape[1])
    return _out(np.asarray(payback_period(flows * factors)), one_dimensional)


def roi(benefits: ArrayLike, costs: ArrayLike) -> FloatOrArray:
    """Undiscounted return on investment (ΣB - ΣC) / ΣC.

    Parameters
    ----------
    benefits, costs : array_like of shape (T,) or (n, T)
        Benefits and costs per period, both as positive amounts.

    Returns
    -------
    float or ndarray of shape (n,)
        NaN where ΣC = 0.
    """
    gains, one_dimensional = _rows(benefits)
    spend, _ = _rows(costs)
    total_costs = spend.sum(axis=1)
    with np.errstate(all="ignore"):
        result = np.where(total_costs != 0, (gains.sum(axis=1) - total_costs) / total_costs, np.nan)
    return _out(result, one_dimensional)


def discounted_roi(benefits: ArrayLike, costs: ArrayLike, rate: ArrayLike) -> FloatOrArray:
    """NPV(B - C) / PV(C) at ``rate`` per period.

    Parameters
    ----------
    benefits, costs : array_like of shape (T,) or (n, T)
        Benefits and costs per period, both as positive amounts.
    rate : float or array of shape (n,)
        Discount rate per period.

    Returns
    -------
    float or ndarray of shape (n,)
        NaN where PV(C) = 0.
    """
    gains, one_dimensional = _rows(benefits)
    spend, _ = _rows(costs)
    rates = _row_rates(rate, gains.shape[0])
    present_costs = np.asarray(npv(rates, spend))
    with np.errstate(all="ignore"):
        net = np.asarray(npv(rates, gains - spend))
        result = np.where(present_costs != 0, net / present_costs, np.nan)
    return _out(result, one_dimensional)
