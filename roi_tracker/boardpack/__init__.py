"""The board pack: an Excel workbook of the portfolio with live formulas (docs/board-pack.md).

``gather`` reads what a pack shows into a :class:`PackData` snapshot; ``write_workbook``
writes the workbook from that snapshot alone; ``build`` does both.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.boardpack.archive import ArchivedPack, archive, archived, archived_packs
from roi_tracker.boardpack.data import BenefitColumn, Figures, KpiRow, PackData, ProjectPack, gather
from roi_tracker.boardpack.workbook import METRIC_ROWS, Layout, write_workbook
from roi_tracker.config import Settings

__all__ = [
    "METRIC_ROWS",
    "ArchivedPack",
    "BenefitColumn",
    "Figures",
    "KpiRow",
    "Layout",
    "PackData",
    "ProjectPack",
    "archive",
    "archived",
    "archived_packs",
    "build",
    "gather",
    "generate",
    "workbook_bytes",
    "write_workbook",
]


def workbook_bytes(data: PackData) -> bytes:
    """The XLSX file of ``data``'s board pack."""
    buffer = io.BytesIO()
    write_workbook(data, buffer)
    return buffer.getvalue()


def build(
    session: Session,
    settings: Settings,
    *,
    as_of: date,
    project_keys: Sequence[str] | None = None,
) -> tuple[PackData, bytes]:
    """The board pack's snapshot and its XLSX file, for the projects of ``project_keys``
    (default: all) on the forecast basis as of ``as_of``."""
    data = gather(session, settings, as_of=as_of, project_keys=project_keys)
    return data, workbook_bytes(data)


def generate(
    session: Session,
    settings: Settings,
    *,
    as_of: date,
    project_keys: Sequence[str] | None = None,
    actor: Actor,
) -> tuple[ArchivedPack, PackData, bytes]:
    """:func:`build` the pack and archive it with the data it was built from."""
    data, content = build(session, settings, as_of=as_of, project_keys=project_keys)
    return archive(session, data, content, actor=actor), data, content
