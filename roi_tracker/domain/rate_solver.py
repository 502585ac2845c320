"""The root finder behind IRR and XIRR: every row's rate that zeroes its NPV, all rows at once.

Excel's route first (Newton from the guess for 20 steps), so that the published roots stay
the same; rows where it fails fall back to a bracketing scan in y = ln(1 + rate) narrowed by
bisection and finished by Newton, then to a short Newton from 0 for two roots too close
together for the scan. See docs/finance.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np

__all__ = ["EXCEL_GUESS", "EXCEL_MAX_ITERATIONS", "has_sign_change", "solve_rates"]

#: Excel's IRR and XIRR start their Newton iteration here
EXCEL_GUESS = 0.1
#: Excel gives up after 20 Newton iterations; from our own start points we allow more
EXCEL_MAX_ITERATIONS = 20
NEWTON_MAX_ITERATIONS = 60
#: a root is accepted when |NPV| is this small relative to the sum of |discounted flows|
ROOT_RESIDUAL = 1e-9
# Bracket search grid in y = ln(1 + rate): rates from -1 + 1e-12 up to about 22,000 (2.2e6 %),
# densest around 0 where two roots of one series usually lie (roots closer together than
# one step, about 3 % around 0, are not told apart).
_GRID_Y = np.concatenate(
    [
        np.linspace(-27.6, -3.0, 12, endpoint=False),
        np.linspace(-3.0, -1.0, 12, endpoint=False),
        np.linspace(-1.0, 1.0, 64, endpoint=False),
        np.linspace(1.0, 10.0, 16),
    ]
)
#: bound on the float64 values the bracket scan holds at once
_SCAN_ELEMENTS = 4_000_000
#: halvings of a grid step (at most 2.1 wide in y) before Newton takes over: 2.1 / 2^10 ~ 0.002
_BISECTIONS_BEFORE_NEWTON = 10
#: Newton steps from inside a bracket, and from 0 for a close pair of roots near 0
_NEWTON_IN_BRACKET = 12
_NEWTON_FOR_CLOSE_ROOTS = 12


class _Series:
    """Flows kept as sign and log-magnitude, so discounted terms can be scaled safely."""

    def __init__(self, flows: np.ndarray, times: np.ndarray):
        self.signs = np.sign(flows)
        with np.errstate(divide="ignore"):
            self.log_abs = np.log(np.abs(flows))
        self.times = times

    @property
    def shape(self) -> tuple[int, int]:
        """Number of series and of flows per series."""
        return self.signs.shape

    def take(self, rows: np.ndarray | slice) -> _Series:
        part = object.__new__(_Series)
        part.signs, part.log_abs = self.signs[rows], self.log_abs[rows]
        # times shared by every row (periodic series) stay one row
        part.times = self.times if self.times.shape[0] == 1 else self.times[rows]
        return part

    def evaluate(self, rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """NPV and the sum of |discounted flows| per row, both times one positive factor."""
        signed, magnitude = self.terms(np.log1p(rates))
        return signed.sum(axis=-1), magnitude.sum(axis=-1)

    def value(self, rates: np.ndarray) -> np.ndarray:
        """NPV per row times one positive factor: its sign is the NPV's."""
        return self.evaluate(rates)[0]

    def newton_step(self, rates: np.ndarray) -> np.ndarray:
        """NPV(r) / NPV'(r) for each row at its rate."""
        signed, _ = self.terms(np.log1p(rates))
        return -signed.sum(axis=1) * (1.0 + rates) / self.time_weighted_sum(signed)

    def grid_signs(self, grid: np.ndarray) -> np.ndarray:
        """Sign of each row's NPV at each y = ln(1 + r) of ``grid``, shape (rows, grid)."""
        wide = _Series.__new__(_Series)
        wide.signs = self.signs[:, np.newaxis, :]
        wide.log_abs = self.log_abs[:, np.newaxis, :]
        wide.times = self.times[:, np.newaxis, :]
        signed, _ = wide.terms(np.broadcast_to(grid, (self.signs.shape[0], grid.size)))
        return np.sign(signed.sum(axis=2))

    def time_weighted_sum(self, terms: np.ndarray) -> np.ndarray:
        """Σ t * term per row (the NPV derivative up to the factor -1 / (1 + r))."""
        if self.times.shape[0] == 1:
            return terms @ self.times[0]
        return np.einsum("ij,ij->i", terms, self.times)

    def terms(self, log_growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Signed and absolute flows * (1 + r)^-t, each row scaled by one positive constant.

        Scaling the NPV and its derivative by the same positive constant leaves the Newton
        step, the sign and the roots unchanged, yet keeps rates near -100 % over long series
        (and tiny or huge flows) finite.
        """
        exponents = self.log_abs - self.times * np.asarray(log_growth)[..., np.newaxis]
        exponents -= exponents.max(axis=-1, keepdims=True)
        magnitude = np.exp(exponents)
        return self.signs * magnitude, magnitude


def _one_sign_change(flows: np.ndarray) -> np.ndarray:
    """Whether the nonzero flows of each row (which has both signs) change sign exactly once:
    every flow of one sign comes before every flow of the other."""
    last = flows.shape[1] - 1
    positive, negative = flows > 0, flows < 0
    first_positive, first_negative = positive.argmax(axis=1), negative.argmax(axis=1)
    last_positive = last - positive[:, ::-1].argmax(axis=1)
    last_negative = last - negative[:, ::-1].argmax(axis=1)
    return np.asarray((last_negative < first_positive) | (last_positive < first_negative))


def has_sign_change(flows: np.ndarray) -> np.ndarray:
    return np.asarray((flows > 0).any(axis=1) & (flows < 0).any(axis=1))


#: below this many rows the Python loop of Horner's scheme costs more than exp() on all terms
_HORNER_MIN_ROWS = 300


def _horner_with_slope(columns: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ c_k z^(K-1-k) and its derivative in z per row, ``columns`` holding c_0 ... c_(K-1).

    In place, to spare one temporary per multiply and add; the same operations in the same
    order as the textbook ``value * z + c`` (numpy does not fuse them).
    """
    value, slope = columns[0].copy(), np.zeros_like(z)
    for column in columns[1:]:
        slope *= z
        slope += value
        value *= z
        value += column
    return value, slope


def _horner_on_side(columns: np.ndarray, r: np.ndarray, behind: bool) -> np.ndarray:
    """Σ c_t x^t with x = 1 / (1 + r), or for rates behind 0 Σ c_t y^(T-1-t) with y = 1 + r."""
    z, columns = (1.0 + r, columns) if behind else (1.0 / (1.0 + r), columns[::-1])
    total = columns[0].copy()
    for column in columns[1:]:
        total *= z
        total += column
    return total


def _per_side(
    columns: np.ndarray,
    rates: np.ndarray,
    compute: Callable[[np.ndarray, np.ndarray, bool], np.ndarray],
) -> np.ndarray:
    """``compute(columns, rates, behind)`` for each row (last axis) in the scheme of its side
    of rate 0, ``behind`` meaning rates < 0.

    The scheme of the side most rows are on runs over every row, which copies nothing (the
    other rows' results, overflowing or not, are overwritten); only the other rows' columns
    are copied, for the other scheme.
    """
    behind = rates < 0
    most_behind = bool(2 * np.count_nonzero(behind) > rates.size)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = compute(columns, rates, most_behind)
    others = behind != most_behind
    if others.any():
        result[..., others] = compute(columns[..., others], rates[others], not most_behind)
    return result


class _Periodic(_Series):
    """Flows at t = 0, 1, 2...: NPV is a polynomial, evaluated by Horner's scheme (no exp).

    For r >= 0 in x = 1 / (1 + r) (powers at most 1); for r < 0 in y = 1 + r from the other
    end, i.e. the NPV times y^(T-1), a positive factor with the same sign and roots, so that
    nothing overflows either way.
    """

    def __init__(self, flows: np.ndarray):
        # signs and log-magnitudes only when a small batch takes the exp() path
        self.times = np.arange(flows.shape[1], dtype=float)[np.newaxis, :]
        self.flows = flows
        # flows and |flows| by period, for Horner's scheme over all rows at once
        self.columns = np.empty((flows.shape[1], 2, flows.shape[0]))
        self.columns[:, 0, :] = flows.T
        np.abs(flows.T, out=self.columns[:, 1, :])

    @cached_property
    def flows(self) -> np.ndarray:
        return np.ascontiguousarray(self.columns[:, 0, :].T)

    @cached_property
    def signs(self) -> np.ndarray:
        return np.sign(self.flows)

    @cached_property
    def log_abs(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(np.abs(self.flows))

    @property
    def shape(self) -> tuple[int, int]:
        return self.columns.shape[2], self.columns.shape[0]

    def take(self, rows: np.ndarray | slice) -> _Periodic:
        part = object.__new__(_Periodic)
        part.times = self.times
        # np.take keeps the columns contiguous: an index array inside [...] would put the rows
        # axis outermost in memory and make every Horner step a strided walk
        part.columns = (
            self.columns[:, :, rows] if isinstance(rows, slice) else np.take(self.columns, rows, 2)
        )
        return part

    def newton_step(self, rates: np.ndarray) -> np.ndarray:
        if rates.size < _HORNER_MIN_ROWS:
            return super().newton_step(rates)
        periods = self.columns.shape[0]

        def step(flows: np.ndarray, r: np.ndarray, behind: bool) -> np.ndarray:
            if behind:
                # value = y^(T-1) NPV; NPV / NPV' = value / (value' - (T-1) value / y)
                y = 1.0 + r
                value, slope = _horner_with_slope(flows, y)
                return value / (slope - (periods - 1) * value / y)
            # d/dr of sum v_t x^t is -x^2 * sum t v_t x^(t-1)
            x = 1.0 / (1.0 + r)
            value, slope = _horner_with_slope(flows[::-1], x)
            return value / (-slope * x * x)

        return _per_side(self.columns[:, 0, :], rates, step)

    def evaluate(self, rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if rates.size < _HORNER_MIN_ROWS:
            return super().evaluate(rates)
        value, magnitude = _per_side(self.columns, rates, _horner_on_side)
        return value, magnitude

    def value(self, rates: np.ndarray) -> np.ndarray:
        if rates.size < _HORNER_MIN_ROWS:
            return super().value(rates)
        return _per_side(self.columns[:, 0, :], rates, _horner_on_side)

    def grid_signs(self, grid: np.ndarray) -> np.ndarray:
        """Signs at every grid rate through two matrix products (BLAS), powers all <= 1."""
        periods = self.flows.shape[1]
        t = np.arange(periods, dtype=float)[:, np.newaxis]
        ahead = grid >= 0
        signs = np.empty((self.flows.shape[0], grid.size))
        for columns, exponents in (
            (ahead, -t * grid[ahead]),
            (~ahead, (periods - 1 - t) * grid[~ahead]),
        ):
            # weights below 1e-300 become 0: subnormal numbers would slow BLAS a hundredfold
            weights = np.where(exponents > -690.0, np.exp(np.maximum(exponents, -690.0)), 0.0)
            signs[:, columns] = np.sign(self.flows @ weights)
        return signs


def _is_root(series: _Series, rates: np.ndarray) -> np.ndarray:
    """Whether NPV(rate) is zero to ROOT_RESIDUAL of the sum of |discounted flows|, or changes
    sign within a few floating-point steps of ``rate`` (near -100 % no double is closer)."""
    value, magnitude = series.evaluate(rates)
    result = np.abs(value) <= ROOT_RESIDUAL * magnitude
    doubtful = np.flatnonzero(~result & np.isfinite(rates))
    if doubtful.size:
        part, r = series.take(doubtful), rates[doubtful]
        spacing = 8 * np.spacing(np.abs(r))
        below = part.value(r - spacing)
        above = part.value(r + spacing)
        result[doubtful] = np.sign(below) * np.sign(above) <= 0
    return result


def _newton(
    series: _Series, guess: float | np.ndarray, iterations: int = NEWTON_MAX_ITERATIONS
) -> np.ndarray:
    """Newton's method on NPV(r) from ``guess`` (one for all rows or one per row) for every
    row at once; NaN where it fails."""
    rows = series.shape[0]
    rate = np.full(rows, guess)
    result = np.full(rows, np.nan)
    active = np.arange(rows)
    part, part_active, part_rows = series, active, rows
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            if active.size == 0:
                break
            if active.size < part_rows // 2:
                # copy the unfinished rows only when that halves the work
                part, part_active, part_rows = series.take(active), active, active.size
            step = part.newton_step(rate[part_active])
            if active.size < part_rows:
                step = step[np.searchsorted(part_active, active)]
            r = rate[active]
            new = r - step
            # stay above -100 %: halve the distance to -1 instead of crossing it
            new = np.where(new <= -1.0, (r - 1.0) / 2.0, new)
            converged = np.abs(new - r) <= 1e-13 * np.maximum(1.0, np.abs(new))
            # a run-away iteration will not come back: give the row to the next stage
            failed = ~np.isfinite(new) | (np.abs(new) > 1e6)
            rate[active] = new
            done = converged | failed
            result[active[done & ~failed]] = new[done & ~failed]
            active = active[~done]
        found = np.flatnonzero(np.isfinite(result))
        if found.size:
            bad = ~_is_root(series.take(found), result[found])
            result[found[bad]] = np.nan
    return result


def _bracketed_roots(series: _Series, guess: float) -> np.ndarray:
    """The root nearest ``guess`` found by a grid scan, bisection and Newton's method inside
    the bracket; NaN where the grid shows no sign change."""
    rows = series.shape[0]
    result = np.full(rows, np.nan)
    grid = _GRID_Y
    midpoints = (grid[:-1] + grid[1:]) / 2.0
    target = np.log1p(guess)
    block_rows = max(1, _SCAN_ELEMENTS // (grid.size * series.shape[1]))
    found, pick, sign_low = [], [], []
    with np.errstate(all="ignore"):
        for start in range(0, rows, block_rows):
            signs = series.take(slice(start, start + block_rows)).grid_signs(grid)
            # a zero sign is an NPV lost to underflow far from any root, not a crossing
            crossing = signs[:, :-1] * signs[:, 1:] < 0
            distance = np.where(crossing, np.abs(midpoints - target), np.inf)
            nearest = distance.argmin(axis=1)
            hit = np.flatnonzero(np.isfinite(distance[np.arange(signs.shape[0]), nearest]))
            found.append(start + hit)
            pick.append(nearest[hit])
            sign_low.append(signs[hit, nearest[hit]])
        chosen = np.concatenate(found)
        if chosen.size == 0:
            return result
        picked, low_signs = np.concatenate(pick), np.concatenate(sign_low)
        part = series.take(chosen)
        low, high = _bisect(
            part, grid[picked], grid[picked + 1], low_signs, _BISECTIONS_BEFORE_NEWTON
        )
        # Newton converges fast from inside a narrow bracket; rows it takes out of theirs
        # go on halving
        roots = _newton(part, np.expm1((low + high) / 2.0), _NEWTON_IN_BRACKET)
        y = np.log1p(roots)
        outside = np.flatnonzero(~((y >= low) & (y <= high)))
        if outside.size:
            rest = part.take(outside)
            low, high = _bisect(rest, low[outside], high[outside], low_signs[outside], 48)
            middle = np.expm1((low + high) / 2.0)
            roots[outside] = np.where(_is_root(rest, middle), middle, np.nan)
        result[chosen] = roots
    return result


def _bisect(
    series: _Series, low: np.ndarray, high: np.ndarray, sign_low: np.ndarray, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """Halve each row's bracket [low, high] in y = ln(1 + r) ``steps`` times (48 halvings of a
    grid step leave < 1e-14); ``sign_low`` is the NPV's sign at ``low``."""
    with np.errstate(all="ignore"):
        for _ in range(steps):
            middle = (low + high) / 2.0
            same = np.sign(series.value(np.expm1(middle))) == sign_low
            low = np.where(same, middle, low)
            high = np.where(same, high, middle)
    return low, high


def solve_rates(flows: np.ndarray, times: np.ndarray, guess: float) -> np.ndarray:
    """Rates zeroing NPV for each row: Excel's Newton root, else the bracketed root nearest
    ``guess``, else a root of a close pair near 0."""
    result = np.full(flows.shape[0], np.nan)
    finite = np.isfinite(flows).all(axis=1)
    finite_flows = flows if finite.all() else np.where(finite[:, None], flows, 0)
    solvable = np.flatnonzero(finite & has_sign_change(finite_flows))
    if solvable.size == 0:
        return result
    if times.shape[0] == 1 and np.array_equal(times[0], np.arange(flows.shape[1])):
        series: _Series = _Periodic(flows[solvable])
    else:
        series = _Series(flows[solvable], times[solvable])
    found = np.full(solvable.size, np.nan)
    # One sign change in the flows means exactly one rate (Descartes' rule of signs), and
    # Newton from 0 reaches it fast; Newton from Excel's 0.1 runs away on long monthly series.
    unique = _one_sign_change(flows[solvable])
    if unique.any():
        rows = np.flatnonzero(unique)
        found[rows] = _newton(series.take(rows), 0.0)
    if not unique.all():
        rows = np.flatnonzero(~unique)
        found[rows] = _newton(series.take(rows), guess, EXCEL_MAX_ITERATIONS)
    missing = np.flatnonzero(np.isnan(found))
    if missing.size:
        found[missing] = _bracketed_roots(series.take(missing), guess)
        missing = missing[np.isnan(found[missing])]
    if missing.size:
        # two roots closer together than a grid step leave no sign change on the grid;
        # Newton from 0 reaches such a pair when it lies near 0, where business rates are
        found[missing] = _newton(series.take(missing), 0.0, _NEWTON_FOR_CLOSE_ROOTS)
    result[solvable] = found
    return result
