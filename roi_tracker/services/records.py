"""Reads and writes behind the dashboard's data pages: the data fingerprint, record edits.

Every write goes through the ORM in one transaction; bad input raises ``ValidationFailed``
listing each problem, and nothing is written.
"""

from __future__ import annotations

# aliased: a field below is called ``date``
from datetime import date as Date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, func, literal, select, union_all
from sqlmodel import Session, SQLModel

from roi_tracker.domain.vocabulary import DecisionKind
from roi_tracker.errors import NotFound, ValidationFailed
from roi_tracker.store import queries
from roi_tracker.store.tables import Benchmark, Benefit, Cost, Decision, Kpi, Measurement, Project

__all__ = [
    "EDITABLE",
    "DecisionInput",
    "add_decision",
    "data_fingerprint",
    "delete_record",
    "describe_problems",
]

_TRACKED_TABLES = (Project, Kpi, Measurement, Benchmark, Cost, Benefit, Decision)

#: entity name (as in the CSV formats, plus decisions) -> table
EDITABLE: dict[str, type[SQLModel]] = {
    "projects": Project,
    "kpis": Kpi,
    "measurements": Measurement,
    "benchmarks": Benchmark,
    "costs": Cost,
    "benefits": Benefit,
    "decisions": Decision,
}


def data_fingerprint(session: Session) -> str:
    """A short text that changes whenever any project record is added, edited or deleted.

    Row counts catch deletions; the newest ``updated_at`` catches inserts and edits, whichever
    process made them (the dashboard, the command line or another host on PostgreSQL).
    """
    parts = [
        select(
            literal(model.__tablename__).label("name"),
            func.count().label("rows"),
            func.max(model.updated_at).label("newest"),
        )
        for model in _TRACKED_TABLES
    ]
    rows = session.execute(union_all(*parts)).all()
    return ";".join(f"{name}:{count}:{newest}" for name, count, newest in sorted(rows))


def describe_problems(error: ValidationError) -> list[str]:
    """Pydantic's errors as ``column: message`` lines a person can act on."""
    problems = []
    for item in error.errors():
        column = ".".join(str(part) for part in item["loc"]) or "row"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{column}: {message}")
    return problems


class DecisionInput(BaseModel):
    """A go/no-go decision as entered in the data form."""

    model_config = ConfigDict(str_strip_whitespace=True)

    project_key: str = Field(min_length=1)
    date: Date
    decision: DecisionKind
    rationale: str = Field(min_length=1, max_length=10_000)
    author: str | None = Field(default=None, max_length=100)

    @field_validator("author")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


def add_decision(session: Session, values: dict) -> tuple[Decision, str]:
    """Record a decision (or update the rationale of the same date and decision)."""
    try:
        decision = DecisionInput.model_validate(values)
    except ValidationError as exc:
        raise ValidationFailed(describe_problems(exc), "the decision was not saved") from exc
    project = queries.get_project(session, key=decision.project_key)
    row, outcome = queries.upsert(
        session,
        Decision,
        natural_key={
            "project_id": project.id,
            "date": decision.date,
            "decision": decision.decision.value,
        },
        values={"rationale": decision.rationale, "author": decision.author},
    )
    return row, outcome


def delete_record(session: Session, *, entity: str, record_id: int) -> None:
    """Delete one record; a project takes its KPIs, costs, benefits and decisions with it."""
    model = EDITABLE.get(entity)
    if model is None:
        raise NotFound(f"unknown entity {entity!r}; one of {', '.join(EDITABLE)}")
    result = session.execute(delete(model).where(model.id == record_id))
    if result.rowcount != 1:
        raise NotFound(f"no {entity} record with id {record_id}")
