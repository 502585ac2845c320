"""The finance use cases' results: what the report, explanation, what-if, sensitivity and
Monte Carlo return (docs/finance.md).

Money is in currency units rounded to the cent, IRR and ROI are fractions, None where a
figure is undefined. ``model_dump(mode="json")`` of a report or simulation is what the
command line prints.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar

from pydantic import ConfigDict, Field

from roi_tracker.domain.cashflows import Basis
from roi_tracker.services.result import Result

if TYPE_CHECKING:
    import pandas as pd

    Frame: TypeAlias = pd.DataFrame
else:
    # the report loads no pandas: pydantic takes an explanation's table as it is
    Frame = Any

__all__ = [
    "Attribution",
    "ByScope",
    "Distribution",
    "DriverExplanation",
    "Explanation",
    "ExplanationInputs",
    "FiscalYearFlow",
    "FiscalYearReport",
    "Formula",
    "Histogram",
    "Histograms",
    "Metrics",
    "PortfolioDistribution",
    "PortfolioMetrics",
    "PortfolioReport",
    "ProjectFiscalYears",
    "ProjectReport",
    "ProjectSimulation",
    "Scope",
    "Sensitivity",
    "Simulation",
    "Swing",
    "Waterfall",
    "WaterfallStep",
    "WhatIf",
    "in_scope",
]

Scope = Literal["total", "hard", "cash"]

Item = TypeVar("Item")


class ByScope(Result, Generic[Item]):
    """One value per benefit scope: ``total`` counts hard and soft benefits, ``hard`` only the
    hard ones."""

    total: Item
    hard: Item


class Metrics(Result):
    """The metrics of a project or the portfolio: money in currency units to the cent, IRR and
    ROI as fractions, payback as a month index from the start; None where undefined."""

    costs: float | None
    benefits: float | None
    npv: float | None
    irr: float | None
    roi: float | None
    discounted_roi: float | None
    payback_period: int | None
    discounted_payback_period: int | None
    risk_adjusted_npv: float | None
    risk_adjusted_roi: float | None


class PortfolioMetrics(ByScope[Metrics]):
    """The portfolio's metrics per benefit scope; ``cash`` counts cashable and cost-avoidance
    benefits (and redeployed time savings)."""

    cash: Metrics


class ProjectReport(Result):
    """One project's metrics per benefit scope."""

    key: str
    name: str
    total: Metrics
    hard: Metrics
    cash: Metrics
    #: the currency of the project's figures; not in the JSON, whose shape is fixed
    #: (docs/finance.md): empty means the report's ``currency``
    currency: str = Field(default="", exclude=True)


class PortfolioReport(Result):
    """The finance report of docs/finance.md: each project's metrics and the portfolio's."""

    currency: str
    basis: Basis
    as_of: date
    projects: list[ProjectReport]
    portfolio: PortfolioMetrics


class FiscalYearFlow(Result):
    """Costs, benefits (all benefits) and net flow of one fiscal year (``FY2027``), currency
    units, summed from whole cents."""

    fiscal_year: str
    costs: float
    benefits: float
    net: float


class ProjectFiscalYears(Result):
    """One project's flows per fiscal year of its horizon, in order."""

    key: str
    name: str
    fiscal_years: list[FiscalYearFlow]


class FiscalYearReport(Result):
    """The report's flows grouped by fiscal year (the fiscal year starting in
    ``fiscal_year_start_month``): per project and for the portfolio."""

    currency: str
    basis: Basis
    as_of: date
    fiscal_year_start_month: int
    projects: list[ProjectFiscalYears]
    portfolio: list[FiscalYearFlow]


class ExplanationInputs(Result):
    """What an explained metric is computed from."""

    start_month: date
    horizon_months: int
    annual_discount_rate: float
    risk_premium: float
    monthly_rate: float
    probability_of_success: float
    cost_contingency: float
    basis: Basis
    as_of: date
    currency: str
    risk_adjusted: bool


class Formula(Result):
    """A metric's formula in words and in symbols."""

    words: str
    symbols: str


class Explanation(Result):
    """How one project metric is computed: its value as in the report, its inputs, its formula
    and ``table``, the monthly flows behind it (see :func:`explain`)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    project_key: str
    metric: str
    scope: Scope
    value: int | float | None
    inputs: ExplanationInputs
    formula: Formula
    table: Frame


def in_scope(scoped: ProjectReport | PortfolioMetrics, scope: Scope) -> Metrics:
    """The metrics of a project or the portfolio over ``scope``."""
    metrics: Metrics = getattr(scoped, scope)
    return metrics


class WaterfallStep(Result):
    """One step of the benefits' waterfall: its amount (currency units) and the evidence behind
    it, as ``{evidence: amount}``."""

    step: str
    label: str
    amount: float
    evidence: dict[str, float]


class Waterfall(Result):
    """The benefits over the horizon from realized cash to what is still expected."""

    currency: str
    as_of: date
    steps: list[WaterfallStep]


class Attribution(Result):
    """A KPI's difference in differences: the effect the AI caused, with its interval."""

    effect: float
    low: float
    high: float
    level: float
    method: str
    seed: int
    treated_before: float
    treated_after: float
    control_before: float
    control_after: float
    confidence: float


class DriverExplanation(Result):
    """How a driven benefit is valued: the driver, its formula and the month-by-month inputs
    (``table``: month, volume, rate, baseline, adoption, change, value, evidence)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    project_key: str
    benefit_key: str
    kind: str
    formula: str
    attribution: Attribution | None
    table: Frame


class WhatIf(Result):
    """The report as recorded (``base``) and with a :class:`Scenario` applied."""

    base: PortfolioReport
    scenario: PortfolioReport


class Swing(Result):
    """A sensitivity driver: the metric at its low and high settings and the gap between."""

    driver: str
    low_label: str
    low: float
    high_label: str
    high: float
    swing: float


class Sensitivity(Result):
    """Tornado data: the portfolio's ``metric`` and its swing per driver, largest first."""

    metric: str
    scope: Scope
    base: float
    drivers: list[Swing]


class Distribution(Result):
    """A simulated NPV's mean and percentiles (currency units) and P(NPV > 0)."""

    mean: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    prob_positive: float | None


class PortfolioDistribution(ByScope[Distribution]):
    """The portfolio's simulated NPV per benefit scope."""


class ProjectSimulation(Result):
    """One project's simulated NPV per benefit scope."""

    key: str
    total: Distribution
    hard: Distribution


class Histogram(Result):
    """The portfolio's simulated NPVs in ``len(counts)`` bins between ``edges``."""

    edges: list[float]
    counts: list[int]


class Histograms(ByScope[Histogram]):
    """The portfolio's simulated NPVs per benefit scope, binned."""


class Simulation(Result):
    """The Monte Carlo of docs/finance.md: per-project and portfolio distributions."""

    trials: int
    seed: int
    basis: Basis
    projects: list[ProjectSimulation]
    portfolio: PortfolioDistribution
    # drawn by the dashboard; not part of the JSON of ``roi-tracker simulate``
    histogram: Histograms = Field(exclude=True)
