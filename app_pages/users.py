"""Users (admins only): who may sign in, with which role; add, change role, disable, reset."""

from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from roi_tracker.access import Role
from roi_tracker.config import AuthMode
from roi_tracker.services import users
from roi_tracker.ui import actions, auth
from roi_tracker.ui.resources import current_settings, session

ROLES = [role.value for role in Role]


def change(write: Callable[[Session], object], *, success: str) -> None:
    """Run a users write as the signed-in admin; every open dashboard sees it on its next run."""

    def run(active: Session) -> None:
        write(active)
        auth.forget_cached_users()

    actions.run_write(run, success=success)


st.title("Users")
actions.show_flash()
actor = auth.current_actor()
mode = current_settings().auth
st.caption(
    {
        AuthMode.NONE: "Sign-in is off (ROI_TRACKER_AUTH=none): these accounts are used once "
        "it is set to local or oidc.",
        AuthMode.LOCAL: "People sign in with their email and password.",
        AuthMode.OIDC: "People sign in through the identity provider; their email must be "
        "listed here and active.",
    }[mode]
)

with session() as active:
    listed = users.list_users(active)
if listed:
    st.dataframe(
        [
            {
                "email": view.email,
                "role": view.role.value,
                "active": view.active,
                "sign-in": view.sign_in.value,
                "last sign-in (UTC)": view.last_sign_in_at,
            }
            for view in listed
        ],
        hide_index=True,
        key="users_table",
    )
else:
    st.caption("No users yet.")

add, edit = st.tabs(["Add a user", "Change a user"])
with add:
    with st.form("add_user_form", clear_on_submit=True):
        email = st.text_input("Email", key="add_email")
        role = st.selectbox("Role", ROLES, key="add_role")
        password = st.text_input(
            "Password (at least 12 characters; leave empty for sign-in through the identity "
            "provider)",
            type="password",
            key="add_password",
        )
        added = st.form_submit_button("Add user", type="primary", key="add_user")
    if added:
        change(
            lambda active: users.add_user(active, email, role, password or None, actor=actor),
            success="User added.",
        )

with edit:
    if not listed:
        st.stop()
    chosen = st.selectbox("User", [view.email for view in listed], key="edit_user")
    view = next(v for v in listed if v.email == chosen)
    role_column, state_column = st.columns(2)
    with role_column:
        new_role = st.selectbox("Role", ROLES, index=ROLES.index(view.role), key="edit_role")
        if st.button("Save role", key="save_role", disabled=new_role == view.role):
            change(
                lambda active: users.set_role(active, chosen, new_role, actor=actor),
                success="Role changed.",
            )
    with state_column:
        if view.active:
            if st.button("Disable", key="disable_user", icon=":material/block:"):
                change(
                    lambda active: users.disable_user(active, chosen, actor=actor),
                    success="User disabled: they can no longer sign in.",
                )
        elif st.button("Enable", key="enable_user", icon=":material/check:"):
            change(
                lambda active: users.enable_user(active, chosen, actor=actor),
                success="User enabled.",
            )
    with st.form("reset_password_form", clear_on_submit=True):
        new_password = st.text_input(
            "New password (at least 12 characters)", type="password", key="new_password"
        )
        repeated = st.text_input("Repeat the new password", type="password", key="repeat_password")
        reset = st.form_submit_button("Set password", key="set_password")
    if reset:
        if new_password != repeated:
            st.error("The two passwords differ: nothing was changed.", icon=":material/error:")
        else:
            change(
                lambda active: users.reset_password(active, chosen, new_password, actor=actor),
                success="Password set; failed sign-ins are forgotten.",
            )
