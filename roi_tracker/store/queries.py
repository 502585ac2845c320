"""Keyword-only, session-first reads and writes; reads return pandas DataFrames.

Money columns are read as integer cents (``*_cents``) so that sums stay exact and numpy can
work on them directly; dates are pandas datetime64 columns (NaT where empty). The finance
engine's reads are also there as plain columns (:func:`read_columns` of :func:`projects_query`,
:func:`costs_query` and :func:`benefits_query`), for the report, which loads no pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import BigInteger, Date, Select, literal, null, select, type_coerce, union_all
from sqlmodel import Session, SQLModel

from roi_tracker.domain.vocabulary import CostStatus, MeasurementGroup, Recurrence, RiskStatus
from roi_tracker.errors import NotFound
from roi_tracker.store.tables import (
    Benchmark,
    Benefit,
    BillCost,
    Cost,
    Decision,
    Kpi,
    Measurement,
    Project,
    Redeployment,
    Risk,
    ValueDriver,
)

if TYPE_CHECKING:
    import pandas as pd

UpsertOutcome = Literal["created", "updated", "unchanged"]
#: a read as one list of values per column, in row order
Columns = dict[str, list[Any]]

PROJECT_COLUMNS = [
    "id", "key", "name", "business_unit", "owner", "use_case", "stage", "start_date",
    "horizon_months", "discount_rate", "probability_of_success", "cost_contingency",
    "risk_premium", "currency", "description",
]  # fmt: skip
DATE_COLUMNS = ("start_date", "date", "end_date", "baseline_date", "target_date")


# Numeric columns keep their dtype when a frame is empty or a nullable column holds NULLs.
NUMERIC_DTYPES = {
    "id": "int64", "project_id": "int64", "kpi_id": "int64", "amount_cents": "int64",
    "low_cents": "float64", "high_cents": "float64", "likely_cents": "float64",
    "probability": "float64", "confidence": "float64",
    "ramp_months": "int64", "horizon_months": "float64", "discount_rate": "float64",
    "probability_of_success": "float64", "cost_contingency": "float64", "risk_premium": "float64",
    "baseline": "float64", "target": "float64", "value": "float64",
}  # fmt: skip


def read_columns(session: Session, *, statement: Select) -> Columns:
    """The rows of ``statement`` as one list per column (dates, ints, floats, text, None)."""
    result = session.execute(statement)
    names = list(result.keys())
    rows = result.all()
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def read_frame(session: Session, *, statement: Select) -> pd.DataFrame:
    """The rows of ``statement`` as a DataFrame: numeric dtypes kept, dates as datetime64."""
    result = session.execute(statement)
    return frame_of(result.all(), list(result.keys()))


def frame_of(rows: Sequence[Any], columns: Sequence[str]) -> pd.DataFrame:
    """Rows (tuples or dicts) as a frame with the dtypes of :func:`read_frame`."""
    import pandas as pd  # loaded by the reads that return frames only

    rows, columns = list(rows), list(columns)
    if rows and not isinstance(rows[0], dict):
        # column by column: pandas reads a list of result rows one attribute probe at a time
        values = [list(column) for column in zip(*rows, strict=True)]
        frame = pd.DataFrame(dict(zip(columns, values, strict=True)), columns=columns)
    else:
        frame = pd.DataFrame(rows, columns=columns)
    for column, dtype in NUMERIC_DTYPES.items():
        if column in frame:
            frame[column] = frame[column].astype(dtype)
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _cents(column, name: str):
    return type_coerce(column, BigInteger).label(name)


def _by_project(statement: Select, model, project_ids: Iterable[int] | None) -> Select:
    if project_ids is not None:
        statement = statement.where(model.project_id.in_(list(project_ids)))
    return statement.order_by(model.project_id, model.id)


def projects_query(*, keys: Sequence[str] | None = None) -> Select:
    """One row per project, ordered by key; ``keys`` narrows it (unknown keys are ignored)."""
    statement = select(*(getattr(Project, c) for c in PROJECT_COLUMNS)).order_by(Project.key)
    if keys is not None:
        statement = statement.where(Project.key.in_(list(keys)))
    return statement


def costs_query(*, project_ids: Iterable[int] | None = None, include_bills: bool = True) -> Select:
    """The costs (of the projects ``project_ids``), by project and id.

    With ``include_bills``, the actual monthly costs allocated from bills come too, as
    one-time actual costs keyed ``bills/YYYY-MM/category`` with negative ids.
    """
    statement = select(
        Cost.id, Cost.project_id, Cost.key, Cost.date, Cost.category,
        _cents(Cost.amount, "amount_cents"), Cost.recurrence, Cost.end_date, Cost.status,
        _cents(Cost.low, "low_cents"), _cents(Cost.high, "high_cents"), Cost.description,
    )  # fmt: skip
    if not include_bills:
        return _by_project(statement, Cost, project_ids)
    billed = select(
        (-BillCost.id).label("id"), BillCost.project_id, BillCost.key,
        BillCost.month.label("date"), BillCost.category, _cents(BillCost.amount, "amount_cents"),
        literal(Recurrence.ONE_TIME.value).label("recurrence"),
        null().cast(Date).label("end_date"), literal(CostStatus.ACTUAL.value).label("status"),
        null().cast(BigInteger).label("low_cents"), null().cast(BigInteger).label("high_cents"),
        BillCost.source.label("description"),
    )  # fmt: skip
    if project_ids is not None:
        ids = list(project_ids)
        statement = statement.where(Cost.project_id.in_(ids))
        billed = billed.where(BillCost.project_id.in_(ids))
    both = union_all(statement, billed).subquery()
    return select(*both.c).order_by(both.c.project_id, both.c.id)


def benefits_query(*, project_ids: Iterable[int] | None = None) -> Select:
    """The benefits (of the projects ``project_ids``), by project and id."""
    statement = select(
        Benefit.id, Benefit.project_id, Benefit.key, Benefit.date, Benefit.type, Benefit.category,
        _cents(Benefit.amount, "amount_cents"), Benefit.recurrence, Benefit.end_date,
        Benefit.status, Benefit.confidence, Benefit.ramp_months,
        _cents(Benefit.low, "low_cents"), _cents(Benefit.high, "high_cents"), Benefit.description,
        Benefit.evidence, Benefit.cash_class,
    )  # fmt: skip
    return _by_project(statement, Benefit, project_ids)


def risks_query(*, project_ids: Iterable[int] | None = None, open_only: bool = False) -> Select:
    """The risks (of the projects ``project_ids``; only the open ones), by project and id;
    impacts in hundredths (``*_cents``: cents, hundredths of a month or of a percent)."""
    statement = select(
        Risk.id, Risk.project_id, Risk.key, Risk.title, Risk.probability, Risk.impact_kind,
        _cents(Risk.low, "low_cents"), _cents(Risk.likely, "likely_cents"),
        _cents(Risk.high, "high_cents"), Risk.date, Risk.owner, Risk.mitigation, Risk.status,
    )  # fmt: skip
    if open_only:
        statement = statement.where(Risk.status == RiskStatus.OPEN.value)
    return _by_project(statement, Risk, project_ids)


def projects_frame(session: Session, *, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per project, ordered by key; ``keys`` narrows it (unknown keys are ignored)."""
    return read_frame(session, statement=projects_query(keys=keys))


def costs_frame(
    session: Session, *, project_ids: Iterable[int] | None = None, include_bills: bool = True
) -> pd.DataFrame:
    return read_frame(
        session, statement=costs_query(project_ids=project_ids, include_bills=include_bills)
    )


def benefits_frame(session: Session, *, project_ids: Iterable[int] | None = None) -> pd.DataFrame:
    return read_frame(session, statement=benefits_query(project_ids=project_ids))


def risks_frame(session: Session, *, project_ids: Iterable[int] | None = None) -> pd.DataFrame:
    return read_frame(session, statement=risks_query(project_ids=project_ids))


def kpis_frame(session: Session, *, project_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """KPIs with their project's key and start date (the default baseline date)."""
    import pandas as pd

    statement = select(
        Kpi.id, Kpi.project_id, Project.key.label("project_key"),
        Project.start_date.label("project_start_date"), Kpi.key, Kpi.name, Kpi.unit,
        Kpi.baseline, Kpi.target, Kpi.baseline_date, Kpi.target_date, Kpi.specific,
        Kpi.relevant_objective, Kpi.owner, Kpi.category, Kpi.outcome_volume,
    ).join(Project, Project.id == Kpi.project_id)  # fmt: skip
    frame = read_frame(session, statement=_by_project(statement, Kpi, project_ids))
    frame["project_start_date"] = pd.to_datetime(frame["project_start_date"])
    return frame


def measurements_frame(
    session: Session,
    *,
    kpi_ids: Iterable[int] | None = None,
    group: str | None = MeasurementGroup.TREATED.value,
) -> pd.DataFrame:
    """Measurements of the treated group (KPI progress), or of ``group``, or (None) all."""
    statement = select(
        Measurement.id, Measurement.kpi_id, Measurement.date, Measurement.value, Measurement.note,
        Measurement.group,
    ).order_by(Measurement.kpi_id, Measurement.group.desc(), Measurement.date)  # fmt: skip
    if kpi_ids is not None:
        statement = statement.where(Measurement.kpi_id.in_(list(kpi_ids)))
    if group is not None:
        statement = statement.where(Measurement.group == group)
    return read_frame(session, statement=statement)


def value_drivers_frame(
    session: Session, *, project_ids: Iterable[int] | None = None
) -> pd.DataFrame:
    """The benefits' value drivers; money parameters in cents (``*_cents``, NaN when none)."""
    statement = select(
        ValueDriver.id, ValueDriver.project_id, ValueDriver.benefit_key, ValueDriver.kind,
        ValueDriver.volume_kpi, ValueDriver.rate_kpi, ValueDriver.adoption_kpi,
        _cents(ValueDriver.hourly_rate, "hourly_rate_cents"),
        _cents(ValueDriver.revenue_base, "revenue_base_cents"), ValueDriver.margin,
    )  # fmt: skip
    frame = read_frame(session, statement=_by_project(statement, ValueDriver, project_ids))
    for money in ("hourly_rate_cents", "revenue_base_cents"):
        frame[money] = frame[money].astype("float64")
    return frame


def redeployments_frame(
    session: Session, *, project_ids: Iterable[int] | None = None
) -> pd.DataFrame:
    """Redeployments by project and date; amounts in cents (``amount_per_month_cents``)."""
    statement = select(
        Redeployment.id, Redeployment.project_id, Redeployment.date, Redeployment.kind,
        Redeployment.hours_per_month,
        _cents(Redeployment.amount_per_month, "amount_per_month_cents"),
        Redeployment.owner, Redeployment.evidence,
    )  # fmt: skip
    frame = read_frame(session, statement=_by_project(statement, Redeployment, project_ids))
    frame["amount_per_month_cents"] = frame["amount_per_month_cents"].astype("float64")
    frame["hours_per_month"] = frame["hours_per_month"].astype("float64")
    return frame


def benchmarks_frame(session: Session, *, kpi_ids: Iterable[int] | None = None) -> pd.DataFrame:
    statement = select(
        Benchmark.id, Benchmark.kpi_id, Benchmark.name, Benchmark.value, Benchmark.source
    ).order_by(Benchmark.kpi_id, Benchmark.name)
    if kpi_ids is not None:
        statement = statement.where(Benchmark.kpi_id.in_(list(kpi_ids)))
    return read_frame(session, statement=statement)


def decisions_frame(session: Session, *, project_ids: Iterable[int] | None = None) -> pd.DataFrame:
    statement = select(
        Decision.id, Decision.project_id, Decision.date, Decision.decision, Decision.rationale,
        Decision.author,
    )  # fmt: skip
    frame = read_frame(session, statement=_by_project(statement, Decision, project_ids))
    return frame.sort_values(["project_id", "date"], kind="stable").reset_index(drop=True)


def get_project(session: Session, *, key: str) -> Project:
    """The project with natural key ``key``; NotFound names it otherwise."""
    if "\x00" in key:  # no key holds one, and PostgreSQL refuses to compare with it
        raise NotFound(f"no project with key {key!r}")
    project = session.execute(select(Project).where(Project.key == key)).scalar_one_or_none()
    if project is None:
        raise NotFound(f"no project with key {key!r}")
    return project


def get_kpi(session: Session, *, project_key: str, key: str) -> Kpi:
    project = get_project(session, key=project_key)
    kpi = session.execute(
        select(Kpi).where(Kpi.project_id == project.id, Kpi.key == key)
    ).scalar_one_or_none()
    if kpi is None:
        raise NotFound(f"project {project_key!r} has no KPI with key {key!r}")
    return kpi


def upsert(
    session: Session, model: type[SQLModel], *, natural_key: dict, values: dict
) -> tuple[SQLModel, UpsertOutcome]:
    """Insert the row with ``natural_key``, or update it where a value differs."""
    filters = [getattr(model, column) == value for column, value in natural_key.items()]
    row = session.execute(select(model).where(*filters)).scalar_one_or_none()
    if row is None:
        row = model(**natural_key, **values)
        session.add(row)
        session.flush()
        return row, "created"
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    for column, value in changed.items():
        setattr(row, column, value)
    if changed:
        session.flush()
    return row, ("updated" if changed else "unchanged")
