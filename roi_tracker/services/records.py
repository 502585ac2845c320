"""Reads and writes behind the dashboard's data pages: the data fingerprint, record edits.

A form's values go through the same row rules as an import (``roi_tracker.entities``); bad
input raises ``ValidationFailed`` listing every ``column: message`` and nothing is written.
Every write goes through the ORM, upserting on the entity's natural key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, literal, select, union_all
from sqlmodel import Session

from roi_tracker.entities import ENTITIES, KPIS, schema_for, validate_row
from roi_tracker.errors import NotFound, ValidationFailed
from roi_tracker.store import queries
from roi_tracker.store.types import from_cents

__all__ = [
    "KPI_CHILDREN",
    "data_fingerprint",
    "delete_record",
    "entity_records",
    "save_record",
]

#: entities whose rows belong to a KPI rather than directly to a project
KPI_CHILDREN = tuple(name for name, entity in ENTITIES.items() if entity.parent is KPIS)


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
        for model in (entity.table for entity in ENTITIES.values())
    ]
    rows = session.execute(union_all(*parts)).all()
    return ";".join(f"{name}:{count}:{newest}" for name, count, newest in sorted(rows))


def _owner_ids(session: Session, entity: str, row: dict[str, Any]) -> dict[str, int]:
    """Replace ``project_key``/``kpi_key`` by the stored ids they name (NotFound otherwise)."""
    project_key = row.pop("project_key", None)
    if project_key is None:
        return {}
    if entity in KPI_CHILDREN:
        kpi = queries.get_kpi(session, project_key=project_key, key=row.pop("kpi_key"))
        return {"kpi_id": kpi.id}
    return {"project_id": queries.get_project(session, key=project_key).id}


def save_record(session: Session, entity: str, values: Mapping[str, object]) -> str:
    """Validate one record like an imported row and add or update it on its natural key.

    Returns ``"created"``, ``"updated"`` or ``"unchanged"``.
    """
    schema = schema_for(entity)
    checked = validate_row(entity, values)
    if isinstance(checked, list):
        problems = [f"{column}: {message}" for column, message in checked]
        raise ValidationFailed(problems, f"the {entity} record was not saved")
    row = checked.model_dump()
    owner = _owner_ids(session, entity, row)
    natural_key = {**owner, **{column: row.pop(column) for column in schema.own_key}}
    _, outcome = queries.upsert(session, schema.table, natural_key=natural_key, values=row)
    return outcome


def delete_record(session: Session, *, entity: str, record_id: int) -> None:
    """Delete one record; a project takes its KPIs, costs, benefits and decisions with it."""
    if entity not in ENTITIES:
        raise NotFound(f"unknown entity {entity!r}; one of {', '.join(ENTITIES)}")
    model = ENTITIES[entity].table
    result = session.execute(delete(model).where(model.id == record_id))
    if result.rowcount != 1:
        raise NotFound(f"no {entity} record with id {record_id}")


def _plain(value: object) -> object:
    """A frame cell as a form value: dates as ``date``, missing as None."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def entity_records(
    session: Session, entity: str, *, project_key: str | None = None, kpi_key: str | None = None
) -> list[dict[str, object]]:
    """The stored records of ``entity`` as form values (``id`` plus the entity's columns).

    Projects are all returned; KPIs, costs, benefits and decisions are those of
    ``project_key``; measurements and benchmarks those of its KPI ``kpi_key``.
    """
    schema = schema_for(entity)
    if entity == "projects":
        frame = queries.projects_frame(session)
    elif entity in KPI_CHILDREN:
        kpi = queries.get_kpi(session, project_key=project_key, key=kpi_key)
        read = queries.measurements_frame if entity == "measurements" else queries.benchmarks_frame
        frame = read(session, kpi_ids=[kpi.id]).assign(project_key=project_key, kpi_key=kpi_key)
    else:
        project = queries.get_project(session, key=project_key)
        read = {
            "kpis": queries.kpis_frame,
            "costs": queries.costs_frame,
            "benefits": queries.benefits_frame,
            "decisions": queries.decisions_frame,
        }[entity]
        frame = read(session, project_ids=[project.id]).assign(project_key=project_key)
    for money in ("amount", "low", "high"):
        if f"{money}_cents" in frame:
            frame[money] = [
                None if _plain(c) is None else from_cents(int(c)) for c in frame[f"{money}_cents"]
            ]
    columns = ["id", *schema.column_names]
    return [
        {column: _plain(value) for column, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False)
    ]
