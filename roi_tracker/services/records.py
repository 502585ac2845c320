"""Reads and writes behind the dashboard's data pages: the data fingerprint, record edits."""

from __future__ import annotations

from sqlalchemy import func, literal, select, union_all
from sqlmodel import Session

from roi_tracker.store.tables import Benchmark, Benefit, Cost, Decision, Kpi, Measurement, Project

__all__ = ["data_fingerprint"]

_TRACKED_TABLES = (Project, Kpi, Measurement, Benchmark, Cost, Benefit, Decision)


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
