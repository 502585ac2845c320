"""Schedules in time zones and at month ends, and the claim: one winner per period, retries."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.domain.vocabulary import DeliveryStatus
from roi_tracker.errors import InvalidInput
from roi_tracker.reporting import schedule
from roi_tracker.reporting.subscriptions import subscribe
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Delivery

UTC_ZONE = ZoneInfo("UTC")
SENDER = {"actor": Actor.scheduler(), "recipient": "cfo@example.com"}


def key(frequency: str, now: datetime, zone: str = "UTC", cron: str | None = None) -> str:
    return schedule.period_for(frequency, zone=ZoneInfo(zone), now=now, cron=cron).key


def test_periods_follow_the_subscribers_time_zone_across_a_month_end():
    now = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    assert key("daily", now) == "2026-01-31"
    assert key("daily", now, "Asia/Tokyo") == "2026-02-01"
    assert key("monthly", now, "Asia/Tokyo") == "2026-02"
    assert key("monthly", now, "America/Los_Angeles") == "2026-01"
    sunday_night = datetime(2026, 2, 1, 23, 30, tzinfo=UTC)  # Monday morning in Tokyo
    assert key("weekly", sunday_night) == "2026-W05"
    assert key("weekly", sunday_night, "Asia/Tokyo") == "2026-W06"


def test_month_periods_end_where_the_next_month_starts():
    december = schedule.period_for(
        "monthly", zone=ZoneInfo("Europe/Berlin"), now=datetime(2026, 12, 31, 22, 59, tzinfo=UTC)
    )
    assert december.key == "2026-12"
    assert december.end == datetime(2027, 1, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    february = schedule.period_for(
        "monthly", zone=UTC_ZONE, now=datetime(2028, 2, 29, 12, tzinfo=UTC)
    )
    assert (february.start.day, february.end.month, february.end.day) == (1, 3, 1)


def test_weeks_start_on_monday_and_span_a_year_end():
    period = schedule.period_for("weekly", zone=UTC_ZONE, now=datetime(2027, 1, 1, 8, tzinfo=UTC))
    assert period.key == "2026-W53"
    assert period.start.date().isoformat() == "2026-12-28"
    assert period.end.date().isoformat() == "2027-01-04"


def test_cron_periods_run_on_local_wall_clock_time():
    # 08:00 in Berlin is 07:00 UTC in winter
    before = datetime(2026, 11, 26, 6, 59, tzinfo=UTC)
    after = datetime(2026, 11, 26, 7, 0, 30, tzinfo=UTC)
    assert key("cron", before, "Europe/Berlin", "0 8 * * *") == "2026-11-25T08:00"
    assert key("cron", after, "Europe/Berlin", "0 8 * * *") == "2026-11-26T08:00"
    # exactly at the firing, the new period has begun
    assert key("cron", datetime(2026, 11, 26, 7, tzinfo=UTC), "Europe/Berlin", "0 8 * * *") == (
        "2026-11-26T08:00"
    )


def test_cron_on_the_31st_skips_shorter_months():
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    period = schedule.period_for("cron", zone=UTC_ZONE, now=now, cron="0 9 31 * *")
    assert period.key == "2026-10-31T09:00"
    assert period.end == datetime(2026, 12, 31, 9, tzinfo=UTC_ZONE)


def test_a_firing_repeated_by_the_autumn_clock_change_keeps_one_period():
    zone = "Europe/Berlin"  # 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens twice
    first = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)  # 02:40 CEST
    second = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)  # 02:40 CET
    assert key("cron", first, zone, "30 2 * * *") == key("cron", second, zone, "30 2 * * *")


def test_bad_cron_and_time_zone_are_refused_with_a_reason():
    with pytest.raises(InvalidInput, match="five fields"):
        schedule.validate_cron("0 8 * *")
    with pytest.raises(InvalidInput, match="invalid cron"):
        schedule.validate_cron("61 8 * * *")
    with pytest.raises(InvalidInput, match="never fires"):
        schedule.validate_cron("0 8 30 2 *")
    with pytest.raises(InvalidInput, match="unknown time zone 'Mars/Olympus'"):
        clock.zone("Mars/Olympus")
    assert schedule.validate_cron("  0  8 * * 1 ") == "0 8 * * 1"
    assert schedule.validate_cron("@daily") == "@daily"


def _subscription_id(engine, **values) -> int:
    with session_scope(engine) as session:
        return subscribe(session, actor=Actor.command_line(), email="cfo@example.com", **values).id


def _delivery(engine, claim) -> Delivery:
    with session_scope(engine) as session:
        return session.scalars(select(Delivery).where(Delivery.id == claim.delivery_id)).one()


def _check_claim_protocol(engine) -> None:
    sub = _subscription_id(engine, frequency="daily")
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    first = schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=now)
    assert first is not None and first.attempt == 1
    assert schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=now) is None

    # a failure is retried by the next run, by one claimant
    assert schedule.mark_failed(engine, first, **SENDER, error="SMTP down")
    retry = schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=now)
    assert retry is not None and retry.attempt == 2
    assert schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=now) is None
    # the first claim is void now: it can no longer record an outcome
    assert not schedule.mark_sent(
        engine, first, **SENDER, sent_at=now, message_id="<x>", snapshot="{}"
    )

    # a claim left behind by a crashed sender is taken over after the timeout, not before
    soon = now + schedule.CLAIM_TIMEOUT - timedelta(seconds=1)
    late = now + schedule.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=soon) is None
    recovered = schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=late)
    assert recovered is not None and recovered.attempt == 3
    assert schedule.mark_sent(
        engine, recovered, **SENDER, sent_at=late, message_id="<m>", snapshot="{}"
    )
    stored = _delivery(engine, recovered)
    assert (stored.status, stored.attempts, stored.error) == (DeliveryStatus.SENT, 3, None)
    # once sent, never again
    later = late + timedelta(days=1)
    assert schedule.claim(engine, subscription_id=sub, period_key="2026-11-26", now=later) is None


def _check_one_winner_among_threads(engine) -> None:
    sub = _subscription_id(engine, frequency="weekly")
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    start = threading.Barrier(6)
    results: list = []

    def contend() -> None:
        start.wait()
        results.append(schedule.claim(engine, subscription_id=sub, period_key="W", now=now))

    def race() -> list:
        results.clear()
        start.reset()
        threads = [threading.Thread(target=contend) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [r for r in results if r is not None]

    [winner] = race()
    # and likewise when they all find the same failed delivery
    schedule.mark_failed(engine, winner, **SENDER, error="refused")
    [retry] = race()
    assert retry.attempt == 2


def test_claim_protocol_on_sqlite(engine):
    _check_claim_protocol(engine)


def test_one_claim_wins_among_threads_on_sqlite(engine):
    _check_one_winner_among_threads(engine)


@pytest.fixture
def postgres_engine(postgres_url):
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_claim_protocol_on_postgres(postgres_engine):
    _check_claim_protocol(postgres_engine)


@pytest.mark.postgres
def test_one_claim_wins_among_threads_on_postgres(postgres_engine):
    _check_one_winner_among_threads(postgres_engine)


def test_due_subscriptions_skip_sent_periods_and_inactive_ones(engine):
    daily = _subscription_id(engine, frequency="daily", timezone="Asia/Tokyo")
    monthly = _subscription_id(engine, frequency="monthly")
    paused = _subscription_id(engine, cron="0 8 * * *")
    with session_scope(engine) as session:
        session.get(schedule.Subscription, paused).active = False
    now = datetime(2026, 11, 30, 16, tzinfo=UTC)  # already 1 December in Tokyo
    with session_scope(engine) as session:
        due = schedule.due_subscriptions(session, now)
    assert [(s.id, p.key) for s, p in due] == [(daily, "2026-12-01"), (monthly, "2026-11")]

    held = schedule.claim(engine, subscription_id=daily, period_key="2026-12-01", now=now)
    schedule.mark_sent(engine, held, **SENDER, sent_at=now, message_id="<m>", snapshot="{}")
    with session_scope(engine) as session:
        assert [s.id for s, _ in schedule.due_subscriptions(session, now)] == [monthly]
        tomorrow = now + timedelta(days=1)
        assert [s.id for s, _ in schedule.due_subscriptions(session, tomorrow)] == [daily, monthly]
