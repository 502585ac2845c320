"""Users: who may sign in, with which role; local passwords; sign-in with a slow-down.

Every write takes a keyword-only ``actor`` who must be allowed to manage users, and appends
audit lines (entity ``users``, key = the email) in the same transaction. No password and no
hash ever reaches the trail: a changed password is recorded as ``***``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select

from roi_tracker.access import Actor, Permission, Role, require
from roi_tracker.errors import InvalidInput, NotFound, RoiTrackerError
from roi_tracker.store import audit
from roi_tracker.store.tables import User

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Refusal",
    "SignInKind",
    "UserView",
    "add_user",
    "disable_user",
    "enable_user",
    "find_active_user",
    "list_users",
    "normalise_email",
    "oidc_sign_in",
    "reset_password",
    "set_role",
    "sign_in",
]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte on every attempt would be a denial of service
ENTITY = "users"
HIDDEN = "***"
#: the first wait after the free attempts; each further failure doubles it, up to the cap
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
WRONG_CREDENTIALS = "Wrong email or password."


class SignInKind(StrEnum):
    PASSWORD = "password"  # local sign-in
    IDENTITY_PROVIDER = "identity provider"  # OIDC: no password stored


class UserView(BaseModel):
    """A user as lists show it; never the hash."""

    email: str
    role: Role
    active: bool
    sign_in: SignInKind
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in was refused, in one line fit to show on the sign-in page."""

    message: str


@lru_cache
def _hasher() -> PasswordHasher:
    # argon2id with the library's current recommended parameters (RFC 9106 low-memory)
    return PasswordHasher()


def normalise_email(email: str) -> str:
    """The email as stored: trimmed, lower case; InvalidInput when it is not an address."""
    text = email.strip().lower()
    local, at, domain = text.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in text) or len(text) > 254:
        raise InvalidInput(f"{email.strip()!r} is not an email address")
    return text


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be a good one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


def _hash(password: str) -> str:
    check_password(password)
    return _hasher().hash(password)


def _view(user: User) -> UserView:
    return UserView(
        email=user.email,
        role=Role(user.role),
        active=user.active,
        sign_in=SignInKind.PASSWORD if user.password_hash else SignInKind.IDENTITY_PROVIDER,
        last_sign_in_at=_aware(user.last_sign_in_at),
    )


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; every stored moment is UTC
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _find(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def _get(session: Session, email: str) -> User:
    user = _find(session, email)
    if user is None:
        raise NotFound(f"no user {normalise_email(email)!r}")
    return user


def list_users(session: Session) -> list[UserView]:
    """Every user, by email."""
    return [_view(user) for user in session.exec(select(User).order_by(User.email))]


def find_active_user(session: Session, email: str) -> UserView | None:
    """The active user with this email (any case), or None: read on every page run."""
    user = _find(session, email)
    return _view(user) if user is not None and user.active else None


def _create(
    session: Session, email: str, role: Role, password_hash: str | None, *, actor: Actor,
    detail: dict[str, str] | None = None,
) -> User:  # fmt: skip
    user = User(email=normalise_email(email), role=role.value, password_hash=password_hash)
    session.add(user)
    session.flush()
    changes = {"role": (None, role.value), "active": (None, "True")}
    if password_hash:
        changes["password"] = (None, HIDDEN)
    audit.append(
        session, actor=actor, action=audit.AuditAction.CREATE, entity=ENTITY,
        record_key=user.email, changes=changes, detail=detail,
    )  # fmt: skip
    return user


def add_user(
    session: Session, email: str, role: Role | str, password: str | None = None, *, actor: Actor
) -> UserView:
    """Add a user; with a password they sign in locally, without one through the provider."""
    require(actor, Permission.MANAGE_USERS)
    address = normalise_email(email)
    if _find(session, address) is not None:
        raise InvalidInput(f"user {address!r} exists already")
    password_hash = _hash(password) if password is not None else None
    return _view(_create(session, address, _role(role), password_hash, actor=actor))


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {role!r}: use one of {names}") from None


def _update(session: Session, user: User, after: dict[str, object], *, actor: Actor) -> None:
    before = {field: getattr(user, field) for field in after}
    for field, value in after.items():
        setattr(user, field, value)
    changes = audit.field_changes(before, after)
    if changes:
        session.add(user)
        audit.append(
            session, actor=actor, action=audit.AuditAction.UPDATE, entity=ENTITY,
            record_key=user.email, changes=changes,
        )  # fmt: skip


def _refuse_losing_the_last_admin(session: Session, user: User) -> None:
    if user.role != Role.ADMIN or not user.active:
        return
    admins = select(func.count()).select_from(User)
    admins = admins.where(User.role == Role.ADMIN.value, User.active.is_(True))  # type: ignore[attr-defined]
    if session.exec(admins).one() <= 1:
        raise InvalidInput(f"{user.email} is the last active admin: make another user admin first")


def set_role(session: Session, email: str, role: Role | str, *, actor: Actor) -> UserView:
    """Give a user another role; the last active admin keeps theirs."""
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, email)
    new_role = _role(role)
    if new_role is not Role.ADMIN:
        _refuse_losing_the_last_admin(session, user)
    _update(session, user, {"role": new_role.value}, actor=actor)
    return _view(user)


def disable_user(session: Session, email: str, *, actor: Actor) -> UserView:
    """Stop a user from signing in (their next page run refuses them); the trail keeps them."""
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, email)
    _refuse_losing_the_last_admin(session, user)
    _update(session, user, {"active": False}, actor=actor)
    return _view(user)


def enable_user(session: Session, email: str, *, actor: Actor) -> UserView:
    """Let a disabled user sign in again, with their failed sign-ins forgotten."""
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, email)
    _update(session, user, {"active": True}, actor=actor)
    user.failed_sign_ins, user.locked_until = 0, None
    return _view(user)


def reset_password(session: Session, email: str, password: str, *, actor: Actor) -> UserView:
    """Set a new password (the user then signs in locally); failed sign-ins are forgotten."""
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, email)
    user.password_hash = _hash(password)
    user.failed_sign_ins, user.locked_until = 0, None
    session.add(user)
    audit.append(
        session, actor=actor, action=audit.AuditAction.UPDATE, entity=ENTITY,
        record_key=user.email, changes={"password": (HIDDEN, HIDDEN)},
    )  # fmt: skip
    return _view(user)


def wait_after(failures: int, free_attempts: int) -> timedelta:
    """How long a sign-in waits after ``failures`` failed ones in a row (zero while free)."""
    if failures < free_attempts:
        return timedelta(0)
    wait: timedelta = FIRST_WAIT * (1 << min(failures - free_attempts, 16))
    return min(wait, LONGEST_WAIT)


def _retry_message(until: datetime, now: datetime) -> str:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    when = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return f"Too many failed sign-ins: try again in {when}."


class _UnknownEmails:
    """Failures for emails with no account, kept in memory: they wait as a real account
    would, so the answers never tell whether an email has an account."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self.failures: dict[str, tuple[int, datetime | None]] = {}

    def locked_until(self, email: str) -> datetime | None:
        return self.failures.get(email, (0, None))[1]

    def fail(self, email: str, now: datetime, free_attempts: int) -> None:
        if len(self.failures) >= self.LIMIT:
            self.failures.clear()
        count = self.failures.get(email, (0, None))[0] + 1
        wait = wait_after(count, free_attempts)
        self.failures[email] = (count, now + wait if wait else None)


_unknown = _UnknownEmails()


@lru_cache
def _dummy_hash() -> str:
    # verified against when there is no hash, so a wrong email costs as long as a wrong password
    return _hasher().hash("not the password of anyone")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    session: Session, email: str, password: str, now: datetime, *, free_attempts: int = 5
) -> Actor | Refusal:
    """The actor of a correct email and password, or why not; the caller commits either way.

    After ``free_attempts`` failures in a row each attempt must wait (30 s, doubling, at most
    an hour) and is refused without checking the password until then. The answers are the
    same whether or not the email has an account, is disabled or signs in elsewhere.
    """
    try:
        address = normalise_email(email)
    except RoiTrackerError:
        return Refusal(WRONG_CREDENTIALS)
    password = password[:MAX_PASSWORD_LENGTH]
    user = _find(session, address)
    if user is None:
        until = _unknown.locked_until(address)
        if until is not None and until > now:
            return Refusal(_retry_message(until, now))
        _verify(_dummy_hash(), password)
        _unknown.fail(address, now, free_attempts)
        return Refusal(WRONG_CREDENTIALS)
    until = _aware(user.locked_until)
    if until is not None and until > now:
        return Refusal(_retry_message(until, now))
    valid = _verify(user.password_hash or _dummy_hash(), password)
    if not (valid and user.password_hash and user.active):
        user.failed_sign_ins += 1
        wait = wait_after(user.failed_sign_ins, free_attempts)
        user.locked_until = now + wait if wait else None
        session.add(user)
        return Refusal(WRONG_CREDENTIALS)
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, now
    session.add(user)
    return Actor.user(user.email, user.role)


def oidc_sign_in(
    session: Session,
    email: str | None,
    now: datetime,
    *,
    default_role: Role | None,
    email_verified: bool | None = None,
) -> Actor | Refusal:
    """The actor of an email the identity provider signed in, or why they are refused.

    An unknown email is refused unless ``default_role`` is set: then its user is created
    with that role (audited as done at sign-in). A disabled user is always refused.
    """
    if not email or email_verified is False:
        return Refusal(
            "Your identity provider did not give a verified email address: ask an "
            "administrator to check the sign-in set-up."
        )
    try:
        address = normalise_email(email)
    except RoiTrackerError:
        return Refusal(f"{email!r} is not an email address: ask an administrator.")
    user = _find(session, address)
    if user is None and default_role is not None:
        user = _create(
            session, address, default_role, None, actor=Actor.user(address, default_role),
            detail={"reason": "first sign-in (ROI_TRACKER_OIDC_DEFAULT_ROLE)"},
        )  # fmt: skip
    if user is None or not user.active:
        return Refusal(
            f"{address} may not use this dashboard: ask an administrator to add or enable "
            "this address."
        )
    user.last_sign_in_at = now
    session.add(user)
    return Actor.user(user.email, user.role)
