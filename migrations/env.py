"""Alembic environment: metadata from roi_tracker.store.tables, URL from the settings."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import roi_tracker.store.tables  # noqa: F401  (registers every table on the metadata)
from roi_tracker.config import get_settings
from roi_tracker.store.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def database_url() -> str:
    # An explicit URL (set by roi_tracker.store.migrate) wins over the settings.
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        version_table_schema=config.attributes.get("version_table_schema"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
