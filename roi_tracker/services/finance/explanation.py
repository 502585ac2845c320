"""How a metric is computed: its inputs, formula and the monthly table behind it."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain import finance
from roi_tracker.domain.cashflows import Basis, month_start
from roi_tracker.domain.metrics import METRIC_NAMES, SCOPES
from roi_tracker.errors import InvalidInput
from roi_tracker.services.finance.inputs import CENTS, load_inputs
from roi_tracker.services.finance.models import (
    Explanation,
    ExplanationInputs,
    Formula,
    Scope,
    in_scope,
)
from roi_tracker.services.finance.report import compute_report

__all__ = ["explain"]

_FORMULAS: dict[str, tuple[str, str]] = {
    "costs": ("Sum of the monthly costs over the horizon.", "ΣC = Σ_t C_t"),
    "benefits": ("Sum of the monthly benefits over the horizon.", "ΣB = Σ_t B_t"),
    "npv": (
        "Each month's net flow (benefits minus costs) discounted at the monthly rate "
        "equivalent to the annual rate, month 0 undiscounted, then added up.",
        "NPV = Σ_t (B_t − C_t) / (1 + m)^t,  m = (1 + r)^(1/12) − 1",
    ),
    "irr": (
        "The annual rate at which the NPV of the monthly net flows is zero.",
        "Σ_t (B_t − C_t) / (1 + i_m)^t = 0,  IRR = (1 + i_m)^12 − 1",
    ),
    "roi": (
        "Benefits minus costs, divided by costs, undiscounted.",
        "ROI = (ΣB − ΣC) / ΣC",
    ),
    "discounted_roi": (
        "NPV divided by the present value of the costs.",
        "DROI = NPV / Σ_t C_t / (1 + m)^t",
    ),
    "payback_period": (
        "The first month whose cumulative net flow is at least zero after having been negative.",
        "min t : Σ_{s≤t} (B_s − C_s) ≥ 0, after a negative cumulative",
    ),
    "discounted_payback_period": (
        "The first month whose cumulative discounted net flow is at least zero after having "
        "been negative.",
        "min t : Σ_{s≤t} (B_s − C_s) / (1 + m)^s ≥ 0, after a negative cumulative",
    ),
    "risk_adjusted_npv": (
        "NPV of the risk-adjusted flows (expected benefits × confidence × probability of "
        "success, planned costs × (1 + contingency), with the expected effect of the open "
        "risks) at the rate plus the risk premium.",
        "rNPV = Σ_t (B'_t − C'_t) / (1 + m')^t,  m' = (1 + r + premium)^(1/12) − 1",
    ),
    "risk_adjusted_roi": (
        "ROI of the risk-adjusted flows, undiscounted.",
        "rROI = (ΣB' − ΣC') / ΣC'",
    ),
}


def explain(
    session: Session,
    settings: Settings,
    *,
    project_key: str,
    metric: str = "npv",
    scope: Scope = "total",
    basis: Basis = "forecast",
    as_of: date,
) -> Explanation:
    """How one project metric is computed, so that a reviewer can recompute it.

    The :class:`Explanation` has the ``value`` (as in the report), the ``inputs`` (start
    month, horizon, rates, risk parameters, basis, as-of date), the ``formula`` and
    ``table``: a DataFrame with one row per month: period, month, benefits, costs, net,
    discount_factor, discounted_net, cumulative_net, cumulative_discounted_net (currency
    units). Risk-adjusted metrics show the risk-adjusted flows and rate.
    """
    import pandas as pd

    if metric not in _FORMULAS:
        raise InvalidInput(f"unknown metric {metric!r}; one of {', '.join(METRIC_NAMES)}")
    if scope not in SCOPES:
        raise InvalidInput(f"scope must be total or hard, not {scope!r}")
    inputs = load_inputs(session, settings, project_key=project_key, basis=basis, as_of=as_of)
    flows = inputs.flows()
    risky = metric.startswith("risk_adjusted")
    horizon = int(inputs.grid.horizon[0])
    benefits = (flows.risk_benefits if risky else flows.benefits)[scope][0, :horizon] / CENTS
    costs = (flows.risk_costs if risky else flows.costs)[0, :horizon] / CENTS
    parameters = inputs.parameters
    monthly = float((parameters.monthly_risk_rate if risky else parameters.monthly_rate)[0])
    factors = np.asarray(finance.discount_factors(monthly, horizon))
    net = benefits - costs
    table = pd.DataFrame(
        {
            "period": np.arange(horizon),
            "month": month_start(inputs.grid.start[0] + np.arange(horizon)),
            "benefits": benefits,
            "costs": costs,
            "net": net,
            "discount_factor": factors,
            "discounted_net": net * factors,
            "cumulative_net": np.cumsum(net),
            "cumulative_discounted_net": np.cumsum(net * factors),
        }
    )
    report = compute_report(inputs, settings.currency)
    project = inputs.projects.iloc[0]
    words, symbols = _FORMULAS[metric]
    return Explanation(
        project_key=project_key,
        metric=metric,
        scope=scope,
        value=getattr(in_scope(report.projects[0], scope), metric),
        inputs=ExplanationInputs(
            start_month=month_start(inputs.grid.start[0]).item(),
            horizon_months=horizon,
            annual_discount_rate=float(parameters.discount_rate[0]),
            risk_premium=float(parameters.risk_premium[0]),
            monthly_rate=monthly,
            probability_of_success=float(project["probability_of_success"]),
            cost_contingency=float(project["cost_contingency"]),
            basis=inputs.basis,
            as_of=inputs.as_of,
            currency=settings.currency,
            risk_adjusted=risky,
        ),
        formula=Formula(words=words, symbols=symbols),
        table=table,
    )
