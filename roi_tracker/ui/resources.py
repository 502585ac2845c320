"""Process-wide resources of the dashboard: settings, the migrated engine, the data fingerprint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

from roi_tracker.config import Settings, get_settings
from roi_tracker.services.records import data_fingerprint
from roi_tracker.store import migrate
from roi_tracker.store.db import get_engine, session_scope

__all__ = ["current_settings", "data_version", "engine", "session"]

#: attribute of a script run's context holding (its run marker, the data version read)
_VERSION_OF_RUN = "_roi_tracker_data_version"


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
    """Changes whenever the stored data change; cached loads take it as an argument.

    Read from the database once per script run: the cached reads of a page then cost one
    query however many it makes, and a write, which reruns the script, is seen at once.
    """
    run = get_script_run_ctx()
    # Streamlit gives each run a new ``cursors`` mapping: it tells this run from the last
    marker = getattr(run, "cursors", None)
    known = getattr(run, _VERSION_OF_RUN, None)
    if marker is not None and known is not None and known[0] is marker:
        return str(known[1])
    with session() as active:
        version = data_fingerprint(active)
    if marker is not None:
        setattr(run, _VERSION_OF_RUN, (marker, version))
    return version
