"""View models of the dashboard's portfolio and project pages, built on the finance service.

They take the frames of :mod:`roi_tracker.store.queries` rather than a session, so a page can
read the portfolio once and narrow it (filters) without another query. The metrics come from
:mod:`roi_tracker.services.finance`; this module only arranges them per project and month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from roi_tracker.bills.fx import Rates
from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import month_start
from roi_tracker.domain.metrics import calendar_sum
from roi_tracker.domain.vocabulary import RiskStatus
from roi_tracker.services import finance, tracking
from roi_tracker.services.bills import stored_rates
from roi_tracker.services.finance import value
from roi_tracker.store import queries

__all__ = [
    "EXPLAINED_METRICS",
    "KPI_SEVERITY",
    "ON_TRACK",
    "BudgetView",
    "PortfolioFrames",
    "PortfolioOverview",
    "ProjectDetail",
    "budget_view",
    "kpi_health",
    "load_frames",
    "portfolio_overview",
    "project_detail",
]

CENTS = 100.0
PROJECT_COLUMNS = ["key", "name", "stage", "owner", "business_unit", "use_case", "start_date"]


@dataclass(frozen=True)
class PortfolioFrames:
    """The stored rows the finance engine needs: projects, costs, benefits and open risks."""

    projects: pd.DataFrame
    costs: pd.DataFrame
    benefits: pd.DataFrame
    #: redeployments priced in cents a month (None: none recorded)
    claims: value.Claims | None = None
    #: the open risks (None: none read)
    risks: pd.DataFrame | None = None
    #: the exchange rates, for projects in other currencies than the reporting one
    rates: Rates | None = None

    def narrowed(self, keys: list[str]) -> PortfolioFrames:
        """Only the projects with these keys."""
        return PortfolioFrames(self.projects[self.projects["key"].isin(keys)], self.costs,
                               self.benefits, self.claims, self.risks, self.rates)  # fmt: skip

    def inputs(self, settings: Settings, *, as_of: date) -> finance.PortfolioInputs:
        """The finance engine's inputs of these rows on the forecast basis, with their
        redeployments and open risks."""
        inputs = finance.inputs_from_frames(
            self.projects, self.costs, self.benefits, settings, basis="forecast", as_of=as_of,
            risks=self.risks, rates=self.rates,
        )  # fmt: skip
        ids = [int(i) for i in inputs.projects["id"]]
        result: finance.PortfolioInputs = value.with_redeployments(inputs, self.claims, ids)
        return result


def load_frames(
    session: Session, settings: Settings | None = None, as_of: date | None = None
) -> PortfolioFrames:
    """Every project with its costs, benefits and open risks: four queries however many
    projects.

    With ``settings`` and ``as_of``, driven benefits are valued from their KPIs as of that
    day and redeployments are read too (docs/value.md), as the report does.
    """
    frames = (
        queries.projects_frame(session), queries.costs_frame(session),
        queries.benefits_frame(session),
    )  # fmt: skip
    risks = queries.read_frame(session, statement=queries.risks_query(open_only=True))
    rates = stored_rates(session)
    if settings is None or as_of is None:
        return PortfolioFrames(*frames, risks=risks, rates=rates)
    projects, costs, benefits = finance.with_value(session, settings, frames, as_of)
    ids = [int(i) for i in projects["id"]]
    claims = value.redeployment_claims(session, ids) if ids else None
    return PortfolioFrames(projects, costs, benefits, claims, risks, rates)


@dataclass(frozen=True)
class PortfolioOverview:
    """The portfolio page's figures.

    ``projects``: one row per project with its details, every metric over hard + soft
    benefits (``npv``, ``roi``...), the hard-only ``hard_npv``/``hard_roi`` and
    ``costs_to_date``/``benefits_to_date`` (actual costs and realized benefits up to the as-of
    month) and ``verdict``: ``pays_off`` (risk-adjusted NPV > 0), ``pays_off_before_risk``
    (only the plain NPV is) or ``loses``, and ``kpi_status`` (its worst KPI's); ranked by
    risk-adjusted NPV.
    ``portfolio``: the report's metrics per benefit scope (``portfolio.total.npv``).
    ``cumulative``: the portfolio's net flow by calendar month (``month``, ``net``,
    ``cumulative_net``); ``payback_month`` the month the portfolio pays back, if it does.
    Money is in currency units.
    """

    currency: str
    as_of: date
    projects: pd.DataFrame
    portfolio: finance.PortfolioMetrics
    cumulative: pd.DataFrame
    payback_month: date | None
    to_date: dict[str, float]


def _to_date_mask(grid) -> np.ndarray:
    """(projects, periods): True for periods of the horizon up to the as-of month."""
    periods = np.arange(grid.periods)[np.newaxis, :]
    calendar = grid.start[:, np.newaxis] + periods
    inside = periods < grid.horizon[:, np.newaxis]
    return inside & (calendar <= grid.as_of)


#: KPI statuses from the worst to the best: a project's KPI health is its worst KPI's status
KPI_SEVERITY = ("missed", "off_track", "at_risk", "no_data", "on_track", "achieved")
ON_TRACK = ("on_track", "achieved")


def kpi_health(kpis: pd.DataFrame) -> pd.Series:
    """Each project's worst KPI status, by project key (from ``tracking.kpi_overview``)."""
    if kpis.empty:
        return pd.Series(dtype=object, name="kpi_status")
    rank = kpis["status"].astype(str).map({s: i for i, s in enumerate(KPI_SEVERITY)})
    worst = rank.groupby(kpis["project_key"]).min()
    return worst.map(dict(enumerate(KPI_SEVERITY))).rename("kpi_status")


def portfolio_overview(
    frames: PortfolioFrames,
    settings: Settings,
    *,
    as_of: date,
    kpis: pd.DataFrame | None = None,
) -> PortfolioOverview:
    """The figures of the portfolio page for the projects of ``frames`` (forecast basis).

    With ``kpis`` (``tracking.kpi_overview``), each project also gets ``kpi_status``: the
    status of its worst KPI (None without KPIs).
    """
    inputs = frames.inputs(settings, as_of=as_of)
    report = finance.compute_report(inputs, settings.currency)
    flows = inputs.flows()
    # per project in its own currency; the portfolio's sums in the reporting currency
    converted = inputs.in_reporting_currency(flows)
    mask = _to_date_mask(inputs.grid)
    table = finance.report_frame(report, "total").iloc[:-1]
    hard = finance.report_frame(report, "hard").iloc[:-1]
    details = inputs.projects[PROJECT_COLUMNS].reset_index(drop=True)
    table = details.merge(table.drop(columns="name"), on="key", how="left")
    table["hard_npv"] = hard["npv"].to_numpy()
    table["hard_roi"] = hard["roi"].to_numpy()
    cash = finance.report_frame(report, "cash").iloc[:-1]
    table["cash_npv"] = cash["npv"].to_numpy()
    table["cash_roi"] = cash["roi"].to_numpy()
    table["costs_to_date"] = (flows.costs * mask).sum(axis=1) / CENTS
    table["benefits_to_date"] = (flows.benefits["total"] * mask).sum(axis=1) / CENTS
    table["hard_benefits_to_date"] = (flows.benefits["hard"] * mask).sum(axis=1) / CENTS
    table["cash_benefits_to_date"] = (flows.benefits["cash"] * mask).sum(axis=1) / CENTS
    table["currency"] = finance.currencies(inputs.projects, settings.currency)
    to_date = {
        name: (values * mask).sum(axis=1) / CENTS
        for name, values in (
            ("costs", converted.costs),
            ("benefits", converted.benefits["total"]),
            ("hard_benefits", converted.benefits["hard"]),
            ("cash_benefits", converted.benefits["cash"]),
        )
    }
    table["verdict"] = np.select(
        [table["risk_adjusted_npv"] > 0, table["npv"] > 0],
        ["pays_off", "pays_off_before_risk"],
        "loses",
    )
    health = kpi_health(kpis if kpis is not None else pd.DataFrame())
    table["kpi_status"] = table["key"].map(health).astype(object)
    table = table.sort_values("risk_adjusted_npv", ascending=False, na_position="last")

    net = calendar_sum(inputs.grid, converted.net("total")) / CENTS
    first = int(inputs.grid.start.min()) if len(net) else 0
    cumulative = pd.DataFrame(
        {"month": pd.to_datetime(month_start(first + np.arange(len(net)))), "net": net}
    ).assign(cumulative_net=np.cumsum(net))
    payback = report.portfolio.total.payback_period
    payback_month = None if payback is None else cumulative["month"].iloc[payback].date()
    return PortfolioOverview(
        currency=settings.currency,
        as_of=inputs.as_of,
        projects=table.reset_index(drop=True),
        portfolio=report.portfolio,
        cumulative=cumulative,
        payback_month=payback_month,
        # summed in the table's order, as the table's columns are
        to_date={
            name: float(pd.Series(values).reindex(table.index).sum())
            for name, values in to_date.items()
        },
    )


#: the metrics the project page explains, in the order shown
EXPLAINED_METRICS = ("npv", "irr", "roi", "payback_period", "risk_adjusted_npv")


@dataclass(frozen=True)
class ProjectDetail:
    """The project page's figures beyond the portfolio table.

    ``flows``: monthly amounts for the cash-flow chart (``month``, ``kind`` cost/benefit,
    ``series``: a cost category or the benefit type hard/soft, ``amount``) plus
    ``cumulative net`` rows; ``status_flows``: the same split into planned/actual costs and
    expected/realized benefits; ``explanations``: :func:`finance.explain` of each metric of
    ``EXPLAINED_METRICS``; ``kpis``: the chart data of each of its KPIs.
    """

    flows: pd.DataFrame
    status_flows: pd.DataFrame
    explanations: dict[str, finance.Explanation]
    kpis: list[tracking.KpiChart]


def _chart_rows(flows: pd.DataFrame, kind: str) -> pd.DataFrame:
    rows = flows[flows["kind"] == kind]
    return rows[["month", "kind", "group", "amount"]].rename(columns={"group": "series"})


def project_detail(
    session: Session, settings: Settings, *, project_key: str, as_of: date
) -> ProjectDetail:
    """Cash flows, metric explanations and KPI charts of one project (forecast basis)."""
    common = {"project_key": project_key, "as_of": as_of}
    by_category = finance.monthly_flows(session, settings, by="category", **common)
    by_type = finance.monthly_flows(session, settings, by="type", **common)
    by_status = finance.monthly_flows(session, settings, by="status", **common)
    explanations = {
        metric: finance.explain(session, settings, metric=metric, **common)
        for metric in EXPLAINED_METRICS
    }
    table = explanations["npv"].table
    cumulative = pd.DataFrame(
        {"month": pd.to_datetime(table["month"]), "kind": "net", "series": "cumulative net",
         "amount": table["cumulative_net"]}
    )  # fmt: skip
    flows = pd.concat(
        [_chart_rows(by_category, "cost"), _chart_rows(by_type, "benefit"), cumulative],
        ignore_index=True,
    )
    status_flows = pd.concat(
        [_chart_rows(by_status, "cost"), _chart_rows(by_status, "benefit")], ignore_index=True
    )
    kpi_keys = queries.kpis_frame(
        session, project_ids=[queries.get_project(session, key=project_key).id]
    )["key"]
    kpis = [
        tracking.kpi_chart(session, project_key=project_key, kpi_key=key, as_of=as_of)
        for key in kpi_keys
    ]
    return ProjectDetail(flows, status_flows, explanations, kpis)


#: how each impact kind's range reads: its unit after the low / likely / high figures
_IMPACT_UNITS = {"cost": "", "delay": " months", "benefit_reduction": " %"}


def project_risks(session: Session, *, project_id: int) -> pd.DataFrame:
    """The risks of one project, open ones first, then by key: key, title, probability,
    impact (kind and low / likely / high in its unit: currency units, months or percent),
    owner, mitigation, status."""
    frame = queries.read_frame(session, statement=queries.risks_query(project_ids=[project_id]))
    columns = ["key", "title", "probability", "impact", "owner", "mitigation", "status"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    bounds = frame[["low_cents", "likely_cents", "high_cents"]].to_numpy() / 100.0
    frame["impact"] = [
        f"{kind.replace('_', ' ')} {low:,.2f} / {likely:,.2f} / {high:,.2f}{_IMPACT_UNITS[kind]}"
        for kind, (low, likely, high) in zip(frame["impact_kind"], bounds, strict=True)
    ]
    frame = frame.assign(closed=frame["status"] != RiskStatus.OPEN.value)
    return frame.sort_values(["closed", "key"])[columns].reset_index(drop=True)


@dataclass(frozen=True)
class BudgetView:
    """The budget page's figures for the portfolio or one project, in currency units.

    ``totals``: planned_total, planned_to_date, actual_to_date, variance, variance_ratio,
    burn_rate (per month), estimate_at_completion, and ``exhausted_month`` (when spending at
    the burn rate uses the whole plan; None if never; for one project only). ``months``:
    month, planned, actual, cumulative_planned, cumulative_actual. ``categories``: one row
    per cost category; ``projects``: one row per project (its whole budget); ``crossings``:
    the thresholds crossed (project, category, threshold_percent, crossed_on).
    """

    as_of: date
    totals: dict[str, Any]
    months: pd.DataFrame
    categories: pd.DataFrame
    projects: pd.DataFrame
    crossings: pd.DataFrame


_BUDGET_CENTS = {
    "planned_total_cents": "planned_total",
    "planned_to_date_cents": "planned_to_date",
    "actual_to_date_cents": "actual_to_date",
    "variance_cents": "variance",
    "burn_rate_cents": "burn_rate",
    "estimate_at_completion_cents": "estimate_at_completion",
}


def _in_units(frame: pd.DataFrame) -> pd.DataFrame:
    units = frame.rename(columns=_BUDGET_CENTS)
    for column in _BUDGET_CENTS.values():
        units[column] = units[column].astype(float) / CENTS
    return units


def _with_ratio(frame: pd.DataFrame) -> pd.DataFrame:
    planned = frame["planned_to_date"].where(frame["planned_to_date"] != 0)
    return frame.assign(variance_ratio=frame["variance"] / planned)


def budget_view(
    session: Session, settings: Settings, *, as_of: date, project_key: str | None = None
) -> BudgetView:
    """Planned vs actual for the whole portfolio (sums over projects) or one project, in
    the reporting currency."""
    # one currency on the page: projects in others at each month's rate
    common = {
        "default_horizon_months": settings.horizon_months,
        "project_key": project_key,
        "reporting_currency": settings.currency,
    }
    budget = tracking.budget_overview(
        session, as_of=as_of, fiscal_year_start_month=settings.fiscal_year_start_month, **common
    )
    by_month = tracking.budget_by_month(session, **common)
    summary = _in_units(budget.summary)
    whole = summary[summary["category"] == "all"]
    projects = whole.drop(columns=["category"]).reset_index(drop=True)
    money = list(_BUDGET_CENTS.values())
    categories = _with_ratio(
        summary[summary["category"] != "all"].groupby("category", as_index=False)[money].sum()
    )
    sums = whole[money].sum()
    totals: dict[str, Any] = {name: float(sums[name]) for name in money}
    totals["variance_ratio"] = (
        totals["variance"] / totals["planned_to_date"] if totals["planned_to_date"] else None
    )
    exhausted = whole["exhausted_month"].dropna()
    totals["exhausted_month"] = (
        exhausted.iloc[0].date() if project_key is not None and len(exhausted) else None
    )
    monthly = (
        by_month.groupby("month_start", as_index=False)[["planned_cents", "actual_cents"]].sum()
        .rename(columns={"month_start": "month", "planned_cents": "planned",
                         "actual_cents": "actual"})
    )  # fmt: skip
    monthly[["planned", "actual"]] = monthly[["planned", "actual"]].astype(float) / CENTS
    monthly["month"] = pd.to_datetime(monthly["month"])
    monthly["cumulative_planned"] = monthly["planned"].cumsum()
    monthly["cumulative_actual"] = monthly["actual"].cumsum()
    crossed = budget.thresholds.dropna(subset=["crossed_on"])
    crossings = crossed[["project_key", "project_name", "category", "threshold_percent",
                         "crossed_on"]].reset_index(drop=True)  # fmt: skip
    return BudgetView(as_of, totals, monthly, categories, _with_ratio(projects), crossings)
