"""Schedules and the claim that lets exactly one sender send each period.

A subscription's schedule cuts time into periods in its own time zone: a local calendar day,
an ISO week starting Monday, a calendar month, or the span between two firings of a cron
expression. A subscription is due while its current period has no sent delivery.

Any number of processes and hosts may run ``digest send --due`` at once. Before sending, each
one inserts a ``Delivery`` row for (subscription, period): the unique constraint lets one
insert win. A failed delivery, or a claim older than ``CLAIM_TIMEOUT`` (its sender crashed),
is taken over by a conditional UPDATE that matches the row exactly as it was read
(status and attempts), so again a single process wins. Every step is one statement in a
transaction of its own, which behaves the same on SQLite and PostgreSQL.

A permanent refusal (an SMTP reply 5xx) is retried until the delivery has had
``MAX_REFUSED_ATTEMPTS`` attempts; then it is recorded as refused and not tried again for
that period. Each finished attempt is written to the audit trail with its recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.domain.vocabulary import DeliveryStatus, Frequency
from roi_tracker.errors import InvalidInput
from roi_tracker.store import audit
from roi_tracker.store.db import session_scope
from roi_tracker.store.tables import Delivery, Subscription

__all__ = [
    "CLAIM_TIMEOUT",
    "CRON_CHECK_FIRINGS",
    "MAX_CRON_LENGTH",
    "MAX_REFUSED_ATTEMPTS",
    "MIN_CRON_INTERVAL",
    "Claim",
    "Period",
    "as_utc",
    "claim",
    "current_period",
    "due_subscriptions",
    "manual_period",
    "mark_failed",
    "mark_sent",
    "period_for",
    "validate_cron",
]

#: a claim older than this is taken to belong to a sender that crashed before finishing;
#: it must exceed the longest send (SMTP timeout included) by a wide margin
CLAIM_TIMEOUT = timedelta(minutes=10)

#: attempts at a delivery that the mail server refuses permanently before it is given up
MAX_REFUSED_ATTEMPTS = 3
#: the shortest time between two summaries of a cron schedule
MIN_CRON_INTERVAL = timedelta(hours=1)
#: how many firings of a cron expression are checked against MIN_CRON_INTERVAL: an expression
#: that names two minutes of an hour fires twice within an hour among its first three firings,
#: and one naming a single minute never fires twice within an hour; the rest is a margin
CRON_CHECK_FIRINGS = 25
#: the longest cron expression the subscriptions table holds
MAX_CRON_LENGTH: int = Subscription.__table__.c.cron.type.length

CRON_ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


@dataclass(frozen=True)
class Period:
    """One period of a schedule; ``key`` names it uniquely within its subscription."""

    key: str
    start: datetime  # aware, in the subscription's time zone
    end: datetime | None  # None for a manual send

    @property
    def local_date(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class Claim:
    """The right to send one delivery; ``attempt`` identifies this claim among retries."""

    delivery_id: int
    subscription_id: int
    period_key: str
    attempt: int


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; SQLite hands back naive values, which are stored in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def validate_cron(expression: str) -> str:
    """A five-field cron expression (or an alias like @daily) that fires at most hourly."""
    expression = " ".join(expression.split())
    if len(expression) > MAX_CRON_LENGTH:
        raise InvalidInput(f"cron: is longer than {MAX_CRON_LENGTH} characters")
    if "\x00" in expression:
        raise InvalidInput("cron: contains a NUL character")
    is_alias = expression in CRON_ALIASES
    if not is_alias and (len(expression.split()) != 5 or not croniter.is_valid(expression)):
        raise InvalidInput(
            f"invalid cron expression {expression!r}: expected five fields "
            "'minute hour day-of-month month day-of-week', e.g. '0 8 * * 1'"
        )
    _check_interval(expression)
    return expression


def _check_interval(expression: str) -> None:
    """InvalidInput when two firings of ``expression`` are less than an hour apart."""
    firings = croniter(expression, datetime(2000, 1, 1))  # wall-clock times, as they run
    try:
        previous = firings.get_next(datetime)
    except CroniterBadDateError:
        raise InvalidInput(f"cron expression {expression!r} never fires") from None
    for _ in range(CRON_CHECK_FIRINGS):
        try:
            following = firings.get_next(datetime)
        except CroniterBadDateError:
            return
        if following - previous < MIN_CRON_INTERVAL:
            raise InvalidInput(
                f"cron expression {expression!r} fires more often than once an hour "
                f"(at {previous:%H:%M} and {following:%H:%M}): summaries are sent at most hourly"
            )
        previous = following


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def period_for(frequency: str, *, zone: ZoneInfo, now: datetime, cron: str | None = None) -> Period:
    """The period of a schedule that contains ``now`` (an aware datetime)."""
    local = now.astimezone(zone)
    today = local.date()
    match Frequency(frequency):
        case Frequency.DAILY:
            start = today
            end = today + timedelta(days=1)
            key = today.isoformat()
        case Frequency.WEEKLY:
            start = today - timedelta(days=today.weekday())
            end = start + timedelta(days=7)
            year, week, _ = today.isocalendar()
            key = f"{year}-W{week:02d}"
        case Frequency.MONTHLY:
            start = today.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1)
            key = f"{start:%Y-%m}"
        case Frequency.CRON:
            return _cron_period(cron or "", zone=zone, local=local)
    return Period(key=key, start=_local_midnight(start, zone), end=_local_midnight(end, zone))


def _cron_period(expression: str, *, zone: ZoneInfo, local: datetime) -> Period:
    # Cron runs on local wall-clock time: iterate on naive local times, so that a firing
    # repeated by a DST change keeps one key (sent once) and a skipped one simply has none.
    wall = local.replace(tzinfo=None, microsecond=0) + timedelta(seconds=1)
    try:
        previous = croniter(expression, wall).get_prev(datetime)
        following = croniter(expression, wall).get_next(datetime)
    except CroniterBadDateError:
        raise InvalidInput(f"cron expression {expression!r} never fires") from None
    return Period(
        key=f"{previous:%Y-%m-%dT%H:%M}",
        start=previous.replace(tzinfo=zone),
        end=following.replace(tzinfo=zone),
    )


def current_period(subscription: Subscription, now: datetime) -> Period:
    """The period ``subscription`` is in at ``now``."""
    return period_for(
        subscription.frequency,
        zone=clock.zone(subscription.timezone),
        now=now,
        cron=subscription.cron,
    )


def manual_period(subscription: Subscription, now: datetime) -> Period:
    """A period of its own for a send outside the schedule (``send --now``, test emails)."""
    stamp = as_utc(now)
    local = stamp.astimezone(clock.zone(subscription.timezone))
    return Period(key=f"manual:{stamp:%Y%m%dT%H%M%S.%fZ}", start=local, end=None)


#: a period with a delivery in one of these states is not tried again
FINISHED = (DeliveryStatus.SENT.value, DeliveryStatus.REFUSED.value)


def due_subscriptions(session: Session, now: datetime) -> list[tuple[Subscription, Period]]:
    """Active subscriptions whose current period is neither sent nor given up yet, by id."""
    subscriptions = session.scalars(
        select(Subscription).where(Subscription.active).order_by(Subscription.id)
    ).all()
    periods = {s.id: current_period(s, now) for s in subscriptions}
    if not periods:
        return []
    done = set(
        session.execute(
            select(Delivery.subscription_id, Delivery.period_key).where(
                Delivery.status.in_(FINISHED),
                Delivery.subscription_id.in_(list(periods)),
                Delivery.period_key.in_({p.key for p in periods.values()}),
            )
        ).all()
    )
    return [(s, periods[s.id]) for s in subscriptions if (s.id, periods[s.id].key) not in done]


def claim(
    engine: Engine,
    *,
    subscription_id: int,
    period_key: str,
    now: datetime,
    timeout: timedelta = CLAIM_TIMEOUT,
) -> Claim | None:
    """Claim (subscription, period) for sending; None when another sender has it or it is sent."""
    now = as_utc(now)
    try:
        with session_scope(engine) as session:
            delivery = Delivery(
                subscription_id=subscription_id,
                period_key=period_key,
                status=DeliveryStatus.CLAIMED.value,
                attempts=1,
                claimed_at=now,
            )
            session.add(delivery)
            session.flush()
            return Claim(delivery.id, subscription_id, period_key, attempt=1)
    except IntegrityError:
        pass  # the period has a delivery already: see whether it may be taken over

    with session_scope(engine) as session:
        seen = session.execute(
            select(Delivery.id, Delivery.status, Delivery.attempts, Delivery.claimed_at).where(
                Delivery.subscription_id == subscription_id, Delivery.period_key == period_key
            )
        ).one_or_none()
    if seen is None or seen.status in FINISHED:
        return None  # subscription removed meanwhile, or already sent or given up
    if seen.status == DeliveryStatus.CLAIMED.value and as_utc(seen.claimed_at) > now - timeout:
        return None  # another sender is at work
    with session_scope(engine) as session:
        taken = session.execute(
            update(Delivery)
            .where(
                Delivery.id == seen.id,
                Delivery.status == seen.status,
                Delivery.attempts == seen.attempts,
            )
            .values(status=DeliveryStatus.CLAIMED.value, attempts=seen.attempts + 1, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            return None
    return Claim(seen.id, subscription_id, period_key, attempt=seen.attempts + 1)


def _finish(
    engine: Engine, held: Claim, *, actor: Actor, recipient: str, status: str, **values
) -> bool:
    with session_scope(engine) as session:
        result = session.execute(
            update(Delivery)
            .where(
                Delivery.id == held.delivery_id,
                Delivery.status == DeliveryStatus.CLAIMED.value,
                Delivery.attempts == held.attempt,
            )
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        # what this sender did, even when its claim had been taken over meanwhile
        audit.append(
            session,
            actor=actor,
            action=audit.AuditAction.SEND,
            entity=Delivery.__tablename__,
            record_key=f"{held.subscription_id}:{held.period_key}",
            changes={"status": (None, status)},
            detail={"recipient": recipient, "attempt": held.attempt, "error": values.get("error")},
        )
        return result.rowcount == 1


def mark_sent(
    engine: Engine,
    held: Claim,
    *,
    actor: Actor,
    recipient: str,
    sent_at: datetime,
    message_id: str,
    snapshot: str,
) -> bool:
    """Record the delivery as sent; False when the claim had been taken over meanwhile."""
    return _finish(
        engine,
        held,
        actor=actor,
        recipient=recipient,
        status=DeliveryStatus.SENT.value,
        sent_at=as_utc(sent_at),
        message_id=message_id,
        snapshot=snapshot,
        error=None,
    )


def mark_failed(
    engine: Engine,
    held: Claim,
    *,
    actor: Actor,
    recipient: str,
    error: str,
    permanent: bool = False,
) -> bool:
    """Record the delivery as failed with its reason; the next run retries it.

    A ``permanent`` refusal is not retried once the delivery has had MAX_REFUSED_ATTEMPTS.
    """
    given_up = permanent and held.attempt >= MAX_REFUSED_ATTEMPTS
    status = DeliveryStatus.REFUSED if given_up else DeliveryStatus.FAILED
    return _finish(
        engine, held, actor=actor, recipient=recipient, status=status.value, error=error[:2000]
    )
