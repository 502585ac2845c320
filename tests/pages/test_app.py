"""The entrypoint: first start on a missing database, navigation, empty state."""

from __future__ import annotations

from sqlalchemy import inspect

from roi_tracker.store import make_engine, migrate
from tests.pages.conftest import open_app


def test_first_start_creates_the_database_and_explains_how_to_get_data(app_db):
    at = open_app()

    assert not at.exception
    engine = make_engine(app_db)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert "projects" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    messages = " ".join(info.value for info in at.info)
    assert "roi-tracker demo" in messages
    assert "import" in messages.lower()


def test_the_portfolio_is_the_default_page(small_db):
    at = open_app()

    assert not at.exception
    assert at.title[0].value == "Portfolio"
    assert not at.info
