"""Tracking use cases: KPI progress and SMART assessment, budgets, alerts for the summaries.

Reads go through ``roi_tracker.store.queries``; the maths is in ``roi_tracker.domain.kpis``
and ``roi_tracker.domain.budget``. Every function takes the session first and keyword
arguments after it, and returns DataFrames or small dataclasses that the command line, the
dashboard and the email summaries show as they are; ``kpi_report`` and ``budget_report`` turn
them into the result models whose ``model_dump(mode="json")`` the command line prints. Money
stays in integer cents (``*_cents`` columns); ``cents_to_units`` turns it into currency units
for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
from pydantic import ConfigDict, RootModel
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from roi_tracker.access import Actor, Permission, require
from roi_tracker.domain import budget as budget_domain
from roi_tracker.domain import kpis as kpi_domain
from roi_tracker.domain.attribution import difference_in_differences
from roi_tracker.errors import InvalidInput
from roi_tracker.services.result import Result
from roi_tracker.store import audit, queries
from roi_tracker.store.tables import Benefit, BudgetThresholdCrossing, Kpi, Project, ValueDriver

__all__ = [
    "BudgetCategory",
    "BudgetOverview",
    "BudgetProject",
    "BudgetQuarter",
    "BudgetReport",
    "KpiChart",
    "KpiLine",
    "KpiReport",
    "SmartAssessment",
    "SmartCheck",
    "ThresholdState",
    "budget_by_month",
    "budget_overview",
    "budget_report",
    "cents_to_units",
    "kpi_chart",
    "kpi_overview",
    "kpi_report",
    "kpi_status_changes",
    "record_threshold_crossings",
    "stale_kpi_list",
    "threshold_crossings_since",
    "upcoming_target_dates",
]

#: the zone furthest ahead of UTC (Kiribati): a later day is in the future everywhere
LATEST_UTC_OFFSET = timedelta(hours=14)

KPI_COLUMNS = ["project_key", "key", "name", "unit", "baseline", "target", "target_date"]


# --- reads --------------------------------------------------------------------------------


def _projects(session: Session, project_key: str | None) -> pd.DataFrame:
    """The projects in scope: one (NotFound for an unknown key) or all of them."""
    if project_key is None:
        return queries.projects_frame(session)
    queries.get_project(session, key=project_key)
    return queries.projects_frame(session, keys=[project_key])


@dataclass(frozen=True)
class _KpiData:
    kpis: pd.DataFrame
    measurements: pd.DataFrame
    benchmarks: pd.DataFrame


def _kpi_data(session: Session, project_key: str | None) -> _KpiData:
    projects = _projects(session, project_key)
    kpis = queries.kpis_frame(session, project_ids=projects["id"].tolist())
    kpis = kpis.sort_values(["project_key", "key"], kind="stable").reset_index(drop=True)
    ids = kpis["id"].tolist()
    return _KpiData(
        kpis=kpis,
        measurements=queries.measurements_frame(session, kpi_ids=ids),
        benchmarks=queries.benchmarks_frame(session, kpi_ids=ids),
    )


# --- KPIs ---------------------------------------------------------------------------------


def kpi_overview(session: Session, *, as_of: date, project_key: str | None = None) -> pd.DataFrame:
    """Every KPI in scope with progress, forecast, status and SMART assessment on ``as_of``.

    One row per KPI, ordered by project key and KPI key: the KPI's own columns, then those
    of ``domain.kpis.kpi_progress`` and ``domain.kpis.smart_assessment``.
    """
    data = _kpi_data(session, project_key)
    progress = kpi_domain.kpi_progress(data.kpis, data.measurements, as_of=as_of)
    smart = kpi_domain.smart_assessment(data.kpis, progress, data.benchmarks)
    kpis = data.kpis.drop(columns=["baseline_date"])
    return kpis.join(progress.drop(columns=["kpi_id"])).join(smart)


def _number_or_none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


class SmartCheck(Result):
    """Whether a KPI meets one SMART criterion, and why (or why not)."""

    ok: bool
    reason: str


class SmartAssessment(Result):
    """A KPI's SMART assessment, one check per criterion of ``domain.kpis.SMART_CRITERIA``."""

    specific: SmartCheck
    measurable: SmartCheck
    achievable: SmartCheck
    relevant: SmartCheck
    time_bound: SmartCheck

    def checks(self) -> list[tuple[str, SmartCheck]]:
        """(criterion, check) in the order of ``SMART_CRITERIA``."""
        return [(name, getattr(self, name)) for name in kpi_domain.SMART_CRITERIA]


class KpiLine(Result):
    """One KPI's progress on the as-of date; None where there is no measurement yet."""

    project_key: str
    key: str
    latest: float | None
    progress: float | None
    projected: float | None
    projected_progress: float | None
    status: str
    smart: SmartAssessment


class KpiReport(RootModel[list[KpiLine]]):
    """The KPIs of ``roi-tracker kpis`` (docs/kpis-and-budgets.md), by project and KPI key."""

    model_config = ConfigDict(frozen=True)


def kpi_report(overview: pd.DataFrame) -> KpiReport:
    """The report of ``roi-tracker kpis`` (docs/kpis-and-budgets.md) from ``kpi_overview``."""
    return KpiReport(
        [
            KpiLine(
                project_key=row["project_key"],
                key=row["key"],
                latest=_number_or_none(row["latest"]),
                progress=_number_or_none(row["progress"]),
                projected=_number_or_none(row["forecast"]),
                projected_progress=_number_or_none(row["projected_progress"]),
                status=row["status"],
                smart=SmartAssessment.model_validate(
                    {
                        criterion: SmartCheck(
                            ok=bool(row[f"{criterion}_ok"]), reason=row[f"{criterion}_reason"]
                        )
                        for criterion in kpi_domain.SMART_CRITERIA
                    }
                ),
            )
            for row in overview.to_dict(orient="records")
        ]
    )


@dataclass(frozen=True)
class KpiChart:
    """What a chart of one KPI shows: its measurements against baseline, target, benchmarks.

    ``measurements`` has ``date``, ``value`` and ``counted`` (on or before as_of);
    ``benchmarks`` has ``name``, ``value``, ``source``, ``gap`` and ``ahead``;
    ``forecast_line`` has ``date`` and ``value`` at the baseline and target dates (empty
    without a measurement).
    """

    project_key: str
    key: str
    name: str
    unit: str
    direction: str
    status: str
    baseline_date: date
    baseline: float
    target_date: date
    target: float
    latest: float | None
    progress: float | None
    projected_progress: float | None
    measurements: pd.DataFrame
    benchmarks: pd.DataFrame
    forecast_line: pd.DataFrame
    #: the control group's measurements (``date``, ``value``); empty without one
    control: pd.DataFrame | None = None
    #: with a control group: the difference in differences around ``go_live``
    effect: ControlEffect | None = None


@dataclass(frozen=True)
class ControlEffect:
    """A KPI's change attributed to the AI: (treated after − before) − (control after −
    before) around ``go_live``, with its 90 % interval (docs/value.md)."""

    go_live: date
    effect: float
    low: float
    high: float
    method: str


def kpi_chart(session: Session, *, project_key: str, kpi_key: str, as_of: date) -> KpiChart:
    """The chart data of one KPI on ``as_of`` (NotFound for an unknown project or KPI)."""
    kpi = queries.get_kpi(session, project_key=project_key, key=kpi_key)
    data = _kpi_data(session, project_key)
    kpis = data.kpis[data.kpis["id"] == kpi.id]
    measurements = data.measurements[data.measurements["kpi_id"] == kpi.id]
    progress = kpi_domain.kpi_progress(kpis, measurements, as_of=as_of)
    row = progress.iloc[0]
    gaps = kpi_domain.benchmark_gaps(progress, data.benchmarks)
    baseline_date = row["baseline_date"].date()
    line = pd.DataFrame(columns=["date", "value"])
    if row["measurement_count"] > 0:
        span = (kpi.target_date - baseline_date).days
        start = row["forecast"] - row["slope_per_day"] * span
        line = pd.DataFrame(
            {
                "date": pd.to_datetime([baseline_date, kpi.target_date]),
                "value": [start, row["forecast"]],
            }
        )
    points = measurements[["date", "value"]].reset_index(drop=True)
    points["counted"] = points["date"] <= pd.Timestamp(as_of)
    assert kpi.id is not None
    control = queries.measurements_frame(session, kpi_ids=[kpi.id], group="control")
    control = control[["date", "value"]].reset_index(drop=True)
    effect = None
    if not control.empty:
        effect = _control_effect(session, kpi, points, control, as_of, baseline_date)
    return KpiChart(
        project_key=project_key,
        key=kpi.key,
        name=kpi.name,
        unit=kpi.unit,
        direction=row["direction"],
        status=row["status"],
        baseline_date=baseline_date,
        baseline=kpi.baseline,
        target_date=kpi.target_date,
        target=kpi.target,
        latest=_number_or_none(row["latest"]),
        progress=_number_or_none(row["progress"]),
        projected_progress=_number_or_none(row["projected_progress"]),
        measurements=points,
        benchmarks=gaps[["name", "value", "source", "gap", "ahead"]].reset_index(drop=True),
        forecast_line=line,
        control=control,
        effect=effect,
    )


def _control_effect(
    session: Session,
    kpi: Kpi,
    treated: pd.DataFrame,
    control: pd.DataFrame,
    as_of: date,
    baseline_date: date,
) -> ControlEffect | None:
    """The difference in differences of a KPI around its go-live: the date of the benefit a
    value driver computes from it (docs/value.md), else its baseline date."""
    go_live = (
        session.execute(
            select(Benefit.date)
            .join(
                ValueDriver,
                (ValueDriver.project_id == Benefit.project_id)
                & (ValueDriver.benefit_key == Benefit.key),
            )
            .where(ValueDriver.project_id == kpi.project_id, ValueDriver.rate_kpi == kpi.key)
            .order_by(Benefit.date)
        )
        .scalars()
        .first()
        or baseline_date
    )
    limit = pd.Timestamp(as_of)
    treated, control = treated[treated["date"] <= limit], control[control["date"] <= limit]

    def days(frame: pd.DataFrame) -> np.ndarray:
        return np.array([d.toordinal() for d in frame["date"].dt.date], dtype=np.int64)

    try:
        did = difference_in_differences(
            days(treated), treated["value"].to_numpy(float), days(control),
            control["value"].to_numpy(float), go_live.toordinal(),
        )  # fmt: skip
    except ValueError:
        return None  # not yet measured on both sides of the go-live
    return ControlEffect(go_live, did.effect, did.low, did.high, did.method)


def kpi_status_changes(
    session: Session, *, since: date, as_of: date, project_key: str | None = None
) -> pd.DataFrame:
    """KPIs whose status on ``as_of`` differs from their status on ``since``."""
    data = _kpi_data(session, project_key)
    changed = kpi_domain.status_changes(data.kpis, data.measurements, since=since, as_of=as_of)
    return changed[["project_key", "key", "name", "previous_status", "status"]].reset_index(
        drop=True
    )


def stale_kpi_list(
    session: Session, *, as_of: date, project_key: str | None = None
) -> pd.DataFrame:
    """KPIs without a measurement for longer than their usual interval on ``as_of``."""
    data = _kpi_data(session, project_key)
    stale = kpi_domain.stale_kpis(data.kpis, data.measurements, as_of=as_of)
    columns = ["project_key", "key", "name", "last_measured", "usual_interval_days"]
    return stale[[*columns, "days_since_last"]].reset_index(drop=True)


def upcoming_target_dates(
    session: Session, *, as_of: date, within_days: int = 30, project_key: str | None = None
) -> pd.DataFrame:
    """KPIs not yet achieved whose target date falls in the ``within_days`` after ``as_of``."""
    overview = kpi_overview(session, as_of=as_of, project_key=project_key)
    days_left = (overview["target_date"] - pd.Timestamp(as_of)).dt.days
    soon = (days_left >= 0) & (days_left <= within_days)
    soon &= overview["status"] != kpi_domain.KpiStatus.ACHIEVED.value
    result = overview.loc[soon, [*KPI_COLUMNS, "latest", "progress", "status"]]
    result.insert(KPI_COLUMNS.index("target_date") + 1, "days_left", days_left[soon])
    return result.sort_values(["target_date", "project_key", "key"]).reset_index(drop=True)


# --- budgets ------------------------------------------------------------------------------


def cents_to_units(cents: float | None) -> float | None:
    """Integer cents as currency units (1 234 567 → 12345.67); None stays None, NaN too."""
    if cents is None or not math.isfinite(cents):
        return None
    return round(float(cents) / 100, 2)


@dataclass(frozen=True)
class BudgetOverview:
    """``summary``: one row per project and cost category, plus ``all`` for the project.

    ``thresholds``: one row per project, category and threshold percent (50, 75, 90, 100)
    with ``crossed_on`` (NaT where not crossed yet).

    ``quarters``: planned and actual cents per project and fiscal quarter over the horizon
    (``budget.fiscal_quarters``).
    """

    as_of: date
    summary: pd.DataFrame
    thresholds: pd.DataFrame
    quarters: pd.DataFrame


def _occurrences(
    session: Session,
    projects: pd.DataFrame,
    default_horizon_months: int,
    reporting_currency: str | None = None,
) -> pd.DataFrame:
    costs = queries.costs_frame(session, project_ids=projects["id"].tolist())
    occurrences = budget_domain.expand_cost_occurrences(
        costs, projects, default_horizon_months=default_horizon_months
    )
    if reporting_currency is None:
        return occurrences
    return _converted(session, occurrences, projects, reporting_currency)


def _converted(
    session: Session, occurrences: pd.DataFrame, projects: pd.DataFrame, target: str
) -> pd.DataFrame:
    """The occurrences in ``target``: those of projects in other currencies at their month's
    rate (docs/finance.md), rounded to the cent."""
    from roi_tracker.services.bills import stored_rates
    from roi_tracker.services.finance import currencies

    own = dict(zip(projects["id"], currencies(projects, target), strict=True))
    currency = occurrences["project_id"].map(own)
    foreign = np.flatnonzero((currency != target).to_numpy())
    if not foreign.size:
        return occurrences
    rates = stored_rates(session)
    amounts = occurrences["amount_cents"].to_numpy(dtype=np.int64).copy()
    for row, source, day in zip(
        foreign, currency.iloc[foreign], occurrences["date"].iloc[foreign], strict=True
    ):
        rate = rates.rate(source, target, pd.Timestamp(day).date(), after_last=True)
        amounts[row] = int((Decimal(int(amounts[row])) * rate).to_integral_value(ROUND_HALF_EVEN))
    return occurrences.assign(amount_cents=amounts)


def _with_projects(frame: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    names = projects[["id", "key", "name", "currency"]].rename(
        columns={"id": "project_id", "key": "project_key", "name": "project_name"}
    )
    return names.merge(frame, on="project_id", how="inner")


def _category_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Projects by key; in each, the whole budget first, then categories by name."""
    rank = (frame["category"] != budget_domain.ALL_CATEGORIES).astype(int)
    return (
        frame.assign(_rank=rank)
        .sort_values(["project_key", "_rank", "category"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def budget_overview(
    session: Session,
    *,
    as_of: date,
    default_horizon_months: int,
    project_key: str | None = None,
    fiscal_year_start_month: int = 1,
    reporting_currency: str | None = None,
) -> BudgetOverview:
    """Planned vs actual to date, variance, burn rate, estimate at completion, thresholds,
    and planned vs actual per fiscal quarter (the fiscal year starting in
    ``fiscal_year_start_month``). Each project's amounts are in its currency, or with
    ``reporting_currency`` all in that one, each month at its rate."""
    projects = _projects(session, project_key)
    occurrences = _occurrences(session, projects, default_horizon_months, reporting_currency)
    summary = budget_domain.budget_summary(occurrences, projects, as_of=as_of)
    crossed = budget_domain.threshold_crossings(occurrences, summary, as_of=as_of)
    budgeted = summary.loc[summary["planned_total_cents"] > 0, ["project_id", "category"]]
    every = budgeted.merge(
        pd.DataFrame({"threshold_percent": budget_domain.THRESHOLDS_PERCENT}), how="cross"
    )
    thresholds = every.merge(
        crossed, on=["project_id", "category", "threshold_percent"], how="left"
    )
    return BudgetOverview(
        as_of=as_of,
        summary=_category_order(_with_projects(summary, projects)),
        thresholds=_category_order(_with_projects(thresholds, projects)),
        quarters=_with_projects(
            budget_domain.fiscal_quarters(occurrences, fiscal_year_start_month), projects
        ),
    )


class ThresholdState(Result):
    """A budget threshold (percent of the plan) and the day it was crossed, None if not yet."""

    percent: int
    crossed_on: date | None


class BudgetCategory(Result):
    """A project's budget in one cost category (``all``: the whole budget), currency units."""

    category: str
    planned_total: float | None
    planned_to_date: float | None
    actual_to_date: float | None
    variance: float | None
    variance_ratio: float | None
    burn_rate: float | None
    estimate_at_completion: float | None
    #: the month (YYYY-MM) spending at the burn rate uses up the plan; None if never
    exhausted_month: str | None
    thresholds: list[ThresholdState]


class BudgetQuarter(Result):
    """Planned and actual costs of one fiscal quarter (``FY2027 Q1``), currency units."""

    fiscal_year: str
    quarter: str
    planned: float
    actual: float


class BudgetProject(Result):
    """One project's budget: the whole, then per category, then per fiscal quarter."""

    key: str
    name: str
    currency: str
    categories: list[BudgetCategory]
    fiscal_quarters: list[BudgetQuarter]


class BudgetReport(Result):
    """The report of ``roi-tracker budget`` (docs/kpis-and-budgets.md)."""

    as_of: date
    projects: list[BudgetProject]


def budget_report(overview: BudgetOverview, *, currency: str) -> BudgetReport:
    """The report of ``roi-tracker budget``: money in currency units, None where undefined."""
    thresholds = {
        key: group
        for key, group in overview.thresholds.groupby(["project_key", "category"], sort=False)
    }
    quarters = {key: group for key, group in overview.quarters.groupby("project_key", sort=False)}
    projects = []
    for project_key, rows in overview.summary.groupby("project_key", sort=False):
        first = rows.iloc[0]
        categories = []
        for row in rows.to_dict(orient="records"):
            crossed = thresholds.get((project_key, row["category"]))
            categories.append(
                BudgetCategory(
                    category=row["category"],
                    planned_total=cents_to_units(row["planned_total_cents"]),
                    planned_to_date=cents_to_units(row["planned_to_date_cents"]),
                    actual_to_date=cents_to_units(row["actual_to_date_cents"]),
                    variance=cents_to_units(row["variance_cents"]),
                    variance_ratio=_number_or_none(row["variance_ratio"]),
                    burn_rate=cents_to_units(row["burn_rate_cents"]),
                    estimate_at_completion=cents_to_units(row["estimate_at_completion_cents"]),
                    exhausted_month=_month_or_none(row["exhausted_month"]),
                    thresholds=[
                        ThresholdState(
                            percent=int(t["threshold_percent"]),
                            crossed_on=_date_or_none(t["crossed_on"]),
                        )
                        for t in ([] if crossed is None else crossed.to_dict(orient="records"))
                    ],
                )
            )
        projects.append(
            BudgetProject(
                key=project_key,
                name=first["project_name"],
                currency=first["currency"] if isinstance(first["currency"], str) else currency,
                categories=categories,
                fiscal_quarters=[
                    BudgetQuarter(
                        fiscal_year=q["fiscal_year"],
                        quarter=q["quarter"],
                        planned=cents_to_units(q["planned_cents"]) or 0.0,
                        actual=cents_to_units(q["actual_cents"]) or 0.0,
                    )
                    for q in (
                        quarters[project_key].to_dict(orient="records")
                        if project_key in quarters
                        else []
                    )
                ],
            )
        )
    return BudgetReport(as_of=overview.as_of, projects=projects)


def _date_or_none(value: object) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _month_or_none(value: object) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m")


def budget_by_month(
    session: Session,
    *,
    default_horizon_months: int,
    project_key: str | None = None,
    reporting_currency: str | None = None,
) -> pd.DataFrame:
    """Planned and actual cents per project, month and category, for the budget charts (in
    ``reporting_currency`` as :func:`budget_overview`)."""
    projects = _projects(session, project_key)
    months = budget_domain.monthly_budget(
        _occurrences(session, projects, default_horizon_months, reporting_currency)
    )
    return _with_projects(months, projects).drop(columns=["currency"])


# --- threshold alerts ---------------------------------------------------------------------


def _insert_ignoring_duplicates(session: Session):
    """INSERT … ON CONFLICT DO NOTHING of the session's database, so racing writers agree."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(BudgetThresholdCrossing)


def record_threshold_crossings(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    now: datetime,
    default_horizon_months: int,
    project_key: str | None = None,
) -> pd.DataFrame:
    """Store the thresholds crossed by ``as_of`` that are not stored yet; return those new ones.

    Each project, category and threshold is recorded once (a unique key): a crossing stored
    before is never returned again, also when several processes record at the same time
    (the database refuses the second insert of a crossing without an error), so an alert
    sent for each returned row is sent once. ``as_of`` may not lie in the future of ``now``
    (an aware datetime, stored as the time of recording). Recording is a write: it needs an
    editor, and each new crossing gets its audit lines, under ``actor``.
    """
    require(actor, Permission.EDIT_DATA)
    # the latest calendar day anywhere on earth at ``now`` (UTC+14)
    if as_of > (now.astimezone(UTC) + LATEST_UTC_OFFSET).date():
        raise InvalidInput(f"cannot record budget thresholds crossed in the future ({as_of})")
    overview = budget_overview(
        session,
        as_of=as_of,
        default_horizon_months=default_horizon_months,
        project_key=project_key,
    )
    crossed = overview.thresholds.dropna(subset=["crossed_on"])
    columns = ["project_key", "project_name", "category", "threshold_percent", "crossed_on"]
    if crossed.empty:
        return pd.DataFrame(columns=columns)
    values = [
        {
            "project_id": int(row.project_id),
            "category": row.category,
            "threshold_percent": int(row.threshold_percent),
            "crossed_on": row.crossed_on.date(),
            "recorded_at": now,
        }
        for row in crossed.itertuples()
    ]
    statement = (
        _insert_ignoring_duplicates(session)
        .values(values)
        .on_conflict_do_nothing(index_elements=["project_id", "category", "threshold_percent"])
        .returning(
            BudgetThresholdCrossing.project_id,
            BudgetThresholdCrossing.category,
            BudgetThresholdCrossing.threshold_percent,
        )
    )
    inserted = {tuple(row) for row in session.execute(statement).all()}
    session.flush()
    is_new = [
        (int(r.project_id), r.category, int(r.threshold_percent)) in inserted
        for r in crossed.itertuples()
    ]
    new = crossed.loc[is_new, columns].reset_index(drop=True)
    for row in new.itertuples():
        fields = {
            "project_key": row.project_key,
            "category": row.category,
            "threshold_percent": int(row.threshold_percent),
            "crossed_on": row.crossed_on.date(),
        }
        audit.append(
            session,
            actor=actor,
            action=audit.AuditAction.CREATE,
            entity=BudgetThresholdCrossing.__tablename__,
            record_key="/".join(str(audit.text_of(v)) for v in fields.values()),
            project_key=str(row.project_key),
            changes=audit.field_changes({}, fields),
        )
    return new


def threshold_crossings_since(
    session: Session, *, since: date, project_key: str | None = None
) -> pd.DataFrame:
    """The stored threshold crossings whose date is on or after ``since``, oldest first."""
    statement = (
        select(
            Project.key.label("project_key"),
            Project.name.label("project_name"),
            BudgetThresholdCrossing.category,
            BudgetThresholdCrossing.threshold_percent,
            BudgetThresholdCrossing.crossed_on,
            BudgetThresholdCrossing.recorded_at,
        )
        .join(Project, Project.id == BudgetThresholdCrossing.project_id)
        .where(BudgetThresholdCrossing.crossed_on >= since)
        .order_by(
            BudgetThresholdCrossing.crossed_on,
            Project.key,
            BudgetThresholdCrossing.category,
            BudgetThresholdCrossing.threshold_percent,
        )
    )
    if project_key is not None:
        queries.get_project(session, key=project_key)
        statement = statement.where(Project.key == project_key)
    result = session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["crossed_on"] = pd.to_datetime(frame["crossed_on"])
    return frame
