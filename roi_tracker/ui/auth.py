"""Who is using the dashboard: the sign-in gate, and the actor every page passes to the writes.

``ROI_TRACKER_AUTH`` decides: ``none`` (the local administrator, on a loopback address only),
``local`` (email and password against the users table, for ``ROI_TRACKER_SESSION_HOURS``) or
``oidc`` (Streamlit's ``st.login`` with the identity provider of ``.streamlit/secrets.toml``;
the signed-in email must belong to an active user). The user's row is read again on every run
(cached for a few seconds), so a disabled user or a changed role takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

import streamlit as st

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.config import AuthMode, Settings
from roi_tracker.errors import Forbidden
from roi_tracker.services import users
from roi_tracker.ui.resources import current_settings, session

__all__ = ["current_actor", "forget_cached_users", "require_sign_in", "show_signed_in"]

#: session-state keys: who signed in and when; the actor of this run; a notice for the form
_SIGNED_IN = "_auth_signed_in"
_ACTOR = "_auth_actor"
_NOTICE = "_auth_notice"
#: how long a user's row read at the start of a run is trusted
USER_CACHE_SECONDS = 5


@dataclass(frozen=True)
class _SignedIn:
    email: str
    at: datetime


@st.cache_data(ttl=USER_CACHE_SECONDS, show_spinner=False, max_entries=1024)
def _active_user(url: str, email: str) -> users.UserView | None:
    with session() as active:
        return users.find_active_user(active, email)


def forget_cached_users() -> None:
    """Read every user's row afresh on the next run (after a change on the Users page)."""
    _active_user.clear()


def current_actor() -> Actor:
    """The signed-in user as an ``Actor``; without sign-in, the local administrator."""
    if current_settings().auth is AuthMode.NONE:
        return Actor.local()
    actor = st.session_state.get(_ACTOR)
    if not isinstance(actor, Actor):
        raise Forbidden("nobody is signed in")
    return actor


def require_sign_in() -> Actor:
    """The actor of this run; otherwise show the sign-in page (or the refusal) and stop."""
    settings = current_settings()
    if settings.auth is AuthMode.NONE:
        refusal = settings.refusal_to_serve(st.get_option("server.address"))
        if refusal is not None:
            message = refusal[0].upper() + refusal[1:] + "."

            def explain() -> None:
                st.error(message, icon=":material/lock:")

            _instead_of_the_app("Not served", explain)
        return Actor.local()
    view = _local_user(settings) if settings.auth is AuthMode.LOCAL else _oidc_user(settings)
    actor = Actor.user(view.email, view.role)
    st.session_state[_ACTOR] = actor
    return actor


def _instead_of_the_app(title: str, render: Callable[[], None]) -> NoReturn:
    """Show one page whatever the address asked for, then end the run.

    It is a navigation of its own: whatever page the address names, only this one runs. (The
    page scripts live in ``app_pages/``, not ``pages/``: with a ``pages/`` folder Streamlit may
    run a script from it by its address without running ``streamlit_app.py``, this gate.)
    """
    st.session_state.pop(_ACTOR, None)
    page = st.Page(render, title=title, icon=":material/lock:", url_path="sign-in", default=True)
    st.navigation([page], position="hidden").run()
    st.stop()


def _local_user(settings: Settings) -> users.UserView:
    signed_in = st.session_state.get(_SIGNED_IN)
    now = clock.now()
    if isinstance(signed_in, _SignedIn):
        if now - signed_in.at > timedelta(hours=settings.session_hours):
            st.session_state.pop(_SIGNED_IN)
            st.session_state[_NOTICE] = "Your session has expired: please sign in again."
        else:
            view = _active_user(settings.database_url, signed_in.email)
            if view is not None and view.sign_in is users.SignInKind.PASSWORD:
                return view
            st.session_state.pop(_SIGNED_IN)
            st.session_state[_NOTICE] = "Your account can no longer sign in here."
    _instead_of_the_app("Sign in", lambda: _sign_in_form(settings, now))


def _sign_in_form(settings: Settings, now: datetime) -> None:
    st.title("Sign in")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice, icon=":material/schedule:")
    with st.form("sign_in_form", clear_on_submit=True):
        email = st.text_input("Email", key="sign_in_email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password",
            autocomplete="current-password",
        )  # fmt: skip
        submitted = st.form_submit_button("Sign in", type="primary", key="sign_in")
    if submitted:
        with session() as active:
            result = users.sign_in(
                active, email, password, now, free_attempts=settings.sign_in_attempts
            )
        if isinstance(result, users.Refusal):
            st.error(result.message, icon=":material/block:")
        else:
            st.session_state[_SIGNED_IN] = _SignedIn(str(result.email), now)
            st.rerun()
    with session() as active:
        first_start = not users.list_users(active)
    if first_start:
        st.caption(
            "No accounts yet: create the first administrator on the server with "
            "`roi-tracker users add EMAIL --role admin`."
        )


def _providers() -> list[str | None] | None:
    """The named providers of ``[auth]`` in secrets.toml, [None] for the unnamed one, or None
    when sign-in through an identity provider is not configured."""
    try:
        auth = st.secrets.get("auth")
    except FileNotFoundError:
        return None
    if not auth:
        return None
    named = [name for name, value in auth.items() if hasattr(value, "items")]
    return named or [None]


def _oidc_user(settings: Settings) -> users.UserView:
    if not st.user.get("is_logged_in"):
        st.session_state.pop(_SIGNED_IN, None)
        _instead_of_the_app("Sign in", _provider_buttons)
    email = st.user.get("email")
    signed_in = st.session_state.get(_SIGNED_IN)
    if isinstance(signed_in, _SignedIn) and email and signed_in.email == str(email).lower():
        view = _active_user(settings.database_url, signed_in.email)
        if view is not None:
            return view
        result: Actor | users.Refusal = users.Refusal(
            f"{signed_in.email} may no longer use this dashboard: ask an administrator."
        )
    else:
        with session() as active:
            result = users.oidc_sign_in(
                active, None if email is None else str(email), clock.now(),
                default_role=settings.oidc_default_role,
                email_verified=_claim_flag(st.user.get("email_verified")),
            )  # fmt: skip
    if isinstance(result, Actor):
        st.session_state[_SIGNED_IN] = _SignedIn(str(result.email), clock.now())
        forget_cached_users()
        view = _active_user(settings.database_url, str(result.email))
        if view is not None:
            return view
        result = users.Refusal("Your account could not be read: please try again.")
    st.session_state.pop(_SIGNED_IN, None)
    message = result.message
    _instead_of_the_app("Access refused", lambda: _refusal(message))


def _claim_flag(value: object) -> bool | None:
    # providers send the email_verified claim as a JSON boolean, some as "true"/"false"
    if value is None or isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def _refusal(message: str) -> None:
    st.title("Access refused")
    st.error(message, icon=":material/block:")
    if st.button("Sign out", key="sign_out"):
        st.logout()


def _provider_buttons() -> None:
    st.title("Sign in")
    providers = _providers()
    if providers is None:
        st.error(
            "Sign-in through the identity provider is not set up: add an [auth] section "
            "to .streamlit/secrets.toml (see docs/sign-in.md).",
            icon=":material/error:",
        )
    for name in providers or []:
        label = f"Sign in with {name}" if name else "Sign in"
        if st.button(label, type="primary", key=f"login_{name or 'default'}"):
            if name:
                st.login(name)
            else:
                st.login()


def show_signed_in(actor: Actor) -> None:
    """The signed-in email and role in the sidebar, with a Sign out button (not in none mode)."""
    mode = current_settings().auth
    if mode is AuthMode.NONE:
        return
    with st.sidebar:
        st.text(f"Signed in as {actor.email} ({actor.role.value})")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.session_state.pop(_SIGNED_IN, None)
            st.session_state.pop(_ACTOR, None)
            if mode is AuthMode.OIDC:
                st.logout()
            st.rerun()
