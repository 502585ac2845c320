"""Real-browser sign-in: a fresh server with local accounts never shows a page before sign-in,
even to the very first visit and even at a page's own address."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roi_tracker.access import Actor, Role
from roi_tracker.services import users
from roi_tracker.store import make_engine, migrate, session_scope
from tests.browser.serving import CHROMIUM, CHROMIUM_ARGS, streamlit_server

REPO = Path(__file__).resolve().parents[2]
PAGE_TIMEOUT_MS = 60_000
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


def test_the_first_visit_to_a_page_address_gets_the_sign_in_form_then_the_page(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = f"sqlite:///{tmp_path / 'roi.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        users.add_user(session, "ed@example.com", Role.EDITOR, PASSWORD, actor=Actor.command_line())
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env.update(ROI_TRACKER_DATABASE_URL=url, ROI_TRACKER_AUTH="local")

    with (
        streamlit_server(REPO / "streamlit_app.py", tmp_path, env) as address,
        sync_playwright() as playwright,
    ):
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = chromium.new_page()
        try:
            # the server's first run: straight to the Data page's address
            page.goto(address + "data_entry", timeout=PAGE_TIMEOUT_MS)
            heading = page.locator('[data-testid="stMain"] h1').first
            expect(heading).to_have_text("Sign in", timeout=PAGE_TIMEOUT_MS)
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0
            # Streamlit says the address names no page it knows before sign-in
            expect(page.get_by_text("Page not found")).to_be_visible()
            page.keyboard.press("Escape")

            page.get_by_role("textbox", name="Email").fill("ed@example.com")
            page.get_by_role("textbox", name="Password").fill("a wrong password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("Wrong email or password.")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )

            page.get_by_role("textbox", name="Email").fill("ed@example.com")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(heading).not_to_have_text("Sign in", timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text("Signed in as ed@example.com (editor)")).to_be_visible()
            navigation = page.locator('[data-testid="stSidebarNav"]')
            expect(navigation).to_contain_text("Data")
            assert "Users" not in navigation.inner_text()
        finally:
            chromium.close()
