"""KPIs: progress against baseline, target and benchmarks, forecast, status, SMART check."""

import streamlit as st

from roi_tracker.ui import charts, components, data, plot
from roi_tracker.ui.sections import kpis as page
from roi_tracker.ui.theme import STATUS_LABELS

st.title("KPIs")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()
kpis = data.kpi_overview()
if kpis.empty:
    st.info("No KPIs yet: add them on the Data page or import a kpis CSV file.")
    st.stop()

st.caption(
    "Status as of today: achieved (progress ≥ 100 %), missed (target date passed), no data, "
    "else on track / at risk / off track when the trend line reaches ≥ 100 % / ≥ 80 % / less "
    "of the target by its date."
)
page.status_counts(kpis["status"])

st.subheader("All KPIs")
chosen = st.multiselect(
    "Status", list(STATUS_LABELS), format_func=STATUS_LABELS.get, key="kpi_status",
    placeholder="all statuses",
)  # fmt: skip
shown = kpis[kpis["status"].isin(chosen)] if chosen else kpis
page.kpi_table(shown)

st.subheader("Each KPI of a project")
project = components.pick_project(projects)
detail = data.project_detail(str(project["key"]))
if not detail.kpis:
    st.caption("This project has no KPIs yet.")
for chart in detail.kpis:
    left, right = st.columns([2, 1])
    plot.chart(
        charts.kpi_progress(**components.kpi_chart_arguments(chart)),
        key=f"kpi_{chart.key}",
        parent=left,
    )
    with right:
        page.smart_checklist(kpis, project_key=chart.project_key, kpi_key=chart.key)
