"""Every page of the navigation renders without an exception, empty or with data."""

from __future__ import annotations

import pytest

from tests.pages.conftest import open_app

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
