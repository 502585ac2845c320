"""The Project page: details, decision log, on an empty database and on a small portfolio."""

from __future__ import annotations

from tests.pages.conftest import open_app

PAGE = "pages/project.py"


def test_choosing_a_project_shows_its_details(small_db):
    at = open_app(PAGE)
    assert at.header[0].value == "Invoice automation"

    at.selectbox(key="project").select("beta").run()

    assert not at.exception
    assert at.header[0].value == "Support assistant"
    assert {m.label: m.value for m in at.metric}["Owner"] == "Ben"
