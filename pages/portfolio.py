"""Portfolio: every AI project at a glance."""

import streamlit as st

from roi_tracker.ui import components, data

st.title("Portfolio")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

st.dataframe(
    projects[["key", "name", "stage", "owner", "business_unit", "use_case", "start_date"]],
    hide_index=True,
    column_config={
        "key": "Key",
        "name": "Project",
        "stage": "Stage",
        "owner": "Owner",
        "business_unit": "Business unit",
        "use_case": "Use case",
        "start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
    },
)
