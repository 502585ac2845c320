"""Summary subscriptions: add, list (with the last delivery), look up and remove."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from roi_tracker import clock
from roi_tracker.domain.vocabulary import Frequency
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.reporting.schedule import as_utc, validate_cron
from roi_tracker.store.queries import get_project
from roi_tracker.store.tables import Delivery, Project, Subscription

__all__ = [
    "SubscriptionView",
    "get_subscription",
    "list_subscriptions",
    "remove_subscription",
    "subscribe",
    "validate_email",
]

# Deliberately plain: one @, no spaces or characters that could end a header, a dotted domain.
EMAIL_PATTERN = re.compile(
    r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


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
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        raise InvalidInput(f"invalid email address {email!r}: expected name@example.com")
    return email


def subscribe(
    session: Session,
    *,
    email: str,
    project_key: str | None = None,
    frequency: str | None = None,
    cron: str | None = None,
    timezone: str = "UTC",
) -> Subscription:
    """Add a subscription: whole portfolio, or one project; a frequency or a cron expression."""
    email = validate_email(email)
    if (frequency is None) == (cron is None):
        raise InvalidInput("give either a frequency (daily, weekly, monthly) or a cron expression")
    if cron is not None:
        cron, frequency = validate_cron(cron), Frequency.CRON.value
    elif frequency not in {f.value for f in Frequency} - {Frequency.CRON.value}:
        raise InvalidInput(f"invalid frequency {frequency!r}: use daily, weekly or monthly")
    clock.zone(timezone)
    project_id = get_project(session, key=project_key).id if project_key else None
    subscription = Subscription(
        email=email, project_id=project_id, frequency=frequency, cron=cron, timezone=timezone
    )
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: int) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise NotFound(f"no subscription with id {subscription_id}")
    return subscription


def remove_subscription(session: Session, subscription_id: int) -> None:
    """Delete a subscription and its delivery history."""
    session.delete(get_subscription(session, subscription_id))
    session.flush()


def list_subscriptions(session: Session) -> list[SubscriptionView]:
    """Every subscription by id, each with its most recent delivery."""
    latest = (
        select(Delivery.subscription_id, func.max(Delivery.id).label("delivery_id"))
        .group_by(Delivery.subscription_id)
        .subquery()
    )
    rows = session.execute(
        select(Subscription, Project.key, Project.name, Delivery)
        .outerjoin(Project, Project.id == Subscription.project_id)
        .outerjoin(latest, latest.c.subscription_id == Subscription.id)
        .outerjoin(Delivery, Delivery.id == latest.c.delivery_id)
        .order_by(Subscription.id)
    ).all()
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
            )
        )
    return views
