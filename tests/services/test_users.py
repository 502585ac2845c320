"""The users service: accounts, roles, the last admin, passwords, sign-in and its slow-down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from roi_tracker.access import Actor, Role
from roi_tracker.errors import Forbidden, InvalidInput, NotFound
from roi_tracker.services import users
from roi_tracker.store.tables import AuditEntry, User

ADMIN = Actor.command_line()
PASSWORD = "correct horse battery"
NOW = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)


def trail(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))


def stored(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email)).one()
    session.refresh(user)
    return user


def test_a_user_is_added_with_an_argon2id_hash_and_audited_without_it(session):
    view = users.add_user(session, " Ana@Example.COM ", "editor", PASSWORD, actor=ADMIN)

    assert (view.email, view.role, view.sign_in) == ("ana@example.com", Role.EDITOR, "password")
    user = stored(session, "ana@example.com")
    assert user.password_hash.startswith("$argon2id$")
    lines = {(line.field, line.old, line.new) for line in trail(session)}
    assert lines == {("role", None, "editor"), ("active", None, "True"), ("password", None, "***")}
    assert all(line.record_key == "ana@example.com" for line in trail(session))
    assert all(line.actor == ADMIN.name and line.entity == "users" for line in trail(session))
    assert not [line for line in trail(session) if PASSWORD in str(line.new)]


def test_adding_refuses_a_duplicate_a_bad_address_a_short_password_and_a_bad_role(session):
    users.add_user(session, "ana@example.com", Role.VIEWER, actor=ADMIN)

    with pytest.raises(InvalidInput, match="exists already"):
        users.add_user(session, "ANA@example.com", Role.VIEWER, actor=ADMIN)
    with pytest.raises(InvalidInput, match="not an email address"):
        users.add_user(session, "ana example.com", Role.VIEWER, actor=ADMIN)
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        users.add_user(session, "ben@example.com", Role.VIEWER, "short pass", actor=ADMIN)
    with pytest.raises(InvalidInput, match="unknown role 'owner'"):
        users.add_user(session, "ben@example.com", "owner", actor=ADMIN)
    assert [view.email for view in users.list_users(session)] == ["ana@example.com"]
    assert users.list_users(session)[0].sign_in == "identity provider"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_an_admin_manages_users(session, role):
    actor = Actor.user("someone@example.com", role)
    with pytest.raises(Forbidden, match="may not manage users"):
        users.add_user(session, "ana@example.com", Role.ADMIN, actor=actor)
    users.add_user(session, "ana@example.com", Role.ADMIN, actor=ADMIN)
    for write in (
        lambda: users.set_role(session, "ana@example.com", Role.VIEWER, actor=actor),
        lambda: users.disable_user(session, "ana@example.com", actor=actor),
        lambda: users.reset_password(session, "ana@example.com", PASSWORD, actor=actor),
    ):
        with pytest.raises(Forbidden):
            write()
    assert len(trail(session)) == 2  # the admin's add only


def test_the_last_active_admin_can_be_neither_demoted_nor_disabled(session):
    users.add_user(session, "ana@example.com", Role.ADMIN, actor=ADMIN)
    users.add_user(session, "ben@example.com", Role.EDITOR, actor=ADMIN)

    with pytest.raises(InvalidInput, match=r"ana@example\.com is the last active admin"):
        users.set_role(session, "ana@example.com", Role.EDITOR, actor=ADMIN)
    with pytest.raises(InvalidInput, match="last active admin"):
        users.disable_user(session, "ana@example.com", actor=ADMIN)

    users.set_role(session, "ben@example.com", Role.ADMIN, actor=ADMIN)
    users.disable_user(session, "ana@example.com", actor=ADMIN)
    with pytest.raises(InvalidInput, match=r"ben@example\.com is the last active admin"):
        users.set_role(session, "ben@example.com", Role.VIEWER, actor=ADMIN)
    assert {(v.email, v.role, v.active) for v in users.list_users(session)} == {
        ("ana@example.com", Role.ADMIN, False),
        ("ben@example.com", Role.ADMIN, True),
    }
    changes = [(line.record_key, line.field, line.old, line.new) for line in trail(session)][4:]
    assert changes == [
        ("ben@example.com", "role", "editor", "admin"),
        ("ana@example.com", "active", "True", "False"),
    ]


def test_an_unknown_user_is_not_found(session):
    with pytest.raises(NotFound, match=r"no user 'nobody@example\.com'"):
        users.set_role(session, "Nobody@example.com", Role.VIEWER, actor=ADMIN)


def test_sign_in_with_the_right_password_records_the_moment(session):
    users.add_user(session, "ana@example.com", Role.EDITOR, PASSWORD, actor=ADMIN)

    actor = users.sign_in(session, "ANA@example.com", PASSWORD, NOW)

    assert actor == Actor.user("ana@example.com", Role.EDITOR)
    assert users.list_users(session)[0].last_sign_in_at == NOW


def test_wrong_passwords_slow_down_and_the_answer_never_tells_if_the_email_exists(session):
    users.add_user(session, "ana@example.com", Role.EDITOR, PASSWORD, actor=ADMIN)
    users.add_user(session, "oidc@example.com", Role.EDITOR, actor=ADMIN)
    answers: dict[str, list[str]] = {}
    for email in ("ana@example.com", "oidc@example.com", "nobody-at-all@example.com"):
        answers[email] = [
            users.sign_in(session, email, "wrong password!", NOW, free_attempts=3).message
            for _ in range(4)
        ]
    assert len({tuple(messages) for messages in answers.values()}) == 1
    messages = answers["ana@example.com"]
    assert messages[:3] == ["Wrong email or password."] * 3
    assert messages[3] == "Too many failed sign-ins: try again in 30 seconds."

    # even the right password waits; then the next failure doubles the wait
    refused = users.sign_in(session, "ana@example.com", PASSWORD, NOW + timedelta(seconds=29))
    assert isinstance(refused, users.Refusal) and "try again in 1 seconds" in refused.message
    later = NOW + timedelta(seconds=30)
    users.sign_in(session, "ana@example.com", "wrong again!!", later, free_attempts=3)
    assert stored(session, "ana@example.com").failed_sign_ins == 4
    assert users.sign_in(session, "ana@example.com", PASSWORD, later).message.endswith(
        "try again in 60 seconds."
    )
    assert users.sign_in(session, "ana@example.com", PASSWORD, later + timedelta(minutes=1))
    assert stored(session, "ana@example.com").failed_sign_ins == 0


def test_the_wait_doubles_up_to_an_hour():
    waits = [users.wait_after(failures, 5).total_seconds() for failures in range(4, 14)]
    assert waits == [0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_disabled_user_cannot_sign_in_even_with_the_right_password(session):
    users.add_user(session, "ana@example.com", Role.VIEWER, PASSWORD, actor=ADMIN)
    users.add_user(session, "root@example.com", Role.ADMIN, actor=ADMIN)
    users.disable_user(session, "ana@example.com", actor=ADMIN)

    assert users.sign_in(session, "ana@example.com", PASSWORD, NOW) == users.Refusal(
        "Wrong email or password."
    )
    users.enable_user(session, "ana@example.com", actor=ADMIN)
    assert isinstance(users.sign_in(session, "ana@example.com", PASSWORD, NOW), Actor)


def test_a_reset_password_replaces_the_old_one_and_is_audited_as_stars(session):
    users.add_user(session, "ana@example.com", Role.VIEWER, PASSWORD, actor=ADMIN)
    users.reset_password(session, "ana@example.com", "a brand new passphrase", actor=ADMIN)

    assert isinstance(users.sign_in(session, "ana@example.com", PASSWORD, NOW), users.Refusal)
    assert isinstance(
        users.sign_in(session, "ana@example.com", "a brand new passphrase", NOW), Actor
    )
    assert (trail(session)[-1].field, trail(session)[-1].old, trail(session)[-1].new) == (
        "password", "***", "***",
    )  # fmt: skip


def test_a_hash_made_with_weaker_parameters_is_replaced_at_sign_in(session):
    from argon2 import PasswordHasher

    users.add_user(session, "ana@example.com", Role.VIEWER, actor=ADMIN)
    user = stored(session, "ana@example.com")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    session.add(user)
    session.flush()

    assert isinstance(users.sign_in(session, "ana@example.com", PASSWORD, NOW), Actor)
    assert not PasswordHasher().check_needs_rehash(stored(session, "ana@example.com").password_hash)


def test_oidc_matches_the_email_in_any_case_and_refuses_unknown_or_disabled(session):
    users.add_user(session, "ana@example.com", Role.EDITOR, actor=ADMIN)
    users.add_user(session, "ben@example.com", Role.VIEWER, actor=ADMIN)
    users.add_user(session, "root@example.com", Role.ADMIN, actor=ADMIN)
    users.disable_user(session, "ben@example.com", actor=ADMIN)

    actor = users.oidc_sign_in(session, "Ana@Example.com", NOW, default_role=None)
    assert actor == Actor.user("ana@example.com", Role.EDITOR)
    for email in ("ben@example.com", "eve@example.com"):
        refusal = users.oidc_sign_in(session, email, NOW, default_role=None)
        assert refusal == users.Refusal(
            f"{email} may not use this dashboard: ask an administrator to add or enable "
            "this address."
        )
    unverified = users.oidc_sign_in(
        session, "ana@example.com", NOW, default_role=None, email_verified=False
    )
    assert isinstance(unverified, users.Refusal) and "verified email" in unverified.message
    assert isinstance(users.oidc_sign_in(session, None, NOW, default_role=None), users.Refusal)
    assert len(users.list_users(session)) == 3


def test_oidc_with_a_default_role_adds_the_unknown_email_and_audits_it(session):
    actor = users.oidc_sign_in(session, "Eve@Example.com", NOW, default_role=Role.VIEWER)

    assert actor == Actor.user("eve@example.com", Role.VIEWER)
    [view] = users.list_users(session)
    assert (view.email, view.role, view.sign_in, view.last_sign_in_at) == (
        "eve@example.com", Role.VIEWER, "identity provider", NOW,
    )  # fmt: skip
    line = trail(session)[0]
    assert (line.actor, line.action, line.record_key) == ("eve@example.com", "create", view.email)
    assert "ROI_TRACKER_OIDC_DEFAULT_ROLE" in line.detail
    # a disabled user is never re-created by the default role
    users.add_user(session, "root@example.com", Role.ADMIN, actor=ADMIN)
    users.disable_user(session, "eve@example.com", actor=ADMIN)
    assert isinstance(
        users.oidc_sign_in(session, "eve@example.com", NOW, default_role=Role.VIEWER),
        users.Refusal,
    )


@pytest.mark.postgres
def test_on_postgresql_roles_the_last_admin_and_sign_in_behave_the_same(postgres_url):
    from roi_tracker.store import make_engine, migrate, session_scope

    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with session_scope(engine) as session:
            users.add_user(session, "Ana@Example.com", Role.ADMIN, PASSWORD, actor=ADMIN)
            with pytest.raises(InvalidInput, match="last active admin"):
                users.disable_user(session, "ana@example.com", actor=ADMIN)
            assert users.sign_in(session, "ANA@example.com", PASSWORD, NOW) == Actor.user(
                "ana@example.com", Role.ADMIN
            )
        with session_scope(engine) as session:
            [view] = users.list_users(session)
            assert view.last_sign_in_at == NOW
            assert stored(session, "ana@example.com").password_hash.startswith("$argon2id$")
    finally:
        engine.dispose()
