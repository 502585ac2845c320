"""The sign-in gate and the navigation of each role: local passwords, OIDC, the loopback rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from streamlit import config
from streamlit.testing.v1 import AppTest

from roi_tracker import clock
from roi_tracker.access import Actor, Role
from roi_tracker.services import users
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import AuditEntry, User
from tests.pages.conftest import APP, TIMEOUT_SECONDS, shown

PASSWORD = "correct horse battery"
EVERY_PAGE = {
    "app_pages/portfolio.py": "Portfolio",
    "app_pages/project.py": "Project",
    "app_pages/kpis.py": "KPIs",
    "app_pages/budget.py": "Budget",
    "app_pages/scenarios.py": "Scenarios",
    "app_pages/data_entry.py": "Data",
    "app_pages/import_export.py": "Import / export",
    "app_pages/email_summaries.py": "Email summaries",
    "app_pages/users.py": "Users",
}
#: the pages each role does not see (their scripts; the default page is shown instead)
HIDDEN = {
    Role.VIEWER: {"app_pages/data_entry.py", "app_pages/users.py"},
    Role.EDITOR: {"app_pages/users.py"},
    Role.ADMIN: set(),
}


def add_users(url: str, *accounts: tuple[str, Role, str | None]) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        for email, role, password in accounts:
            users.add_user(session, email, role, password, actor=Actor.command_line())
    engine.dispose()


def stored_users(url: str) -> dict[str, User]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        found = {user.email: user for user in session.exec(select(User))}
        session.expunge_all()
    engine.dispose()
    return found


@pytest.fixture
def local_db(small_db, monkeypatch) -> str:
    monkeypatch.setenv("ROI_TRACKER_AUTH", "local")
    monkeypatch.setenv("ROI_TRACKER_SIGN_IN_ATTEMPTS", "2")
    add_users(
        small_db,
        ("viewer@example.com", Role.VIEWER, PASSWORD),
        ("editor@example.com", Role.EDITOR, PASSWORD),
        ("admin@example.com", Role.ADMIN, PASSWORD),
    )
    return small_db


def signed_in(email: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.run()
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.button(key="sign_in").click().run()
    return at


def sidebar_text(at: AppTest) -> list[str]:
    return [element.value for element in at.sidebar.text]


def test_without_sign_in_on_a_public_address_the_dashboard_refuses_to_show_pages(small_db):
    config.set_option("server.address", "0.0.0.0")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()

    assert not at.exception
    assert not at.title
    assert "ROI_TRACKER_AUTH=local or oidc" in shown(at.error[0].value)
    assert "not on 0.0.0.0" in shown(at.error[0].value)


def test_local_mode_shows_only_the_sign_in_form_until_signed_in(local_db):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()

    assert not at.exception
    assert [title.value for title in at.title] == ["Sign in"]
    assert not at.dataframe
    with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):
        at.switch_page("app_pages/data_entry.py")


def test_no_pages_folder_lets_streamlit_open_a_script_without_the_gate():
    # Streamlit runs a script of a pages/ folder next to the entrypoint by its address
    # (without the entrypoint) until some run has called st.navigation
    assert not (APP.parent / "pages").exists()


def test_the_right_password_signs_in_and_the_sidebar_says_who(local_db):
    at = signed_in("Editor@Example.com")

    assert not at.exception
    assert at.title[0].value == "Portfolio"
    assert "Signed in as editor@example.com (editor)" in sidebar_text(at)
    assert stored_users(local_db)["editor@example.com"].last_sign_in_at is not None


def test_wrong_passwords_are_refused_then_slowed_down(local_db):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()
    messages = []
    for password in ("wrong password 1", "wrong password 2", PASSWORD):
        at.text_input(key="sign_in_email").input("viewer@example.com")
        at.text_input(key="sign_in_password").input(password)
        at.button(key="sign_in").click().run()
        messages.append(shown(at.error[0].value))

    assert messages[:2] == ["Wrong email or password."] * 2
    # after two failures even the right password waits
    assert messages[2].startswith("Too many failed sign-ins: try again in ")
    assert [title.value for title in at.title] == ["Sign in"]
    user = stored_users(local_db)["viewer@example.com"]
    assert user.failed_sign_ins == 2 and user.locked_until is not None


def test_an_expired_session_asks_to_sign_in_again(local_db, monkeypatch):
    at = signed_in("viewer@example.com")
    assert at.title[0].value == "Portfolio"
    later = clock.now() + timedelta(hours=8, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    at.run()

    assert [title.value for title in at.title] == ["Sign in"]
    assert at.info[0].value == "Your session has expired: please sign in again."


def test_sign_out_returns_to_the_form(local_db):
    at = signed_in("viewer@example.com")
    at.button(key="sign_out").click().run()

    assert [title.value for title in at.title] == ["Sign in"]


def test_a_disabled_user_is_signed_out_on_the_next_run(local_db):
    import streamlit as st

    at = signed_in("viewer@example.com")
    engine = make_engine(local_db)
    with session_scope(engine) as session:
        users.disable_user(session, "viewer@example.com", actor=Actor.command_line())
    engine.dispose()
    st.cache_data.clear()  # instead of waiting for the few seconds the row is cached

    at.run()

    assert [title.value for title in at.title] == ["Sign in"]
    assert at.info[0].value == "Your account can no longer sign in here."


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_pages(local_db, role):
    at = signed_in(f"{role.value}@example.com")
    for page, title in EVERY_PAGE.items():
        if page in HIDDEN[role]:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
            continue
        at.switch_page(page).run()
        assert not at.exception, page
        expected = "Export" if (role, title) == (Role.VIEWER, "Import / export") else title
        assert at.title[0].value == expected, page


def test_a_viewer_exports_but_sees_no_import(local_db):
    at = signed_in("viewer@example.com")
    at.switch_page("app_pages/import_export.py").run()

    assert at.title[0].value == "Export"
    assert not at.tabs
    assert at.selectbox(key="export_entity").value == "projects"


def test_the_admin_manages_users_on_the_users_page(local_db):
    at = signed_in("admin@example.com")
    at.switch_page("app_pages/users.py").run()
    assert list(at.dataframe[0].value["email"]) == [
        "admin@example.com", "editor@example.com", "viewer@example.com",
    ]  # fmt: skip

    at.text_input(key="add_email").input("New@Example.com")
    at.selectbox(key="add_role").set_value("editor")
    at.text_input(key="add_password").input("a long new password")
    at.button(key="add_user").click().run()
    assert not at.exception
    assert shown(at.success[0].value) == "User added."

    at.selectbox(key="edit_user").set_value("viewer@example.com").run()
    at.selectbox(key="edit_role").set_value("editor").run()
    at.button(key="save_role").click().run()
    at.selectbox(key="edit_user").set_value("editor@example.com").run()
    at.button(key="disable_user").click().run()
    at.selectbox(key="edit_user").set_value("admin@example.com").run()
    at.selectbox(key="edit_role").set_value("viewer").run()
    at.button(key="save_role").click().run()

    assert "admin@example.com is the last active admin" in shown(at.error[0].value)
    found = stored_users(local_db)
    assert found["new@example.com"].password_hash.startswith("$argon2id$")
    assert (found["viewer@example.com"].role, found["editor@example.com"].active) == (
        "editor", False,
    )  # fmt: skip
    assert found["admin@example.com"].role == "admin"
    engine = make_engine(local_db)
    with session_scope(engine) as session:
        actors = set(session.exec(select(AuditEntry.actor).where(AuditEntry.id > 9)))
    engine.dispose()
    assert actors == {"admin@example.com"}


def test_the_admin_resets_a_password_that_must_be_typed_twice(local_db):
    at = signed_in("admin@example.com")
    at.switch_page("app_pages/users.py").run()
    at.selectbox(key="edit_user").set_value("viewer@example.com").run()
    at.text_input(key="new_password").input("another passphrase")
    at.text_input(key="repeat_password").input("another passphrase!")
    at.button(key="set_password").click().run()
    assert shown(at.error[0].value) == "The two passwords differ: nothing was changed."

    at.text_input(key="new_password").input("another passphrase")
    at.text_input(key="repeat_password").input("another passphrase")
    at.button(key="set_password").click().run()
    assert shown(at.success[0].value) == "Password set; failed sign-ins are forgotten."
    assert signed_in("viewer@example.com", "another passphrase").title[0].value == "Portfolio"


def oidc_app(user: dict[str, object], secrets: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.user = user
    if secrets is not None:
        at.secrets["auth"] = secrets
    return at.run()


def test_oidc_without_a_signed_in_user_offers_the_providers(small_db, monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_AUTH", "oidc")
    unconfigured = oidc_app({})
    assert "not set up" in unconfigured.error[0].value

    at = oidc_app(
        {"is_logged_in": False},
        {"redirect_uri": "https://roi.example.com/oauth2callback", "cookie_secret": "x",
         "microsoft": {"client_id": "a"}, "okta": {"client_id": "b"}},
    )  # fmt: skip
    assert [button.label for button in at.button] == ["Sign in with microsoft", "Sign in with okta"]
    assert [title.value for title in at.title] == ["Sign in"]


def test_oidc_signs_in_a_listed_email_in_any_case(small_db, monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_AUTH", "oidc")
    add_users(small_db, ("ana@example.com", Role.EDITOR, None))

    at = oidc_app({"is_logged_in": True, "email": "Ana@Example.com", "email_verified": True})

    assert not at.exception
    assert at.title[0].value == "Portfolio"
    assert "Signed in as ana@example.com (editor)" in sidebar_text(at)


def test_oidc_refuses_an_unknown_email_with_a_sign_out_button(small_db, monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_AUTH", "oidc")

    at = oidc_app({"is_logged_in": True, "email": "eve@example.com"})

    assert [title.value for title in at.title] == ["Access refused"]
    assert "eve@example.com may not use this dashboard" in shown(at.error[0].value)
    assert at.button(key="sign_out").label == "Sign out"
    assert stored_users(small_db) == {}


def test_oidc_with_a_default_role_admits_and_records_a_new_email(small_db, monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_AUTH", "oidc")
    monkeypatch.setenv("ROI_TRACKER_OIDC_DEFAULT_ROLE", "viewer")

    at = oidc_app({"is_logged_in": True, "email": "eve@example.com"})

    assert at.title[0].value == "Portfolio"
    assert stored_users(small_db)["eve@example.com"].role == "viewer"


def test_changes_to_user_accounts_are_in_the_history_of_administrators_only(local_db):
    for email, accounts_shown in (("viewer@example.com", False), ("admin@example.com", True)):
        at = signed_in(email)
        at.switch_page("app_pages/history.py")
        at.run()
        assert not at.exception
        entities = set(at.dataframe[0].value["entity"]) if at.dataframe else set()
        assert ("users" in entities) is accounts_shown, email
