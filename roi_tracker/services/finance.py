"""Finance use cases: the report, monthly flows, explanations, Monte Carlo, sensitivity, what-if.

Every function reads the store through :mod:`roi_tracker.store.queries`, turns the rows into
the arrays of :mod:`roi_tracker.domain.cashflows` (amounts in cents as float64, so sums of
whole cents stay exact) and returns the result models below (and DataFrames) in currency
units, ready for the dashboard, the email summaries and the command line.

The report reads plain columns and computes on numpy only: ``roi-tracker report`` loads no
pandas.

Shapes follow docs/finance.md: ``portfolio_report(...).model_dump(mode="json")`` is the object
that ``roi-tracker report --format json`` prints and ``simulate(...)``'s the one of
``roi-tracker simulate --format json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar

import numpy as np
from pydantic import ConfigDict, Field
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain import finance, simulation
from roi_tracker.domain.cashflows import (
    Basis,
    Grid,
    Items,
    month_index,
    month_start,
    spread,
    step_months,
)
from roi_tracker.domain.metrics import (
    METRIC_NAMES,
    MONEY_METRICS,
    SCOPES,
    Flows,
    RiskParameters,
    all_project_metrics,
    build_flows,
    portfolio_metrics,
    project_metrics,
)
from roi_tracker.domain.vocabulary import BenefitStatus, BenefitType, CostStatus
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.services.result import Result
from roi_tracker.store import queries

if TYPE_CHECKING:
    import pandas as pd

    Frame: TypeAlias = pd.DataFrame
else:
    # the report loads no pandas: pydantic takes an explanation's table as it is
    Frame = Any

__all__ = [
    "BASES",
    "ByScope",
    "Distribution",
    "EngineInputs",
    "Explanation",
    "ExplanationInputs",
    "Formula",
    "Histogram",
    "Histograms",
    "Metrics",
    "PortfolioDistribution",
    "PortfolioInputs",
    "PortfolioMetrics",
    "PortfolioReport",
    "ProjectReport",
    "ProjectSimulation",
    "Scenario",
    "Sensitivity",
    "Simulation",
    "Swing",
    "WhatIf",
    "compute_report",
    "engine_inputs",
    "explain",
    "inputs_from_frames",
    "load_engine_inputs",
    "load_inputs",
    "monthly_flows",
    "portfolio_report",
    "report_frame",
    "sensitivity",
    "simulate",
    "what_if",
]

BASES: tuple[Basis, ...] = ("plan", "forecast")
CENTS = 100.0
Scope = Literal["total", "hard"]


@dataclass(frozen=True)
class EngineInputs:
    """Everything the finance engine needs about a set of projects, as arrays.

    ``keys`` and ``names`` are the projects in the order of the grid rows. Amounts are in
    cents.
    """

    keys: tuple[str, ...]
    names: tuple[str, ...]
    grid: Grid
    parameters: RiskParameters
    cost_items: Items
    benefit_items: Items
    benefit_is_hard: np.ndarray
    benefit_confidence: np.ndarray
    basis: Basis
    as_of: date

    def flows(self) -> Flows:
        return build_flows(
            self.cost_items,
            self.benefit_items,
            self.benefit_is_hard,
            self.benefit_confidence,
            self.grid,
            self.parameters,
        )


@dataclass(frozen=True)
class PortfolioInputs(EngineInputs):
    """The engine's arrays with the rows they come from, for the views that show the rows.

    ``projects`` keeps the project rows (key, name, effective horizon and rates...) in the
    order of the grid rows; the item frames keep their rows in the order of the Items arrays.
    """

    projects: pd.DataFrame
    costs: pd.DataFrame
    benefits: pd.DataFrame


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


# ---------------------------------------------------------------- results

Item = TypeVar("Item")


class ByScope(Result, Generic[Item]):
    """One value per benefit scope: ``total`` counts hard and soft benefits, ``hard`` only cash."""

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
    """The portfolio's metrics per benefit scope."""


class ProjectReport(Result):
    """One project's metrics per benefit scope."""

    key: str
    name: str
    total: Metrics
    hard: Metrics


class PortfolioReport(Result):
    """The finance report of docs/finance.md: each project's metrics and the portfolio's."""

    currency: str
    basis: Basis
    as_of: date
    projects: list[ProjectReport]
    portfolio: PortfolioMetrics


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


def _check_basis(basis: str) -> Basis:
    if basis not in BASES:
        raise InvalidInput(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
    return basis  # type: ignore[return-value]


#: columns by name: a dict of lists (a read of the store) or a DataFrame
Table = Mapping[str, Any]


def _floats(column: Any, missing: float = math.nan) -> np.ndarray:
    values = np.array(column, dtype=float)  # None becomes NaN
    return np.where(np.isnan(values), missing, values)


def _equal(column: Any, value: str) -> np.ndarray:
    """Where ``column`` (a list, an array or a pandas column) holds ``value``."""
    values = column if hasattr(column, "dtype") else np.array(column, dtype=object)
    return np.asarray(values == value, dtype=bool)


def _items(table: Table, project_ids: np.ndarray, happened: str) -> Items:
    # the row of each item's project; every item belongs to one of the projects
    order = np.argsort(project_ids, kind="stable")
    item_projects = np.array(table["project_id"], dtype=np.int64)
    size = len(item_projects)
    return Items(
        project=order[np.searchsorted(project_ids, item_projects, sorter=order)].astype(np.int64),
        month=month_index(table["date"]),
        end_month=month_index(table["end_date"]),
        step=step_months(table["recurrence"]),
        amount=np.array(table["amount_cents"], dtype=float),
        ramp=(
            np.array(table["ramp_months"], dtype=np.int64)
            if "ramp_months" in table
            else np.zeros(size, dtype=np.int64)
        ),
        happened=_equal(table["status"], happened),
    )


def engine_inputs(
    projects: Table,
    costs: Table,
    benefits: Table,
    settings: Settings,
    *,
    basis: Basis = "forecast",
    as_of: date,
) -> EngineInputs:
    """The engine's arrays from the columns of the store's reads (lists or DataFrames).

    A project's missing horizon and discount rate take the defaults of ``settings``; every
    cost and benefit must belong to one of ``projects``.
    """
    basis = _check_basis(basis)
    project_ids = np.array(projects["id"], dtype=np.int64)
    grid = Grid(
        start=month_index(projects["start_date"]),
        horizon=_floats(projects["horizon_months"], settings.horizon_months).astype(np.int64),
        as_of=(as_of.year * 12 + as_of.month - 1) if basis == "forecast" else None,
    )
    parameters = RiskParameters(
        discount_rate=_floats(projects["discount_rate"], settings.discount_rate),
        probability_of_success=_floats(projects["probability_of_success"]),
        cost_contingency=_floats(projects["cost_contingency"]),
        risk_premium=_floats(projects["risk_premium"]),
    )
    return EngineInputs(
        keys=tuple(projects["key"]),
        names=tuple(projects["name"]),
        grid=grid,
        parameters=parameters,
        cost_items=_items(costs, project_ids, CostStatus.ACTUAL.value),
        benefit_items=_items(benefits, project_ids, BenefitStatus.REALIZED.value),
        benefit_is_hard=_equal(benefits["type"], BenefitType.HARD.value),
        benefit_confidence=_floats(benefits["confidence"]),
        basis=basis,
        as_of=as_of,
    )


def inputs_from_frames(
    projects: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    settings: Settings,
    *,
    basis: Basis = "forecast",
    as_of: date,
) -> PortfolioInputs:
    """Arrays for the finance engine, with their rows, from the frames of
    :mod:`roi_tracker.store.queries`.

    A project's NULL horizon and discount rate take the defaults of ``settings``; items of
    projects not in ``projects`` are dropped.
    """
    projects = projects.reset_index(drop=True).copy()
    projects["horizon_months"] = (
        projects["horizon_months"].fillna(settings.horizon_months).astype("int64")
    )
    projects["discount_rate"] = projects["discount_rate"].fillna(settings.discount_rate)
    costs = costs[costs["project_id"].isin(projects["id"])].reset_index(drop=True)
    benefits = benefits[benefits["project_id"].isin(projects["id"])].reset_index(drop=True)
    engine = engine_inputs(projects, costs, benefits, settings, basis=basis, as_of=as_of)
    arrays = {field.name: getattr(engine, field.name) for field in fields(engine)}
    return PortfolioInputs(**arrays, projects=projects, costs=costs, benefits=benefits)


Read = TypeVar("Read")


def _read(
    session: Session, project_key: str | None, read: Callable[..., Read]
) -> tuple[Read, Read, Read]:
    """The projects (one, or all), their costs and their benefits, each read by ``read``
    (:func:`queries.read_frame` or :func:`queries.read_columns`)."""
    keys = [project_key] if project_key is not None else None
    projects = read(session, statement=queries.projects_query(keys=keys))
    ids = [int(i) for i in projects["id"]]
    if project_key is not None and not ids:
        raise NotFound(f"no project with key {project_key!r}")
    costs = read(session, statement=queries.costs_query(project_ids=ids))
    return projects, costs, read(session, statement=queries.benefits_query(project_ids=ids))


def load_inputs(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> PortfolioInputs:
    """Read the projects (one, or all) and their items from the store, as frames and arrays.

    Raises
    ------
    NotFound
        When ``project_key`` names no project.
    InvalidInput
        When ``basis`` is neither "plan" nor "forecast".
    """
    _check_basis(basis)
    frames = _read(session, project_key, queries.read_frame)
    return inputs_from_frames(*frames, settings, basis=basis, as_of=as_of)


def load_engine_inputs(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> EngineInputs:
    """Read what :func:`load_inputs` reads, as arrays only (no pandas); the same errors."""
    _check_basis(basis)
    tables = _read(session, project_key, queries.read_columns)
    return engine_inputs(*tables, settings, basis=basis, as_of=as_of)


# ---------------------------------------------------------------- the report


def _number(value: float, *, money: bool = False, period: bool = False) -> float | int | None:
    """A JSON number: money in currency units rounded to the cent, periods as ints, NaN as None."""
    if value is None or not math.isfinite(value):
        return None
    if money:
        return round(value / CENTS, 2)
    if period:
        return int(value)
    return float(value)


def _metrics(values: Mapping[str, Any]) -> Metrics:
    return Metrics.model_validate(
        {
            name: _number(
                float(values[name]),
                money=name in MONEY_METRICS,
                period=name.endswith("payback_period"),
            )
            for name in METRIC_NAMES
        }
    )


def compute_report(inputs: EngineInputs, currency: str) -> PortfolioReport:
    """The report of docs/finance.md computed from prepared inputs (no database)."""
    flows = inputs.flows()
    per_scope = all_project_metrics(flows)

    def project(scope: Scope, i: int) -> Metrics:
        return _metrics({name: v[i] for name, v in per_scope[scope].items()})

    projects = [
        ProjectReport(key=key, name=name, total=project("total", i), hard=project("hard", i))
        for i, (key, name) in enumerate(zip(inputs.keys, inputs.names, strict=True))
    ]
    total, hard = (_metrics(portfolio_metrics(flows, s, per_scope[s])) for s in ("total", "hard"))
    return PortfolioReport(
        currency=currency,
        basis=inputs.basis,
        as_of=inputs.as_of,
        projects=projects,
        portfolio=PortfolioMetrics(total=total, hard=hard),
    )


def portfolio_report(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> PortfolioReport:
    """Finance metrics (:class:`Metrics`) of every project (or one) and of the portfolio, per
    benefit scope, on ``basis`` as of ``as_of``."""
    inputs = load_engine_inputs(
        session, settings, project_key=project_key, basis=basis, as_of=as_of
    )
    return compute_report(inputs, settings.currency)


def _in_scope(scoped: ProjectReport | PortfolioMetrics, scope: Scope) -> Metrics:
    return scoped.total if scope == "total" else scoped.hard


def report_frame(report: PortfolioReport, scope: Scope = "total") -> pd.DataFrame:
    """``report_frame(report, scope="total") -> DataFrame``: one row per project plus a
    "portfolio" row, one column per metric, from a :func:`portfolio_report` result."""
    import pandas as pd

    rows = [
        {"key": p.key, "name": p.name, **_in_scope(p, scope).model_dump()} for p in report.projects
    ]
    rows.append(
        {"key": "portfolio", "name": "Portfolio", **_in_scope(report.portfolio, scope).model_dump()}
    )
    return pd.DataFrame(rows, columns=["key", "name", *METRIC_NAMES])


# ---------------------------------------------------------------- flows for charts

FlowGrouping = Literal["category", "type", "status"]


def monthly_flows(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
    by: FlowGrouping = "category",
) -> pd.DataFrame:
    """``monthly_flows(session, settings, *, project_key=None, basis="forecast", as_of=None,
    by="category") -> DataFrame`` with one row per project, month and group that has flows:
    columns project_key, period, month (first day, datetime64), kind ("cost" or "benefit"),
    group (the item's category, benefit type, or status; costs have type "cost") and
    amount (currency units, not risk-adjusted)."""
    import pandas as pd

    if by not in ("category", "type", "status"):
        raise InvalidInput(f"flows can be grouped by category, type or status, not {by!r}")
    inputs = load_inputs(session, settings, project_key=project_key, basis=basis, as_of=as_of)
    parts = []
    for kind, frame, items in (
        ("cost", inputs.costs, inputs.cost_items),
        ("benefit", inputs.benefits, inputs.benefit_items),
    ):
        labels = frame[by] if by in frame else pd.Series(["cost"] * len(frame), dtype=object)
        codes, names = pd.factorize(labels)
        if not len(names):
            continue
        values = spread(items, inputs.grid, groups=codes, n_groups=len(names))
        group, project, period = np.nonzero(values)
        parts.append(
            pd.DataFrame(
                {
                    "project_key": inputs.projects["key"].to_numpy()[project],
                    "period": period,
                    "month": month_start(inputs.grid.start[project] + period),
                    "kind": kind,
                    "group": np.asarray(names, dtype=object)[group],
                    "amount": values[group, project, period] / CENTS,
                }
            )
        )
    columns = ["project_key", "period", "month", "kind", "group", "amount"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns].sort_values(
        ["project_key", "period", "kind", "group"], ignore_index=True
    )


# ---------------------------------------------------------------- explanations

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
        "success, planned costs × (1 + contingency)) at the rate plus the risk premium.",
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
        value=getattr(_in_scope(report.projects[0], scope), metric),
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


# ---------------------------------------------------------------- what-if and sensitivity


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
    flows = inputs.flows()
    return portfolio_metrics(flows, scope, project_metrics(flows, scope))[metric]


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
    drivers.sort(key=lambda d: d.swing, reverse=True)
    return Sensitivity(metric=metric, scope=scope, base=round(base / CENTS, 2), drivers=drivers)


# ---------------------------------------------------------------- Monte Carlo


def simulation_model(inputs: PortfolioInputs) -> simulation.Model:
    """The Monte Carlo model of docs/finance.md for prepared inputs (amounts in cents)."""
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
    )


def _summary(values: Mapping[str, float]) -> Distribution:
    return Distribution.model_validate(
        {
            name: _number(value) if name == "prob_positive" else _number(value, money=True)
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
    seed = int(np.random.SeedSequence().entropy % 2**32) if seed is None else seed
    result = simulation.run(simulation_model(inputs), trials=trials, seed=seed)

    def project(scope: Scope, i: int) -> Distribution:
        return _summary(simulation.summarize(result.projects[scope][:, i]))

    def histogram(scope: Scope) -> Histogram:
        counts, edges = np.histogram(result.portfolio[scope] / CENTS, bins=bins)
        return Histogram(edges=edges.round(2).tolist(), counts=counts.tolist())

    total, hard = (_summary(simulation.summarize(result.portfolio[s])) for s in ("total", "hard"))
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
