"""Failures of the database shown as one plain line; their details go to the server log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["DATABASE_FAILED", "database_failures_in_one_line"]

logger = logging.getLogger(__name__)

#: what people see; the statement, its parameters and the server's address stay in the log
DATABASE_FAILED = "The database could not be reached or used; the details are in the server log."


@contextmanager
def database_failures_in_one_line() -> Iterator[None]:
    """Run a page; a database error ends the run with one line instead of a traceback."""
    try:
        yield
    except SQLAlchemyError:
        logger.exception("the page stopped on a database error")
        st.error(DATABASE_FAILED, icon=":material/database:")
        st.stop()
