"""Every page of the navigation renders without an exception, empty or with data."""

from __future__ import annotations

import pytest
import streamlit as st

from roi_tracker.config import get_settings
from roi_tracker.store import migrate
from roi_tracker.store.db import StatementCounter
from tests.pages.conftest import load_demo_portfolio, load_portfolio, open_app

PAGES = ["pages/portfolio.py", "pages/project.py", "pages/data_entry.py"]


@pytest.mark.parametrize("page", PAGES)
def test_on_an_empty_database_the_page_says_how_to_load_data(app_db, page):
    at = open_app(page)

    assert not at.exception
    assert at.title[0].value
    assert "roi-tracker demo" in at.info[0].value


@pytest.mark.parametrize("page", PAGES)
def test_on_the_demo_the_page_renders_without_the_empty_state(demo_db, page):
    at = open_app(page)

    assert not at.exception
    assert not [info for info in at.info if "No projects yet" in info.value]


def statements_to_render(url: str, page: str, monkeypatch) -> int:
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    st.cache_data.clear()
    open_app(page)  # the first start migrates; count from the second
    st.cache_data.clear()
    with StatementCounter() as statements:
        at = open_app(page)
    assert not at.exception
    return statements.count


@pytest.mark.parametrize("page", PAGES)
def test_no_page_runs_a_query_per_project(tmp_path, monkeypatch, page):
    small, demo = f"sqlite:///{tmp_path / 'small.db'}", f"sqlite:///{tmp_path / 'demo.db'}"
    migrate.upgrade(small)
    load_portfolio(small)
    load_demo_portfolio(demo)

    assert statements_to_render(small, page, monkeypatch) == statements_to_render(
        demo, page, monkeypatch
    )
