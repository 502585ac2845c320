"""The archive of generated board packs: each pack's data, so that it can be written again.

A pack is written from its :class:`PackData` alone and with a fixed creation time, so the
archived data gives the same workbook (the same figures, and with the same XlsxWriter the
same bytes, checked by the SHA-256 kept with it) whatever the data became since.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from roi_tracker.access import Actor, Permission, require
from roi_tracker.boardpack.data import PackData
from roi_tracker.errors import NotFound
from roi_tracker.services.result import Result
from roi_tracker.store import audit
from roi_tracker.store.tables import BoardPackArchive

__all__ = ["ArchivedPack", "archive", "archived", "archived_packs"]


class ArchivedPack(Result):
    """An archived board pack: when and by whom it was made, for which day and projects."""

    id: int
    created_at: datetime
    created_by: str
    as_of: date
    project_keys: list[str]
    sha256: str


def _summary(row: BoardPackArchive) -> ArchivedPack:
    assert row.id is not None
    return ArchivedPack(
        id=row.id, created_at=row.created_at, created_by=row.created_by, as_of=row.as_of,
        project_keys=row.project_keys.split("\n") if row.project_keys else [], sha256=row.sha256,
    )  # fmt: skip


def archive(session: Session, data: PackData, content: bytes, *, actor: Actor) -> ArchivedPack:
    """Keep a generated pack's data and the SHA-256 of its file; audited.

    Raises
    ------
    Forbidden
        When ``actor`` may not export the data.
    """
    require(actor, Permission.EXPORT)
    keys = [p.key for p in data.projects]
    row = BoardPackArchive(
        created_by=actor.name,
        as_of=data.as_of,
        project_keys="\n".join(keys),
        sha256=hashlib.sha256(content).hexdigest(),
        data=data.model_dump_json(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session, actor=actor, action=audit.AuditAction.CREATE, entity="board_packs",
        record_key=str(row.id), detail={"as_of": data.as_of.isoformat(), "projects": keys},
    )  # fmt: skip
    return _summary(row)


def archived(session: Session, pack_id: int) -> tuple[ArchivedPack, PackData]:
    """An archived pack and the data it was built from; NotFound for an unknown id."""
    row = session.get(BoardPackArchive, pack_id)
    if row is None:
        raise NotFound(f"no archived board pack with id {pack_id}")
    return _summary(row), PackData.model_validate_json(row.data)


def archived_packs(session: Session) -> list[ArchivedPack]:
    """Every archived pack, newest first."""
    rows = session.execute(
        select(BoardPackArchive).order_by(col(BoardPackArchive.id).desc())
    ).scalars()
    return [_summary(row) for row in rows]
