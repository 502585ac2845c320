"""Monte Carlo of the NPV (docs/finance.md): per-project and portfolio distributions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain import simulation
from roi_tracker.domain.cashflows import Basis, spread
from roi_tracker.errors import InvalidInput
from roi_tracker.services.finance.inputs import CENTS, PortfolioInputs, load_inputs
from roi_tracker.services.finance.models import (
    Distribution,
    Histogram,
    Histograms,
    PortfolioDistribution,
    ProjectSimulation,
    Scope,
    Simulation,
)
from roi_tracker.services.finance.report import number

__all__ = ["simulate", "simulation_model"]


def simulation_model(
    inputs: PortfolioInputs, exchange: np.ndarray | None = None
) -> simulation.Model:
    """The Monte Carlo model of docs/finance.md for prepared inputs (amounts in cents; with
    ``exchange``, a rate per project and period, in another currency)."""
    return simulation.build_model(
        inputs.cost_items,
        inputs.benefit_items,
        cost_low=inputs.costs["low_cents"].to_numpy(dtype=float),
        cost_high=inputs.costs["high_cents"].to_numpy(dtype=float),
        benefit_low=inputs.benefits["low_cents"].to_numpy(dtype=float),
        benefit_high=inputs.benefits["high_cents"].to_numpy(dtype=float),
        benefit_is_hard=inputs.benefit_is_hard,
        benefit_confidence=inputs.benefit_confidence,
        grid=inputs.grid,
        parameters=inputs.parameters,
        risks=inputs.risks,
        exchange=exchange,
    )


def _portfolio(inputs: PortfolioInputs, trials: int, seed: int) -> dict[str, np.ndarray] | None:
    """The portfolio's NPVs in the reporting currency, for projects in other currencies: the
    same trials (same seed, same draws) on PVs converted month by month; None: no need."""
    if inputs.exchange is None:
        return None
    grid = inputs.grid
    # every month an item occurs in, whatever amount a trial draws
    occurs = inputs.flows().moving  # with the months risks' costs fall in
    for items in (inputs.cost_items, inputs.benefit_items):
        occurs |= np.asarray(spread(items, grid, weights=np.ones(items.size))) != 0
    factors = inputs.exchange.factors(grid, occurs)
    return simulation.run(simulation_model(inputs, factors), trials=trials, seed=seed).portfolio


def _summary(values: Mapping[str, float]) -> Distribution:
    return Distribution.model_validate(
        {
            name: number(value) if name == "prob_positive" else number(value, money=True)
            for name, value in values.items()
        }
    )


def simulate(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
    trials: int = 10_000,
    seed: int | None = None,
    bins: int = 40,
) -> Simulation:
    """Monte Carlo of the NPV (docs/finance.md): per-project and portfolio distributions.

    Each :class:`Distribution` has mean, p10, p50, p90 (currency units) and prob_positive;
    ``histogram`` has the portfolio's NPVs in ``bins`` bins per scope. Without a seed one is
    drawn and reported, so any run can be repeated; the same seed gives the same numbers.
    """
    if trials < 1:
        raise InvalidInput(f"trials must be at least 1, not {trials}")
    if seed is not None and seed < 0:
        raise InvalidInput(f"seed must not be negative, not {seed}")
    inputs = load_inputs(session, settings, project_key=project_key, basis=basis, as_of=as_of)
    seed = int(np.random.SeedSequence().generate_state(1)[0]) if seed is None else seed
    result = simulation.run(simulation_model(inputs), trials=trials, seed=seed)
    portfolio = _portfolio(inputs, trials, seed) or result.portfolio

    def project(scope: Scope, i: int) -> Distribution:
        return _summary(simulation.summarize(result.projects[scope][:, i]))

    def histogram(scope: Scope) -> Histogram:
        counts, edges = np.histogram(portfolio[scope] / CENTS, bins=bins)
        return Histogram(edges=edges.round(2).tolist(), counts=counts.tolist())

    total, hard = (_summary(simulation.summarize(portfolio[s])) for s in ("total", "hard"))
    return Simulation(
        trials=trials,
        seed=seed,
        basis=inputs.basis,
        projects=[
            ProjectSimulation(key=key, total=project("total", i), hard=project("hard", i))
            for i, key in enumerate(inputs.projects["key"])
        ],
        portfolio=PortfolioDistribution(total=total, hard=hard),
        histogram=Histograms(total=histogram("total"), hard=histogram("hard")),
    )
