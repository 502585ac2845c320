"""What a board pack shows, gathered from the store into one model (:class:`PackData`).

The model is the pack's snapshot: the workbook is written from it alone, so a pack archived
with its ``PackData`` can be written again later, with the same figures, whatever the data
became since.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import Items, month_start, spread
from roi_tracker.domain.metrics import METRIC_NAMES, MONEY_METRICS, all_project_metrics
from roi_tracker.errors import NotFound
from roi_tracker.services import baselines, finance, tracking
from roi_tracker.services.finance.inputs import CENTS, PortfolioInputs
from roi_tracker.services.result import Result
from roi_tracker.store import queries

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BenefitColumn", "Figures", "KpiRow", "PackData", "ProjectPack", "gather"]


class Figures(finance.Metrics):
    """A project's metrics over one benefit scope as the app computes them, at full precision:
    money in currency units (not rounded), IRR annualised, payback as a month index; None where
    undefined. The fields are the report's ``Metrics``; only the rounding differs."""


class BenefitColumn(Result):
    """One benefit column of a project's flows: a benefit type, cash class and category
    (packs archived before cash classes have none)."""

    type: str
    category: str
    cash_class: str | None = None


class ProjectPack(Result):
    """One project's sheet: its parameters, monthly flows (currency units, one list per
    column, one value per period of the horizon) and the app's figures."""

    key: str
    name: str
    stage: str | None
    start_month: date
    horizon_months: int
    discount_rate: float
    risk_premium: float
    probability_of_success: float
    cost_contingency: float
    cost_categories: list[str]
    costs: list[list[float]]
    benefit_columns: list[BenefitColumn]
    benefits: list[list[float]]
    risk_costs: list[float]
    risk_benefits_total: list[float]
    risk_benefits_hard: list[float]
    total: Figures
    hard: Figures
    verdict: str
    #: the cash scope (cashable and cost-avoidance benefits, plus redeployed time savings);
    #: None in packs archived before it
    cash: Figures | None = None
    redeployed: list[float] = Field(default_factory=list)
    risk_benefits_cash: list[float] = Field(default_factory=list)
    #: the currency of the project's amounts (empty: the reporting currency)
    currency: str = ""
    #: the latest approved baseline's version and NPV (plan basis); None: never approved
    baseline_version: int | None = None
    baseline_npv: float | None = None


class KpiRow(Result):
    """A KPI on the as-of date; benchmarks as (name, value) pairs."""

    project_key: str
    key: str
    name: str
    unit: str
    baseline: float
    target: float
    target_date: date
    latest: float | None
    progress: float | None
    projected_progress: float | None
    status: str
    benchmarks: list[tuple[str, float]]


class PackData(Result):
    """Everything a board pack shows, on the forecast basis as of ``as_of``."""

    as_of: date
    currency: str
    fiscal_year_start_month: int
    projects: list[ProjectPack]
    portfolio: finance.PortfolioMetrics
    kpis: list[KpiRow]


def _figure(name: str, value: float) -> float | int | None:
    if not math.isfinite(value):
        return None
    if name.endswith("payback_period"):
        return int(value)
    return value / CENTS if name in MONEY_METRICS else value


def _verdict(figures: Figures) -> str:
    # the Portfolio page's verdict (services.views.portfolio_overview)
    if (figures.risk_adjusted_npv or 0) > 0:
        return "pays off"
    if (figures.npv or 0) > 0:
        return "pays off before risk"
    return "loses"


def _grouped(
    labels: pd.Series, items: Items, inputs: PortfolioInputs
) -> tuple[list[str], np.ndarray]:
    """The items' flows per label, in sorted label order: (names, array of shape (labels,
    projects, periods)); not risk-adjusted."""
    import pandas as pd

    codes, names = pd.factorize(labels, sort=True)
    if not len(names):
        return [], np.zeros((0, inputs.grid.projects, inputs.grid.periods))
    values = spread(items, inputs.grid, groups=codes, n_groups=len(names))
    return [str(name) for name in names], np.asarray(values)


def _kpis(session: Session, keys: Sequence[str], as_of: date) -> list[KpiRow]:
    overview = tracking.kpi_overview(session, as_of=as_of)
    overview = overview[overview["project_key"].isin(list(keys))]
    benchmarks = queries.benchmarks_frame(session, kpi_ids=[int(i) for i in overview["id"]])
    by_kpi: dict[int, list[tuple[str, float]]] = {}
    for row in benchmarks.itertuples():
        by_kpi.setdefault(int(row.kpi_id), []).append((str(row.name), float(row.value)))

    def number(value: object) -> float | None:
        return None if value is None or value != value else float(value)  # type: ignore[arg-type]

    return [
        KpiRow(
            project_key=row["project_key"],
            key=row["key"],
            name=row["name"],
            unit=row["unit"],
            baseline=float(row["baseline"]),
            target=float(row["target"]),
            target_date=row["target_date"],
            latest=number(row["latest"]),
            progress=number(row["progress"]),
            projected_progress=number(row["projected_progress"]),
            status=str(row["status"]),
            benchmarks=by_kpi.get(int(row["id"]), []),
        )
        for row in overview.to_dict(orient="records")
    ]


def gather(
    session: Session,
    settings: Settings,
    *,
    as_of: date,
    project_keys: Sequence[str] | None = None,
) -> PackData:
    """The board pack's data for the projects of ``project_keys`` (default: all), on the
    forecast basis as of ``as_of``.

    Raises
    ------
    NotFound
        When a key names no project.
    """
    from roi_tracker.services import views

    frames = views.load_frames(session)
    if project_keys:
        unknown = sorted(set(project_keys) - set(frames.projects["key"]))
        if unknown:
            raise NotFound(f"no project with key {', '.join(map(repr, unknown))}")
        frames = frames.narrowed(list(project_keys))
    inputs = frames.inputs(settings, as_of=as_of)
    report = finance.compute_report(inputs, settings.currency)
    flows = inputs.flows()
    metrics = all_project_metrics(flows)
    cost_names, cost_values = _grouped(inputs.costs["category"], inputs.cost_items, inputs)
    # hard columns first, so that hard benefits are one contiguous range of the sheet
    benefit_labels = (
        inputs.benefits["type"]
        + "/"
        + inputs.benefits["cash_class"]
        + "/"
        + inputs.benefits["category"]
    )
    benefit_names, benefit_values = _grouped(benefit_labels, inputs.benefit_items, inputs)
    redeployed = np.zeros(flows.costs.shape) if inputs.redeployed is None else inputs.redeployed
    projects = []
    currencies = finance.currencies(inputs.projects, settings.currency)
    for i, row in enumerate(inputs.projects.to_dict(orient="records")):
        horizon = int(row["horizon_months"])

        def series(values: np.ndarray, row_index: int = i, length: int = horizon) -> list[float]:
            return [float(v) / CENTS for v in values[row_index, :length]]

        used_costs = [j for j in range(len(cost_names)) if cost_values[j, i].any()]
        used_benefits = [j for j in range(len(benefit_names)) if benefit_values[j, i].any()]
        scoped = {
            scope: Figures.model_validate(
                {name: _figure(name, float(metrics[scope][name][i])) for name in METRIC_NAMES}
            )
            for scope in ("total", "hard", "cash")
        }
        projects.append(
            ProjectPack(
                key=row["key"],
                name=row["name"],
                stage=row.get("stage"),
                start_month=month_start(int(inputs.grid.start[i])).item(),
                horizon_months=horizon,
                discount_rate=float(row["discount_rate"]),
                risk_premium=float(row["risk_premium"]),
                probability_of_success=float(row["probability_of_success"]),
                cost_contingency=float(row["cost_contingency"]),
                cost_categories=[cost_names[j] for j in used_costs],
                costs=[series(cost_values[j]) for j in used_costs],
                benefit_columns=[
                    BenefitColumn(type=t, cash_class=k, category=c)
                    for t, k, c in (benefit_names[j].split("/", 2) for j in used_benefits)
                ],
                benefits=[series(benefit_values[j]) for j in used_benefits],
                risk_costs=series(flows.risk_costs),
                risk_benefits_total=series(flows.risk_benefits["total"]),
                risk_benefits_hard=series(flows.risk_benefits["hard"]),
                risk_benefits_cash=series(flows.risk_benefits["cash"]),
                redeployed=series(redeployed),
                total=scoped["total"],
                hard=scoped["hard"],
                cash=scoped["cash"],
                verdict=_verdict(scoped["total"]),
                currency=currencies[i],
            )
        )
    if project_keys is None and not projects:
        raise NotFound("there are no projects yet: add one, or load the demo")
    approved = {
        v.key: v for v in baselines.variance(session, settings, as_of=as_of).projects if v.baseline
    }
    projects = [
        p.model_copy(
            update={
                "baseline_version": approved[p.key].baseline.version,  # type: ignore[union-attr]
                "baseline_npv": approved[p.key].figures["npv"].baseline,
            }
        )
        if p.key in approved
        else p
        for p in projects
    ]
    return PackData(
        as_of=as_of,
        currency=settings.currency,
        fiscal_year_start_month=settings.fiscal_year_start_month,
        projects=projects,
        portfolio=report.portfolio,
        kpis=_kpis(session, [p.key for p in projects], as_of),
    )
