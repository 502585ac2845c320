"""Project and portfolio metrics from monthly flows (docs/finance.md).

Amounts are whatever unit the caller passes (the services pass cents, so that sums of whole
cents stay exact in float64). Rates are annual fractions; the monthly grid uses the
equivalent monthly rate m = (1 + r)^(1/12) - 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from roi_tracker.domain import finance
from roi_tracker.domain.cashflows import Grid, Items, spread
from roi_tracker.domain.risks import COST, Risks, adjust_benefits, expected_costs

__all__ = [
    "METRIC_NAMES",
    "MONEY_METRICS",
    "SCOPES",
    "Flows",
    "RiskParameters",
    "all_project_metrics",
    "build_flows",
    "calendar_sum",
    "portfolio_metrics",
    "project_metrics",
]

#: total: every benefit; hard: hard benefits; cash: cashable and cost-avoidance benefits
SCOPES = ("total", "hard", "cash")
METRIC_NAMES = (
    "costs",
    "benefits",
    "npv",
    "irr",
    "roi",
    "discounted_roi",
    "payback_period",
    "discounted_payback_period",
    "risk_adjusted_npv",
    "risk_adjusted_roi",
)
MONEY_METRICS = frozenset({"costs", "benefits", "npv", "risk_adjusted_npv"})


@dataclass(frozen=True)
class RiskParameters:
    """Per-project parameters, one value per project (annual fractions)."""

    discount_rate: np.ndarray
    probability_of_success: np.ndarray
    cost_contingency: np.ndarray
    risk_premium: np.ndarray

    @property
    def monthly_rate(self) -> np.ndarray:
        return np.asarray(finance.annual_to_monthly(self.discount_rate))

    @property
    def monthly_risk_rate(self) -> np.ndarray:
        return np.asarray(finance.annual_to_monthly(self.discount_rate + self.risk_premium))


@dataclass(frozen=True)
class Flows:
    """Monthly flows of every project, shape (projects, periods) each.

    ``benefits`` maps a scope ("total", "hard" or "cash") to its benefits; the ``risk_*`` arrays are
    the risk-adjusted variants (expected benefits x confidence x probability of success,
    planned costs x (1 + contingency), and the expected effect of the open risks).
    """

    grid: Grid
    parameters: RiskParameters
    costs: np.ndarray
    benefits: dict[str, np.ndarray]
    risk_costs: np.ndarray
    risk_benefits: dict[str, np.ndarray]

    # Derived arrays are computed once: a report needs each of them several times.

    def net(self, scope: str) -> np.ndarray:
        """Benefits - costs per project and period."""
        return self._nets[scope]

    def discounted_net(self, scope: str) -> np.ndarray:
        """Net flows times the discount factors."""
        return self._discounted_nets[scope]

    @cached_property
    def _nets(self) -> dict[str, np.ndarray]:
        return {scope: self.benefits[scope] - self.costs for scope in self.benefits}

    @cached_property
    def _discounted_nets(self) -> dict[str, np.ndarray]:
        return {scope: net * self.factors for scope, net in self._nets.items()}

    @cached_property
    def factors(self) -> np.ndarray:
        """1 / (1 + m_p)^t per project p and period t."""
        return finance.discount_factors(self.parameters.monthly_rate, self.grid.periods)

    @cached_property
    def risk_factors(self) -> np.ndarray:
        """Discount factors at the risk-adjusted rates r + risk_premium."""
        return finance.discount_factors(self.parameters.monthly_risk_rate, self.grid.periods)

    @cached_property
    def present_costs(self) -> np.ndarray:
        """PV(costs) per project."""
        return np.einsum("ij,ij->i", self.costs, self.factors)

    def converted(self, rates: np.ndarray) -> Flows:
        """The flows times ``rates`` (one per project and period): into another currency."""
        return Flows(
            grid=self.grid,
            parameters=self.parameters,
            costs=self.costs * rates,
            benefits={scope: values * rates for scope, values in self.benefits.items()},
            risk_costs=self.risk_costs * rates,
            risk_benefits={scope: v * rates for scope, v in self.risk_benefits.items()},
        )

    @property
    def moving(self) -> np.ndarray:
        """Where a project has any flow in a period (plain or risk-adjusted)."""
        arrays = [self.costs, self.risk_costs, *self.benefits.values()]
        return np.logical_or.reduce([a != 0 for a in [*arrays, *self.risk_benefits.values()]])


def build_flows(
    costs: Items,
    benefits: Items,
    benefit_is_hard: np.ndarray,
    benefit_confidence: np.ndarray,
    grid: Grid,
    parameters: RiskParameters,
    benefit_is_cash: np.ndarray | None = None,
    redeployed: np.ndarray | None = None,
    risks: Risks | None = None,
) -> Flows:
    """Monthly flows of all projects, plain and risk-adjusted, per scope (total, hard, cash).

    Parameters
    ----------
    costs, benefits : Items
        The cost and benefit items of the projects of ``grid``.
    benefit_is_hard : ndarray of bool, shape (n_benefits,)
        True for hard benefits, False for soft ones.
    benefit_confidence : ndarray of float, shape (n_benefits,)
        Confidence of each benefit in [0, 1].
    grid : Grid
        The projects' grids and the basis.
    parameters : RiskParameters
        Per-project rate and risk parameters.
    benefit_is_cash : ndarray of bool, shape (n_benefits,), optional
        True for cashable and cost-avoidance benefits (default: none).
    redeployed : ndarray, shape (projects, periods), optional
        Non-cashable benefits that count as cash in each month (redeployed time savings,
        already capped at the time savings): added to the cash scope, plain and risk-adjusted.
    risks : Risks, optional
        The open risks; their expected effect enters the risk-adjusted flows only, in every
        scope alike (the delays and reductions act on each scope's expected benefits still
        to come; redeployed time savings are recorded cash, which they leave as it is).

    Returns
    -------
    Flows
    """
    pending_costs = ~costs.happened
    cost_risk = np.where(pending_costs, 1.0 + parameters.cost_contingency[costs.project], 1.0)
    pending_benefits = ~benefits.happened
    benefit_risk = np.where(
        pending_benefits,
        benefit_confidence * parameters.probability_of_success[benefits.project],
        1.0,
    )
    hard = np.where(benefit_is_hard, 1.0, 0.0)
    cash = np.zeros(benefits.size) if benefit_is_cash is None else np.where(benefit_is_cash, 1, 0.0)
    risk_amount = benefits.amount * benefit_risk
    # one spread for every variant: the occurrences are the same, only the weights differ
    total, hard_only, cash_only, risk_total, risk_hard, risk_cash = spread(
        benefits,
        grid,
        weights=np.stack(
            [
                benefits.amount,
                benefits.amount * hard,
                benefits.amount * cash,
                risk_amount,
                risk_amount * hard,
                risk_amount * cash,
            ]
        ),
    )
    cost_flows, risk_costs = spread(
        costs, grid, weights=np.stack([costs.amount, costs.amount * cost_risk])
    )
    if risks is not None and risks.size:
        risk_costs = risk_costs + expected_costs(risks, grid)
        risk_total, risk_hard, risk_cash = _with_risks(
            risks,
            benefits,
            risk_amount,
            np.stack([np.ones(benefits.size), hard, cash]),
            grid,
            (risk_total, risk_hard, risk_cash),
        )
    if redeployed is not None:
        cash_only = cash_only + redeployed
        risk_cash = risk_cash + redeployed
    return Flows(
        grid=grid,
        parameters=parameters,
        costs=cost_flows,
        benefits={"hard": hard_only, "total": total, "cash": cash_only},
        risk_costs=risk_costs,
        risk_benefits={"hard": risk_hard, "total": risk_total, "cash": risk_cash},
    )


def _with_risks(
    risks: Risks,
    benefits: Items,
    risk_amount: np.ndarray,
    scopes: np.ndarray,
    grid: Grid,
    adjusted: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, ...]:
    """The risk-adjusted benefits of each scope (``scopes``: one 0/1 weight per benefit and
    scope, in the order of ``adjusted``) with the delays and reductions of ``risks`` applied
    to the expected benefits still to come; rows of projects without such a risk stay as
    they are, to the bit."""
    pending = np.where(benefits.happened, 0.0, risk_amount)
    pending_flows = spread(benefits, grid, weights=scopes * pending)
    touched = np.zeros(grid.projects, dtype=bool)
    touched[risks.project[risks.kind != COST]] = True
    return tuple(
        np.where(touched[:, np.newaxis], flows - left + adjust_benefits(risks, left, grid), flows)
        for flows, left in zip(adjusted, pending_flows, strict=True)
    )


def project_metrics(
    flows: Flows, scope: str, monthly_irr: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Every metric of docs/finance.md for each project, over ``scope`` (see :data:`SCOPES`).

    ``monthly_irr`` takes IRRs per month already solved for these flows (see
    :func:`all_project_metrics`).

    Returns
    -------
    dict of metric name -> ndarray of shape (projects,)
        Money in the unit of the flows; ``irr`` annualised; periods as month indexes; NaN
        where a metric is undefined.
    """
    benefits, costs = flows.benefits[scope], flows.costs
    net, discounted_net = flows.net(scope), flows.discounted_net(scope)
    present_costs = flows.present_costs
    npv = discounted_net.sum(axis=1)
    risk_benefits, risk_costs = flows.risk_benefits[scope], flows.risk_costs
    with np.errstate(divide="ignore", invalid="ignore"):
        discounted_roi = np.where(present_costs != 0, npv / present_costs, np.nan)
    return {
        "costs": costs.sum(axis=1),
        "benefits": benefits.sum(axis=1),
        "npv": npv,
        "irr": np.asarray(
            finance.monthly_to_annual(
                np.asarray(finance.irr(net)) if monthly_irr is None else monthly_irr
            )
        ),
        "roi": np.asarray(finance.roi(benefits, costs)),
        "discounted_roi": discounted_roi,
        "payback_period": np.asarray(finance.payback_period(net)),
        "discounted_payback_period": np.asarray(finance.payback_period(discounted_net)),
        "risk_adjusted_npv": np.einsum("ij,ij->i", risk_benefits - risk_costs, flows.risk_factors),
        "risk_adjusted_roi": np.asarray(finance.roi(risk_benefits, risk_costs)),
    }


def all_project_metrics(flows: Flows) -> dict[str, dict[str, np.ndarray]]:
    """:func:`project_metrics` for every scope, with one IRR solve for all their series."""
    projects = flows.grid.projects
    rates = np.asarray(finance.irr(np.concatenate([flows.net(scope) for scope in SCOPES])))
    return {
        scope: project_metrics(flows, scope, rates[i * projects : (i + 1) * projects])
        for i, scope in enumerate(SCOPES)
    }


def calendar_sum(grid: Grid, values: np.ndarray) -> np.ndarray:
    """Sum of the projects' rows by calendar month, period 0 = the earliest start.

    ``values`` has shape (..., projects, periods); the result (..., calendar periods).
    """
    if grid.projects == 0:
        return np.zeros((*values.shape[:-2], 0))
    offset = grid.start - grid.start.min()
    length = int((offset + grid.horizon).max())
    periods = values.shape[-1]
    index = offset[:, np.newaxis] + np.arange(periods)[np.newaxis, :]
    inside = np.arange(periods)[np.newaxis, :] < grid.horizon[:, np.newaxis]
    flat = values.reshape(-1, grid.projects, periods)
    if inside.all():
        # every project runs the whole width: no cell to leave out, no copy to make
        columns, rows = index.ravel(), [row.ravel() for row in flat]
    else:
        columns, rows = index[inside], [row[inside] for row in flat]
    result = np.stack([np.bincount(columns, weights=row, minlength=length) for row in rows])
    return result.reshape((*values.shape[:-2], length))


def portfolio_metrics(
    flows: Flows, scope: str, per_project: dict[str, np.ndarray]
) -> dict[str, float]:
    """The portfolio's metrics over ``scope`` from the projects' flows and metrics.

    Costs, benefits, NPV and risk-adjusted NPV are sums over projects (each NPV at its own
    rate, to its own start); ROI and risk-adjusted ROI are (ΣB - ΣC) / ΣC over all flows;
    discounted ROI is ΣNPV / ΣPV(costs); IRR and payback periods come from the flows summed
    by calendar month from the earliest start, the discounted payback from the projects'
    discounted flows (each at its own rate, to its own start) summed the same way.

    Returns
    -------
    dict of metric name -> float (NaN where undefined)
    """
    grid = flows.grid
    present_costs = float(flows.present_costs.sum())
    calendar = [
        calendar_sum(grid, flows.net(scope)),
        calendar_sum(grid, flows.discounted_net(scope)),
    ]
    total_costs = float(flows.costs.sum())
    total_benefits = float(flows.benefits[scope].sum())
    risk_costs = float(flows.risk_costs.sum())
    risk_benefits = float(flows.risk_benefits[scope].sum())
    npv = float(np.sum(per_project["npv"]))

    def ratio(numerator: float, denominator: float) -> float:
        return numerator / denominator if denominator != 0 else float("nan")

    has_flows = calendar[0].shape[-1] > 0
    return {
        "costs": total_costs,
        "benefits": total_benefits,
        "npv": npv,
        "irr": float(finance.monthly_to_annual(finance.irr(calendar[0])))
        if has_flows
        else float("nan"),
        "roi": ratio(total_benefits - total_costs, total_costs),
        "discounted_roi": ratio(npv, present_costs),
        "payback_period": float(finance.payback_period(calendar[0])) if has_flows else float("nan"),
        "discounted_payback_period": float(finance.payback_period(calendar[1]))
        if has_flows
        else float("nan"),
        "risk_adjusted_npv": float(np.sum(per_project["risk_adjusted_npv"])),
        "risk_adjusted_roi": ratio(risk_benefits - risk_costs, risk_costs),
    }
