"""Monte Carlo of the NPV (docs/finance.md).

Per trial: each project succeeds ~ Bernoulli(probability_of_success) (on failure no
expected benefit arrives); each expected benefit arrives ~ Bernoulli(confidence); each
planned cost or expected benefit with a low/high range takes one amount ~ Triangular(low,
amount, high) for all its occurrences; actual costs and realized benefits are fixed; the
rate is r + risk_premium; no contingency. Each open risk happens ~ Bernoulli(probability)
with an impact ~ Triangular(low, likely, high): a cost at its period; a delay that scales the
project's drawn expected benefits by the share of their present value left after that many
months (on their expected profile); a reduction that multiplies them by 1 − the fraction.

The NPV is linear in each item's amount, so an item's contribution is its drawn amount times
the present value of one unit of it (:func:`roi_tracker.domain.cashflows.present_values`):
a trial is a few products over the items, never a rebuild of the monthly grid. Trials run in
chunks so that memory stays bounded whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_tracker.domain import finance
from roi_tracker.domain.cashflows import Grid, Items, present_values, spread
from roi_tracker.domain.metrics import RiskParameters
from roi_tracker.domain.risks import COST, DELAY, REDUCTION, Risks, cost_periods

__all__ = ["Model", "Result", "build_model", "run", "summarize", "triangular"]

#: random numbers drawn per chunk (bounds the memory: about 8 bytes x 4 arrays each)
CHUNK_ELEMENTS = 2_000_000


@dataclass(frozen=True)
class _Uncertain:
    """Items with drawn amounts, sorted by project: unit PV and the triangle of the amount."""

    project: np.ndarray
    present_value: np.ndarray
    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    ranged: np.ndarray


@dataclass(frozen=True)
class _RiskPart:
    """Open risks of one impact kind: project, probability, triangle and, for costs, the
    discount factor of their period (0 outside the horizon)."""

    project: np.ndarray
    probability: np.ndarray
    low: np.ndarray
    likely: np.ndarray
    high: np.ndarray
    factor: np.ndarray


@dataclass(frozen=True)
class _RiskModel:
    """The open risks and, per scope, the share of each project's expected benefits' present
    value left after a delay of k = 0 ... periods + 1 months, shape (projects, periods + 2)."""

    costs: _RiskPart
    delays: _RiskPart
    reductions: _RiskPart
    delay_share: dict[str, np.ndarray]


@dataclass(frozen=True)
class Model:
    """What a trial needs, per project (fixed NPV parts, probability) and per item."""

    projects: int
    fixed: dict[str, np.ndarray]
    probability: np.ndarray
    costs: _Uncertain
    benefits: _Uncertain
    confidence: np.ndarray
    hard: np.ndarray
    risks: _RiskModel | None = None


@dataclass(frozen=True)
class Result:
    """Simulated NPVs: ``projects[scope]`` of shape (trials, projects), ``portfolio[scope]``
    of shape (trials,), for the scopes "total" and "hard"."""

    projects: dict[str, np.ndarray]
    portfolio: dict[str, np.ndarray]


def _triangle(
    amount: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    low = np.minimum(np.where(np.isnan(low), amount, low), amount)
    high = np.maximum(np.where(np.isnan(high), amount, high), amount)
    return low, amount, high, high > low


def _uncertain(
    selection: np.ndarray, items: Items, pv: np.ndarray, low: np.ndarray, high: np.ndarray
) -> _Uncertain:
    chosen = np.flatnonzero(selection)
    chosen = chosen[np.argsort(items.project[chosen], kind="stable")]
    lo, mode, hi, ranged = _triangle(items.amount[chosen], low[chosen], high[chosen])
    return _Uncertain(items.project[chosen], pv[chosen], lo, mode, hi, ranged)


def build_model(
    costs: Items,
    benefits: Items,
    *,
    cost_low: np.ndarray,
    cost_high: np.ndarray,
    benefit_low: np.ndarray,
    benefit_high: np.ndarray,
    benefit_is_hard: np.ndarray,
    benefit_confidence: np.ndarray,
    grid: Grid,
    parameters: RiskParameters,
    risks: Risks | None = None,
    exchange: np.ndarray | None = None,
) -> Model:
    """The simulation model of a portfolio.

    Parameters
    ----------
    costs, benefits : Items
        Items of the projects of ``grid``.
    cost_low, cost_high, benefit_low, benefit_high : ndarray
        Range of each item's amount, NaN where none (the amount itself).
    benefit_is_hard, benefit_confidence : ndarray
        Type and confidence of each benefit.
    grid : Grid
        Grids and basis; only occurrences inside horizon and basis count.
    parameters : RiskParameters
        Rates (discounting at rate + risk premium) and probabilities of success.
    risks : Risks, optional
        The open risks.
    exchange : ndarray of shape (projects, periods), optional
        Exchange rate of each project and month: NPVs in another currency.

    Returns
    -------
    Model
    """
    rate = parameters.monthly_risk_rate
    cost_pv = present_values(costs, grid, rate, exchange)
    benefit_pv = present_values(benefits, grid, rate, exchange)
    projects = grid.projects
    planned = ~costs.happened & (cost_pv != 0)
    expected = ~benefits.happened & (benefit_pv != 0)
    fixed_costs = np.bincount(
        costs.project, weights=np.where(costs.happened, costs.amount * cost_pv, 0.0),
        minlength=projects,
    )  # fmt: skip
    realized = np.where(benefits.happened, benefits.amount * benefit_pv, 0.0)
    fixed_hard = np.bincount(
        benefits.project, weights=np.where(benefit_is_hard, realized, 0.0), minlength=projects
    )
    fixed_total = np.bincount(benefits.project, weights=realized, minlength=projects)
    benefit_part = _uncertain(expected, benefits, benefit_pv, benefit_low, benefit_high)
    order = np.flatnonzero(expected)
    order = order[np.argsort(benefits.project[order], kind="stable")]
    return Model(
        projects=projects,
        fixed={"total": fixed_total - fixed_costs, "hard": fixed_hard - fixed_costs},
        probability=parameters.probability_of_success.astype(float),
        costs=_uncertain(planned, costs, cost_pv, cost_low, cost_high),
        benefits=benefit_part,
        confidence=benefit_confidence[order].astype(float),
        hard=benefit_is_hard[order].astype(bool),
        risks=(
            None
            if risks is None or risks.size == 0
            else _risk_model(
                risks, benefits, benefit_is_hard, benefit_confidence, grid, rate, exchange
            )
        ),
    )


def _risk_part(risks: Risks, kind: int, factor: np.ndarray) -> _RiskPart:
    chosen = risks.kind == kind
    return _RiskPart(
        project=risks.project[chosen],
        probability=risks.probability[chosen],
        low=risks.low[chosen],
        likely=risks.likely[chosen],
        high=risks.high[chosen],
        factor=factor[chosen],
    )


def _delay_share(pending: np.ndarray, grid: Grid, rate: np.ndarray) -> np.ndarray:
    """PV(pending shifted by k months) / PV(pending) per project, k = 0 ... periods + 1; 1
    where nothing is pending. PV_k = d^k Σ_{t < H − k} B_t d^t."""
    periods = grid.periods
    factors = finance.discount_factors(rate, periods)
    cumulative = np.cumsum(pending * factors, axis=1)
    k = np.arange(periods + 2)
    last = grid.horizon[:, np.newaxis] - 1 - k[np.newaxis, :]
    kept = np.where(
        last >= 0, np.take_along_axis(cumulative, np.clip(last, 0, periods - 1), axis=1), 0.0
    )
    shifted = kept * (1.0 / (1.0 + rate))[:, np.newaxis] ** k[np.newaxis, :]
    base = shifted[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base != 0, shifted / base, 1.0)


def _risk_model(
    risks: Risks,
    benefits: Items,
    benefit_is_hard: np.ndarray,
    benefit_confidence: np.ndarray,
    grid: Grid,
    rate: np.ndarray,
    exchange: np.ndarray | None = None,
) -> _RiskModel:
    period = cost_periods(risks, grid)
    inside = period < grid.horizon[risks.project]
    discount = (1.0 / (1.0 + rate))[risks.project] ** period
    if exchange is not None:
        # a cost risk at the rate of its month; delays move amounts converted at theirs
        discount = discount * exchange[risks.project, np.where(inside, period, 0)]
    factor = np.where(inside, discount, 0.0)
    expected = np.where(benefits.happened, 0.0, benefits.amount * benefit_confidence)
    pending_total, pending_hard = spread(
        benefits, grid, weights=np.stack([expected, expected * benefit_is_hard])
    )
    if exchange is not None:
        pending_total, pending_hard = pending_total * exchange, pending_hard * exchange
    return _RiskModel(
        costs=_risk_part(risks, COST, factor),
        delays=_risk_part(risks, DELAY, factor),
        reductions=_risk_part(risks, REDUCTION, factor),
        delay_share={
            "total": _delay_share(pending_total, grid, rate),
            "hard": _delay_share(pending_hard, grid, rate),
        },
    )


def triangular(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Triangular(low, mode, high) by inverting its distribution function at uniforms ``u``.

    Unlike ``Generator.triangular`` it accepts degenerate triangles (low = high).
    """
    span = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(span > 0, (mode - low) / span, 0.0)
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1.0 - u) * span * (high - mode))
    return np.where(u < split, left, right)


def _by_project(values: np.ndarray, project: np.ndarray, projects: int) -> np.ndarray:
    """Sum the columns of ``values`` (trials, items sorted by project) per project."""
    out = np.zeros((values.shape[0], projects))
    if project.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, project[1:] != project[:-1]])
    out[:, project[starts]] = np.add.reduceat(values, starts, axis=1)
    return out


def _amounts(part: _Uncertain, rng: np.random.Generator, trials: int) -> np.ndarray:
    """Drawn amounts (trials, items): triangular where a range exists, the amount elsewhere."""
    amounts = np.broadcast_to(part.mode, (trials, part.mode.size)).copy()
    ranged = np.flatnonzero(part.ranged)
    if ranged.size:
        u = rng.random((trials, ranged.size))
        amounts[:, ranged] = triangular(u, part.low[ranged], part.mode[ranged], part.high[ranged])
    return amounts


def _happen(part: _RiskPart, rng: np.random.Generator, trials: int) -> np.ndarray:
    """Drawn impacts (trials, risks): Triangular(low, likely, high) where the risk happens
    ~ Bernoulli(probability), 0 elsewhere."""
    happens = rng.random((trials, part.project.size)) < part.probability
    size = triangular(rng.random((trials, part.project.size)), part.low, part.likely, part.high)
    return np.where(happens, size, 0.0)


def _per_project(values: np.ndarray, project: np.ndarray, projects: int) -> np.ndarray:
    """Sum the columns of ``values`` (trials, risks) per project, (trials, projects)."""
    out = np.zeros((values.shape[0], projects))
    np.add.at(out.T, project, values.T)
    return out


def _risk_effects(
    risks: _RiskModel, rng: np.random.Generator, trials: int, projects: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per trial and project: the PV of the risk costs, and per scope the factor on the drawn
    expected benefits (delay share times what the reductions leave)."""
    costs = _per_project(
        _happen(risks.costs, rng, trials) * risks.costs.factor, risks.costs.project, projects
    )
    months = _per_project(_happen(risks.delays, rng, trials), risks.delays.project, projects)
    left = np.ones((trials, projects))
    np.multiply.at(left.T, risks.reductions.project, 1.0 - _happen(risks.reductions, rng, trials).T)
    widest = next(iter(risks.delay_share.values())).shape[1] - 2
    whole = np.minimum(np.floor(months), widest).astype(np.int64)
    part = np.where(np.floor(months) > widest, 0.0, months - np.floor(months))
    rows = np.arange(projects)[np.newaxis, :]
    factors = {
        scope: ((1.0 - part) * share[rows, whole] + part * share[rows, whole + 1]) * left
        for scope, share in risks.delay_share.items()
    }
    return costs, factors


def run(model: Model, *, trials: int, seed: int, chunk_elements: int = CHUNK_ELEMENTS) -> Result:
    """Simulate ``trials`` trials with ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    model : Model
    trials : int
        Number of trials (>= 1).
    seed : int
        Seed of the generator; the same seed gives the same result.
    chunk_elements : int
        Upper bound of the random numbers drawn at once per kind of draw.

    Returns
    -------
    Result
    """
    rng = np.random.default_rng(seed)
    projects = model.projects
    width = max(1, model.costs.mode.size, model.benefits.mode.size, projects)
    chunk = max(1, min(trials, chunk_elements // width))
    out = {scope: np.empty((trials, projects)) for scope in ("total", "hard")}
    for first in range(0, trials, chunk):
        n = min(chunk, trials - first)
        cost = _by_project(
            _amounts(model.costs, rng, n) * model.costs.present_value, model.costs.project, projects
        )
        arrives = rng.random((n, model.confidence.size)) < model.confidence
        value = _amounts(model.benefits, rng, n) * model.benefits.present_value * arrives
        total = _by_project(value, model.benefits.project, projects)
        hard = _by_project(value * model.hard, model.benefits.project, projects)
        success = rng.random((n, projects)) < model.probability
        if model.risks is not None:
            risk_cost, factor = _risk_effects(model.risks, rng, n, projects)
            cost = cost + risk_cost
            total, hard = total * factor["total"], hard * factor["hard"]
        out["total"][first : first + n] = model.fixed["total"] - cost + success * total
        out["hard"][first : first + n] = model.fixed["hard"] - cost + success * hard
    return Result(projects=out, portfolio={scope: v.sum(axis=1) for scope, v in out.items()})


def summarize(values: np.ndarray) -> dict[str, float]:
    """Mean, P10, P50, P90 (P10: 10 % of trials fall below it) and P(value > 0)."""
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return {
        "mean": float(values.mean()),
        "p10": float(p10),
        "p50": float(p50),
        "p90": float(p90),
        "prob_positive": float((values > 0).mean()),
    }
