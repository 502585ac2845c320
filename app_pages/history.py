"""History: the audit trail, who changed what and when, filtered by project, user and date."""

import streamlit as st

from roi_tracker.access import Permission
from roi_tracker.services.audit import PAGE_LIMIT
from roi_tracker.ui import data, history
from roi_tracker.ui.auth import current_actor

st.title("History")
st.caption(
    "Every change to the data: who made it, when (UTC), and each field's old and new value. "
    "The history cannot be edited."
)
projects, actors = data.audit_choices()
project_column, user_column, since_column = st.columns(3)
project = project_column.selectbox(
    "Project", [None, *projects], key="history_project",
    format_func=lambda k: "All projects" if k is None else k,
)  # fmt: skip
user = user_column.selectbox(
    "User", [None, *actors], key="history_user",
    format_func=lambda a: "Everyone" if a is None else a,
)  # fmt: skip
since = since_column.date_input("Since (UTC)", value=None, key="history_since")
# changes to user accounts (emails, roles) are for administrators, who manage them
accounts = current_actor().can(Permission.MANAGE_USERS)
lines = data.audit_trail(project_key=project, user=user, since=since, user_accounts=accounts)
if len(lines) >= PAGE_LIMIT:
    st.caption(
        f"The newest {PAGE_LIMIT} lines; narrow the filters, or use `roi-tracker audit` for all."
    )
history.history_table(lines)
