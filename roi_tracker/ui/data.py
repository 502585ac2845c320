"""Cached reads for the pages, keyed by database URL and data version so edits show at once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.store import queries
from roi_tracker.store.db import get_engine, session_scope
from roi_tracker.ui.resources import current_settings, data_version, engine

__all__ = ["projects"]


@st.cache_data(show_spinner=False, max_entries=16)
def _projects(url: str, version: str) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        return queries.projects_frame(session)


def projects() -> pd.DataFrame:
    """Every project, ordered by key."""
    engine()
    return _projects(current_settings().database_url, data_version())
