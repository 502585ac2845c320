"""Project: details, cash flows, metrics with how they are computed, KPIs, decision log."""

import pandas as pd
import streamlit as st

from roi_tracker.ui import charts, components, data

st.title("Project")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

project = components.pick_project(projects)
key = str(project["key"])
detail = data.project_detail(key)
currency = data.settings().currency
st.header(project["name"])
if isinstance(project["description"], str):
    st.text(project["description"])
components.project_facts(project)

st.subheader("Is it paying off?")
components.explained_metrics(detail.explanations, currency)

st.subheader("Monthly cash flows")
split = st.radio(
    "Split by", ["category and benefit type", "planned vs actual"], horizontal=True, key="split"
)
if split == "planned vs actual":
    flows, title = detail.status_flows, "Planned vs actual costs, expected vs realized benefits"
else:
    flows, title = detail.flows, "Costs by category, hard and soft benefits, cumulative net"
if flows.empty:
    st.caption("No costs or benefits recorded yet; add them on the Data page.")
else:
    st.plotly_chart(charts.monthly_cash_flows(flows, currency, title=title), key="flows")

st.subheader("KPIs")
if not detail.kpis:
    st.caption("No KPIs yet; add them on the Data page.")
else:
    st.plotly_chart(
        charts.kpi_small_multiples([components.kpi_chart_arguments(k) for k in detail.kpis]),
        key="kpis",
    )

components.costs_from_bills(data.bill_costs(key))
for outcome in data.unit_economics(key):
    st.subheader("Cost per outcome")
    st.caption(
        f"Costs from bills ({outcome.currency}) per {outcome.unit} of the KPI {outcome.kpi_key}, "
        "by month; tokens per outcome where the bills report token quantities."
    )
    st.dataframe(
        pd.DataFrame([m.model_dump() for m in outcome.months]), hide_index=True, key="outcomes"
    )

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
