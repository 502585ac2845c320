"""Reading the audit trail: who changed what and when, newest first (docs/audit-trail.md).

Reads only: the trail is written by ``store.audit.append`` in the transaction of each change,
and nothing in the application updates or deletes a line (the database refuses it too).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ConfigDict, RootModel
from sqlalchemy import select
from sqlmodel import Session, col

from roi_tracker.services.result import Result
from roi_tracker.store.tables import AuditEntry, User

__all__ = [
    "PAGE_LIMIT",
    "AuditLine",
    "AuditTrail",
    "as_utc",
    "audit_entries",
    "filter_choices",
    "since_moment",
]

#: how many lines a page shows at most (the command line prints every line)
PAGE_LIMIT = 500
#: the entity of the lines about user accounts
USERS_ENTITY = User.__tablename__


class AuditLine(Result):
    """One line of the trail: one field of one record, or a whole record where no field."""

    actor: str
    at: datetime
    action: str
    entity: str
    record_key: str
    project_key: str | None
    field: str | None
    old: str | None
    new: str | None
    detail: dict[str, Any] | None


class AuditTrail(RootModel[list[AuditLine]]):
    """Lines of the trail, newest first: what ``roi-tracker audit --format json`` prints."""

    model_config = ConfigDict(frozen=True)


def since_moment(since: date | datetime) -> datetime:
    """The instant a ``since`` filter starts at: a day starts at midnight UTC."""
    if not isinstance(since, datetime):
        return datetime.combine(since, time(), tzinfo=UTC)
    return as_utc(since)


def as_utc(moment: datetime) -> datetime:
    """A stored instant in UTC (SQLite hands back naive datetimes; the store writes UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def audit_entries(
    session: Session,
    *,
    project_key: str | None = None,
    user: str | None = None,
    since: date | datetime | None = None,
    entity: str | None = None,
    record_key: str | None = None,
    limit: int | None = PAGE_LIMIT,
    user_accounts: bool = True,
) -> AuditTrail:
    """The lines matching every filter given, newest first (``limit`` None: all of them).

    ``user`` is the actor's name as recorded (an email matches whatever its case);
    ``since`` a day (from midnight UTC) or an instant. ``user_accounts=False`` leaves out
    the lines about user accounts (their emails and roles), which only administrators see.
    """
    statement = select(AuditEntry)
    if not user_accounts:
        statement = statement.where(col(AuditEntry.entity) != USERS_ENTITY)
    if project_key is not None:
        statement = statement.where(col(AuditEntry.project_key) == project_key)
    if user is not None:
        statement = statement.where(col(AuditEntry.actor).in_({user, user.strip().lower()}))
    if since is not None:
        statement = statement.where(col(AuditEntry.at) >= since_moment(since))
    if entity is not None:
        statement = statement.where(col(AuditEntry.entity) == entity)
    if record_key is not None:
        statement = statement.where(col(AuditEntry.record_key) == record_key)
    # newest change first; the lines of one change in the order they were written
    statement = statement.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id))
    if limit is not None:
        statement = statement.limit(limit)
    return AuditTrail(
        [
            AuditLine(
                actor=line.actor,
                at=as_utc(line.at),
                action=line.action,
                entity=line.entity,
                record_key=line.record_key,
                project_key=line.project_key,
                field=line.field,
                old=line.old,
                new=line.new,
                detail=None if line.detail is None else json.loads(line.detail),
            )
            for line in session.execute(statement).scalars()
        ]
    )


def filter_choices(session: Session) -> tuple[list[str], list[str]]:
    """The project keys and the actors found in the trail (deleted projects included), sorted."""
    projects = session.execute(
        select(col(AuditEntry.project_key))
        .where(col(AuditEntry.project_key).is_not(None))
        .distinct()
    ).scalars()
    actors = session.execute(select(col(AuditEntry.actor)).distinct()).scalars()
    return sorted(str(p) for p in projects), sorted(actors)
