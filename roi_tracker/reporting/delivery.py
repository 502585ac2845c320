"""Sending summaries: the due ones, chosen ones at once, and previews that send nothing.

Each send claims its (subscription, period) first (``schedule.claim``), so that running this
from several processes or hosts at once sends one email per subscription and period. A send
that fails is recorded as failed with its reason, never as sent, and is retried by the next
run; one the mail server refuses permanently is given up after a few attempts
(``schedule.MAX_REFUSED_ATTEMPTS``). Every attempt is written to the audit trail.

A test email (``send_now`` by a user with an address) goes to that user's own address only,
never to the subscriber: it is audited but not recorded as a delivery of the subscription, so
the subscriber's next summary still compares with what they last received.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker import clock
from roi_tracker.access import Actor, Permission, require
from roi_tracker.config import Settings
from roi_tracker.domain.vocabulary import DeliveryStatus
from roi_tracker.reporting import schedule
from roi_tracker.reporting.mailer import (
    Mailer,
    OutgoingEmail,
    PermanentlyRefused,
    SendFailed,
    ServerUnavailable,
    build_message,
    message_id_for,
    sender_address,
)
from roi_tracker.reporting.render import render_summary
from roi_tracker.reporting.subscriptions import get_subscription, require_own_or_manager
from roi_tracker.reporting.summary import (
    PortfolioState,
    Previous,
    Summary,
    build_summary,
    load_state,
)
from roi_tracker.store import audit
from roi_tracker.store.db import session_scope
from roi_tracker.store.tables import Delivery, Project, Subscription

__all__ = [
    "Outcome",
    "SendReport",
    "SummaryMaker",
    "preview",
    "preview_email",
    "previous_deliveries",
    "send_due",
    "send_now",
]

logger = logging.getLogger(__name__)

StateLoader = Callable[..., PortfolioState]


@dataclass(frozen=True)
class Outcome:
    """What became of one subscription in a run: sent, failed (with why) or skipped."""

    subscription_id: int
    email: str
    period_key: str
    # "sent", "failed", "refused" (permanently, given up for the period), "skipped" when
    # another sender has it, or "postponed" when the mail server was unreachable for an
    # earlier summary of the run (it stays due)
    status: str
    error: str | None = None
    server_down: bool = False

    @property
    def reason(self) -> str:
        """Why it failed, in one line, saying whether it will be retried."""
        if self.status == DeliveryStatus.REFUSED.value:
            return f"{self.error} (refused permanently: not retried for {self.period_key})"
        return self.error or ""


@dataclass
class SendReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def with_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def sent(self) -> list[Outcome]:
        return self.with_status(DeliveryStatus.SENT.value)

    @property
    def failed(self) -> list[Outcome]:
        """Failed attempts, those given up after permanent refusals included."""
        failed = (DeliveryStatus.FAILED.value, DeliveryStatus.REFUSED.value)
        return [o for o in self.outcomes if o.status in failed]


class SummaryMaker:
    """Makes the summaries of many subscriptions, loading the portfolio once per as-of date."""

    def __init__(self, session: Session, settings: Settings, loader: StateLoader = load_state):
        self.session = session
        self.settings = settings
        self.loader = loader
        self._states: dict[date, PortfolioState] = {}
        self._project_keys = dict(session.execute(select(Project.id, Project.key)).all())

    def state(self, as_of: date) -> PortfolioState:
        if as_of not in self._states:
            self._states[as_of] = self.loader(self.session, as_of=as_of, settings=self.settings)
        return self._states[as_of]

    def summary(
        self, subscription: Subscription, *, now: datetime, previous: Previous | None
    ) -> Summary:
        zone = clock.zone(subscription.timezone)
        as_of = now.astimezone(zone).date()
        return build_summary(
            self.state(as_of),
            project_key=self._project_keys.get(subscription.project_id),
            previous=previous,
            base_url=self.settings.base_url,
        )


def previous_deliveries(session: Session, subscription_ids: Iterable[int]) -> dict[int, Previous]:
    """The latest sent delivery of each subscription, with what it said."""
    ids = list(subscription_ids)
    sent = Delivery.status == DeliveryStatus.SENT.value
    latest = (
        select(Delivery.subscription_id, func.max(Delivery.sent_at).label("sent_at"))
        .where(sent, Delivery.subscription_id.in_(ids))
        .group_by(Delivery.subscription_id)
        .subquery()
    )
    rows = session.execute(
        select(Delivery.subscription_id, Delivery.sent_at, Delivery.snapshot).join(
            latest,
            and_(
                Delivery.subscription_id == latest.c.subscription_id,
                Delivery.sent_at == latest.c.sent_at,
            ),
        )
    ).all()
    return {
        row.subscription_id: Previous.from_snapshot(schedule.as_utc(row.sent_at), row.snapshot)
        for row in rows
    }


def _deliver(
    engine: Engine,
    settings: Settings,
    jobs: list[tuple[Subscription, schedule.Period]],
    *,
    actor: Actor,
    now: datetime,
    loader: StateLoader,
    recipient: str | None = None,
) -> SendReport:
    mailer = Mailer(settings)  # NotConfigured before anything is claimed
    report = SendReport()
    with session_scope(engine) as session:
        maker = SummaryMaker(session, settings, loader)
        previous = previous_deliveries(session, [s.id for s, _ in jobs])
        send = _Send(engine, mailer, maker, actor, now, previous)
        for index, (subscription, period) in enumerate(jobs):
            if recipient is None:
                outcome = send.deliver(subscription, period)
            else:
                outcome = send.test(subscription, period, recipient)
            report.outcomes.append(outcome)
            if outcome.server_down:
                # unclaimed, so the next run sends them; not one connection timeout each now
                report.outcomes += [
                    Outcome(s.id, s.email, p.key, "postponed") for s, p in jobs[index + 1 :]
                ]
                break
    return report


@dataclass(frozen=True)
class _Send:
    """What one run needs to send a summary: where, with what, for whom, when."""

    engine: Engine
    mailer: Mailer
    maker: SummaryMaker
    actor: Actor
    now: datetime
    previous: dict[int, Previous]

    def _message(
        self, subscription: Subscription, period: schedule.Period, recipient: str
    ) -> tuple[EmailMessage, Summary]:
        summary = self.maker.summary(
            subscription, now=self.now, previous=self.previous.get(subscription.id)
        )
        message_id = message_id_for(subscription.id, period.key, sender=self.mailer.sender)
        message = self.mailer.message(
            render_summary(summary), recipient=recipient, message_id=message_id, date=self.now
        )
        return message, summary

    def deliver(self, subscription: Subscription, period: schedule.Period) -> Outcome:
        """Send the summary to its subscriber, recorded as the period's delivery."""
        email = subscription.email

        def outcome(status: str, error: str | None = None, server_down: bool = False) -> Outcome:
            return Outcome(subscription.id, email, period.key, status, error, server_down)

        engine, now = self.engine, self.now
        held = schedule.claim(
            engine, subscription_id=subscription.id, period_key=period.key, now=now
        )
        if held is None:
            return outcome("skipped")
        recorded = {"actor": self.actor, "recipient": email}
        try:
            message, summary = self._message(subscription, period, email)
            self.mailer.send(message)
        except SendFailed as exc:
            permanent = isinstance(exc, PermanentlyRefused)
            schedule.mark_failed(engine, held, error=str(exc), permanent=permanent, **recorded)
            given_up = permanent and held.attempt >= schedule.MAX_REFUSED_ATTEMPTS
            status = DeliveryStatus.REFUSED if given_up else DeliveryStatus.FAILED
            return outcome(status.value, str(exc), server_down=isinstance(exc, ServerUnavailable))
        except Exception as exc:
            # a summary that cannot be built must not hold its claim until the timeout
            logger.debug("summary %s failed", subscription.id, exc_info=True)
            reason = f"could not build the summary: {type(exc).__name__}: {exc}"
            schedule.mark_failed(engine, held, error=reason, **recorded)
            return outcome(DeliveryStatus.FAILED.value, reason)
        if not schedule.mark_sent(
            engine,
            held,
            sent_at=now,
            message_id=message["Message-ID"],
            snapshot=summary.snapshot(),
            **recorded,
        ):
            logger.warning(
                "summary %s for %s was sent after its claim had timed out",
                subscription.id,
                period.key,
            )
        return outcome(DeliveryStatus.SENT.value)

    def test(self, subscription: Subscription, period: schedule.Period, recipient: str) -> Outcome:
        """Send the summary to ``recipient`` as a test: audited, not a delivery of the period."""
        status, error = DeliveryStatus.SENT.value, None
        try:
            message, _ = self._message(subscription, period, recipient)
            self.mailer.send(message)
        except SendFailed as exc:
            status, error = DeliveryStatus.FAILED.value, str(exc)
        except Exception as exc:
            logger.debug("summary %s failed", subscription.id, exc_info=True)
            status = DeliveryStatus.FAILED.value
            error = f"could not build the summary: {type(exc).__name__}: {exc}"
        with session_scope(self.engine) as session:
            audit.append(
                session,
                actor=self.actor,
                action=audit.AuditAction.SEND,
                entity=Delivery.__tablename__,
                record_key=f"{subscription.id}:{period.key}",
                changes={"status": (None, status)},
                detail={"recipient": recipient, "test": True, "error": error},
            )
        return Outcome(subscription.id, recipient, period.key, status, error)


def send_due(
    engine: Engine,
    settings: Settings,
    *,
    actor: Actor,
    now: datetime,
    loader: StateLoader = load_state,
) -> SendReport:
    """Send every subscription whose current period has no sent delivery yet.

    ``actor`` is the scheduler or the administrator who runs ``digest send --due``.
    """
    require(actor, Permission.MANAGE_SUBSCRIPTIONS)
    with session_scope(engine) as session:
        jobs = schedule.due_subscriptions(session, now)
    return _deliver(engine, settings, jobs, actor=actor, now=now, loader=loader)


def send_now(
    engine: Engine,
    settings: Settings,
    subscription_ids: Iterable[int] = (),
    *,
    actor: Actor,
    now: datetime,
    loader: StateLoader = load_state,
) -> SendReport:
    """Send the given subscriptions (every active one when none is given) at once.

    An actor with an email address (a signed-in user) gets a test email of each at their own
    address, for their own subscriptions (any, for an administrator). An actor without one
    (the command line, the dashboard without sign-in) must be an administrator; the summaries
    then go to their subscribers and are recorded as deliveries.
    """
    if actor.email is None:
        require(actor, Permission.MANAGE_SUBSCRIPTIONS)
    with session_scope(engine) as session:
        ids = list(subscription_ids)
        if ids:
            subscriptions = [get_subscription(session, i) for i in ids]
        else:
            require(actor, Permission.MANAGE_SUBSCRIPTIONS)
            subscriptions = list(
                session.scalars(
                    select(Subscription).where(Subscription.active).order_by(Subscription.id)
                ).all()
            )
        for subscription in subscriptions:
            require_own_or_manager(actor, subscription.email)
    jobs = [(s, schedule.manual_period(s, now)) for s in subscriptions]
    return _deliver(
        engine, settings, jobs, actor=actor, now=now, loader=loader, recipient=actor.email
    )


def _preview(
    engine: Engine, settings: Settings, subscription_id: int, now: datetime, loader: StateLoader
) -> tuple[Subscription, schedule.Period, OutgoingEmail]:
    with session_scope(engine) as session:
        subscription = get_subscription(session, subscription_id)
        period = schedule.current_period(subscription, now)
        previous = previous_deliveries(session, [subscription_id]).get(subscription_id)
        summary = SummaryMaker(session, settings, loader).summary(
            subscription, now=now, previous=previous
        )
    return subscription, period, render_summary(summary)


def preview_email(
    engine: Engine,
    settings: Settings,
    subscription_id: int,
    *,
    now: datetime,
    loader: StateLoader = load_state,
) -> OutgoingEmail:
    """The subject, text and HTML the subscription would get now; sends and records nothing."""
    return _preview(engine, settings, subscription_id, now, loader)[2]


def preview(
    engine: Engine,
    settings: Settings,
    subscription_id: int,
    *,
    now: datetime,
    loader: StateLoader = load_state,
) -> EmailMessage:
    """The whole message the subscription would get now, as ``digest preview`` saves it."""
    subscription, period, email = _preview(engine, settings, subscription_id, now, loader)
    sender = sender_address(settings)
    return build_message(
        email,
        sender=sender,
        recipient=subscription.email,
        message_id=message_id_for(subscription_id, period.key, sender=sender),
        date=now,
    )
