"""Record writes: roles enforced, every change in the audit trail, no update lost silently."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from roi_tracker.access import Actor
from roi_tracker.errors import Conflict, Forbidden, ValidationFailed
from roi_tracker.services import records, tracking
from roi_tracker.services.audit import audit_entries
from roi_tracker.services.demo import load_demo
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import AuditEntry, BudgetThresholdCrossing, Cost, Project
from tests.dates import month
from tests.pages.conftest import load_portfolio

VIEWER = Actor.user("v@example.com", "viewer")
EDITOR = Actor.user("e@example.com", "editor")
ADMIN = Actor.user("a@example.com", "admin")
OTHER = Actor.user("other@example.com", "editor")

#: a day of last month, when alpha's spend has crossed its budget thresholds
AS_OF = month(-1, 15)
NOW = datetime.combine(month(-1, 16), datetime.min.time(), tzinfo=UTC)
COST = {"project_key": "alpha", "key": "gpu", "date": "2026-02-01", "category": "data",
        "amount": "100", "description": "GPU hours"}  # fmt: skip


@pytest.fixture
def filled(db_url: str, engine: Engine) -> Engine:
    load_portfolio(db_url)
    return engine


def count(engine: Engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def trail(engine: Engine, **filters) -> list:
    with session_scope(engine) as session:
        return audit_entries(session, limit=None, **filters).root


def cost_id(engine: Engine, key: str) -> int:
    with session_scope(engine) as session:
        return session.execute(select(Cost.id).where(Cost.key == key)).scalar_one()


def opened(engine: Engine, key: str) -> dict:
    with session_scope(engine) as session:
        (record,) = [r for r in records.entity_records(session, "costs", project_key="alpha")
                     if r["key"] == key]  # fmt: skip
    return record


# ---- roles -----------------------------------------------------------------------------------


def test_a_viewer_can_write_nothing_and_nothing_is_written(filled):
    """Each write service refuses a viewer before it writes a row or an audit line."""
    rows = {model: count(filled, model) for model in (Project, Cost, BudgetThresholdCrossing)}
    writes = {
        "save": lambda s: records.save_record(s, "costs", COST, actor=VIEWER),
        "edit": lambda s: records.save_record(
            s, "costs", {**opened(filled, "run"), "amount": "1"}, actor=VIEWER
        ),
        "delete cost": lambda s: records.delete_record(
            s, entity="costs", record_id=cost_id(filled, "run"), actor=VIEWER
        ),
        "delete project": lambda s: records.delete_record(
            s, entity="projects", record_id=1, actor=VIEWER
        ),
        "demo": lambda s: load_demo(s, actor=VIEWER, today=date(2026, 3, 1)),
        "thresholds": lambda s: tracking.record_threshold_crossings(
            s, actor=VIEWER, as_of=AS_OF, now=NOW, default_horizon_months=36,
        ),
    }  # fmt: skip
    for name, write in writes.items():
        with (
            pytest.raises(Forbidden, match=r"v@example.com \(viewer\) may not"),
            session_scope(filled) as session,
        ):
            write(session)
        assert {model: count(filled, model) for model in rows} == rows, name
        assert count(filled, AuditEntry) == 0, name


def test_an_editor_edits_and_deletes_records_but_only_an_admin_deletes_a_project(filled):
    with session_scope(filled) as session:
        assert records.save_record(session, "costs", COST, actor=EDITOR) == "created"
        records.delete_record(session, entity="costs", record_id=cost_id(filled, "run"),
                              actor=EDITOR)  # fmt: skip
    with session_scope(filled) as session:
        alpha = session.execute(select(Project.id).where(Project.key == "alpha")).scalar_one()
    lines = count(filled, AuditEntry)
    with pytest.raises(Forbidden, match="may not delete projects"), session_scope(filled) as s:
        records.delete_record(s, entity="projects", record_id=alpha, actor=EDITOR)
    assert count(filled, Project) == 2 and count(filled, AuditEntry) == lines
    with session_scope(filled) as session:
        records.delete_record(session, entity="projects", record_id=alpha, actor=ADMIN)
    assert count(filled, Project) == 1


# ---- the audit trail -------------------------------------------------------------------------


def test_a_create_an_update_and_a_delete_are_written_field_by_field(filled):
    with session_scope(filled) as session:
        records.save_record(session, "costs", COST, actor=EDITOR)
    created = trail(filled, record_key="alpha/gpu")
    assert {(line.action, line.actor, line.project_key) for line in created} == {
        ("create", "e@example.com", "alpha")
    }
    assert {line.field: (line.old, line.new) for line in created} == {
        "project_key": (None, "alpha"), "key": (None, "gpu"), "date": (None, "2026-02-01"),
        "category": (None, "data"), "amount": (None, "100.00"), "recurrence": (None, "one_time"),
        "status": (None, "planned"), "description": (None, "GPU hours"),
    }  # fmt: skip

    with session_scope(filled) as session:
        changed = {**opened(filled, "gpu"), "amount": "120.5", "description": ""}
        assert records.save_record(session, "costs", changed, actor=OTHER) == "updated"
        assert records.save_record(session, "costs", changed | {"version": 2},
                                   actor=OTHER) == "unchanged"  # fmt: skip
    updated = [line for line in trail(filled, record_key="alpha/gpu") if line.action == "update"]
    assert [(u.actor, u.field, u.old, u.new) for u in updated] == [
        ("other@example.com", "amount", "100.00", "120.50"),
        ("other@example.com", "description", "GPU hours", None),
    ]

    with session_scope(filled) as session:
        records.delete_record(session, entity="costs", record_id=cost_id(filled, "gpu"),
                              actor=EDITOR)  # fmt: skip
    deleted = [line for line in trail(filled, record_key="alpha/gpu") if line.action == "delete"]
    assert {line.field: (line.old, line.new) for line in deleted} == {
        "project_key": ("alpha", None), "key": ("gpu", None), "date": ("2026-02-01", None),
        "category": ("data", None), "amount": ("120.50", None), "recurrence": ("one_time", None),
        "status": ("planned", None),
    }  # fmt: skip


def test_a_project_delete_counts_what_went_with_it(filled):
    with session_scope(filled) as session:
        alpha = session.execute(select(Project.id).where(Project.key == "alpha")).scalar_one()
        records.delete_record(session, entity="projects", record_id=alpha, actor=ADMIN)
    lines = trail(filled, project_key="alpha")
    assert {line.field for line in lines} >= {"key", "name", "start_date"}
    assert {line.action for line in lines} == {"delete"}
    assert lines[0].detail == {
        "deleted_with_it": {"kpis": 1, "measurements": 2, "benchmarks": 0, "costs": 2,
                            "benefits": 1, "decisions": 0, "allocation_rules": 0,
                            "value_drivers": 0, "redeployments": 0, "risks": 0}
    }  # fmt: skip


def test_a_measurement_line_names_its_kpi_and_project(filled):
    values = {"project_key": "alpha", "kpi_key": "cycle_time", "date": "2026-01-31", "value": "4"}
    with session_scope(filled) as session:
        records.save_record(session, "measurements", values, actor=EDITOR)
    lines = trail(filled, entity="measurements")
    assert {(line.record_key, line.project_key) for line in lines} == {
        ("alpha/cycle_time/2026-01-31/treated", "alpha")  # the group is part of the key
    }


def test_the_demo_writes_one_line_per_project_with_its_counts(engine):
    with session_scope(engine) as session:
        loaded = load_demo(session, actor=ADMIN, today=date(2026, 3, 10))
    lines = trail(engine)
    assert {line.action for line in lines} == {"create"}
    assert len(lines) == count(engine, Project)
    assert sum(line.detail["created"] for line in lines) == loaded["created"]
    assert all(line.detail["source"] == "demo" and line.field is None for line in lines)
    with session_scope(engine) as session:
        load_demo(session, actor=ADMIN, today=date(2026, 3, 10))
    assert len(trail(engine)) == len(lines)  # nothing changed, nothing written
    with session_scope(engine) as session:
        load_demo(session, actor=ADMIN, today=date(2026, 3, 10), reset=True)
    deleted = [line for line in trail(engine) if line.action == "delete"]
    assert len(deleted) == len(lines)
    assert all(line.detail["costs"] > 0 for line in deleted)


def test_recorded_threshold_crossings_are_audited_once(filled):
    def record() -> int:
        with session_scope(filled) as session:
            return len(tracking.record_threshold_crossings(
                session, actor=Actor.scheduler(), as_of=AS_OF, now=NOW,
                default_horizon_months=36,
            ))  # fmt: skip

    crossed = record()
    assert crossed > 0
    lines = trail(filled, entity="budget_threshold_crossings")
    assert {line.actor for line in lines} == {"scheduler"}
    assert len({line.record_key for line in lines}) == crossed
    assert record() == 0
    assert len(trail(filled, entity="budget_threshold_crossings")) == len(lines)


# ---- no lost updates -------------------------------------------------------------------------


@pytest.fixture
def updates() -> Iterator[list[str]]:
    """The UPDATE statements every engine runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", listen)
    yield seen
    event.remove(Engine, "before_cursor_execute", listen)


def _refused_save_writes_nothing(url: str, updates: list[str]) -> None:
    migrate.upgrade(url)
    load_portfolio(url)
    updates.clear()
    engine = make_engine(url)
    try:
        mine = opened(engine, "run")
        assert mine["version"] == 1
        theirs = {**mine, "amount": "2100", "description": "renegotiated"}
        with session_scope(engine) as session:
            records.save_record(session, "costs", theirs, actor=OTHER)
        # only what changed is written, with the version counter and the time
        (statement,) = updates
        written = statement.split("SET")[1].split("WHERE")[0]
        assert {part.split("=")[0].strip() for part in written.split(",")} == {
            "version",
            "updated_at",
            "amount",
            "description",
        }
        assert "version" in statement.split("WHERE")[1]
        lines_before = count(engine, AuditEntry)

        with pytest.raises(Conflict) as refused, session_scope(engine) as session:
            records.save_record(session, "costs", {**mine, "high": "4000"}, actor=EDITOR)
        message = str(refused.value)
        assert message.startswith("changed by other@example.com at ")
        assert message.endswith(" UTC since you opened it")
        assert refused.value.changes == {
            "amount": ("2000.00", "2100.00"),
            "high": ("4000.00", "3000.00"),
            "description": (None, "renegotiated"),
        }
        assert count(engine, AuditEntry) == lines_before
        with session_scope(engine) as session:
            stored = session.execute(select(Cost).where(Cost.key == "run")).scalar_one()
        assert (stored.amount, stored.high, stored.version) == (
            Decimal("2100.00"),
            Decimal("3000.00"),
            2,
        )

        # opened afresh, the same edit goes through
        with session_scope(engine) as session:
            again = {**opened(engine, "run"), "high": "4000"}
            assert records.save_record(session, "costs", again, actor=EDITOR) == "updated"
        # a record deleted since it was opened is a conflict too, not a new record
        with session_scope(engine) as session:
            records.delete_record(session, entity="costs", record_id=mine["id"], actor=OTHER)
        deleted = r"deleted by other@example\.com at .* UTC since you opened it"
        with pytest.raises(Conflict, match=deleted), session_scope(engine) as session:
            records.save_record(session, "costs", mine, actor=EDITOR)
        assert count(engine, Cost) == 2
    finally:
        engine.dispose()


def test_a_save_from_an_older_version_is_refused_on_sqlite(db_url, updates):
    _refused_save_writes_nothing(db_url, updates)


@pytest.mark.postgres
def test_a_save_from_an_older_version_is_refused_on_postgresql(postgres_url, updates):
    _refused_save_writes_nothing(postgres_url, updates)


def test_a_new_record_under_a_key_that_exists_is_refused(filled):
    new = {**COST, "version": records.NEW_RECORD}
    with session_scope(filled) as session:
        assert records.save_record(session, "costs", new, actor=OTHER) == "created"
    lines = count(filled, AuditEntry)

    mine = {**new, "amount": "999"}
    with pytest.raises(ValidationFailed) as refused, session_scope(filled) as session:
        records.save_record(session, "costs", mine, actor=EDITOR)
    (problem,) = refused.value.problems
    assert re.match(r"key: alpha/gpu already exists \(last changed by other@example\.com at "
                    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)", problem)  # fmt: skip
    assert count(filled, AuditEntry) == lines
    assert opened(filled, "gpu")["amount"] == Decimal("100.00")
