"""The audit trail: append who changed what, field by field; never update or delete a line.

Every write service calls :func:`append` (one record) or :func:`append_many` (an import) in the
same transaction as the change itself, so the trail and the data never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.store.tables import AuditEntry, utcnow

__all__ = ["AuditAction", "append", "append_many", "field_changes", "text_of"]


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"
    SEND = "send"


def text_of(value: object) -> str | None:
    """How a value is written in the trail: ISO dates, exact decimals, None for empty."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def field_changes(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, tuple[str | None, str | None]]:
    """Each field of ``after`` whose text differs from ``before``: (old, new) as trail text."""
    changes = {}
    for field, value in after.items():
        old, new = text_of(before.get(field)), text_of(value)
        if old != new:
            changes[field] = (old, new)
    return changes


def _lines(
    *,
    actor: Actor,
    action: AuditAction,
    entity: str,
    record_key: str,
    project_key: str | None,
    changes: Mapping[str, tuple[str | None, str | None]] | None,
    detail: Mapping[str, Any] | None,
    at: datetime,
) -> list[dict[str, Any]]:
    common = {
        "at": at,
        "actor": actor.name,
        "action": action.value,
        "entity": entity,
        "record_key": record_key,
        "project_key": project_key,
        "detail": None if detail is None else json.dumps(detail, sort_keys=True, default=str),
    }
    if not changes:
        return [{**common, "field": None, "old": None, "new": None}]
    return [
        {**common, "field": field, "old": old, "new": new} for field, (old, new) in changes.items()
    ]


def append(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    entity: str,
    record_key: str,
    project_key: str | None = None,
    changes: Mapping[str, tuple[str | None, str | None]] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one line per changed field (one line without a field when nothing is listed)."""
    append_many(
        session,
        _lines(
            actor=actor, action=action, entity=entity, record_key=record_key,
            project_key=project_key, changes=changes, detail=detail, at=utcnow(),
        ),
    )  # fmt: skip


def append_many(session: Session, lines: Iterable[Mapping[str, Any]]) -> None:
    """Append prepared lines (the columns of ``AuditEntry``) in one statement."""
    rows = list(lines)
    if rows:
        session.execute(insert(AuditEntry), rows)
