"""The Email summaries page: subscriptions, a safe preview, a test email, removal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from roi_tracker.access import Actor
from roi_tracker.reporting.subscriptions import subscribe
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import AuditEntry, Delivery, Project, Subscription
from tests.pages.conftest import open_app, shown
from tests.reporting.loopback_smtp import SmtpServer, free_port, mail_environment

PAGE = "app_pages/email_summaries.py"
HOSTILE = "<script>alert(1)</script> Bot"


@pytest.fixture
def smtp_server():
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


def _stored(url: str, model) -> list:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return list(session.scalars(select(model)))
    finally:
        engine.dispose()


def _subscribe(at, email: str, schedule: str = "weekly", timezone: str = "UTC", scope=None):
    at.text_input(key="subscribe_email").input(email)
    if scope is not None:
        at.selectbox(key="subscribe_scope").select(scope)
    at.selectbox(key="subscribe_schedule").select(schedule)
    at.text_input(key="subscribe_timezone").input(timezone)
    return at.button(key="FormSubmitter:subscribe_form-Subscribe").click().run()


def test_without_subscriptions_the_page_explains_and_offers_the_form(app_db):
    at = open_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Email summaries"
    assert "ROI_TRACKER_SMTP_HOST" in at.info[0].value
    assert any("No subscriptions yet" in c.value for c in at.caption)


def test_a_subscription_is_added_and_a_bad_one_is_refused(small_db):
    at = open_app(PAGE)
    at = _subscribe(at, "cfo@example.com", "monthly", "Europe/Berlin")
    assert not at.exception
    assert "Subscribed cfo@example.com" in shown(at.success[0].value)
    [stored] = _stored(small_db, Subscription)
    assert (stored.email, stored.frequency, stored.timezone) == (
        "cfo@example.com",
        "monthly",
        "Europe/Berlin",
    )

    at = _subscribe(at, "someone@example.com", "daily", "Moon/Base")
    message = shown(at.error[0].value)
    assert "Nothing was saved" in message and "unknown time zone" in message
    assert len(_stored(small_db, Subscription)) == 1


def test_the_preview_escapes_user_text_and_a_test_email_is_sent(small_db, smtp_server, monkeypatch):
    for name, value in mail_environment(small_db, smtp_server.port).items():
        monkeypatch.setenv(name, value)
    engine = make_engine(small_db)
    with session_scope(engine) as session:
        session.add(Project(key="evil", name=HOSTILE, start_date=date(2025, 1, 1)))
    engine.dispose()
    at = open_app(PAGE)
    at = _subscribe(at, "lead@example.com", scope="evil")
    assert not at.exception

    html = at.get("html")[0].proto.body
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Bot" in html
    assert "HEADLINE FIGURES" in at.code[0].value

    at.button(key="send_test").click().run()
    assert not at.exception
    assert at.success[0].value == "Sent."
    assert "lead@example.com" in [t.value for t in at.text]
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "lead@example.com"
    [delivery] = _stored(small_db, Delivery)
    assert delivery.status == "sent" and delivery.period_key.startswith("manual:")


def test_removing_needs_confirmation(small_db):
    at = _subscribe(open_app(PAGE), "cfo@example.com")
    assert at.button(key="remove").disabled
    at.checkbox(key="remove_sure").check().run()
    at.button(key="remove").click().run()
    assert not at.exception
    assert "Removed subscription #1" in shown(at.success[0].value)
    assert _stored(small_db, Subscription) == []


VIEWER = Actor.user("viewer@example.com", "viewer")


def _add_subscriptions(url: str) -> dict[str, int]:
    """Someone else's subscription and the viewer's own, whose last delivery was refused."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        admin = Actor.command_line()
        other = subscribe(session, actor=admin, email="cfo@example.com", frequency="weekly")
        own = subscribe(session, actor=admin, email="viewer@example.com", frequency="daily")
        session.add(
            Delivery(
                subscription_id=own.id, period_key="2026-11-26", status="refused", attempts=3,
                error="SMTP server 127.0.0.1:25 refused the message: 550 5.7.1 *rejected*",
            )
        )  # fmt: skip
        ids = {"other": other.id, "own": own.id}
    engine.dispose()
    return ids


def test_a_viewer_sees_and_subscribes_only_their_own_address(small_db, monkeypatch):
    monkeypatch.setattr("roi_tracker.ui.auth.current_actor", lambda: VIEWER)
    ids = _add_subscriptions(small_db)
    at = open_app(PAGE)
    assert not at.exception
    # only their own subscription is listed, with its permanent refusal and its reason
    assert at.dataframe[0].value["email"].tolist() == ["viewer@example.com"]
    assert f"summary #{ids['own']} permanently (3 attempts)" in at.warning[0].value
    assert any(t.value.endswith("550 5.7.1 *rejected*") for t in at.text)
    # no free address field: the one option is their own address
    assert not [w for w in at.text_input if w.key == "subscribe_email"]
    assert at.selectbox(key="subscribe_own_email").options == ["viewer@example.com"]
    assert at.selectbox(key="chosen").options == [
        f"#{ids['own']} viewer@example.com: portfolio, daily"
    ]

    at.selectbox(key="subscribe_schedule").select("monthly")
    at = at.button(key="FormSubmitter:subscribe_form-Subscribe").click().run()
    assert not at.exception
    emails = sorted(s.email for s in _stored(small_db, Subscription))
    assert emails == ["cfo@example.com", "viewer@example.com", "viewer@example.com"]
    lines = [a for a in _stored(small_db, AuditEntry) if a.actor == "viewer@example.com"]
    assert {(a.action, a.entity, a.field, a.new) for a in lines} >= {
        ("create", "subscriptions", "email", "viewer@example.com"),
        ("create", "subscriptions", "frequency", "monthly"),
    }
