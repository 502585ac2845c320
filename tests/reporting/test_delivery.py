"""Sending through a real SMTP server: once per period, failures recorded and retried.

The portfolio state is given here (``fixed_state``) so these tests are about delivery; the
summaries built from a real database are tested in test_summary_content.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from roi_tracker.access import Actor
from roi_tracker.config import Settings
from roi_tracker.errors import NotConfigured
from roi_tracker.reporting import delivery
from roi_tracker.reporting.subscriptions import subscribe
from roi_tracker.reporting.summary import Figures, PortfolioState
from roi_tracker.store import session_scope
from roi_tracker.store.tables import Delivery
from tests.reporting.loopback_smtp import mail_settings

NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)
ADMIN = Actor.command_line()
SCHEDULER = Actor.scheduler()


def fixed_state(session, *, as_of: date, settings: Settings) -> PortfolioState:
    npv = 1000.0 * as_of.day  # changes from day to day, so the change line shows
    return PortfolioState(
        as_of=as_of,
        currency=settings.currency,
        project_names={},
        portfolio=Figures(npv=npv, roi=0.25),
        projects={},
    )


def _deliveries(engine) -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def _subscribe(engine, email: str, **schedule) -> int:
    with session_scope(engine) as session:
        return subscribe(session, actor=ADMIN, email=email, **schedule).id


def test_due_summaries_are_sent_once_per_period(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    daily = _subscribe(engine, "cfo@example.com", frequency="daily", timezone="Europe/Berlin")
    weekly = _subscribe(engine, "cto@example.com", frequency="weekly")

    report = delivery.send_due(engine, settings, actor=SCHEDULER, now=NOW, loader=fixed_state)
    assert [(o.subscription_id, o.status) for o in report.outcomes] == [
        (daily, "sent"),
        (weekly, "sent"),
    ]
    messages = smtp_server.inbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["cfo@example.com", "cto@example.com"]
    stored = _deliveries(engine)
    assert [(d.period_key, d.status, d.attempts) for d in stored] == [
        ("2026-11-26", "sent", 1),
        ("2026-W48", "sent", 1),
    ]
    assert {d.message_id for d in stored} == {m["Message-ID"] for m in messages}

    # later the same day: nothing is due; the next day only the daily one
    assert (
        delivery.send_due(
            engine, settings, actor=SCHEDULER, now=NOW + timedelta(hours=3), loader=fixed_state
        ).outcomes
        == []
    )
    next_day = delivery.send_due(
        engine, settings, actor=SCHEDULER, now=NOW + timedelta(days=1), loader=fixed_state
    )
    assert [(o.subscription_id, o.period_key) for o in next_day.sent] == [(daily, "2026-11-27")]
    latest = smtp_server.inbox.wait_for(3)[-1]
    text = latest.get_body(("plain",)).get_content()
    assert "previous summary of 2026-11-26" in text and "(+USD 1,000)" in text


def test_an_outage_is_recorded_as_failed_and_the_next_run_recovers(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    first = _subscribe(engine, "cfo@example.com", frequency="monthly")
    second = _subscribe(engine, "cto@example.com", frequency="monthly")
    smtp_server.stop()

    def run(minutes: int) -> delivery.SendReport:
        later = NOW + timedelta(minutes=minutes)
        return delivery.send_due(engine, settings, actor=SCHEDULER, now=later, loader=fixed_state)

    down = run(0)
    # the second is not tried against a server that is down: it stays unclaimed and due
    assert [o.status for o in down.outcomes] == ["failed", "postponed"]
    assert "could not send through SMTP server" in down.failed[0].error
    [failed] = _deliveries(engine)
    assert (failed.status, failed.sent_at, failed.attempts) == ("failed", None, 1)
    assert "could not send" in failed.error

    smtp_server.start()
    smtp_server.inbox.refusing = True  # back, but refusing for a while
    refused = run(5)
    assert [o.status for o in refused.outcomes] == ["failed", "failed"]
    assert "451" in refused.failed[0].error
    assert smtp_server.inbox.messages == []

    smtp_server.inbox.refusing = False
    recovered = run(10)
    assert [(o.subscription_id, o.status) for o in recovered.outcomes] == [
        (first, "sent"),
        (second, "sent"),
    ]
    stored = [(d.status, d.attempts, d.error) for d in _deliveries(engine)]
    assert stored == [("sent", 3, None), ("sent", 2, None)]
    assert len(smtp_server.inbox.wait_for(2)) == 2
    # and they stay sent
    assert run(60).outcomes == []


def test_a_claim_left_by_a_crashed_sender_is_recovered_after_the_timeout(
    engine, db_url, smtp_server
):
    from roi_tracker.reporting import schedule

    settings = mail_settings(db_url, smtp_server.port)
    subscription = _subscribe(engine, "cfo@example.com", frequency="daily")
    # a sender claimed the period and died before sending
    assert schedule.claim(engine, subscription_id=subscription, period_key="2026-11-26", now=NOW)

    soon = delivery.send_due(
        engine, settings, actor=SCHEDULER, now=NOW + timedelta(minutes=1), loader=fixed_state
    )
    assert [o.status for o in soon.outcomes] == ["skipped"]
    later = NOW + schedule.CLAIM_TIMEOUT + timedelta(minutes=1)
    recovered = delivery.send_due(engine, settings, actor=SCHEDULER, now=later, loader=fixed_state)
    assert [o.status for o in recovered.outcomes] == ["sent"]
    assert len(smtp_server.inbox.wait_for(1)) == 1


def test_without_a_mail_server_nothing_is_claimed(engine, db_url):
    _subscribe(engine, "cfo@example.com", frequency="daily")
    with pytest.raises(NotConfigured, match="ROI_TRACKER_SMTP_HOST"):
        delivery.send_due(
            engine, Settings(database_url=db_url, _env_file=None), actor=SCHEDULER, now=NOW
        )
    assert _deliveries(engine) == []


def test_send_now_sends_outside_the_schedule_and_records_it(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    subscription = _subscribe(engine, "cfo@example.com", cron="0 8 * * 1")
    delivery.send_due(engine, settings, actor=SCHEDULER, now=NOW, loader=fixed_state)
    report = delivery.send_now(
        engine, settings, [subscription], actor=ADMIN, now=NOW, loader=fixed_state
    )
    assert [o.status for o in report.outcomes] == ["sent"]
    keys = [d.period_key for d in _deliveries(engine)]
    assert keys[0] == "2026-11-23T08:00" and keys[1].startswith("manual:20261126T090000")
    assert len(smtp_server.inbox.wait_for(2)) == 2


def test_preview_sends_and_records_nothing(engine, db_url):
    subscription = _subscribe(engine, "cfo@example.com", frequency="daily")
    settings = Settings(database_url=db_url, _env_file=None)  # no mail server needed
    message = delivery.preview(engine, settings, subscription, now=NOW, loader=fixed_state)
    assert message["To"] == "cfo@example.com"
    assert "USD 26,000" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    assert _deliveries(engine) == []
