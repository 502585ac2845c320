"""Approved baselines (the business case as approved) and the variance against them.

``approve`` freezes a project's plan (parameters, costs, benefits, KPI targets) as version N;
``variance`` compares the current figures, on the forecast basis, with those of the latest
approved baseline, on the plan basis (docs/finance.md, "Approved baselines").
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from roi_tracker.access import Actor, Permission, require
from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import Grid, Items, spread
from roi_tracker.domain.finance import annual_to_monthly
from roi_tracker.domain.variance import line_changes, npv_bridge
from roi_tracker.errors import Conflict, InvalidInput, NotFound
from roi_tracker.services import finance
from roi_tracker.services.finance.inputs import CENTS, EngineInputs, engine_inputs
from roi_tracker.services.result import Result
from roi_tracker.store import audit, queries
from roi_tracker.store.tables import Baseline, Kpi, Project, utcnow

__all__ = [
    "BaselineInfo",
    "BridgeStep",
    "Figure",
    "LineChange",
    "ProjectVariance",
    "VarianceReport",
    "approve",
    "baselines",
    "variance",
]

#: the figures compared with the baseline (over hard + soft benefits)
COMPARED = ("npv", "costs", "benefits", "payback_period", "risk_adjusted_npv")
COST_FIELDS = ("date", "category", "amount_cents", "recurrence", "end_date")
BENEFIT_FIELDS = (*COST_FIELDS, "type", "confidence", "ramp_months")


class BaselineInfo(Result):
    """One approved baseline: its version, who approved it and when (UTC)."""

    project_key: str
    version: int
    approved_by: str
    approved_at: datetime
    note: str | None
    recorded_by: str


class Figure(Result):
    """A figure in the baseline, now, and the change (now − baseline); None where undefined."""

    baseline: float | None
    current: float | None
    change: float | None


class LineChange(Result):
    """A plan line that moved: a cost or benefit ``changed`` (``fields`` say which), ``added``
    or ``removed`` since the baseline, or a cost category whose ``actual_above_plan``: actual
    costs to date above the baseline's planned costs for the same months (``baseline`` and
    ``current`` then hold those two sums)."""

    entity: Literal["cost", "benefit"]
    key: str
    change: Literal["changed", "added", "removed", "actual_above_plan"]
    fields: list[str]
    baseline: float | None
    current: float | None


class BridgeStep(Result):
    """A step of the NPV bridge from the baseline's NPV to the current one."""

    step: Literal["baseline", "benefits", "costs", "rate", "current"]
    value: float


class ProjectVariance(Result):
    """One project against its latest approved baseline (None: never approved)."""

    key: str
    name: str
    baseline: BaselineInfo | None
    figures: dict[str, Figure]
    lines: list[LineChange]
    bridge: list[BridgeStep]


class VarianceReport(Result):
    """``report --against-baseline``: every project (or one) against its latest baseline."""

    currency: str
    as_of: date
    projects: list[ProjectVariance]


# --- the frozen plan ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {name: [_jsonable(v) for v in values] for name, values in columns.items()}


def _records(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    size = len(columns[names[0]]) if names else 0
    return [{name: columns[name][i] for name in names} for i in range(size)]


def _plan(session: Session, settings: Settings, project: Project) -> dict[str, Any]:
    """The project's plan as JSON-ready columns: what the finance engine reads."""
    assert project.id is not None
    projects = _columns(
        queries.read_columns(session, statement=queries.projects_query(keys=[project.key]))
    )
    # the defaults in force at approval are part of what was approved
    projects["horizon_months"] = [projects["horizon_months"][0] or settings.horizon_months]
    if projects["discount_rate"][0] is None:
        projects["discount_rate"] = [settings.discount_rate]
    ids = [project.id]
    kpis = session.execute(
        select(
            col(Kpi.key),
            col(Kpi.name),
            col(Kpi.unit),
            col(Kpi.baseline),
            col(Kpi.target),
            col(Kpi.target_date),
        )
        .where(col(Kpi.project_id) == project.id)
        .order_by(col(Kpi.key))
    ).all()
    return {
        "project": projects,
        "costs": _columns(
            queries.read_columns(session, statement=queries.costs_query(project_ids=ids))
        ),
        "benefits": _columns(
            queries.read_columns(session, statement=queries.benefits_query(project_ids=ids))
        ),
        "kpis": [{name: _jsonable(v) for name, v in row._mapping.items()} for row in kpis],
    }


def _baseline_inputs(plan: dict[str, Any], settings: Settings, as_of: date) -> EngineInputs:
    return engine_inputs(
        plan["project"], plan["costs"], plan["benefits"], settings, basis="plan", as_of=as_of
    )


def approve(
    session: Session,
    settings: Settings,
    *,
    project_key: str,
    approved_by: str,
    note: str | None = None,
    actor: Actor,
) -> BaselineInfo:
    """Freeze the project's plan as its next baseline version; earlier versions stay as they
    are.

    Raises
    ------
    Forbidden
        When ``actor`` may not edit project data.
    NotFound
        When ``project_key`` names no project.
    InvalidInput
        When ``approved_by`` is empty.
    Conflict
        When another approval of the same project took the version number at the same time.
    """
    require(actor, Permission.EDIT_DATA)
    approved_by = approved_by.strip()
    if not approved_by:
        raise InvalidInput("--by: the approver's name must not be empty")
    project = queries.get_project(session, key=project_key)
    latest = session.execute(
        select(func.max(col(Baseline.version))).where(col(Baseline.project_id) == project.id)
    ).scalar_one()
    assert project.id is not None
    row = Baseline(
        project_id=project.id,
        version=(latest or 0) + 1,
        approved_by=approved_by,
        approved_at=utcnow(),
        recorded_by=actor.name,
        note=(note or "").strip() or None,
        plan=json.dumps(_plan(session, settings, project), sort_keys=True),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"project {project_key!r} was approved by someone else at the same time: try again"
        ) from None
    audit.append(
        session, actor=actor, action=audit.AuditAction.CREATE, entity="baselines",
        record_key=f"{project_key}/{row.version}", project_key=project_key,
        detail={"approved_by": approved_by, "note": row.note},
    )  # fmt: skip
    return _info(project_key, row)


def _info(project_key: str, row: Baseline) -> BaselineInfo:
    return BaselineInfo(
        project_key=project_key, version=row.version, approved_by=row.approved_by,
        approved_at=row.approved_at, note=row.note, recorded_by=row.recorded_by,
    )  # fmt: skip


def baselines(session: Session, *, project_key: str) -> list[BaselineInfo]:
    """The project's approved baselines, newest first."""
    project = queries.get_project(session, key=project_key)
    rows = session.execute(
        select(Baseline)
        .where(col(Baseline.project_id) == project.id)
        .order_by(col(Baseline.version).desc())
    ).scalars()
    return [_info(project_key, row) for row in rows]


# --- variance -------------------------------------------------------------------------------


def _latest(session: Session, project_ids: list[int]) -> dict[int, Baseline]:
    newest = (
        select(col(Baseline.project_id), func.max(col(Baseline.version)).label("version"))
        .where(col(Baseline.project_id).in_(project_ids))
        .group_by(col(Baseline.project_id))
        .subquery()
    )
    rows = session.execute(
        select(Baseline).join(
            newest,
            (col(Baseline.project_id) == newest.c.project_id)
            & (col(Baseline.version) == newest.c.version),
        )
    ).scalars()
    return {row.project_id: row for row in rows}


def _to_date_by_category(
    items: Items, categories: list[str], grid: Grid, through: int
) -> dict[str, float]:
    """Each category's flows (currency units) from period 0 up to calendar month ``through``."""
    names = sorted(set(categories))
    if not names:
        return {}
    codes = np.array([names.index(c) for c in categories], dtype=np.int64)
    values = np.asarray(spread(items, grid, groups=codes, n_groups=len(names)))
    months = int(grid.start[0]) + np.arange(values.shape[-1])
    return {n: float(values[g, 0, months <= through].sum()) / CENTS for g, n in enumerate(names)}


def _figure(baseline: float | None, current: float | None) -> Figure:
    change = None if baseline is None or current is None else current - baseline
    return Figure(baseline=baseline, current=current, change=change)


def _tables(session: Session, project_key: str) -> dict[str, dict[str, list[Any]]]:
    """The project's row, costs and benefits now, as the JSON-ready columns of a plan."""
    project = _columns(
        queries.read_columns(session, statement=queries.projects_query(keys=[project_key]))
    )
    ids = [int(project["id"][0])]
    return {
        "project": project,
        "costs": _columns(
            queries.read_columns(session, statement=queries.costs_query(project_ids=ids))
        ),
        "benefits": _columns(
            queries.read_columns(session, statement=queries.benefits_query(project_ids=ids))
        ),
    }


def _line_changes(plan: dict[str, Any], now: dict[str, Any]) -> list[LineChange]:
    """The plan lines (planned costs, expected benefits) changed, added or removed."""
    lines = []
    for entity, fields, status in (
        ("cost", COST_FIELDS, "planned"),
        ("benefit", BENEFIT_FIELDS, "expected"),
    ):
        before = [r for r in _records(plan[f"{entity}s"]) if r["status"] == status]
        after = [r for r in _records(now[f"{entity}s"]) if r["status"] == status]
        amount = [{r["key"]: r["amount_cents"] / CENTS for r in rows} for rows in (before, after)]
        lines += [
            LineChange(
                entity=entity,
                key=key,
                change=change,
                fields=moved,
                baseline=amount[0].get(key),
                current=amount[1].get(key),
            )
            for key, change, moved in line_changes(before, after, fields)
        ]
    return lines


def _actuals_above_plan(
    baseline: EngineInputs, plan: dict[str, Any], current: EngineInputs, now: dict[str, Any]
) -> list[LineChange]:
    """Cost categories whose actual costs to date exceed the baseline's planned costs for the
    same months (the forecast grid counts actuals up to the as-of month only, the plan grid
    planned costs only)."""
    through = current.grid.as_of
    assert through is not None
    actual = _to_date_by_category(
        current.cost_items, list(now["costs"]["category"]), current.grid, through
    )
    plan_grid = Grid(start=baseline.grid.start, horizon=baseline.grid.horizon)
    planned = _to_date_by_category(
        baseline.cost_items, list(plan["costs"]["category"]), plan_grid, through
    )
    return [
        LineChange(
            entity="cost",
            key=category,
            change="actual_above_plan",
            fields=[],
            baseline=round(planned.get(category, 0.0), 2),
            current=round(spent, 2),
        )
        for category, spent in sorted(actual.items())
        if spent > planned.get(category, 0.0)
    ]


def _bridge(baseline: EngineInputs, current: EngineInputs) -> list[BridgeStep]:
    before, after = baseline.flows(), current.flows()
    steps = npv_bridge(
        before.costs[0], before.benefits["total"][0],
        float(annual_to_monthly(baseline.parameters.discount_rate[0])),
        after.costs[0], after.benefits["total"][0],
        float(annual_to_monthly(current.parameters.discount_rate[0])),
    )  # fmt: skip
    return [BridgeStep(step=step, value=round(value / CENTS, 2)) for step, value in steps.items()]


def _project_variance(
    session: Session, settings: Settings, project_key: str, row: Baseline, as_of: date
) -> ProjectVariance:
    plan = json.loads(row.plan)
    now = _tables(session, project_key)
    baseline = _baseline_inputs(plan, settings, as_of)
    current = engine_inputs(
        now["project"], now["costs"], now["benefits"], settings, basis="forecast", as_of=as_of,
        risks=queries.read_columns(
            session, statement=queries.risks_query(project_ids=now["project"]["id"], open_only=True)
        ),
    )  # fmt: skip
    before = finance.compute_report(baseline, settings.currency).projects[0].total
    after = finance.compute_report(current, settings.currency).projects[0]
    return ProjectVariance(
        key=project_key,
        name=after.name,
        baseline=_info(project_key, row),
        figures={
            name: _figure(getattr(before, name), getattr(after.total, name)) for name in COMPARED
        },
        lines=_line_changes(plan, now) + _actuals_above_plan(baseline, plan, current, now),
        bridge=_bridge(baseline, current),
    )


def variance(
    session: Session, settings: Settings, *, project_key: str | None = None, as_of: date
) -> VarianceReport:
    """Every project (or one) against its latest approved baseline, as of ``as_of``.

    The current figures are on the forecast basis (actuals to date, then the plan); the
    baseline's on the plan basis of what was approved.
    """
    projects = session.execute(
        select(col(Project.key), col(Project.name), col(Project.id)).order_by(col(Project.key))
        if project_key is None
        else select(col(Project.key), col(Project.name), col(Project.id)).where(
            col(Project.key) == project_key
        )
    ).all()
    if project_key is not None and not projects:
        raise NotFound(f"no project with key {project_key!r}")
    latest = _latest(session, [p.id for p in projects])
    result = []
    for key, name, project_id in projects:
        row = latest.get(project_id)
        if row is None:
            result.append(
                ProjectVariance(key=key, name=name, baseline=None, figures={}, lines=[], bridge=[])
            )
        else:
            result.append(_project_variance(session, settings, key, row, as_of))
    return VarianceReport(currency=settings.currency, as_of=as_of, projects=result)
