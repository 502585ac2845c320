"""Fixtures for the dashboard tests: the app pointed at a real SQLite file, with or without data."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Benefit, Cost, Kpi, Measurement, Project
from tests.dates import month, month_end

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"
TIMEOUT_SECONDS = 60
#: the first project started 22 months before the current one, 24 months long: it has actuals
#: behind, plans ahead in its last month, and its KPI's target date has passed
ALPHA_START = -22


def shown(markdown: str) -> str:
    """The text people read for an element's Markdown source (backslash escapes removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def charts(at: AppTest) -> dict[str, dict]:
    """The Plotly figures the page drew (``roi_tracker.ui.plot``), by their element key."""
    return {
        element.proto.id.split("-", 2)[2]: json.loads(element.proto.json)
        for element in at.get("bidi_component")
        if element.proto.component_name == "roi_tracker_chart"
    }


def open_app(page: str | None = None) -> AppTest:
    """The app, run once, on ``page`` (a path like ``app_pages/kpis.py``) or the default page.

    Served on loopback, as `streamlit run` from the repository is (see ``_served_on_loopback``).
    """
    config.set_option("server.address", "localhost")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture(autouse=True)
def _served_on_loopback():
    """The address `streamlit run` would listen on (.streamlit/config.toml sets localhost): the
    dashboard without sign-in refuses any other."""
    before = config.get_option("server.address")
    config.set_option("server.address", "localhost")
    yield
    config.set_option("server.address", before)


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def app_db(monkeypatch, tmp_path) -> str:
    """An app whose database does not exist yet (the first start creates it)."""
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", url)
    return url


def load_portfolio(url: str) -> None:
    """Two projects with costs, benefits and a KPI: enough for every chart to have data.

    Dated relative to the clock (see ``ALPHA_START``), so the pages show the same on any day.
    """
    start = ALPHA_START
    engine = make_engine(url)
    with session_scope(engine) as session:
        alpha = Project(
            key="alpha", name="Invoice automation", business_unit="Finance", owner="Ana",
            use_case="automation", stage="production", start_date=month(start),
            horizon_months=24, discount_rate=0.1, probability_of_success=0.9,
        )  # fmt: skip
        beta = Project(
            key="beta", name="Support assistant", business_unit="Service", owner="Ben",
            use_case="assistant", stage="pilot", start_date=month(start + 5),
            horizon_months=24, probability_of_success=0.6,
        )  # fmt: skip
        session.add_all([alpha, beta])
        session.flush()
        session.add_all(
            [
                Cost(project_id=alpha.id, key="build", date=month(start),
                     category="development", amount=Decimal("120000"), status="actual"),
                Cost(project_id=alpha.id, key="run", date=month(start + 1), category="licensing",
                     amount=Decimal("2000"), recurrence="monthly", status="planned",
                     low=Decimal("1500"), high=Decimal("3000")),
                Benefit(project_id=alpha.id, key="hours", date=month(start + 2), type="hard",
                        category="time_savings", amount=Decimal("15000"), recurrence="monthly",
                        status="expected", confidence=0.8, low=Decimal("10000"),
                        high=Decimal("20000")),
                Cost(project_id=beta.id, key="pilot", date=month(start + 5),
                     category="development", amount=Decimal("80000"), status="actual"),
                Benefit(project_id=beta.id, key="csat", date=month(start + 8), type="soft",
                        category="customer_experience", amount=Decimal("3000"),
                        recurrence="monthly", status="expected", confidence=0.5),
            ]
        )  # fmt: skip
        kpi = Kpi(
            project_id=alpha.id, key="cycle_time", name="Invoice cycle time", unit="days",
            baseline=10, target=3, target_date=month_end(start + 17),
        )  # fmt: skip
        session.add(kpi)
        session.flush()
        session.add_all(
            [
                Measurement(kpi_id=kpi.id, date=month(start + 3), value=8),
                Measurement(kpi_id=kpi.id, date=month(start + 7), value=6),
            ]
        )
    engine.dispose()


@pytest.fixture
def small_db(app_db) -> str:
    from roi_tracker.store import migrate

    migrate.upgrade(app_db)
    load_portfolio(app_db)
    return app_db


def load_demo_portfolio(url: str) -> None:
    """Migrate ``url`` and load the demo portfolio into it."""
    from roi_tracker.services.demo import load_demo
    from roi_tracker.store import migrate

    migrate.upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_demo(session, actor=Actor.command_line(), today=clock.today())
    engine.dispose()


@pytest.fixture
def demo_db(app_db) -> str:
    load_demo_portfolio(app_db)
    return app_db
