"""Summary subscriptions: add, list (with the last delivery), look up and remove.

Anyone who may read the data may subscribe their own address (``Permission.SUBSCRIBE_SELF``)
and remove their own subscriptions; only an administrator
(``Permission.MANAGE_SUBSCRIPTIONS``) may subscribe another address or remove someone else's.
Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from roi_tracker import clock
from roi_tracker.access import Actor, Permission, require
from roi_tracker.domain.vocabulary import Frequency
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.reporting.schedule import as_utc, validate_cron
from roi_tracker.store import audit
from roi_tracker.store.queries import get_project
from roi_tracker.store.tables import Delivery, Project, Subscription

__all__ = [
    "SubscriptionView",
    "get_subscription",
    "is_own",
    "list_subscriptions",
    "record_key",
    "remove_subscription",
    "require_own_or_manager",
    "subscribe",
    "validate_email",
]

# Deliberately plain: one @, no spaces, control characters (NUL...) or characters that could
# end a header, a dotted domain.
EMAIL_PATTERN = re.compile(
    r"[^@\s\x00-\x1f\x7f<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)

MAX_EMAIL_LENGTH: int = Subscription.__table__.c.email.type.length
MAX_TIMEZONE_LENGTH: int = Subscription.__table__.c.timezone.type.length


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription as listed: its scope by project key and its last delivery."""

    id: int
    email: str
    project_key: str | None
    project_name: str | None
    frequency: str
    cron: str | None
    timezone: str
    active: bool
    last_period: str | None = None
    last_status: str | None = None
    last_sent_at: datetime | None = None
    last_error: str | None = None
    last_attempts: int = 0

    @property
    def coverage(self) -> str:
        """What the summaries cover: one project (its key) or the whole portfolio."""
        return self.project_key or "portfolio"

    @property
    def schedule(self) -> str:
        return f"cron {self.cron}" if self.cron else self.frequency

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "email": self.email,
            "project": self.project_key,
            "frequency": self.frequency,
            "cron": self.cron,
            "timezone": self.timezone,
            "active": self.active,
            "last_delivery": None
            if self.last_status is None
            else {
                "period": self.last_period,
                "status": self.last_status,
                "sent_at": self.last_sent_at.isoformat() if self.last_sent_at else None,
                "error": self.last_error,
            },
        }


def validate_email(email: str) -> str:
    """``email`` stripped, or InvalidInput naming it."""
    email = email.strip()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidInput(f"invalid email address: longer than {MAX_EMAIL_LENGTH} characters")
    if not EMAIL_PATTERN.fullmatch(email):
        raise InvalidInput(f"invalid email address {email!r}: expected name@example.com")
    return email


def is_own(actor: Actor, email: str) -> bool:
    """Whether ``email`` is the actor's own address (addresses match without regard to case)."""
    return actor.email is not None and actor.email.lower() == email.strip().lower()


def require_own_or_manager(actor: Actor, email: str) -> None:
    """Forbidden unless ``email`` is the actor's own, or the actor manages subscriptions."""
    require(
        actor,
        Permission.SUBSCRIBE_SELF if is_own(actor, email) else Permission.MANAGE_SUBSCRIPTIONS,
    )


def record_key(subscription: Subscription) -> str:
    """How the audit trail names a subscription: ``<id>:<email>``."""
    return f"{subscription.id}:{subscription.email}"


def _audit(
    session: Session,
    actor: Actor,
    action: audit.AuditAction,
    subscription: Subscription,
    project_key: str | None,
) -> None:
    """One trail line per field of the subscription added (new values) or removed (old)."""
    fields = {
        "email": subscription.email,
        "project": project_key,
        "frequency": subscription.frequency,
        "cron": subscription.cron,
        "timezone": subscription.timezone,
        "active": subscription.active,
    }
    changes = audit.field_changes({}, fields)
    if action is audit.AuditAction.DELETE:
        changes = {field: (new, old) for field, (old, new) in changes.items()}
    audit.append(
        session,
        actor=actor,
        action=action,
        entity=Subscription.__tablename__,
        record_key=record_key(subscription),
        project_key=project_key,
        changes=changes,
    )


def subscribe(
    session: Session,
    *,
    actor: Actor,
    email: str,
    project_key: str | None = None,
    frequency: str | None = None,
    cron: str | None = None,
    timezone: str = "UTC",
) -> Subscription:
    """Add a subscription: whole portfolio, or one project; a frequency or a cron expression.

    Forbidden unless ``email`` is the actor's own address or the actor manages subscriptions.
    """
    email = validate_email(email)
    require_own_or_manager(actor, email)
    if (frequency is None) == (cron is None):
        raise InvalidInput("give either a frequency (daily, weekly, monthly) or a cron expression")
    if cron is not None:
        cron, frequency = validate_cron(cron), Frequency.CRON.value
    elif frequency not in {f.value for f in Frequency} - {Frequency.CRON.value}:
        raise InvalidInput(f"invalid frequency {frequency!r}: use daily, weekly or monthly")
    if len(timezone) > MAX_TIMEZONE_LENGTH:
        raise InvalidInput(f"timezone: is longer than {MAX_TIMEZONE_LENGTH} characters")
    clock.zone(timezone)
    project_id = get_project(session, key=project_key).id if project_key else None
    subscription = Subscription(
        email=email, project_id=project_id, frequency=frequency, cron=cron, timezone=timezone
    )
    session.add(subscription)
    session.flush()
    _audit(session, actor, audit.AuditAction.CREATE, subscription, project_key)
    return subscription


def get_subscription(session: Session, subscription_id: int) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise NotFound(f"no subscription with id {subscription_id}")
    return subscription


def remove_subscription(session: Session, subscription_id: int, *, actor: Actor) -> None:
    """Delete a subscription and its delivery history.

    Forbidden unless it is the actor's own or the actor manages subscriptions.
    """
    subscription = get_subscription(session, subscription_id)
    require_own_or_manager(actor, subscription.email)
    project = session.get(Project, subscription.project_id) if subscription.project_id else None
    project_key = project.key if project else None
    _audit(session, actor, audit.AuditAction.DELETE, subscription, project_key)
    session.delete(subscription)
    session.flush()


def list_subscriptions(session: Session, *, email: str | None = None) -> list[SubscriptionView]:
    """Every subscription by id (those of ``email`` only, if given), with its latest delivery."""
    latest = (
        select(Delivery.subscription_id, func.max(Delivery.id).label("delivery_id"))
        .group_by(Delivery.subscription_id)
        .subquery()
    )
    query = (
        select(Subscription, Project.key, Project.name, Delivery)
        .outerjoin(Project, Project.id == Subscription.project_id)
        .outerjoin(latest, latest.c.subscription_id == Subscription.id)
        .outerjoin(Delivery, Delivery.id == latest.c.delivery_id)
        .order_by(Subscription.id)
    )
    if email is not None:
        query = query.where(func.lower(Subscription.email) == email.strip().lower())
    rows = session.execute(query).all()
    views = []
    for subscription, project_key, project_name, delivery in rows:
        views.append(
            SubscriptionView(
                id=subscription.id,
                email=subscription.email,
                project_key=project_key,
                project_name=project_name,
                frequency=subscription.frequency,
                cron=subscription.cron,
                timezone=subscription.timezone,
                active=subscription.active,
                last_period=delivery.period_key if delivery else None,
                last_status=delivery.status if delivery else None,
                last_sent_at=as_utc(delivery.sent_at) if delivery and delivery.sent_at else None,
                last_error=delivery.error if delivery else None,
                last_attempts=delivery.attempts if delivery else 0,
            )
        )
    return views
