"""The dashboard's frame: page config, the navigation, the selected page."""

import streamlit as st

from roi_tracker.ui.resources import engine

st.set_page_config(page_title="AI ROI Tracker", page_icon=":material/monitoring:", layout="wide")
engine()  # the first start creates or upgrades the database

navigation = st.navigation(
    {
        "Overview": [
            st.Page("pages/portfolio.py", title="Portfolio", icon=":material/dashboard:"),
            st.Page("pages/project.py", title="Project", icon=":material/work:"),
        ],
        "Tracking": [
            st.Page("pages/kpis.py", title="KPIs", icon=":material/track_changes:"),
            st.Page("pages/budget.py", title="Budget", icon=":material/account_balance_wallet:"),
        ],
        "Analysis": [
            st.Page("pages/scenarios.py", title="Scenarios", icon=":material/tune:"),
        ],
        "Data": [
            st.Page("pages/data_entry.py", title="Data", icon=":material/edit_note:"),
            st.Page("pages/import_export.py", title="Import / export", icon=":material/upload:"),
            st.Page("pages/bills.py", title="Bills", icon=":material/receipt_long:"),
            st.Page("pages/email_summaries.py", title="Email summaries", icon=":material/mail:"),
            st.Page("pages/history.py", title="History", icon=":material/history:"),
        ],
    }
)
navigation.run()
