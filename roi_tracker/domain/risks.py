"""Open risks in the risk-adjusted figures (docs/finance.md, "Risks").

A risk happens with probability p; its impact lies in a triangle low / likely / high, whose
mean is (low + likely + high) / 3:

- a **cost** adds p × mean at its period;
- a **delay** of the expected benefits: (1 − p) × B + p × B shifted by the mean months (a
  fractional shift mixes the two whole shifts around it linearly);
- a **reduction** of the expected benefits multiplies them by 1 − p × mean (a fraction).

Several risks of a project combine as independent events: each delay and reduction applies
to what the previous ones left (the operators are linear and commute, so the order does not
matter and the result is the exact expectation over which risks happen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_tracker.domain.cashflows import Grid

__all__ = [
    "COST",
    "DELAY",
    "REDUCTION",
    "Risks",
    "adjust_benefits",
    "cost_periods",
    "expected_costs",
    "shift",
    "triangle_mean",
]

#: impact kinds as codes
COST, DELAY, REDUCTION = 0, 1, 2


@dataclass(frozen=True)
class Risks:
    """Open risks as parallel arrays, one entry per risk.

    ``project`` is the row of the risk's project in the :class:`Grid`; ``kind`` one of
    :data:`COST`, :data:`DELAY`, :data:`REDUCTION`; ``low``, ``likely``, ``high`` the impact
    (cents for a cost, months for a delay, a fraction for a reduction); ``month`` the calendar
    month index at which a cost falls.
    """

    project: np.ndarray
    kind: np.ndarray
    probability: np.ndarray
    low: np.ndarray
    likely: np.ndarray
    high: np.ndarray
    month: np.ndarray

    @staticmethod
    def none() -> Risks:
        ints, floats = np.zeros(0, dtype=np.int64), np.zeros(0)
        return Risks(ints, ints, floats, floats, floats, floats, ints)

    @property
    def size(self) -> int:
        return int(self.project.size)

    def take(self, selection: np.ndarray) -> Risks:
        return Risks(**{name: getattr(self, name)[selection] for name in self.__dataclass_fields__})

    @property
    def mean(self) -> np.ndarray:
        return triangle_mean(self.low, self.likely, self.high)


def triangle_mean(low: np.ndarray, likely: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Mean of Triangular(low, likely, high): (low + likely + high) / 3."""
    return (np.asarray(low) + np.asarray(likely) + np.asarray(high)) / 3.0


def cost_periods(risks: Risks, grid: Grid) -> np.ndarray:
    """The period at which each cost risk falls: month(date) − start, never before period 0
    nor, on the forecast basis, before the month after the as-of month (an open risk has not
    happened yet). Periods at or past the horizon count nothing."""
    start = grid.start[risks.project]
    period = np.maximum(risks.month - start, 0)
    if grid.as_of is not None:
        period = np.maximum(period, grid.as_of - start + 1)
    return period


def expected_costs(risks: Risks, grid: Grid) -> np.ndarray:
    """p × mean of each cost risk at its period, shape (projects, periods)."""
    out = np.zeros((grid.projects, grid.periods))
    cost = np.flatnonzero(risks.kind == COST)
    period = cost_periods(risks, grid)[cost]
    inside = period < grid.horizon[risks.project[cost]]
    chosen = cost[inside]
    np.add.at(
        out,
        (risks.project[chosen], period[inside]),
        risks.probability[chosen] * risks.mean[chosen],
    )
    return out


def shift(flows: np.ndarray, months: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    """Each row of ``flows`` (projects, periods) arriving ``months[row]`` later (≥ 0, may be
    fractional: the whole shifts below and above mixed linearly); what moves past the row's
    horizon drops out."""
    months = np.asarray(months, dtype=float)
    whole = np.floor(months).astype(np.int64)
    part = (months - whole)[:, np.newaxis]
    return (1.0 - part) * _shift_whole(flows, whole, horizon) + part * _shift_whole(
        flows, whole + 1, horizon
    )


def _shift_whole(flows: np.ndarray, months: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    periods = np.arange(flows.shape[-1])
    source = periods[np.newaxis, :] - months[:, np.newaxis]
    keep = (source >= 0) & (periods[np.newaxis, :] < horizon[:, np.newaxis])
    taken = np.take_along_axis(flows, np.clip(source, 0, None), axis=-1)
    return np.where(keep, taken, 0.0)


def _rounds(project: np.ndarray) -> np.ndarray:
    """The rank of each risk among its project's risks (0, 1, ...), in the given order."""
    order = np.argsort(project, kind="stable")
    sorted_projects = project[order]
    first = np.searchsorted(sorted_projects, sorted_projects)
    rank = np.empty(project.size, dtype=np.int64)
    rank[order] = np.arange(project.size) - first
    return rank


def adjust_benefits(risks: Risks, pending: np.ndarray, grid: Grid) -> np.ndarray:
    """The expected benefits still to come (``pending``, (projects, periods)) after the
    expected effect of the delay and reduction risks."""
    out = pending
    reduce = np.flatnonzero(risks.kind == REDUCTION)
    if reduce.size:
        factor = np.ones(grid.projects)
        np.multiply.at(
            factor, risks.project[reduce], 1.0 - risks.probability[reduce] * risks.mean[reduce]
        )
        out = out * factor[:, np.newaxis]
    delay = np.flatnonzero(risks.kind == DELAY)
    rank = _rounds(risks.project[delay])
    # one round per rank: the r-th delay of every project at once (a project has few risks)
    for r in range(int(rank.max()) + 1 if delay.size else 0):
        chosen = delay[rank == r]
        p = np.zeros(grid.projects)
        months = np.zeros(grid.projects)
        p[risks.project[chosen]] = risks.probability[chosen]
        months[risks.project[chosen]] = risks.mean[chosen]
        out = (1.0 - p)[:, np.newaxis] * out + p[:, np.newaxis] * shift(out, months, grid.horizon)
    return out
