"""From cost and benefit items to monthly flows on each project's grid, for a whole portfolio.

Conventions (docs/finance.md):

- Period 0 is the calendar month of the project's start date; periods 0 ... H-1 are the
  horizon. Occurrences outside it are ignored.
- An item dated ``date`` with a recurrence adds its amount in month(date), then every 1, 3
  or 12 months up to and including month(end_date) or the horizon end. A one-time item
  occurs once; a recurring item whose end date falls before its date occurs once.
- A benefit ramping over k > 0 months gets factor min(1, (j + 1) / k) on the occurrence j
  months after month(date).
- Basis ``plan``: planned costs and expected benefits. Basis ``forecast``: up to and
  including month(as_of) the items that happened (actual costs, realized benefits), after it
  the planned and expected ones.

Everything is vectorised: a monthly item at its full amount is a run of equal occurrences,
two entries in a difference array that one cumulative sum turns into flows; occurrences still
ramping up, and those of items recurring quarterly or annually, are listed one by one and
scatter-added with ``np.bincount``. No Python loop runs over projects or items.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from roi_tracker.domain.vocabulary import RECURRENCE_STEP_MONTHS

__all__ = [
    "Basis",
    "Grid",
    "Items",
    "month_index",
    "month_start",
    "present_values",
    "spread",
    "step_months",
]

Basis = Literal["plan", "forecast"]
#: end month of an item without end date: later than any horizon
NO_END = np.iinfo(np.int64).max // 4


def month_index(dates: object) -> np.ndarray:
    """Calendar months as integers (year * 12 + month - 1); a missing date becomes ``NO_END``.

    ``dates``: datetime64 values (a pandas column, NaT where missing), or dates, datetimes or
    ISO texts (None where missing). Plain numpy: the finance report loads no pandas.
    """
    values = np.asarray(dates)
    if values.dtype.kind != "M":
        values = np.array(values, dtype="datetime64[us]")
    months = values.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return np.where(np.isnat(values), NO_END, months)


def month_start(index: np.ndarray | int) -> np.ndarray:
    """The first day of each calendar month index, as datetime64[D]."""
    months = np.asarray(index, dtype=np.int64)
    return (np.datetime64("0000-01", "M") + months.astype("timedelta64[M]")).astype("datetime64[D]")


def step_months(recurrence: object) -> np.ndarray:
    """Months between occurrences for each recurrence value (0 for one-time items, and for a
    missing value: None or NaN)."""
    # arrays and pandas columns compare with a value in one vectorised step (a list does not)
    values = (
        np.asarray(recurrence)
        if hasattr(recurrence, "dtype")
        else np.array(recurrence, dtype=object)
    )
    steps = np.zeros(len(values), dtype=np.int64)
    known = np.zeros(len(values), dtype=np.bool_)
    # one comparison per recurrence (a handful), not one dict lookup per item
    for value, months in RECURRENCE_STEP_MONTHS.items():
        same = np.asarray(values == value.value, dtype=bool)
        steps[same] = months
        known |= same
    for value in values[~known]:
        if value is not None and value == value:  # NaN is the one value unequal to itself
            raise ValueError(f"unknown recurrence {value!r}")
    return steps


@dataclass(frozen=True)
class Grid:
    """The projects' monthly grids: where period 0 is, how long they run, and the basis.

    ``start`` and ``horizon`` hold one value per project (calendar month index of the start
    date, number of months). ``as_of`` is the calendar month index of the as-of date for the
    forecast basis, or None for the plan basis.
    """

    start: np.ndarray
    horizon: np.ndarray
    as_of: int | None = None

    @property
    def projects(self) -> int:
        return int(self.start.size)

    @property
    def periods(self) -> int:
        return int(self.horizon.max()) if self.start.size else 0


@dataclass(frozen=True)
class Items:
    """Cost or benefit items as parallel arrays, one entry per item.

    ``project`` is the row of the item's project in the :class:`Grid`; ``month`` and
    ``end_month`` are calendar month indexes (``NO_END`` when there is no end date);
    ``step`` the months between occurrences (0: once); ``amount`` the amount of one full
    occurrence; ``ramp`` the ramp-up months (0: none); ``happened`` marks actual costs and
    realized benefits. ``delay`` (None: 0) holds months by which each item's occurrences
    arrive later than scheduled: which occurrences count is decided on the schedule, then
    they move, keeping their ramp factors; those moved past the horizon drop out.
    """

    project: np.ndarray
    month: np.ndarray
    end_month: np.ndarray
    step: np.ndarray
    amount: np.ndarray
    ramp: np.ndarray
    happened: np.ndarray
    delay: np.ndarray | None = None

    @property
    def size(self) -> int:
        return int(self.project.size)

    def take(self, selection: np.ndarray) -> Items:
        fields = {name: getattr(self, name)[selection] for name in self._fields()}
        return Items(**fields, delay=None if self.delay is None else self.delay[selection])

    def delayed(self, months: int, where: np.ndarray) -> Items:
        """The same items with the occurrences of those selected by ``where`` arriving
        ``months`` later (the flows that would have counted, not the items' dates: an
        ongoing monthly benefit leaves a gap of ``months`` after the as-of month)."""
        delay = np.zeros(self.size, dtype=np.int64) if self.delay is None else self.delay
        return replace(self, delay=delay + np.where(where, months, 0))

    @staticmethod
    def _fields() -> tuple[str, ...]:
        return ("project", "month", "end_month", "step", "amount", "ramp", "happened")


@dataclass(frozen=True)
class _Runs:
    """Each item's occurrences inside its horizon and basis: q = q_low ... q_high.

    Occurrence q happens at period first + q * step, j = q * step months after the item's date.
    """

    first: np.ndarray
    step: np.ndarray
    q_low: np.ndarray
    q_high: np.ndarray
    # first occurrence whose ramp factor is 1
    q_flat: np.ndarray


def _ceil_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return -((-a) // b)


def _runs(items: Items, grid: Grid) -> _Runs:
    start = grid.start[items.project]
    horizon = grid.horizon[items.project]
    first = items.month - start
    once = items.step == 0
    step = np.where(once, 1, items.step)
    # a recurring item whose end date precedes its date still occurs at its date
    end = np.where(items.end_month == NO_END, NO_END, np.maximum(items.end_month - start, first))
    last = np.minimum(np.where(once, first, end), horizon - 1)
    q_low = np.maximum(0, _ceil_div(-first, step))
    q_high = (last - first) // step
    if grid.as_of is not None:
        as_of = grid.as_of - start
        happened = items.happened
        # happened items count up to and including month(as_of), the others after it
        q_high = np.where(happened, np.minimum(q_high, (as_of - first) // step), q_high)
        q_low = np.where(happened, q_low, np.maximum(q_low, _ceil_div(as_of + 1 - first, step)))
    else:
        q_high = np.where(items.happened, -1, q_high)
    q_flat = np.where(items.ramp > 0, _ceil_div(np.maximum(items.ramp - 1, 0), step), 0)
    if items.delay is not None:
        # the occurrences chosen above arrive later; those past the horizon drop out
        first = first + items.delay
        q_high = np.minimum(q_high, (horizon - 1 - first) // step)
    return _Runs(first=first, step=step, q_low=q_low, q_high=q_high, q_flat=q_flat)


def _expand(
    items: Items, runs: _Runs, q_from: np.ndarray, q_to: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, period and ramp factor of the occurrences q_from ... q_to of each item."""
    counts = np.maximum(q_to - q_from + 1, 0)
    item = np.repeat(np.arange(items.size), counts)
    offsets = np.arange(item.size) - np.repeat(np.cumsum(counts) - counts, counts)
    months_after = (q_from[item] + offsets) * runs.step[item]
    factor = np.minimum(1.0, (months_after + 1) / np.maximum(items.ramp[item], 1))
    return item, runs.first[item] + months_after, factor


def _ramp_occurrences(items: Items, runs: _Runs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, period and factor of every occurrence still ramping up (j < k - 1)."""
    return _expand(items, runs, runs.q_low, np.minimum(runs.q_high, runs.q_flat - 1))


def _flat_runs(runs: _Runs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per item: first period and number of the occurrences at full amount."""
    q_start = np.maximum(runs.q_low, runs.q_flat)
    count = np.maximum(runs.q_high - q_start + 1, 0)
    return runs.first + q_start * runs.step, count, runs.step


def spread(
    items: Items,
    grid: Grid,
    weights: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
) -> np.ndarray | list[np.ndarray]:
    """Monthly sums of the items' occurrences on each project's grid.

    Parameters
    ----------
    items : Items
        The cost or benefit items.
    grid : Grid
        The projects' grids and the basis.
    weights : ndarray of shape (n_items,) or (k, n_items), optional
        Amount of one full occurrence of each item (default ``items.amount``); risk
        adjustment or simulated amounts come in here. k rows of weights spread k sets of
        amounts over the same occurrences at the cost of little more than one.
    groups : ndarray of int, shape (n_items,), optional
        Group of each item (a category, a type...), 0 ... n_groups - 1.
    n_groups : int
        Number of groups.

    Returns
    -------
    ndarray of shape (projects, periods), or (n_groups, projects, periods) with ``groups``
        Flows per project and period (periods beyond a shorter project's horizon are 0),
        rounded to 1e-6 of the unit of the amounts; with 2-D ``weights``, a list of one
        such array per row of weights.
    """
    amounts = items.amount if weights is None else np.asarray(weights, dtype=float)
    amounts = np.atleast_2d(amounts)
    group = np.zeros(items.size, dtype=np.int64) if groups is None else np.asarray(groups)
    projects, periods = grid.projects, grid.periods
    shape = (amounts.shape[0], n_groups, projects, periods)
    if items.size == 0 or periods == 0:
        out = list(np.zeros(shape))
    else:
        out = _spread(items, grid, amounts, group * projects + items.project, shape)
    out = out if groups is not None else [flows[0] for flows in out]
    return out if weights is not None and np.ndim(weights) == 2 else out[0]


def _spread(
    items: Items, grid: Grid, amounts: np.ndarray, row: np.ndarray, shape: tuple[int, ...]
) -> list[np.ndarray]:
    """:func:`spread` of each row of ``amounts`` (k, n_items) into rows ``row`` of an array
    ``shape[1:]``."""
    runs = _runs(items, grid)
    periods = shape[-1]
    # Occurrences listed one by one: those still ramping up, and every occurrence of items
    # recurring less often than monthly (at most one in three months).
    start, count, step = _flat_runs(runs)
    sparse = step > 1
    listed = [
        _ramp_occurrences(items, runs),
        _expand(items, runs, np.where(sparse, (start - runs.first) // step, 0),
                np.where(sparse, runs.q_high, -1)),
    ]  # fmt: skip
    dense = ~sparse & (count > 0)
    # A difference array for the runs of equal monthly amounts: +a where one starts, -a one
    # month past its end; a cumulative sum rebuilds them. The listed occurrences are added
    # after it, one entry each.
    width = periods + 1
    run_index = np.concatenate(
        [row[dense] * width + start[dense], row[dense] * width + start[dense] + count[dense]]
    )
    run_item = np.concatenate([np.flatnonzero(dense), np.flatnonzero(dense)])
    run_sign = np.repeat([1.0, -1.0], run_item.size // 2)
    one_item = np.concatenate([item for item, _, _ in listed])
    one_index = row[one_item] * width + np.concatenate([period for _, period, _ in listed])
    one_factor = np.concatenate([factor for _, _, factor in listed])
    cells = int(np.prod(shape[1:-1])) * width
    out = []
    # one row of weights at a time: a few arrays of one row's size, reused, are cheaper than
    # arrays of every row's at once
    for weights in amounts:
        run_steps = np.bincount(run_index, weights[run_item] * run_sign, cells)
        # float even without any entry, where bincount answers with integers
        flows = run_steps.astype(float, copy=False).reshape(*shape[1:-1], width)
        # in place: fresh arrays of this size cost more in page faults than the sums
        np.cumsum(flows, axis=-1, out=flows)
        flows += np.bincount(one_index, weights[one_item] * one_factor, cells).reshape(flows.shape)
        # a fractional amount added and taken back leaves float noise (1e-12) in later
        # months, which would blur exact zeros and exact break-even months: round it away
        np.round(flows, 6, out=flows)
        out.append(flows[..., :periods])
    return out


def present_values(
    items: Items, grid: Grid, monthly_rate: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Present value at period 0 of one unit of each item (ramp factors included).

    Parameters
    ----------
    items : Items
        The items; amounts are ignored.
    grid : Grid
        The projects' grids and the basis.
    monthly_rate : ndarray of shape (projects,)
        Discount rate per month of each project.
    weights : ndarray of shape (projects, periods), optional
        A multiplier per project and period (an exchange rate into another currency).

    Returns
    -------
    ndarray of shape (n_items,)
        Σ factor_q x weight_q / (1 + m)^period_q over the item's occurrences in horizon and
        basis; the NPV contribution of an item is its amount times this value.
    """
    result = np.zeros(items.size)
    if items.size == 0:
        return result
    runs = _runs(items, grid)
    factor_per_month = 1.0 / (1.0 + np.asarray(monthly_rate, dtype=float)[items.project])
    if weights is not None:
        # a weight per month breaks the geometric series: every occurrence one by one
        item, period, factor = _expand(items, runs, runs.q_low, runs.q_high)
        weight = weights[items.project[item], period]
        return np.bincount(
            item, weights=factor * weight * factor_per_month[item] ** period, minlength=items.size
        )
    item, period, factor = _ramp_occurrences(items, runs)
    result += np.bincount(
        item, weights=factor * factor_per_month[item] ** period, minlength=items.size
    )
    start, count, step = _flat_runs(runs)
    ratio = factor_per_month**step
    # geometric series: d^start * (1 - ratio^count) / (1 - ratio), count at ratio = 1
    with np.errstate(divide="ignore", invalid="ignore"):
        series = np.where(
            np.isclose(ratio, 1.0, rtol=0, atol=1e-15),
            count.astype(float),
            (1.0 - ratio**count) / (1.0 - ratio),
        )
    result += np.where(count > 0, factor_per_month**start * series, 0.0)
    return result
