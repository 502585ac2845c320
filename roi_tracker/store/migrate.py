"""Run the Alembic migrations from code (`roi-tracker init`, the dashboard's first start, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

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


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the database at ``url`` to ``revision``."""
    command.upgrade(alembic_config(url), revision)


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
