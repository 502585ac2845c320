"""Shared fixtures: real SQLite files migrated with Alembic, and a fresh PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from roi_tracker.config import Settings
from roi_tracker.store import make_engine, migrate, session_scope

POSTGRES_URL_VARIABLE = "ROI_TRACKER_TEST_POSTGRES_URL"

# No per-example deadline: a busy CI machine must not turn a slow example into a failure.
# In CI the examples are derived from each test's name, so a run can be repeated exactly;
# locally they are random, and a failure found there is saved in .hypothesis/ and replayed.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path) -> None:
    """No test reads the developer's .env or ROI_TRACKER_* variables by accident."""
    for name in list(os.environ):
        if name.startswith("ROI_TRACKER_") and name != POSTGRES_URL_VARIABLE:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    from roi_tracker.config import get_settings

    get_settings.cache_clear()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of an empty SQLite file, upgraded to the newest migration."""
    url = f"sqlite:///{tmp_path / 'roi.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine):
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, _env_file=None)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: PostgreSQL tests need a server")
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A database of its own for one test, dropped afterwards."""
    server = make_url(postgres_server_url).set(drivername="postgresql+psycopg")
    name = f"roi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
