"""Every page of the navigation renders without an exception, empty or with data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
import streamlit as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.db import StatementCounter
from roi_tracker.store.tables import Benefit, Cost, Project
from tests.pages.conftest import open_app

PAGES = [
    "app_pages/portfolio.py",
    "app_pages/project.py",
    "app_pages/kpis.py",
    "app_pages/budget.py",
    "app_pages/scenarios.py",
    "app_pages/data_entry.py",
    "app_pages/import_export.py",
    "app_pages/bills.py",
]


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


def statements_to_render(page: str) -> int:
    st.cache_data.clear()
    with StatementCounter() as statements:
        at = open_app(page)
    assert not at.exception
    return statements.count


def add_projects(url: str, count: int) -> None:
    """More projects, each with a cost and a benefit, after the existing ones by key."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        for number in range(count):
            project = Project(
                key=f"zz{number}", name=f"Extra {number}", start_date=date(2025, 1, 1)
            )
            session.add(project)
            session.flush()
            session.add_all(
                [
                    Cost(project_id=project.id, key="c", date=date(2025, 1, 1),
                         category="data", amount=Decimal(1000), status="actual"),
                    Benefit(project_id=project.id, key="b", date=date(2025, 2, 1), type="hard",
                            category="revenue", amount=Decimal(300), recurrence="monthly"),
                ]
            )  # fmt: skip
    engine.dispose()


@pytest.mark.parametrize("page", PAGES)
def test_no_page_runs_a_query_per_project(small_db, page):
    open_app(page)  # the first start migrates; count from the second
    before = statements_to_render(page)
    add_projects(small_db, 5)

    assert statements_to_render(page) == before


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL text of every statement any engine runs inside the block."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_with_unchanged_data_runs_only_the_data_version_query(demo_db, page):
    at = open_app(page)

    with statements_run() as statements:
        at.run()

    assert not at.exception
    # one query for the fingerprint of the stored data; everything else comes from the cache
    assert len(statements) == 1
    assert "max(projects.updated_at)" in statements[0]


def test_a_change_made_elsewhere_shows_on_the_next_rerun(small_db):
    at = open_app("app_pages/portfolio.py")
    assert len(at.dataframe[0].value) == 2

    add_projects(small_db, 1)  # as the command line or another dashboard would
    at.run()

    assert set(at.dataframe[0].value["name"]) == {
        "Invoice automation", "Support assistant", "Extra 0"
    }  # fmt: skip
