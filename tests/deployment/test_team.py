"""A team deployment, as docs/deployment.md describes it: two dashboards and one scheduler
sharing one PostgreSQL, with local accounts.

A user signs in on the first dashboard and edits a cost; the second dashboard shows the new
amount; the scheduler sends the due summary once; the audit trail names the user.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from roi_tracker.access import Actor, Role
from roi_tracker.cli import app
from roi_tracker.reporting import subscriptions
from roi_tracker.services import records, users
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Delivery
from tests.browser.serving import CHROMIUM, CHROMIUM_ARGS, free_port, serving
from tests.reporting.loopback_smtp import mail_environment
from tests.reporting.test_digest_cli import LogFollower, roi

PAGE_TIMEOUT_MS = 90_000
PASSWORD = "a long enough passphrase"
EDITOR = "alice@example.com"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


def _prepare(url: str) -> None:
    """The database as an administrator leaves it: a project with a cost, a user, a subscriber."""
    migrate.upgrade(url)
    admin = Actor.command_line()
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            records.save_record(
                session, "projects",
                {"key": "bot", "name": "Support bot", "start_date": date(2026, 1, 1)},
                actor=admin,
            )  # fmt: skip
            records.save_record(
                session, "costs",
                {"project_key": "bot", "key": "build", "date": date(2026, 1, 15),
                 "category": "development", "amount": "5000", "status": "actual"},
                actor=admin,
            )  # fmt: skip
            users.add_user(session, EDITOR, Role.EDITOR, PASSWORD, actor=admin)
            subscriptions.subscribe(
                session, actor=admin, email="cfo@example.com", frequency="daily"
            )
    finally:
        engine.dispose()


def _dashboard(url: str, folder: Path, name: str):
    """``roi-tracker serve`` with local sign-in on a free loopback port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env.update(
        ROI_TRACKER_DATABASE_URL=url,
        ROI_TRACKER_AUTH="local",
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
    )
    command = [sys.executable, "-m", "roi_tracker", "serve", "--address", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    return serving(command, port, folder, env, log=f"{name}.log")


def _page(chromium):
    """A page of a browser context of its own, patient with a busy machine."""
    context = chromium.new_context()
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context.new_page()


def _sign_in(page, address: str) -> None:
    from playwright.sync_api import expect

    page.goto(address, timeout=PAGE_TIMEOUT_MS)
    heading = page.locator('[data-testid="stMain"] h1').first
    expect(heading).to_have_text("Sign in", timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("textbox", name="Email").fill(EDITOR)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {EDITOR} (editor)")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )


def _open_the_cost(page) -> object:
    """The Data page's form of the cost ``build``; returns its Amount box."""
    from playwright.sync_api import expect

    navigation = page.locator('[data-testid="stSidebarNav"]')
    navigation.locator("a", has_text=re.compile(r"Data$")).first.click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(
        "Data", timeout=PAGE_TIMEOUT_MS
    )
    page.get_by_role("radio", name="Costs", exact=True).click()
    record = page.get_by_role("combobox", name=re.compile("^Record"))
    expect(record).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    record.click()
    page.get_by_role("option", name="build").click()
    amount = page.get_by_role("textbox", name=re.compile(r"^Amount"))
    expect(amount).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    return amount


def test_two_dashboards_and_a_scheduler_share_one_postgresql(postgres_url, smtp_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    _prepare(postgres_url)
    mail = {**mail_environment(postgres_url, smtp_server.port), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    scheduler = roi("scheduler", "--interval", "1", "--log-level", "debug", env=mail)
    log = LogFollower(scheduler.stderr)
    try:
        with (
            _dashboard(postgres_url, tmp_path, "first") as first,
            _dashboard(postgres_url, tmp_path, "second") as second,
            sync_playwright() as playwright,
        ):
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                editor = _page(chromium)
                _sign_in(editor, first)
                amount = _open_the_cost(editor)
                expect(amount).to_have_value("5000.00")
                amount.fill("7250.50")
                editor.get_by_role("button", name="Save changes").click()
                expect(editor.get_by_text("Saved the cost record.")).to_be_visible(
                    timeout=PAGE_TIMEOUT_MS
                )

                # another browser, another dashboard process: the stored value, at once
                reader = _page(chromium)
                _sign_in(reader, second)
                expect(_open_the_cost(reader)).to_have_value("7250.50")
            finally:
                chromium.close()

        # the due summary goes out once, however many rounds the scheduler runs
        assert [m["To"] for m in smtp_server.inbox.wait_for(1, timeout=60)] == ["cfo@example.com"]
        log.wait_for("round done: 0 sent, 0 failed", count=2, timeout=60)
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    assert len(smtp_server.inbox.messages) == 1
    engine = make_engine(postgres_url)
    try:
        with session_scope(engine) as session:
            assert [d.status for d in session.scalars(select(Delivery))] == ["sent"]
    finally:
        engine.dispose()

    result = CliRunner().invoke(
        app, ["audit", "--project", "bot", "--format", "json", "--database-url", postgres_url]
    )
    assert result.exit_code == 0, result.output
    edits = [
        line for line in json.loads(result.output)
        if line["entity"] == "costs" and line["action"] == "update"
    ]  # fmt: skip
    assert [(e["actor"], e["field"], e["old"], e["new"]) for e in edits] == [
        (EDITOR, "amount", "5000.00", "7250.50")
    ]
