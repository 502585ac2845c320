"""Benefits valued from KPIs (value drivers), attribution by a control group, redeployments.

A driven benefit's typed amount is replaced, month by month, by its driver's value
(:mod:`roi_tracker.domain.drivers`): one row per month of the horizon from the benefit's
date (to its end date), realized up to the as-of month and expected after it, with evidence
*measured* where every KPI read was measured that month, *derived* where a forecast stood in.
Where the rate KPI has control-group measurements, the change is the difference in
differences around the driven benefit's date (its go-live), and the benefit's confidence is
the bootstrap's share of effects in the KPI's good direction (docs/value.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from roi_tracker.domain.attribution import DiffInDiff, difference_in_differences
from roi_tracker.domain.drivers import DriverValues, KpiMonths, driver_values, kpi_months
from roi_tracker.domain.vocabulary import (
    BenefitStatus,
    DriverKind,
    Evidence,
    MeasurementGroup,
)
from roi_tracker.errors import InvalidInput
from roi_tracker.store.tables import Kpi, Measurement, Redeployment, ValueDriver

__all__ = [
    "DrivenBenefit",
    "drive_benefits",
    "driven_benefits",
    "has_drivers",
    "redeployed_cents",
    "redeployment_claims",
    "with_redeployments",
]

#: cents per currency unit: money parameters and unit costs become cents
CENTS_PER_UNIT = 100.0
#: rows of a table: one dict per row
Rows = list[dict[str, Any]]


def _as_date(value: Any) -> date:
    """A date from a date, a datetime or a pandas Timestamp."""
    day: date = value.date() if hasattr(value, "date") and callable(value.date) else value
    return day


def _month(value: Any) -> int:
    day = _as_date(value)
    return day.year * 12 + day.month - 1


def _day(value: Any) -> int:
    return _as_date(value).toordinal()


@dataclass(frozen=True)
class DrivenBenefit:
    """One driven benefit computed: its months, per-month inputs and values (cents)."""

    project_id: int
    benefit_key: str
    kind: str
    months: np.ndarray
    volume: KpiMonths
    rate: KpiMonths
    adoption: KpiMonths | None
    result: DriverValues
    attribution: DiffInDiff | None
    confidence: float | None


def _kpis(session: Session, project_ids: Sequence[int]) -> dict[tuple[Any, str], Kpi]:
    rows = session.execute(select(Kpi).where(col(Kpi.project_id).in_(project_ids))).scalars()
    return {(kpi.project_id, kpi.key): kpi for kpi in rows}


def _measurements(session: Session, kpi_ids: Sequence[int]) -> dict[tuple[Any, str], Any]:
    found: dict[tuple[Any, str], list[tuple[int, float]]] = {}
    statement = select(
        col(Measurement.kpi_id), col(Measurement.group), col(Measurement.date),
        col(Measurement.value),
    ).where(col(Measurement.kpi_id).in_(kpi_ids))  # fmt: skip
    for kpi_id, group, day, value in session.execute(statement):
        found.setdefault((kpi_id, group), []).append((day.toordinal(), value))
    return {
        key: (np.array([d for d, _ in pairs]), np.array([v for _, v in pairs]))
        for key, pairs in found.items()
    }


def has_drivers(session: Session, project_ids: Sequence[int]) -> bool:
    """Whether any benefit of ``project_ids`` is valued from KPIs (a value driver)."""
    found = session.execute(
        select(col(ValueDriver.id)).where(col(ValueDriver.project_id).in_(project_ids)).limit(1)
    ).first()
    return found is not None


def driven_benefits(
    session: Session,
    *,
    project_ids: Sequence[int],
    projects: Mapping[int, tuple[int, int]],
    benefits: Rows,
    as_of: date,
) -> dict[tuple[int, str], DrivenBenefit]:
    """Each driven benefit of ``project_ids`` computed month by month.

    ``projects`` maps a project id to (start month index, horizon months); ``benefits`` are
    the benefit rows (``project_id``, ``key``, ``date``, ``end_date``).
    """
    drivers = list(
        session.execute(
            select(ValueDriver).where(col(ValueDriver.project_id).in_(project_ids))
        ).scalars()
    )
    if not drivers:
        return {}
    kpis = _kpis(session, project_ids)
    series = _measurements(session, [kpi.id for kpi in kpis.values() if kpi.id is not None])
    by_key = {(row["project_id"], row["key"]): row for row in benefits}
    as_of_day = as_of.toordinal()
    result = {}
    for driver in drivers:
        benefit = by_key.get((driver.project_id, driver.benefit_key))
        if benefit is None:
            continue  # a driver of a benefit that is not (or no longer) recorded
        start, horizon = projects[driver.project_id]
        first = max(_month(benefit["date"]), start)
        last = start + horizon - 1
        end = benefit.get("end_date")
        if end is not None and end == end:  # NaT is unequal to itself
            last = min(last, _month(end))
        months = np.arange(first, last + 1, dtype=np.int64)

        volume = _kpi(session, kpis, series, driver, driver.volume_kpi, months, as_of_day)
        rate = _kpi(session, kpis, series, driver, driver.rate_kpi, months, as_of_day)
        adoption = None
        if driver.adoption_kpi is not None:
            adoption = _share(
                _kpi(session, kpis, series, driver, driver.adoption_kpi, months, as_of_day),
                kpis[(driver.project_id, driver.adoption_kpi)].unit,
            )
        attribution, effect, confidence = _attribution(
            kpis[(driver.project_id, driver.rate_kpi)], series, months, as_of_day,
            go_live=_day(benefit["date"]),
        )  # fmt: skip
        values = driver_values(
            driver.kind,
            volume=volume,
            rate=rate,
            adoption=adoption,
            hourly_rate=None
            if driver.hourly_rate is None
            else float(driver.hourly_rate) * CENTS_PER_UNIT,
            revenue_base=None
            if driver.revenue_base is None
            else float(driver.revenue_base) * CENTS_PER_UNIT,
            margin=driver.margin,
            effect=effect,
        )
        if driver.kind == DriverKind.COST_AVOIDED.value:
            # a unit cost KPI is in currency units; the finance engine counts cents
            values = replace(values, values=values.values * CENTS_PER_UNIT)
        result[(driver.project_id, driver.benefit_key)] = DrivenBenefit(
            project_id=driver.project_id, benefit_key=driver.benefit_key, kind=driver.kind,
            months=months, volume=volume, rate=rate, adoption=adoption, result=values,
            attribution=attribution, confidence=confidence,
        )  # fmt: skip
    return result


def _kpi(
    session: Session,
    kpis: Mapping[tuple[Any, str], Kpi],
    series: Mapping[tuple[Any, str], Any],
    driver: ValueDriver,
    key: str,
    months: np.ndarray,
    as_of_day: int,
) -> KpiMonths:
    """The treated group's values of KPI ``key`` of the driver's project in ``months``."""
    kpi = kpis.get((driver.project_id, key))
    if kpi is None:
        raise InvalidInput(
            f"the value driver of benefit {driver.benefit_key!r} names KPI {key!r}, "
            "which its project does not have"
        )
    empty = (np.array([], dtype=np.int64), np.array([]))
    days, values = series.get((kpi.id, MeasurementGroup.TREATED.value), empty)
    baseline_day = (kpi.baseline_date or _project_start(session, kpi)).toordinal()
    return kpi_months(
        baseline=kpi.baseline, baseline_day=baseline_day, days=days, values=values,
        months=months, as_of_day=as_of_day,
    )  # fmt: skip


def _share(kpi: KpiMonths, unit: str) -> KpiMonths:
    """An adoption KPI as a share of 0 to 1: one in percent (unit "%") is divided by 100."""
    if unit.strip() != "%":
        return kpi
    return KpiMonths(baseline=kpi.baseline / 100, values=kpi.values / 100, measured=kpi.measured)


def _project_start(session: Session, kpi: Kpi) -> date:
    from roi_tracker.store.tables import Project

    project = session.get(Project, kpi.project_id)
    assert project is not None
    return project.start_date


def _attribution(
    kpi: Kpi,
    series: Mapping[tuple[Any, str], Any],
    months: np.ndarray,
    as_of_day: int,
    *,
    go_live: int,
) -> tuple[DiffInDiff | None, np.ndarray | None, float | None]:
    """The difference in differences of ``kpi`` around ``go_live`` (the driven benefit's date,
    a day ordinal) where it has a control group, as the change in each of ``months`` (all
    from the go-live on), and the confidence it gives."""
    control = series.get((kpi.id, MeasurementGroup.CONTROL.value))
    treated = series.get((kpi.id, MeasurementGroup.TREATED.value))
    if control is None or treated is None:
        return None, None, None
    known_t, known_c = treated[0] <= as_of_day, control[0] <= as_of_day
    try:
        did = difference_in_differences(
            treated[0][known_t], treated[1][known_t], control[0][known_c], control[1][known_c],
            go_live,
        )  # fmt: skip
    except ValueError:
        return None, None, None  # not yet measured on both sides of the go-live
    effect = np.full(len(months), did.effect)
    # the good direction is the target's: higher is better where target > baseline
    higher_is_better = kpi.target > kpi.baseline
    confidence = 1.0 - did.share_below_zero if higher_is_better else did.share_below_zero
    return did, effect, confidence


def drive_benefits(
    benefits: Rows, driven: Mapping[tuple[int, str], DrivenBenefit], as_of: date
) -> Rows:
    """The benefit rows with each driven benefit replaced by one row per month of its value."""
    if not driven:
        return benefits
    as_of_month = as_of.year * 12 + as_of.month - 1
    out: Rows = []
    for row in benefits:
        computed = driven.get((row["project_id"], row["key"]))
        if computed is None:
            out.append(row)
            continue
        values = computed.result
        for i, month in enumerate(computed.months.tolist()):
            past = month <= as_of_month
            out.append(
                {
                    **row,
                    "key": f"{row['key']}@{month // 12:04d}-{month % 12 + 1:02d}",
                    "date": date(month // 12, month % 12 + 1, 1),
                    "end_date": None,
                    "recurrence": "one_time",
                    "ramp_months": 0,
                    "amount_cents": round(float(values.values[i])),
                    "low_cents": None,
                    "high_cents": None,
                    "status": (BenefitStatus.REALIZED if past else BenefitStatus.EXPECTED).value,
                    "evidence": (
                        Evidence.MEASURED if values.measured[i] and past else Evidence.DERIVED
                    ).value,
                    "confidence": row["confidence"]
                    if computed.confidence is None
                    else computed.confidence,
                }
            )
    return out


@dataclass(frozen=True)
class Claims:
    """Redeployments priced in cents a month: project id, first calendar month, cents."""

    project_id: np.ndarray
    month: np.ndarray
    cents: np.ndarray


def redeployment_claims(session: Session, project_ids: Sequence[int]) -> Claims | None:
    """The redeployments of ``project_ids`` in cents a month (None without any): an amount
    as it is, hours at the project's loaded hourly rate (its first time_saved driver's)."""
    rows = list(
        session.execute(
            select(Redeployment).where(col(Redeployment.project_id).in_(project_ids))
        ).scalars()
    )
    if not rows:
        return None
    rates = hourly_rates(session, project_ids)
    cents = [
        float(r.amount_per_month) * 100
        if r.amount_per_month is not None
        else (r.hours_per_month or 0.0) * rates.get(r.project_id, 0.0)
        for r in rows
    ]
    return Claims(
        project_id=np.array([r.project_id for r in rows], dtype=np.int64),
        month=np.array([_month(r.date) for r in rows], dtype=np.int64),
        cents=np.array(cents, dtype=float),
    )


def redeployed_cents(
    claims: Claims, *, project_ids: Sequence[int], grid_start: np.ndarray, time_savings: np.ndarray
) -> np.ndarray:
    """Per project and period, the non-cashable time savings that count as cash.

    From each redeployment's month on, its cents a month count as cash, capped at the
    month's non-cashable time savings ``time_savings`` (cents, shape (projects, periods)).
    """
    row_of = {int(project_id): i for i, project_id in enumerate(project_ids)}
    claimed = np.zeros_like(time_savings, dtype=float)
    for project_id, month, cents in zip(claims.project_id, claims.month, claims.cents,
                                        strict=True):  # fmt: skip
        i = row_of.get(int(project_id))
        if i is not None:
            claimed[i, max(0, int(month) - int(grid_start[i])) :] += cents
    capped: np.ndarray = np.minimum(claimed, time_savings)
    return capped


def hourly_rates(session: Session, project_ids: Sequence[int]) -> dict[int, float]:
    """Each project's loaded hourly rate in cents, from its first time_saved driver."""
    rates: dict[int, float] = {}
    statement = (
        select(col(ValueDriver.project_id), col(ValueDriver.hourly_rate))
        .where(
            col(ValueDriver.project_id).in_(project_ids),
            col(ValueDriver.kind) == DriverKind.TIME_SAVED.value,
        )
        .order_by(col(ValueDriver.id))
    )
    for project_id, rate in session.execute(statement):
        if rate is not None:
            rates.setdefault(project_id, float(rate) * 100)
    return rates


def with_redeployments(engine: Any, claims: Claims | None, project_ids: Sequence[int]) -> Any:
    """The finance inputs with redeployed time savings counted as cash."""
    if claims is None or engine.grid.periods == 0:
        return engine
    from roi_tracker.domain.cashflows import spread

    time_savings = np.asarray(
        spread(
            engine.benefit_items,
            engine.grid,
            weights=engine.benefit_items.amount * engine.benefit_is_non_cashable_time,
        )
    )
    redeployed = redeployed_cents(
        claims, project_ids=project_ids, grid_start=engine.grid.start, time_savings=time_savings
    )
    return replace(engine, redeployed=redeployed)
