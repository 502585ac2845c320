"""In a real browser: hostile user text renders no link or image, and a broken database shows
one plain line on every page."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from roi_tracker.ui.failures import DATABASE_FAILED
from tests.browser.serving import CHROMIUM, PAGE_TIMEOUT_MS, streamlit_server, wait_for_page
from tests.pages.conftest import load_demo_portfolio
from tests.pages.test_database_failures import drop_tables
from tests.pages.test_hostile_text import HOSTILE, load_hostile_project

REPO = Path(__file__).resolve().parents[2]
LABELS = ["Portfolio", "Project", "KPIs", "Budget", "Scenarios", "Data", "Import / export",
          "Email summaries", "History"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


def _serve(folder: Path, url: str) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env["ROI_TRACKER_DATABASE_URL"] = url
    with streamlit_server(REPO / "streamlit_app.py", folder, env) as address:
        yield address


def _open(page, address: str, label: str) -> None:
    from playwright.sync_api import expect

    page.goto(address, timeout=PAGE_TIMEOUT_MS)
    wait_for_page(page)
    navigation = page.locator('[data-testid="stSidebarNav"]')
    navigation.locator("a", has_text=re.compile(rf"{re.escape(label)}$")).first.click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(
        label, timeout=PAGE_TIMEOUT_MS
    )
    wait_for_page(page)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'demo.db'}"
    load_demo_portfolio(url)
    load_hostile_project(url)
    yield from _serve(folder, url)


@pytest.mark.parametrize("label", LABELS)
def test_hostile_text_renders_no_link_or_image(hostile_app, browser, label):
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    try:
        _open(page, hostile_app, label)
        assert page.locator('img[src^="http://evil"]').count() == 0
        assert page.locator('a[href^="http://evil"]').count() == 0
        if label == "Project":  # the hostile project comes first by key: its name is the heading
            heading = page.locator('[data-testid="stMain"] h2').first
            assert heading.inner_text().strip() == HOSTILE
    finally:
        page.close()


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory) -> Iterator[str]:
    """The dashboard over a database whose tables were dropped after it was migrated."""
    folder = tmp_path_factory.mktemp("broken")
    url = f"sqlite:///{folder / 'demo.db'}"
    load_demo_portfolio(url)
    drop_tables(url)
    yield from _serve(folder, url)


@pytest.mark.parametrize("label", LABELS)
def test_a_broken_database_is_one_plain_line_on_every_page(broken_app, browser, label):
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    try:
        _open(page, broken_app, label)
        alert = page.locator('[data-testid="stAlert"]', has_text=DATABASE_FAILED)
        alert.first.wait_for(timeout=PAGE_TIMEOUT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "SELECT" not in text and "no such table" not in text
    finally:
        page.close()
