"""The foundations of roles and the audit trail: permissions, append-only lines, versions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from roi_tracker.access import Actor, Permission, Role, require
from roi_tracker.errors import Forbidden
from roi_tracker.store import audit, make_engine, migrate, session_scope
from roi_tracker.store.tables import AuditEntry, Project


def test_each_role_has_its_own_permissions_and_more_than_the_one_below():
    viewer, editor, admin = (Actor.user(f"{r}@example.com", r) for r in Role)
    assert viewer.can(Permission.EXPORT) and viewer.can(Permission.SUBSCRIBE_SELF)
    assert not viewer.can(Permission.EDIT_DATA)
    assert editor.can(Permission.EDIT_DATA) and not editor.can(Permission.DELETE_PROJECT)
    assert admin.can(Permission.MANAGE_USERS) and admin.can(Permission.DELETE_PROJECT)
    with pytest.raises(Forbidden, match=r"viewer@example.com \(viewer\) may not add, edit"):
        require(viewer, Permission.EDIT_DATA)
    require(editor, Permission.EDIT_DATA)


def test_the_command_line_and_the_scheduler_are_named_in_the_trail():
    assert Actor.command_line().name.startswith("cli:")
    assert Actor.scheduler().name == "scheduler"


def test_field_changes_are_written_as_text_and_only_where_they_differ():
    before = {"amount": 10, "date": dt.date(2026, 1, 1), "note": None}
    after = {"amount": 12, "date": dt.date(2026, 1, 1), "note": "x"}
    assert audit.field_changes(before, after) == {"amount": ("10", "12"), "note": (None, "x")}


def _refuses_changes(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            audit.append(
                session, actor=Actor.command_line(), action=audit.AuditAction.UPDATE,
                entity="costs", record_key="alpha/licences", project_key="alpha",
                changes={"amount": ("10", "12")},
            )  # fmt: skip
        for statement in ("UPDATE audit_log SET new = '99'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
        with session_scope(engine) as session:
            (line,) = session.query(AuditEntry).all()
        assert (line.field, line.old, line.new) == ("amount", "10", "12")
    finally:
        engine.dispose()


def test_sqlite_refuses_to_update_or_delete_the_trail(db_url):
    _refuses_changes(db_url)


@pytest.mark.postgres
def test_postgres_refuses_to_update_delete_or_truncate_the_trail(postgres_url):
    _refuses_changes(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_log"))
    finally:
        engine.dispose()


def test_a_save_from_an_older_version_is_refused(engine):
    with session_scope(engine) as session:
        session.add(Project(key="alpha", name="Alpha", start_date=dt.date(2026, 1, 1)))
    with Session(engine) as first, Session(engine) as second:
        mine = first.query(Project).one()
        theirs = second.query(Project).one()
        mine.name = "Alpha one"
        first.commit()
        theirs.name = "Alpha two"
        with pytest.raises(StaleDataError):
            second.commit()
    with session_scope(engine) as session:
        project = session.query(Project).one()
    assert (project.name, project.version) == ("Alpha one", 2)
