"""Real-browser smoke test: the app under `streamlit run`, each page opened from the navigation.

Screenshots land in test-artifacts/ at the repository root.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.serving import CHROMIUM, PAGE_TIMEOUT_MS, streamlit_server, wait_for_page
from tests.pages.conftest import load_demo_portfolio
from tests.ui.test_plot import PLOTLY_JS_VERSION

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"

#: navigation label -> whether the page shows at least one Plotly chart on the demo
PAGES = {
    "Portfolio": True,
    "Project": True,
    "KPIs": True,
    "Budget": True,
    "Scenarios": True,
    "Data": False,
    "Import / export": False,
    "Email summaries": False,
    "Users": False,
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture(scope="module")
def served_app(tmp_path_factory) -> Iterator[str]:
    """The dashboard on a free loopback port over a temporary SQLite holding the demo."""
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'demo.db'}"
    load_demo_portfolio(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env["ROI_TRACKER_DATABASE_URL"] = url
    with streamlit_server(REPO / "streamlit_app.py", folder, env) as address:
        yield address


@pytest.mark.parametrize(("label", "expects_chart"), PAGES.items(), ids=list(PAGES))
def test_every_page_opens_from_the_navigation(served_app, browser, label, expects_chart):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    try:
        page.goto(served_app, timeout=PAGE_TIMEOUT_MS)
        wait_for_page(page)
        navigation = page.locator('[data-testid="stSidebarNav"]')
        # the link's text also holds the icon's ligature name, so match the label at the end
        navigation.locator("a", has_text=re.compile(rf"{re.escape(label)}$")).first.click()
        # each page's title is its navigation label: wait until the new page has replaced it
        heading = page.locator('[data-testid="stMain"] h1').first
        expect(heading).to_have_text(label, timeout=PAGE_TIMEOUT_MS)
        wait_for_page(page)
        if expects_chart:
            # drawn by the plotly.js bundle that the server hands out from static/
            page.wait_for_selector(".roi-chart .main-svg", timeout=PAGE_TIMEOUT_MS)
        slug = re.sub(r"\W+", "-", label.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)

        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        if expects_chart:
            assert page.locator(".roi-chart.js-plotly-plot").count() >= 1
            assert page.locator(".roi-chart .main-svg .trace").count() >= 1
            assert page.evaluate("() => window.Plotly.version") == PLOTLY_JS_VERSION
    finally:
        page.close()


def test_without_static_file_serving_a_chart_says_why_it_is_not_drawn(tmp_path, browser):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    load_demo_portfolio(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env["ROI_TRACKER_DATABASE_URL"] = url
    with streamlit_server(REPO / "streamlit_app.py", tmp_path, env, static_serving=False) as app:
        page = browser.new_page()
        try:
            page.goto(app, timeout=PAGE_TIMEOUT_MS)
            wait_for_page(page)
            message = page.locator(".roi-chart", has_text="server.enableStaticServing").first
            message.wait_for(timeout=PAGE_TIMEOUT_MS)
            assert page.locator(".roi-chart .main-svg").count() == 0
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            page.close()
