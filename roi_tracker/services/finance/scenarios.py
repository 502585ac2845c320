"""What-if scenarios and the sensitivity of the portfolio's NPV to each driver."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import Basis
from roi_tracker.domain.metrics import portfolio_metrics, project_metrics
from roi_tracker.errors import InvalidInput
from roi_tracker.services.finance.inputs import CENTS, PortfolioInputs, load_inputs
from roi_tracker.services.finance.models import Scope, Sensitivity, Swing, WhatIf
from roi_tracker.services.finance.report import compute_report

__all__ = [
    "SENSITIVITY_DRIVERS",
    "SENSITIVITY_RISKS",
    "Scenario",
    "apply_scenario",
    "sensitivity",
    "what_if",
]

#: the open risks the tornado shows, those of the largest swing
SENSITIVITY_RISKS = 5


@dataclass(frozen=True)
class Scenario:
    """A what-if: changes applied to what has not happened yet (planned costs, expected
    benefits), everything else as recorded.

    ``discount_rate_delta`` is added to every project's annual rate (0.02 = 2 points);
    ``benefit_multiplier`` and ``cost_multiplier`` scale the amounts; ``delay_months`` makes
    the expected benefit flows still to come arrive that many months later;
    ``probability_of_success`` replaces every project's value when given,
    ``probability_delta`` is added to it (clipped to [0, 1]).
    """

    discount_rate_delta: float = 0.0
    benefit_multiplier: float = 1.0
    cost_multiplier: float = 1.0
    delay_months: int = 0
    probability_of_success: float | None = None
    probability_delta: float = 0.0


def apply_scenario(inputs: PortfolioInputs, scenario: Scenario) -> PortfolioInputs:
    """The inputs with ``scenario`` applied to planned costs and expected benefits."""
    parameters = inputs.parameters
    probability = parameters.probability_of_success
    if scenario.probability_of_success is not None:
        probability = np.full_like(probability, scenario.probability_of_success)
    probability = np.clip(probability + scenario.probability_delta, 0.0, 1.0)
    costs, benefits = inputs.cost_items, inputs.benefit_items
    cost_scale = np.where(costs.happened, 1.0, scenario.cost_multiplier)
    benefit_scale = np.where(benefits.happened, 1.0, scenario.benefit_multiplier)
    benefits = replace(benefits, amount=benefits.amount * benefit_scale)
    if scenario.delay_months:
        benefits = benefits.delayed(scenario.delay_months, ~benefits.happened)
    return replace(
        inputs,
        parameters=replace(
            parameters,
            discount_rate=parameters.discount_rate + scenario.discount_rate_delta,
            probability_of_success=probability,
        ),
        cost_items=replace(costs, amount=costs.amount * cost_scale),
        benefit_items=benefits,
    )


def what_if(
    session: Session,
    settings: Settings,
    scenario: Scenario,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> WhatIf:
    """The report (as :func:`portfolio_report`) as recorded and with the :class:`Scenario`
    applied."""
    inputs = load_inputs(session, settings, project_key=project_key, basis=basis, as_of=as_of)
    return WhatIf(
        base=compute_report(inputs, settings.currency),
        scenario=compute_report(apply_scenario(inputs, scenario), settings.currency),
    )


#: (driver, low label, low scenario, high label, high scenario)
SENSITIVITY_DRIVERS: tuple[tuple[str, str, Scenario, str, Scenario], ...] = (
    ("discount rate", "+2 points", Scenario(discount_rate_delta=0.02),
     "-2 points", Scenario(discount_rate_delta=-0.02)),
    ("benefits", "-20 %", Scenario(benefit_multiplier=0.8),
     "+20 %", Scenario(benefit_multiplier=1.2)),
    ("costs", "+20 %", Scenario(cost_multiplier=1.2), "-20 %", Scenario(cost_multiplier=0.8)),
    ("benefit timing", "3 months later", Scenario(delay_months=3), "as planned", Scenario()),
    ("probability of success", "-0.1", Scenario(probability_delta=-0.1),
     "+0.1", Scenario(probability_delta=0.1)),
)  # fmt: skip


def _portfolio_value(inputs: PortfolioInputs, metric: str, scope: Scope) -> float:
    flows = inputs.in_reporting_currency(inputs.flows())
    return portfolio_metrics(flows, scope, project_metrics(flows, scope))[metric]


def _risk_swings(inputs: PortfolioInputs, metric: str, scope: Scope, base: float) -> list[Swing]:
    """One line per open risk: the figure with it (``base``) and without it."""
    rows = inputs.risk_rows
    swings = []
    for i, (key, title) in enumerate(zip(rows["key"], rows["title"], strict=True)):
        without = replace(inputs, risks=inputs.risks.take(np.arange(inputs.risks.size) != i))
        value = _portfolio_value(without, metric, scope)
        project = inputs.keys[int(inputs.risks.project[i])]
        swings.append(
            Swing(
                driver=f"risk {project}/{key}: {title}",
                low_label="with the risk",
                low=round(base / CENTS, 2),
                high_label="without it",
                high=round(value / CENTS, 2),
                swing=round(abs(value - base) / CENTS, 2),
            )
        )
    swings.sort(key=lambda d: d.swing, reverse=True)
    return swings[:SENSITIVITY_RISKS]


def sensitivity(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
    metric: str = "risk_adjusted_npv",
    scope: Scope = "total",
) -> Sensitivity:
    """Tornado data: the swing of ``metric`` when each driver moves alone.

    The :class:`Sensitivity` has the portfolio's ``base`` value and one :class:`Swing` per
    driver, sorted by swing (|high - low|), largest first; money in currency units. Drivers:
    discount rate ±2 points, benefits ±20 %, costs ±20 %, expected benefits 3 months later,
    probability of success ±0.1; each applies to planned costs and expected benefits only.
    For the risk-adjusted NPV, the :data:`SENSITIVITY_RISKS` open risks that move it most
    are drivers too: the figure with the risk against the figure without it.
    The default metric is the risk-adjusted NPV, the only NPV the probability of success
    moves.
    """
    if metric not in ("npv", "risk_adjusted_npv"):
        raise InvalidInput(f"sensitivity works on npv or risk_adjusted_npv, not {metric!r}")
    inputs = load_inputs(session, settings, project_key=project_key, basis=basis, as_of=as_of)
    base = _portfolio_value(inputs, metric, scope)
    drivers = []
    for driver, low_label, low_case, high_label, high_case in SENSITIVITY_DRIVERS:
        low = _portfolio_value(apply_scenario(inputs, low_case), metric, scope)
        high = _portfolio_value(apply_scenario(inputs, high_case), metric, scope)
        drivers.append(
            Swing(
                driver=driver,
                low_label=low_label,
                low=round(low / CENTS, 2),
                high_label=high_label,
                high=round(high / CENTS, 2),
                swing=round(abs(high - low) / CENTS, 2),
            )
        )
    if metric == "risk_adjusted_npv":
        drivers.extend(_risk_swings(inputs, metric, scope, base))
    drivers.sort(key=lambda d: d.swing, reverse=True)
    return Sensitivity(metric=metric, scope=scope, base=round(base / CENTS, 2), drivers=drivers)
