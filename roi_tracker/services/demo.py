"""The demo portfolio: loads the projects of ``demo_data`` with dates relative to today.

Every date is a whole number of months from the project's start, and the start is a whole
number of months before the current month, so loading twice in the same month writes nothing.
Rows are upserted on their natural key; rows of a demo project that the demo no longer holds
(for example last month's measurements once the calendar moved on) are deleted, so the
demo follows the calendar without leaving stale rows behind.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete
from sqlmodel import Session, SQLModel

from roi_tracker.services.demo_data import (
    NOW,
    PROJECTS,
    BenefitSpec,
    CostSpec,
    KpiSpec,
    ProjectSpec,
)
from roi_tracker.store.queries import upsert
from roi_tracker.store.tables import (
    Benchmark,
    Benefit,
    Cost,
    Decision,
    Kpi,
    Measurement,
    Project,
)
from roi_tracker.store.types import CENTS

__all__ = [
    "DECISION_DAY",
    "demo_keys",
    "demo_start_date",
    "load_demo",
    "measurement_series",
    "month_date",
]

#: decisions are dated mid-month, after the month's measurements were discussed
DECISION_DAY = 15


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def demo_start_date(spec: ProjectSpec, today: date) -> date:
    """The first day of the month ``spec.history_months`` before today's month."""
    return _add_months(today.replace(day=1), -spec.history_months)


def month_date(start: date, month: int) -> date:
    """The first day of period ``month`` of a project that starts on ``start``."""
    return _add_months(start, month)


def load_demo(session: Session, *, today: date, reset: bool = False) -> dict[str, int]:
    """Load (or refresh) the demo portfolio; return the rows created, updated, unchanged, deleted.

    ``reset`` first deletes every project with everything attached to it (portfolio-wide
    email subscriptions are kept: they are settings, not demo data).
    """
    counts: Counter[str] = Counter(created=0, updated=0, unchanged=0, deleted=0)
    if reset:
        counts["deleted"] += session.execute(delete(Project)).rowcount
        session.expunge_all()
    for spec in PROJECTS:
        _load_project(session, spec, today, counts)
    session.flush()
    return dict(counts)


def _put(
    session: Session, model: type[SQLModel], counts: Counter, natural_key: dict, values: dict
) -> SQLModel:
    row, outcome = upsert(session, model, natural_key=natural_key, values=values)
    counts[outcome] += 1
    return row


def _prune(session: Session, model, parent_column, parent_id: int, kept: list[int]) -> int:
    statement = delete(model).where(parent_column == parent_id, model.id.not_in(kept))
    return session.execute(statement).rowcount


def _load_project(session: Session, spec: ProjectSpec, today: date, counts: Counter) -> None:
    start = demo_start_date(spec, today)
    project = _put(
        session,
        Project,
        counts,
        {"key": spec.key},
        {
            "name": spec.name,
            "business_unit": spec.business_unit,
            "owner": spec.owner,
            "use_case": spec.use_case,
            "stage": spec.stage.value,
            "start_date": start,
            "horizon_months": spec.horizon_months,
            "discount_rate": spec.discount_rate,
            "probability_of_success": spec.probability_of_success,
            "cost_contingency": spec.cost_contingency,
            "risk_premium": spec.risk_premium,
            "currency": None,
            "description": spec.description,
        },
    )
    pid = project.id
    kept_costs = [
        _put(session, Cost, counts, {"project_id": pid, "key": c.key}, _item(c, start, spec)).id
        for c in spec.costs
    ]
    kept_benefits = [
        _put(
            session, Benefit, counts, {"project_id": pid, "key": b.key}, _benefit(b, start, spec)
        ).id
        for b in spec.benefits
    ]
    kept_decisions = [
        _put(
            session,
            Decision,
            counts,
            {
                "project_id": pid,
                "date": month_date(start, d.month) + timedelta(days=DECISION_DAY - 1),
                "decision": d.decision.value,
            },
            {"rationale": d.rationale, "author": d.author},
        ).id
        for d in spec.decisions
    ]
    kept_kpis = [_load_kpi(session, spec, kpi, pid, start, counts) for kpi in spec.kpis]
    counts["deleted"] += (
        _prune(session, Cost, Cost.project_id, pid, kept_costs)
        + _prune(session, Benefit, Benefit.project_id, pid, kept_benefits)
        + _prune(session, Decision, Decision.project_id, pid, kept_decisions)
        + _prune(session, Kpi, Kpi.project_id, pid, kept_kpis)
    )


def _last_month(spec: ProjectSpec, until: int | str | None) -> int | None:
    if until == NOW:
        return spec.history_months
    return until  # type: ignore[return-value]


def _money(amount: int) -> Decimal:
    return Decimal(amount).quantize(CENTS)


def _item(item: CostSpec | BenefitSpec, start: date, spec: ProjectSpec) -> dict:
    last = _last_month(spec, item.until)
    return {
        "date": month_date(start, item.month),
        "category": item.category.value,
        "amount": _money(item.amount),
        "recurrence": item.recurrence.value,
        "end_date": None if last is None else month_date(start, last),
        "status": item.status.value,
        "low": None if item.low is None else _money(item.low),
        "high": None if item.high is None else _money(item.high),
        "description": item.description,
    }


def _benefit(item: BenefitSpec, start: date, spec: ProjectSpec) -> dict:
    return {
        **_item(item, start, spec),
        "type": item.type.value,
        "confidence": item.confidence,
        "ramp_months": item.ramp_months,
    }


def _load_kpi(
    session: Session, spec: ProjectSpec, kpi: KpiSpec, pid: int, start: date, counts: Counter
) -> int:
    row = _put(
        session,
        Kpi,
        counts,
        {"project_id": pid, "key": kpi.key},
        {
            "name": kpi.name,
            "unit": kpi.unit,
            "baseline": kpi.baseline,
            "target": kpi.target,
            "baseline_date": start,
            "target_date": month_date(start, kpi.target_month),
            "specific": kpi.specific,
            "relevant_objective": kpi.relevant_objective,
            "owner": kpi.owner,
            "category": kpi.category,
        },
    )
    kept_measurements = [
        _put(
            session,
            Measurement,
            counts,
            {"kpi_id": row.id, "date": month_date(start, month)},
            {"value": value, "note": None},
        ).id
        for month, value in measurement_series(spec, kpi)
    ]
    kept_benchmarks = [
        _put(
            session,
            Benchmark,
            counts,
            {"kpi_id": row.id, "name": b.name},
            {"value": b.value, "source": b.source},
        ).id
        for b in kpi.benchmarks
    ]
    counts["deleted"] += _prune(
        session, Measurement, Measurement.kpi_id, row.id, kept_measurements
    ) + _prune(session, Benchmark, Benchmark.kpi_id, row.id, kept_benchmarks)
    return row.id


def measurement_series(spec: ProjectSpec, kpi: KpiSpec) -> list[tuple[int, float]]:
    """(month, value) pairs: a straight path to ``reach`` of the planned change, plus noise.

    The path reaches ``baseline + reach * (target - baseline)`` at the target month and stays
    there; the noise comes from a generator seeded with the KPI's name, so it is the same on
    every load.
    """
    rng = random.Random(f"{spec.key}/{kpi.key}")
    change = kpi.target - kpi.baseline
    last = spec.history_months if spec.measured_until is None else spec.measured_until
    series = []
    for month in range(kpi.first_month, last + 1):
        share = min(1.0, month / kpi.target_month)
        value = kpi.baseline + change * kpi.reach * share
        value += rng.gauss(0.0, kpi.noise * abs(change))
        if kpi.floor is not None:
            value = max(kpi.floor, value)
        if kpi.ceiling is not None:
            value = min(kpi.ceiling, value)
        series.append((month, round(value, kpi.decimals)))
    return series


def demo_keys() -> list[str]:
    """The keys of the demo projects."""
    return [spec.key for spec in PROJECTS]
