"""Run the Alembic migrations from code (`roi-tracker init`, the dashboard's first start, tests)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine, make_url

from roi_tracker.store.db import make_engine, normalise_url


def migrations_dir() -> Path:
    """The top-level migrations/ of a source checkout, else the copy installed in the package."""
    checkout = Path(__file__).resolve().parents[2] / "migrations"
    if (checkout / "env.py").exists():
        return checkout
    import roi_tracker.migrations as installed

    return Path(installed.__file__).parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # ConfigParser interpolation would read a '%' in a password as a placeholder
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


#: pg_advisory_lock key held while migrating (the ASCII of "roi-trac" as a bigint)
ADVISORY_LOCK_KEY = 0x726F692D74726163


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the database at ``url`` to ``revision``.

    Several dashboards starting at once would all find the database behind and run the same
    migration; under a lock the first migrates and the others then find nothing to do.
    """
    engine = make_engine(url)
    try:
        with _migration_lock(engine, url) as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(engine: Engine, url: str) -> Iterator[Connection]:
    """A connection for Alembic, held under a lock that one process at a time gets."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # a session-level lock: it outlives Alembic's transaction on this connection
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
            return
        database = make_url(normalise_url(url)).database
        if connection.dialect.name != "sqlite" or database in (None, "", ":memory:"):
            yield connection  # an in-memory database belongs to one process
            return
        # a file next to the database: SQLite's own locks last one transaction, not a migration
        with open(f"{database}.migrate-lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield connection
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def create_if_new(url: str) -> None:
    """Create the schema of a database that has none yet; leave any other database alone."""
    engine = make_engine(url)
    try:
        fresh = current_revision(engine) is None
    finally:
        engine.dispose()
    if fresh:
        upgrade(url)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_up_to_date(url: str) -> bool:
    engine = make_engine(url)
    try:
        return current_revision(engine) == head_revision()
    finally:
        engine.dispose()
