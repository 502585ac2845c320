"""Data: add, edit and delete projects and their records, validated like an import."""

import streamlit as st

from roi_tracker.services import records
from roi_tracker.ui import actions, components, data, forms

st.title("Data")
actions.show_flash()
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

project = components.pick_project(projects)
project_key = str(project["key"])

st.subheader("Record a decision")
values = forms.decision_form()
if values is not None:
    actions.run_write(
        lambda session: records.add_decision(session, {**values, "project_key": project_key}),
        success=f"Decision `{values['decision']}` saved for `{project_key}`.",
    )

st.subheader("Delete")
log = data.decisions(int(project["id"]))
components.delete_with_confirmation(
    "decisions",
    {int(r.id): f"{r.date:%Y-%m-%d} {r.decision}" for r in log.itertuples()},
)
