"""The finance report (metrics per project and for the portfolio) and monthly flows for charts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import Basis, month_start, spread
from roi_tracker.domain.fiscal import fiscal_year
from roi_tracker.domain.metrics import (
    METRIC_NAMES,
    MONEY_METRICS,
    SCOPES,
    Flows,
    all_project_metrics,
    portfolio_metrics,
    project_metrics,
)
from roi_tracker.errors import InvalidInput
from roi_tracker.services.finance.inputs import (
    CENTS,
    EngineInputs,
    load_engine_inputs,
    load_inputs,
)
from roi_tracker.services.finance.models import (
    FiscalYearFlow,
    FiscalYearReport,
    Metrics,
    PortfolioMetrics,
    PortfolioReport,
    ProjectFiscalYears,
    ProjectReport,
    Scope,
    in_scope,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FlowGrouping",
    "compute_report",
    "fiscal_year_report",
    "monthly_flows",
    "number",
    "portfolio_figures",
    "portfolio_report",
    "report_frame",
]


def number(value: float, *, money: bool = False, period: bool = False) -> float | int | None:
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
            name: number(
                float(values[name]),
                money=name in MONEY_METRICS,
                period=name.endswith("payback_period"),
            )
            for name in METRIC_NAMES
        }
    )


def portfolio_figures(
    inputs: EngineInputs, flows: Flows, per_scope: dict[str, dict[str, np.ndarray]]
) -> dict[str, dict[str, float]]:
    """The portfolio's metrics per scope, in the reporting currency: each project's flows
    converted at each month's rate, then summed (``per_scope``: the projects' own metrics)."""
    converted = inputs.in_reporting_currency(flows)
    if converted is not flows:
        # the sums need only the projects' NPVs, not their IRRs: no solve for them
        unsolved = np.full(flows.grid.projects, np.nan)
        per_scope = {s: project_metrics(converted, s, unsolved) for s in SCOPES}
    return {s: portfolio_metrics(converted, s, per_scope[s]) for s in SCOPES}


def compute_report(inputs: EngineInputs, currency: str) -> PortfolioReport:
    """The report of docs/finance.md computed from prepared inputs (no database)."""
    flows = inputs.flows()
    per_scope = all_project_metrics(flows)

    def project(scope: str, i: int) -> Metrics:
        return _metrics({name: v[i] for name, v in per_scope[scope].items()})

    own = inputs.exchange.currencies if inputs.exchange else (currency,) * len(inputs.keys)
    projects = [
        ProjectReport(
            key=key,
            name=name,
            currency=own[i],
            **{scope: project(scope, i) for scope in SCOPES},
        )
        for i, (key, name) in enumerate(zip(inputs.keys, inputs.names, strict=True))
    ]
    portfolio = {s: _metrics(m) for s, m in portfolio_figures(inputs, flows, per_scope).items()}
    return PortfolioReport(
        currency=currency,
        basis=inputs.basis,
        as_of=inputs.as_of,
        projects=projects,
        portfolio=PortfolioMetrics(**portfolio),
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


def _year_flows(totals: Mapping[int, tuple[int, int]]) -> list[FiscalYearFlow]:
    return [
        FiscalYearFlow(
            fiscal_year=f"FY{year}",
            costs=costs / 100,
            benefits=benefits / 100,
            net=(benefits - costs) / 100,
        )
        for year, (costs, benefits) in sorted(totals.items())
    ]


def fiscal_year_report(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> FiscalYearReport:
    """Costs, benefits (all benefits, not risk-adjusted) and net flow of every project (or
    one) and of the portfolio per fiscal year (``settings.fiscal_year_start_month``), on
    ``basis`` as of ``as_of``."""
    inputs = load_engine_inputs(
        session, settings, project_key=project_key, basis=basis, as_of=as_of
    )
    flows = inputs.flows()
    start_month = settings.fiscal_year_start_month
    # the engine's flows are whole cents held as floats: summed as integers, money stays exact
    costs = np.rint(flows.costs).astype(np.int64)
    benefits = np.rint(flows.benefits["total"]).astype(np.int64)
    # the portfolio's in the reporting currency: each month at its rate, to the cent
    converted = inputs.in_reporting_currency(flows)
    reported_costs = np.rint(converted.costs).astype(np.int64)
    reported_benefits = np.rint(converted.benefits["total"]).astype(np.int64)
    portfolio: dict[int, tuple[int, int]] = {}
    projects = []
    for i, (key, name) in enumerate(zip(inputs.keys, inputs.names, strict=True)):
        horizon = int(inputs.grid.horizon[i])
        years = fiscal_year(int(inputs.grid.start[i]) + np.arange(horizon), start_month)
        own: dict[int, tuple[int, int]] = {}
        for year in dict.fromkeys(int(y) for y in years):
            months = np.flatnonzero(years == year)
            pair = (int(costs[i, months].sum()), int(benefits[i, months].sum()))
            own[year] = pair
            reported = (
                int(reported_costs[i, months].sum()),
                int(reported_benefits[i, months].sum()),
            )
            before = portfolio.get(year, (0, 0))
            portfolio[year] = (before[0] + reported[0], before[1] + reported[1])
        projects.append(ProjectFiscalYears(key=key, name=name, fiscal_years=_year_flows(own)))
    return FiscalYearReport(
        currency=settings.currency,
        basis=inputs.basis,
        as_of=inputs.as_of,
        fiscal_year_start_month=start_month,
        projects=projects,
        portfolio=_year_flows(portfolio),
    )


def report_frame(report: PortfolioReport, scope: Scope = "total") -> pd.DataFrame:
    """``report_frame(report, scope="total") -> DataFrame``: one row per project plus a
    "portfolio" row, one column per metric, from a :func:`portfolio_report` result."""
    import pandas as pd

    rows = [
        {"key": p.key, "name": p.name, **in_scope(p, scope).model_dump()} for p in report.projects
    ]
    rows.append(
        {"key": "portfolio", "name": "Portfolio", **in_scope(report.portfolio, scope).model_dump()}
    )
    return pd.DataFrame(rows, columns=["key", "name", *METRIC_NAMES])


# ---------------------------------------------------------------- flows for charts

FlowGrouping = Literal["category", "type", "status", "evidence", "cash_class"]


def monthly_flows(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
    by: FlowGrouping = "category",
    in_reporting_currency: bool = False,
) -> pd.DataFrame:
    """``monthly_flows(session, settings, *, project_key=None, basis="forecast", as_of=None,
    by="category") -> DataFrame`` with one row per project, month and group that has flows:
    columns project_key, period, month (first day, datetime64), kind ("cost" or "benefit"),
    group (the item's category, benefit type, status, evidence or cash class; costs have
    type, evidence and cash class "cost") and
    amount (currency units, not risk-adjusted): each project's own currency, or with
    ``in_reporting_currency`` the reporting currency at each month's rate."""
    import pandas as pd

    if by not in get_args(FlowGrouping):
        choices = ", ".join(get_args(FlowGrouping))
        raise InvalidInput(f"flows can be grouped by one of {choices}, not {by!r}")
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
        # one array (groups, projects, periods): ``spread`` returns a list for 2-D weights only
        values = np.asarray(spread(items, inputs.grid, groups=codes, n_groups=len(names)))
        if in_reporting_currency and inputs.exchange is not None:
            moving = np.asarray(values.any(axis=0), dtype=bool)
            values = values * inputs.exchange.factors(inputs.grid, moving)
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
