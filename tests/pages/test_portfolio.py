"""The Portfolio page on an empty database and on a small portfolio."""

from __future__ import annotations

from tests.pages.conftest import open_app

PAGE = "pages/portfolio.py"


def test_lists_every_project_with_stage_and_owner(small_db):
    at = open_app(PAGE)

    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["key"]) == ["alpha", "beta"]
    assert list(table["stage"]) == ["production", "pilot"]
    assert list(table["owner"]) == ["Ana", "Ben"]
