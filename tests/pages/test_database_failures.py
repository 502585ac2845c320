"""A database that cannot be reached or read: one plain line on the page, the details logged.

The handler is in the app's frame (streamlit_app.py), around the sign-in and every page;
tests/browser/test_safety.py opens every page in a real browser over a broken database.
"""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy import text

from roi_tracker.store import make_engine
from roi_tracker.ui.failures import DATABASE_FAILED
from tests.pages.conftest import open_app

#: nothing listens on port 1: connecting is refused at once
UNREACHABLE = "postgresql+psycopg://roi:secret@127.0.0.1:1/roi"


def _shown(at) -> str:
    """Every text the page shows, in one string."""
    parts = [element.value for element in at.error]
    parts += [str(getattr(element, "value", "")) for element in at.markdown]
    parts += [str(element.value) for element in at.exception]
    return "\n".join(parts)


def _assert_one_plain_line(at) -> None:
    assert not at.exception
    assert [error.value for error in at.error] == [DATABASE_FAILED]
    shown = _shown(at)
    for leak in ("SELECT", "FROM", "127.0.0.1", "secret", "psycopg", "sqlite3", "[SQL"):
        assert leak not in shown


def test_an_unreachable_database_is_one_line_and_logged(monkeypatch, caplog):
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", UNREACHABLE)
    with caplog.at_level(logging.ERROR, logger="roi_tracker.ui.failures"):
        at = open_app()

    _assert_one_plain_line(at)
    details = "\n".join(record.exc_text or "" for record in caplog.records)
    assert "127.0.0.1" in details and "OperationalError" in details


def drop_tables(url: str) -> None:
    """Drop the data tables behind the app's back (after it migrated the database)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("PRAGMA foreign_keys = OFF"))
        for table in ("measurements", "benchmarks", "kpis", "costs", "benefits", "projects"):
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()


def test_a_database_whose_tables_were_dropped_is_one_line_and_logged(demo_db, caplog):
    assert not open_app().error  # the first start migrated the database
    drop_tables(demo_db)
    st.cache_data.clear()

    with caplog.at_level(logging.ERROR, logger="roi_tracker.ui.failures"):
        at = open_app()

    _assert_one_plain_line(at)
    details = "\n".join(record.exc_text or "" for record in caplog.records)
    assert "no such table" in details
