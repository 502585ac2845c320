"""Process-wide resources of the dashboard: settings, the migrated engine, the data fingerprint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker.config import Settings, get_settings
from roi_tracker.services.records import data_fingerprint
from roi_tracker.store import migrate
from roi_tracker.store.db import get_engine, session_scope

__all__ = ["current_settings", "data_version", "engine", "session"]


def current_settings() -> Settings:
    """The settings of this process (read once from the environment and .env)."""
    return get_settings()


@st.cache_resource(show_spinner="Preparing the database…")
def _migrated_engine(url: str) -> Engine:
    # Runs once per process and URL: the first start creates or upgrades the database.
    migrate.upgrade(url)
    return get_engine(url)


def engine() -> Engine:
    """The engine of the configured database, created or upgraded on first use."""
    return _migrated_engine(current_settings().database_url)


@contextmanager
def session() -> Iterator[Session]:
    """A session on the configured database that commits at the end of the block."""
    with session_scope(engine()) as active:
        yield active


def data_version() -> str:
    """Changes whenever the stored data change; cached loads take it as an argument."""
    with session() as active:
        return data_fingerprint(active)
