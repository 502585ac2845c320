"""Properties of the vectorised finance functions, and agreement with numpy-financial."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from roi_tracker.domain import finance, rate_solver

money = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2))
rates = st.floats(min_value=-0.5, max_value=0.5)
series = arrays(np.float64, st.integers(2, 40), elements=money)


@st.composite
def conventional(draw) -> np.ndarray:
    """Costs first, then benefits: one sign change, so exactly one IRR."""
    costs = draw(st.lists(st.floats(1, 1e6).map(lambda x: round(x, 2)), min_size=1, max_size=6))
    gains = draw(st.lists(st.floats(0, 1e6).map(lambda x: round(x, 2)), min_size=1, max_size=60))
    if not any(gains):
        gains[-1] = 1.0
    return np.array([-c for c in costs] + gains)


@settings(max_examples=60, deadline=None)
@given(series, series, rates, st.floats(-3, 3), st.floats(-3, 3))
def test_npv_is_linear_in_the_flows(x, y, rate, a, b) -> None:
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    combined = finance.npv(rate, a * x + b * y)
    separate = a * finance.npv(rate, x) + b * finance.npv(rate, y)
    scale = (np.abs(a * x) + np.abs(b * y)).sum() * (1.5**n) + 1.0
    assert abs(combined - separate) <= 1e-9 * scale


@settings(max_examples=60, deadline=None)
@given(conventional())
def test_npv_at_the_irr_is_zero(flows) -> None:
    rate = finance.irr(flows)
    assert not math.isnan(rate)
    discounted = np.abs(flows) / (1 + rate) ** np.arange(flows.size)
    assert abs(finance.npv(rate, flows)) <= 1e-9 * discounted.sum()
    assert rate == pytest.approx(npf.irr(flows), rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1e6)), st.booleans())
def test_flows_without_a_sign_change_have_no_irr(flows, negate) -> None:
    flows = -flows if negate else flows
    assert math.isnan(finance.irr(flows))
    assert math.isnan(finance.mirr(flows, 0.1, 0.1))


@settings(max_examples=60, deadline=None)
@given(conventional(), st.floats(0.0, 0.3))
@example(np.array([-1.0, 928792.62]), 0.0)
def test_mirr_lies_between_the_rate_and_the_irr(flows, rate) -> None:
    """With one rate for financing and reinvestment, MIRR lies between that rate and the IRR."""
    modified = finance.mirr(flows, rate, rate)
    internal = finance.irr(flows)
    # the IRR is found iteratively: allow float noise relative to the rates' size
    tolerance = 1e-9 * max(1.0, abs(rate), abs(internal))
    assert min(rate, internal) - tolerance <= modified <= max(rate, internal) + tolerance


@settings(max_examples=40, deadline=None)
@given(conventional(), st.floats(0.0, 0.2), st.floats(0.0, 0.2), st.floats(0.001, 0.1))
def test_mirr_grows_with_the_reinvest_rate(flows, finance_rate, reinvest, extra) -> None:
    low = finance.mirr(flows, finance_rate, reinvest)
    high = finance.mirr(flows, finance_rate, reinvest + extra)
    assert high >= low - 1e-9 * max(1.0, abs(low))


@settings(max_examples=30, deadline=None)
@given(st.lists(conventional(), min_size=1, max_size=8), rates)
def test_two_dimensional_input_equals_row_by_row(rows, rate) -> None:
    width = max(r.size for r in rows)
    matrix = np.array([np.pad(r, (0, width - r.size)) for r in rows])
    # flows that cancel out leave rounding noise around zero, hence an absolute tolerance too
    np.testing.assert_allclose(
        finance.npv(rate, matrix), [finance.npv(rate, r) for r in matrix], atol=1e-6
    )
    np.testing.assert_allclose(
        finance.npv(rate, matrix), [npf.npv(rate, r) for r in matrix], rtol=1e-12, atol=1e-6
    )
    np.testing.assert_allclose(
        finance.irr(matrix), [finance.irr(r) for r in matrix], rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        finance.payback_period(matrix), [finance.payback_period(r) for r in matrix]
    )


def newton_from_excel_guess(flows: np.ndarray) -> float:
    """Excel's IRR iteration, one series in plain Python: Newton from 0.1 for 20 steps."""
    t = np.arange(flows.size)
    rate = rate_solver.EXCEL_GUESS
    for _ in range(rate_solver.EXCEL_MAX_ITERATIONS):
        with np.errstate(all="ignore"):
            value = float(np.sum(flows / (1 + rate) ** t))
            slope = float(np.sum(-t * flows / (1 + rate) ** (t + 1)))
        if slope == 0 or not np.isfinite(slope):
            return math.nan
        new = rate - value / slope
        new = (rate - 1) / 2 if new <= -1 else new
        if abs(new - rate) <= 1e-13 * max(1.0, abs(new)):
            return new
        rate = new
    return math.nan


def is_root(flows: np.ndarray, rate: float) -> bool:
    discounted = flows / (1 + rate) ** np.arange(flows.size)
    return abs(discounted.sum()) <= 1e-9 * np.abs(discounted).sum()


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(3, 24), elements=money))
def test_several_sign_changes_give_excel_root_or_another_true_root(flows) -> None:
    """Where Excel's iteration converges, its root; elsewhere a rate that zeroes the NPV,
    or NaN: never a rate that is not a root."""
    rate = finance.irr(flows)
    excel = newton_from_excel_guess(flows)
    if not math.isnan(excel) and excel > -1 and is_root(flows, excel):
        assert rate == pytest.approx(excel, rel=1e-9, abs=1e-12)
    if not math.isnan(rate):
        assert rate > -1
        nearby = rate + np.array([-1, 1]) * 1e-9 * max(1.0, abs(rate))
        signs = [np.sign(finance.npv(r, flows)) for r in nearby if r > -1]
        assert is_root(flows, rate) or min(signs) * max(signs) <= 0


def test_a_root_exists_where_excel_iteration_fails() -> None:
    """A long monthly series on which Newton from 0.1 runs away: the rate is still found,
    by the scan for a sign change and the iteration inside the bracket it gives."""
    flows = np.concatenate([[-1000.0], np.full(59, 10.0), [-100.0], np.full(59, 12.0)])
    assert math.isnan(newton_from_excel_guess(flows))
    rate = finance.irr(flows)
    assert is_root(flows, rate)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(1, 30), elements=money))
def test_payback_period_is_the_first_recovery_after_a_negative_cumulative(flows) -> None:
    seen_negative, expected = False, math.nan
    for period, cumulative in enumerate(np.cumsum(flows)):
        if seen_negative and cumulative >= 0:
            expected = float(period)
            break
        seen_negative = seen_negative or cumulative < 0
    assert finance.payback_period(flows) == pytest.approx(expected, nan_ok=True)


def test_per_row_rates() -> None:
    flows = np.array([[-100.0, 60, 60], [-100.0, 60, 60]])
    np.testing.assert_allclose(finance.npv([0.0, 0.1], flows), [20.0, -100 + 60 / 1.1 + 60 / 1.21])


def test_payback_period_rules() -> None:
    assert finance.payback_period([-100, 50, 50, 10]) == 2.0
    assert math.isnan(finance.payback_period([-100, 50, 49]))
    # never negative: no payback to speak of
    assert math.isnan(finance.payback_period([0, 10, 10]))
    # turns negative later, recovers later
    assert finance.payback_period([0, 0, -10, 5, 5]) == 4.0
    np.testing.assert_array_equal(
        finance.payback_period([[-1, 1], [1, 1]]), np.array([1.0, np.nan])
    )


def test_discounted_payback_waits_for_discounted_recovery() -> None:
    flows = [-100, 50, 50, 50]
    assert finance.payback_period(flows) == 2.0
    assert finance.discounted_payback_period(flows, 0.1) == 3.0
    assert math.isnan(finance.discounted_payback_period([-100, 50, 50], 0.1))


def test_roi_and_discounted_roi() -> None:
    assert finance.roi([0, 150], [100, 0]) == pytest.approx(0.5)
    assert math.isnan(finance.roi([10, 20], [0, 0]))
    value = finance.discounted_roi([0, 110], [100, 0], 0.1)
    assert value == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(finance.discounted_roi([1.0], [0.0], 0.1))


def test_rate_conversions_round_trip() -> None:
    monthly = finance.annual_to_monthly(0.12)
    assert (1 + monthly) ** 12 == pytest.approx(1.12)
    assert finance.monthly_to_annual(monthly) == pytest.approx(0.12)


def test_bad_input_gives_nan_not_exceptions() -> None:
    assert math.isnan(finance.npv(-1.0, [1, 2]))
    assert math.isnan(finance.npv(-2.0, [1, 2]))
    assert math.isnan(finance.irr([]))
    assert math.isnan(finance.irr([np.nan, 1, -1]))
    assert math.isnan(finance.xnpv(0.1, [], []))
    assert math.isnan(finance.xirr([-1, 2], ["2020-01-01", "2020-01-01"]))


def test_the_examples_of_the_finance_docs_run() -> None:
    import doctest
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "finance.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner()
    for block in blocks:
        runner.run(parser.get_doctest(block, {}, "finance.md", "docs/finance.md", 0))
    assert runner.summarize(verbose=False).failed == 0
