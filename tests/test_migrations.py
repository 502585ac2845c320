"""Migrations: upgrade, no drift against the models, downgrade, and data kept across revisions."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.synchronize
from decimal import Decimal

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.queries import costs_frame, upsert
from roi_tracker.store.tables import Cost, Project


def _check_round_trip(url: str) -> None:
    migrate.upgrade(url)
    command.check(migrate.alembic_config(url))  # raises on any drift
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"projects", "kpis", "measurements", "benchmarks", "costs", "benefits"} <= tables
        migrate.downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def _upgrade_keeps_data(url: str) -> None:
    migrate.upgrade(url, "0001")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO projects (key, name, stage, start_date, probability_of_success,"
                    " cost_contingency, risk_premium, created_at, updated_at) VALUES"
                    " ('chatbot', 'Chatbot', 'pilot', '2025-01-01', 0.8, 0.1, 0.02,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO costs (project_id, key, date, category, amount, recurrence,"
                    " status, created_at, updated_at) SELECT id, 'build', '2025-01-15',"
                    " 'development', 1250050, 'one_time', 'actual', CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP FROM projects"
                )
            )
        migrate.upgrade(url)
        with session_scope(engine) as session:
            costs = costs_frame(session)
        assert costs["amount_cents"].tolist() == [1250050]
        assert costs["key"].tolist() == ["build"]
        with session_scope(engine) as session:
            cost = session.query(Cost).one()
            assert cost.version == 1  # rows from before the version counter start at 1
            cost.description = "edited after the upgrade"
        with session_scope(engine) as session:
            assert session.query(Cost).one().version == 2
    finally:
        engine.dispose()


def test_sqlite_upgrade_check_downgrade(tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path / 'm.db'}")


def test_sqlite_upgrade_from_first_revision_keeps_data(tmp_path):
    _upgrade_keeps_data(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_check_downgrade(postgres_url):
    _check_round_trip(postgres_url)


@pytest.mark.postgres
def test_postgres_upgrade_from_first_revision_keeps_data(postgres_url):
    _upgrade_keeps_data(postgres_url)


def test_one_head_and_a_linear_history():
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(not rev.is_merge_point for rev in revisions)


def test_money_is_exact_cents_and_refuses_fractions_of_a_cent(session):
    project, _ = upsert(
        session,
        Project,
        natural_key={"key": "p"},
        values={"name": "P", "start_date": dt.date(2025, 1, 1)},
    )
    upsert(
        session,
        Cost,
        natural_key={"project_id": project.id, "key": "c"},
        values={"date": dt.date(2025, 1, 1), "category": "data", "amount": Decimal("0.10")},
    )
    session.commit()
    stored = session.get(Cost, 1)
    session.refresh(stored)
    assert stored.amount == Decimal("0.10")
    assert costs_frame(session)["amount_cents"].tolist() == [10]
    bad = Cost(
        project_id=project.id, key="d", date=dt.date(2025, 1, 1), category="data",
        amount=Decimal("0.105"),
    )  # fmt: skip
    session.add(bad)
    with pytest.raises(Exception, match="more than two decimal places"):
        session.flush()
    session.rollback()


def test_sqlite_connection_has_foreign_keys_wal_busy_timeout_and_page_cache(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -64 * 1024


def test_check_constraints_refuse_out_of_range_values(session):
    session.add(
        Project(key="p", name="P", start_date=dt.date(2025, 1, 1), probability_of_success=1.5)
    )
    with pytest.raises(Exception, match=r"(?i)check constraint"):
        session.flush()
    session.rollback()


MIGRATING_PROCESSES = 4


def _upgrade_when_all_are_ready(url: str, ready: multiprocessing.synchronize.Barrier) -> None:
    ready.wait()
    migrate.upgrade(url)


def _upgrade_from_processes_at_once(url: str) -> None:
    """Dashboards starting together: every one upgrades the same fresh database at once."""
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(MIGRATING_PROCESSES)
    processes = [
        spawn.Process(target=_upgrade_when_all_are_ready, args=(url, ready))
        for _ in range(MIGRATING_PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * MIGRATING_PROCESSES
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert versions.scalars().all() == [migrate.head_revision()]
    finally:
        engine.dispose()


def test_sqlite_upgrades_started_at_once_all_succeed(tmp_path):
    _upgrade_from_processes_at_once(f"sqlite:///{tmp_path / 'roi.db'}")


@pytest.mark.postgres
def test_postgres_upgrades_started_at_once_all_succeed(postgres_url):
    _upgrade_from_processes_at_once(postgres_url)
