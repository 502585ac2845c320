"""Who may subscribe whom, who gets a test email, and what the audit trail records of it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from roi_tracker.access import Actor
from roi_tracker.errors import Forbidden, InvalidInput
from roi_tracker.reporting import delivery, schedule
from roi_tracker.reporting.subscriptions import list_subscriptions, remove_subscription, subscribe
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import AuditEntry, Delivery, Subscription
from tests.reporting.loopback_smtp import PERMANENT_REFUSAL, mail_settings
from tests.reporting.test_delivery import fixed_state

NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)
ADMIN = Actor.user("admin@example.com", "admin")
VIEWER = Actor.user("viewer@example.com", "viewer")
EDITOR = Actor.user("editor@example.com", "editor")
SCHEDULER = Actor.scheduler()


def _stored(engine, model) -> list:
    with session_scope(engine) as session:
        return list(session.scalars(select(model).order_by(model.id)))


def _subscribe(engine, actor: Actor, email: str, **schedule_) -> int:
    with session_scope(engine) as session:
        return subscribe(
            session, actor=actor, email=email, **(schedule_ or {"frequency": "daily"})
        ).id


@pytest.mark.parametrize("actor", [VIEWER, EDITOR])
def test_a_viewer_or_editor_may_not_subscribe_someone_else(engine, actor):
    with pytest.raises(Forbidden, match="may not manage other people's email subscriptions"):
        _subscribe(engine, actor, "cfo@example.com")
    assert _stored(engine, Subscription) == [] and _stored(engine, AuditEntry) == []


def test_a_viewer_subscribes_their_own_address_and_it_is_audited(engine):
    subscription = _subscribe(engine, VIEWER, "Viewer@Example.com", cron="0 8 * * 1")
    [stored] = _stored(engine, Subscription)
    assert (stored.id, stored.email, stored.cron) == (
        subscription,
        "Viewer@Example.com",
        "0 8 * * 1",
    )
    lines = {
        (a.actor, a.action, a.entity, a.record_key, a.field, a.new)
        for a in _stored(engine, AuditEntry)
    }
    key = f"{subscription}:Viewer@Example.com"
    assert (
        "viewer@example.com",
        "create",
        "subscriptions",
        key,
        "email",
        "Viewer@Example.com",
    ) in lines
    assert ("viewer@example.com", "create", "subscriptions", key, "cron", "0 8 * * 1") in lines


def test_an_admin_subscribes_others_and_removes_anyones(engine):
    other = _subscribe(engine, ADMIN, "cfo@example.com")
    own = _subscribe(engine, VIEWER, "viewer@example.com")
    with session_scope(engine) as session:
        remove_subscription(session, own, actor=ADMIN)
    assert [s.id for s in _stored(engine, Subscription)] == [other]
    removed = [a for a in _stored(engine, AuditEntry) if a.action == "delete"]
    assert {(a.actor, a.record_key, a.field, a.old) for a in removed} >= {
        ("admin@example.com", f"{own}:viewer@example.com", "email", "viewer@example.com")
    }


def test_a_viewer_removes_their_own_subscription_only(engine):
    other = _subscribe(engine, ADMIN, "cfo@example.com")
    own = _subscribe(engine, VIEWER, "viewer@example.com")
    with pytest.raises(Forbidden), session_scope(engine) as session:
        remove_subscription(session, other, actor=VIEWER)
    with session_scope(engine) as session:
        remove_subscription(session, own, actor=VIEWER)
    assert [s.id for s in _stored(engine, Subscription)] == [other]
    with session_scope(engine) as session:
        assert [v.id for v in list_subscriptions(session, email="VIEWER@example.com")] == []
        assert [v.id for v in list_subscriptions(session, email="cfo@example.com")] == [other]


def test_a_test_email_goes_to_the_signed_in_users_own_address(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    other = _subscribe(engine, ADMIN, "cfo@example.com")
    own = _subscribe(engine, VIEWER, "viewer@example.com")

    with pytest.raises(Forbidden):
        delivery.send_now(engine, settings, [other], actor=VIEWER, now=NOW, loader=fixed_state)
    with pytest.raises(Forbidden):  # "every subscription" is an administrator's send
        delivery.send_now(engine, settings, [], actor=VIEWER, now=NOW, loader=fixed_state)
    with pytest.raises(Forbidden):
        delivery.send_due(engine, settings, actor=VIEWER, now=NOW, loader=fixed_state)
    assert smtp_server.inbox.messages == []

    report = delivery.send_now(engine, settings, [own], actor=VIEWER, now=NOW, loader=fixed_state)
    assert [(o.email, o.status) for o in report.outcomes] == [("viewer@example.com", "sent")]
    # an administrator with an address tests someone else's subscription on their own
    delivery.send_now(engine, settings, [other], actor=ADMIN, now=NOW, loader=fixed_state)
    assert [m["To"] for m in smtp_server.inbox.wait_for(2)] == [
        "viewer@example.com",
        "admin@example.com",
    ]
    # tests are not deliveries of the subscriptions: the next summary compares with the last
    # one its subscriber received
    assert _stored(engine, Delivery) == []
    sends = [a for a in _stored(engine, AuditEntry) if a.action == "send"]
    assert [(a.actor, a.entity, a.new) for a in sends] == [
        ("viewer@example.com", "deliveries", "sent"),
        ("admin@example.com", "deliveries", "sent"),
    ]
    assert '"recipient": "admin@example.com"' in sends[1].detail


def test_without_an_address_an_admin_sends_to_the_subscriber(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    other = _subscribe(engine, ADMIN, "cfo@example.com")
    local = Actor.local()
    delivery.send_now(engine, settings, [other], actor=local, now=NOW, loader=fixed_state)
    assert [m["To"] for m in smtp_server.inbox.wait_for(1)] == ["cfo@example.com"]
    [recorded] = _stored(engine, Delivery)
    assert recorded.status == "sent" and recorded.period_key.startswith("manual:")
    with pytest.raises(Forbidden):
        nameless_viewer = Actor(name="kiosk", role=VIEWER.role)
        delivery.send_now(engine, settings, [other], actor=nameless_viewer, now=NOW)


def test_the_schedulers_deliveries_are_audited_without_secrets(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port, smtp_password="s3cret-pw")
    subscription = _subscribe(engine, ADMIN, "cfo@example.com")
    delivery.send_due(engine, settings, actor=SCHEDULER, now=NOW, loader=fixed_state)
    [line] = [a for a in _stored(engine, AuditEntry) if a.action == "send"]
    assert (line.actor, line.entity, line.record_key, line.field, line.new) == (
        "scheduler", "deliveries", f"{subscription}:2026-11-26", "status", "sent",
    )  # fmt: skip
    assert '"recipient": "cfo@example.com"' in line.detail and "s3cret" not in line.detail


def test_a_permanent_refusal_is_given_up_after_three_attempts(engine, db_url, smtp_server):
    _given_up_after_three_refusals(engine, mail_settings(db_url, smtp_server.port), smtp_server)


@pytest.mark.postgres
def test_a_permanent_refusal_is_given_up_on_postgres(postgres_url, smtp_server):
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        settings = mail_settings(postgres_url, smtp_server.port)
        _given_up_after_three_refusals(engine, settings, smtp_server)
    finally:
        engine.dispose()


def _given_up_after_three_refusals(engine, settings, smtp_server) -> None:
    subscription = _subscribe(engine, ADMIN, "cfo@example.com")
    smtp_server.inbox.refusing, smtp_server.inbox.refusal = True, PERMANENT_REFUSAL

    statuses = []
    for minutes in range(5):
        now = NOW + timedelta(minutes=minutes)
        report = delivery.send_due(engine, settings, actor=SCHEDULER, now=now, loader=fixed_state)
        statuses.append([o.status for o in report.outcomes])
    assert statuses == [["failed"], ["failed"], ["refused"], [], []]
    assert smtp_server.inbox.refused == schedule.MAX_REFUSED_ATTEMPTS == 3
    [given_up] = _stored(engine, Delivery)
    assert (given_up.status, given_up.attempts) == ("refused", 3)
    assert given_up.error.endswith("refused the message: 550 5.7.1 message rejected by policy")
    with session_scope(engine) as session:
        [view] = list_subscriptions(session)
    assert (view.last_status, view.last_attempts, view.last_error) == (
        "refused", 3, given_up.error,
    )  # fmt: skip
    sends = [a.new for a in _stored(engine, AuditEntry) if a.action == "send"]
    assert sends == ["failed", "failed", "refused"]

    # the next period is tried again, and goes out once the server accepts it
    smtp_server.inbox.refusing = False
    next_day = delivery.send_due(
        engine, settings, actor=SCHEDULER, now=NOW + timedelta(days=1), loader=fixed_state
    )
    assert [(o.subscription_id, o.status) for o in next_day.outcomes] == [(subscription, "sent")]


def test_a_temporary_refusal_is_retried_beyond_three_attempts(engine, db_url, smtp_server):
    settings = mail_settings(db_url, smtp_server.port)
    _subscribe(engine, ADMIN, "cfo@example.com")
    smtp_server.inbox.refusing = True  # 451: try later
    for minutes in range(4):
        now = NOW + timedelta(minutes=minutes)
        delivery.send_due(engine, settings, actor=SCHEDULER, now=now, loader=fixed_state)
    [retried] = _stored(engine, Delivery)
    assert (retried.status, retried.attempts) == ("failed", 4)


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("*/30 * * * *", "fires more often than once an hour"),
        ("* * * * *", "fires more often than once an hour"),
        ("0,59 0,23 * * *", "fires more often than once an hour"),
        ("0 " + "1," * 60 + "2 * * *", "cron: is longer than 100 characters"),
    ],
)
def test_schedules_more_frequent_than_hourly_are_refused(engine, cron, message):
    with pytest.raises(InvalidInput, match=message):
        _subscribe(engine, ADMIN, "cfo@example.com", cron=cron)
    assert _stored(engine, Subscription) == []


@pytest.mark.parametrize("cron", ["0 * * * *", "@hourly", "15 */2 * * 1-5", "59 23 28 2 *"])
def test_hourly_and_rarer_schedules_are_accepted(engine, cron):
    _subscribe(engine, ADMIN, "cfo@example.com", cron=cron)
    assert [s.cron for s in _stored(engine, Subscription)] == [cron]


@pytest.mark.parametrize("email", ["cfo\x00@example.com", "cfo@exa\x00mple.com"])
def test_an_address_with_a_nul_character_is_refused(engine, email):
    with pytest.raises(InvalidInput, match="invalid email address"):
        _subscribe(engine, ADMIN, email)
    assert _stored(engine, Subscription) == []
