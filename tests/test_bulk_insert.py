"""``insert_columns`` stores exactly what the ORM stores, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select, type_coerce
from sqlalchemy.engine import Engine

from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.bulk import AsStored, insert_columns
from roi_tracker.store.tables import Cost, Project

NOW = datetime(2025, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)
# money with 0, 1 and 2 places and the largest amount, dates that repeat, NULLs, empty text
COSTS = [
    {"key": "a", "date": date(2025, 1, 31), "category": "data", "amount": Decimal("1200.50"),
     "recurrence": "monthly", "end_date": date(2026, 1, 1), "status": "actual",
     "low": Decimal("0"), "high": Decimal("9999999999999.99"), "description": "first"},
    {"key": "b", "date": date(1999, 12, 31), "category": "other", "amount": Decimal("0.01"),
     "recurrence": "one_time", "end_date": None, "status": "planned",
     "low": None, "high": None, "description": None},
    {"key": "c", "date": date(2025, 1, 31), "category": "talent", "amount": Decimal("7"),
     "recurrence": "annually", "end_date": date(2025, 1, 31), "status": "planned",
     "low": Decimal("6.9"), "high": Decimal("7"), "description": ""},
]  # fmt: skip


def _write_both_ways(engine: Engine) -> None:
    """Each cost twice: through the ORM as ``orm-KEY``, through insert_columns as ``bulk-KEY``."""
    with session_scope(engine) as session:
        project = Project(key="P", name="P", start_date=date(2025, 1, 1))
        session.add(project)
        session.flush()
        for cost in COSTS:
            values = {**cost, "key": f"orm-{cost['key']}"}
            session.add(Cost(project_id=project.id, created_at=NOW, updated_at=NOW, **values))
        session.flush()
        columns = {name: [cost[name] for cost in COSTS] for name in COSTS[0]}
        columns["key"] = [f"bulk-{key}" for key in columns["key"]]
        columns["project_id"] = [project.id] * len(COSTS)
        insert_columns(session, Cost.__table__, columns, {"created_at": NOW, "updated_at": NOW})


def _assert_stored_alike(engine: Engine) -> None:
    compared = [c for c in Cost.__table__.c if c.name not in ("id", "key")]
    as_stored = select(Cost.key, *(type_coerce(c, AsStored()) for c in compared))
    with session_scope(engine) as session:
        stored = {key: values for key, *values in session.execute(as_stored)}
        read = {cost.key: cost for cost in session.scalars(select(Cost))}
        for cost in COSTS:
            key = cost["key"]
            assert stored[f"bulk-{key}"] == stored[f"orm-{key}"]
            bulk = read[f"bulk-{key}"].model_dump(exclude={"id", "key"})
            assert bulk == read[f"orm-{key}"].model_dump(exclude={"id", "key"})
            assert {name: bulk[name] for name in cost if name != "key"} == {
                name: value for name, value in cost.items() if name != "key"
            }
            assert bulk["created_at"].replace(tzinfo=UTC) == NOW


def test_sqlite_stores_what_the_orm_stores(engine):
    _write_both_ways(engine)
    _assert_stored_alike(engine)


def test_postgresql_stores_what_the_orm_stores(postgres_url):
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        _write_both_ways(engine)
        _assert_stored_alike(engine)
    finally:
        engine.dispose()
