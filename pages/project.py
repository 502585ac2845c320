"""Project: details, decision log, cash flows, metrics with their explanations, KPIs."""

import streamlit as st

from roi_tracker.ui import components, data

st.title("Project")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

project = components.pick_project(projects)
st.header(project["name"])
if isinstance(project["description"], str):
    st.text(project["description"])

details = st.columns(4)
details[0].metric("Stage", project["stage"])
details[1].metric("Owner", project["owner"] or "–")
details[2].metric("Business unit", project["business_unit"] or "–")
details[3].metric("Start", f"{project['start_date']:%d %b %Y}")

st.subheader("Decision log")
decisions = data.decisions(int(project["id"]))
if decisions.empty:
    st.caption("No decisions recorded yet; add one on the Data page.")
else:
    st.dataframe(
        decisions[["date", "decision", "rationale", "author"]],
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "decision": "Decision",
            "rationale": st.column_config.TextColumn("Rationale", width="large"),
            "author": "Author",
        },
    )
