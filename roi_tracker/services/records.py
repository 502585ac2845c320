"""Reads and writes behind the dashboard's data pages: the data fingerprint, record edits.

A form's values go through the same row rules as an import (``roi_tracker.entities``); bad
input raises ``ValidationFailed`` listing every ``column: message`` and nothing is written.
Every write goes through the ORM, upserting on the entity's natural key; it needs the actor's
permission and appends its audit lines (``store.audit``) in the same transaction. A save of a
record the user opened carries the ``version`` read then: if someone saved it since, the ORM's
version check refuses the UPDATE and ``Conflict`` names who, when and the differing fields.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from roi_tracker.access import Actor, Permission, require
from roi_tracker.entities import ENTITIES, KPIS, PROJECTS, Entity, schema_for, validate_row
from roi_tracker.errors import Conflict, NotFound, ValidationFailed
from roi_tracker.importing.columns import Kind
from roi_tracker.services.audit import as_utc
from roi_tracker.store import audit, queries
from roi_tracker.store.tables import AuditEntry, Baseline, BillFile, Kpi, Project
from roi_tracker.store.types import CENTS, from_cents

__all__ = [
    "FORM_FIELDS",
    "KPI_CHILDREN",
    "NEW_RECORD",
    "children_counts",
    "data_fingerprint",
    "delete_record",
    "entity_records",
    "record_values",
    "save_record",
]

#: entities whose rows belong to a KPI rather than directly to a project
KPI_CHILDREN = tuple(name for name, entity in ENTITIES.items() if entity.parent is KPIS)
#: what a form sends besides the entity's columns: the record it opened, at which version
FORM_FIELDS = ("id", "version")
#: the ``version`` of a form opened to add a record (stored versions start at 1): saving it
#: under a key that exists is refused instead of overwriting that record unseen
NEW_RECORD = 0
#: the entities whose records belong to no project (projects, exchange rates)
UNOWNED = tuple(name for name, entity in ENTITIES.items() if entity.parent is None)


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
    # an approved baseline changes what the Project page shows; an imported bill the costs
    # from bills (rules, rates and projects are entities)
    for table, newest in ((Baseline, Baseline.approved_at), (BillFile, BillFile.imported_at)):
        parts.append(
            select(
                literal(table.__tablename__).label("name"),
                func.count().label("rows"),
                func.max(newest).label("newest"),
            )
        )
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


def _as_stored(schema: Entity, row: dict[str, Any]) -> dict[str, Any]:
    """Amounts with two places, as the store reads them back (so 2500.5 equals 2500.50)."""
    money = {c.name for c in schema.columns if c.kind is Kind.MONEY}
    return {k: v.quantize(CENTS) if k in money and v is not None else v for k, v in row.items()}


def record_values(session: Session, schema: Entity, stored: SQLModel) -> dict[str, object]:
    """A stored row as the entity's columns: its own values and its owners' keys."""
    values: dict[str, object] = {c.name: getattr(stored, c.name) for c in schema.own_columns}
    if schema.parent is KPIS:
        kpi = session.get(Kpi, stored.kpi_id)
        assert kpi is not None
        values["kpi_key"] = kpi.key
        project_id = kpi.project_id
    elif schema.parent is PROJECTS:
        project_id = stored.project_id
    else:
        return values
    project = session.get(Project, project_id)
    assert project is not None
    values["project_key"] = project.key
    return {name: values[name] for name in schema.column_names}


def _project_key(schema: Entity, values: Mapping[str, object]) -> str | None:
    if schema is PROJECTS:
        return str(values["key"])
    # exchange rates belong to no project
    return None if "project_key" not in values else str(values["project_key"])


def _last_change(session: Session, entity: str, record_key: str, fallback: datetime | None) -> str:
    """Who last changed a record, and when: from its newest audit line, else its updated_at."""
    line = session.execute(
        select(AuditEntry.actor, AuditEntry.at)
        .where(AuditEntry.entity == entity, AuditEntry.record_key == record_key)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
    who, when = (line.actor, line.at) if line else ("someone else", fallback)
    at = "an unknown time" if when is None else f"{as_utc(when):%Y-%m-%d %H:%M:%S} UTC"
    return f"{who} at {at}"


def save_record(
    session: Session, entity: str, values: Mapping[str, object], *, actor: Actor
) -> str:
    """Validate one record like an imported row and add or update it on its natural key.

    ``values`` may carry the ``id`` and ``version`` of the record the user opened: if it was
    saved (or deleted) since, ``Conflict`` lists the fields where the user's value and the
    stored one differ, and nothing is written. A ``version`` of ``NEW_RECORD`` (a form opened
    to add a record) is refused when the key exists, rather than overwriting that record.
    Only the fields that changed are updated, each with an audit line. Returns
    ``"created"``, ``"updated"`` or ``"unchanged"``.
    """
    require(actor, Permission.EDIT_DATA)
    schema = schema_for(entity)
    record_id, opened = values.get("id"), values.get("version")
    checked = validate_row(entity, {k: v for k, v in values.items() if k not in FORM_FIELDS})
    if isinstance(checked, list):
        problems = [f"{column}: {message}" for column, message in checked]
        raise ValidationFailed(problems, f"the {entity} record was not saved")
    full = _as_stored(schema, checked.model_dump())
    record_key, project_key = schema.record_key(full), _project_key(schema, full)
    row = dict(full)
    owner = _owner_ids(session, schema.name, row)
    natural_key = {**owner, **{column: row.pop(column) for column in schema.own_key}}
    model = schema.table
    filters = [getattr(model, column) == value for column, value in natural_key.items()]
    stored = session.execute(select(model).where(*filters)).scalar_one_or_none()
    if record_id is not None and (stored is None or stored.id != record_id):
        who = _last_change(session, schema.name, record_key, None)
        raise Conflict(f"deleted by {who} since you opened it")
    if opened == NEW_RECORD and stored is not None:
        who = _last_change(session, schema.name, record_key, stored.updated_at)
        problem = (f"key: {record_key} already exists (last changed by {who}): choose it to "
                   "edit it, or give the new record another key")  # fmt: skip
        raise ValidationFailed([problem], f"the {entity} record was not saved")
    line = {
        "actor": actor,
        "entity": schema.name,
        "record_key": record_key,
        "project_key": project_key,
    }
    if stored is None:
        session.add(model(**natural_key, **row))
        session.flush()
        audit.append(
            session, action=audit.AuditAction.CREATE, changes=audit.field_changes({}, full), **line
        )
        _bills_follow(session, entity)
        return "created"
    changed = {k: v for k, v in row.items() if getattr(stored, k) != v}
    if not changed:
        return "unchanged"
    before = {k: getattr(stored, k) for k in changed}
    record_id = stored.id
    try:
        # a savepoint, so that the session stays usable to say what the conflict is
        with session.begin_nested():
            if opened is not None:
                # the ORM's UPDATE … WHERE version = <opened> is the check: no row, StaleDataError
                set_committed_value(stored, "version", int(opened))
            for column, value in changed.items():
                setattr(stored, column, value)
            session.flush()
    except StaleDataError:
        raise _conflict(session, schema, record_id, row, record_key) from None
    audit.append(
        session,
        action=audit.AuditAction.UPDATE,
        changes=audit.field_changes(before, changed),
        **line,
    )
    _bills_follow(session, entity)
    return "updated"


def _bills_follow(session: Session, entity: str) -> None:
    """Allocate the bills again when what their allocation depends on changed."""
    from roi_tracker.services import bills

    bills.follow_change(session, [entity])


def _conflict(
    session: Session, schema: Entity, record_id: int, row: dict[str, Any], record_key: str
) -> Conflict:
    """The Conflict of a refused save: who changed the record, when, and how yours differs."""
    model = schema.table
    now = session.execute(
        select(model).where(model.id == record_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if now is None:
        who = _last_change(session, schema.name, record_key, None)
        return Conflict(f"deleted by {who} since you opened it")
    stored = {k: getattr(now, k) for k in row}
    changes = {
        field: (yours, theirs)
        for field, (theirs, yours) in audit.field_changes(stored, row).items()
    }
    who = _last_change(session, schema.name, record_key, now.updated_at)
    return Conflict(f"changed by {who} since you opened it", changes)


def children_counts(session: Session, project_id: int) -> dict[str, int]:
    """How many records of each kind belong to a project (what its deletion takes with it)."""
    counts = {}
    for name, child in ENTITIES.items():
        if child.parent is None:
            continue
        column = getattr(child.table, str(child.parent_id))
        statement = select(func.count()).select_from(child.table)
        if child.parent is KPIS:
            statement = statement.join(Kpi, Kpi.id == column).where(Kpi.project_id == project_id)
        else:
            statement = statement.where(column == project_id)
        counts[name] = session.execute(statement).scalar_one()
    return counts


def delete_record(session: Session, *, entity: str, record_id: int, actor: Actor) -> None:
    """Delete one record; a project takes its KPIs, costs, benefits and decisions with it.

    Deleting a project needs an administrator; any other record, an editor. Each field of
    the deleted record is written to the audit trail; a project's line also counts its
    records.
    """
    if entity not in ENTITIES:
        raise NotFound(f"unknown entity {entity!r}; one of {', '.join(ENTITIES)}")
    schema = ENTITIES[entity]
    require(actor, Permission.DELETE_PROJECT if schema is PROJECTS else Permission.EDIT_DATA)
    stored = session.get(schema.table, record_id)
    if stored is None:
        raise NotFound(f"no {entity} record with id {record_id}")
    values = record_values(session, schema, stored)
    detail = None
    if schema is PROJECTS:
        detail = {"deleted_with_it": children_counts(session, record_id)}
    session.delete(stored)
    session.flush()
    audit.append(
        session,
        actor=actor,
        action=audit.AuditAction.DELETE,
        entity=entity,
        record_key=schema.record_key(values),
        project_key=_project_key(schema, values),
        changes=audit.field_changes(values, dict.fromkeys(values)),
        detail=detail,
    )
    _bills_follow(session, entity)


def _plain(value: object) -> object:
    """A frame cell as a form value: dates as ``date``, missing as None."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def _typed_costs(session: Session, *, project_ids: list[int]) -> pd.DataFrame:
    # costs from bills are not records one edits: allocation rules make them
    return queries.costs_frame(session, project_ids=project_ids, include_bills=False)


def entity_records(
    session: Session, entity: str, *, project_key: str | None = None, kpi_key: str | None = None
) -> list[dict[str, object]]:
    """The stored records of ``entity`` as form values: ``id``, ``version`` and its columns.

    Projects are all returned; KPIs, costs, benefits, risks and decisions are those of
    ``project_key``; measurements and benchmarks those of its KPI ``kpi_key``.
    """
    schema = schema_for(entity)
    if entity in ("allocation_rules", "fx_rates"):
        from roi_tracker.importing.exporter import stored_rows

        return stored_rows(session, entity, project_key=project_key)
    if entity == "projects":
        frame = queries.projects_frame(session)
    elif entity in KPI_CHILDREN:
        kpi = queries.get_kpi(session, project_key=project_key, key=kpi_key)
        if entity == "measurements":
            frame = queries.measurements_frame(session, kpi_ids=[kpi.id], group=None)
        else:
            frame = queries.benchmarks_frame(session, kpi_ids=[kpi.id])
        frame = frame.assign(project_key=project_key, kpi_key=kpi_key)
    else:
        project = queries.get_project(session, key=project_key)
        read = {
            "kpis": queries.kpis_frame,
            "costs": _typed_costs,
            "benefits": queries.benefits_frame,
            "risks": queries.risks_frame,
            "decisions": queries.decisions_frame,
            "value_drivers": queries.value_drivers_frame,
            "redeployments": queries.redeployments_frame,
        }[entity]
        frame = read(session, project_ids=[project.id]).assign(project_key=project_key)
    for money in (
        "amount", "low", "likely", "high", "hourly_rate", "revenue_base", "amount_per_month",
    ):  # fmt: skip
        if f"{money}_cents" in frame:
            frame[money] = [
                None if _plain(c) is None else from_cents(int(c)) for c in frame[f"{money}_cents"]
            ]
    # the version a form opens, for the save to tell whether someone else saved since
    model = schema.table
    versions = dict(
        session.execute(
            select(model.id, model.version).where(model.id.in_([int(i) for i in frame["id"]]))
        ).all()
    )
    frame["version"] = [versions[int(i)] for i in frame["id"]]
    columns = ["id", "version", *schema.column_names]
    return [
        {column: _plain(value) for column, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False)
    ]
