"""The dashboard's frame: page config, the sign-in gate, the navigation of the user's role."""

import streamlit as st

from roi_tracker.access import Permission
from roi_tracker.ui import auth
from roi_tracker.ui.failures import database_failures_in_one_line
from roi_tracker.ui.resources import engine

st.set_page_config(page_title="AI ROI Tracker", page_icon=":material/monitoring:", layout="wide")
with database_failures_in_one_line():
    engine()  # the first start creates or upgrades the database
    actor = auth.require_sign_in()  # shows the sign-in page and stops until someone signs in

# section: (script, title, icon, what the user must be allowed to do to see the page)
PAGES = {
    "Overview": [
        ("app_pages/portfolio.py", "Portfolio", ":material/dashboard:", Permission.READ),
        ("app_pages/project.py", "Project", ":material/work:", Permission.READ),
    ],
    "Tracking": [
        ("app_pages/kpis.py", "KPIs", ":material/track_changes:", Permission.READ),
        ("app_pages/budget.py", "Budget", ":material/account_balance_wallet:", Permission.READ),
    ],
    "Analysis": [
        ("app_pages/scenarios.py", "Scenarios", ":material/tune:", Permission.READ),
    ],
    "Data": [
        ("app_pages/data_entry.py", "Data", ":material/edit_note:", Permission.EDIT_DATA),
        ("app_pages/import_export.py", "Import / export" if actor.can(Permission.EDIT_DATA)
         else "Export", ":material/upload:", Permission.EXPORT),
        ("app_pages/bills.py", "Bills", ":material/receipt_long:", Permission.READ),
        ("app_pages/email_summaries.py", "Email summaries", ":material/mail:", Permission.READ),
        ("app_pages/history.py", "History", ":material/history:", Permission.READ),
    ],
    "Administration": [
        ("app_pages/users.py", "Users", ":material/group:", Permission.MANAGE_USERS),
    ],
}  # fmt: skip

navigation = st.navigation(
    {
        section: [
            st.Page(script, title=title, icon=icon)
            for script, title, icon, permission in pages
            if actor.can(permission)
        ]
        for section, pages in PAGES.items()
        if any(actor.can(permission) for *_, permission in pages)
    }
)
auth.show_signed_in(actor)
with database_failures_in_one_line():
    navigation.run()
