"""Project: details, cash flows, metrics with how they are computed, KPIs, decision log."""

import pandas as pd
import streamlit as st

from roi_tracker.access import Permission
from roi_tracker.services import baselines
from roi_tracker.ui import actions, charts, components, data, plot
from roi_tracker.ui import format as fmt
from roi_tracker.ui.auth import current_actor
from roi_tracker.ui.sections import project as page

st.title("Project")
actions.show_flash()
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

project = components.pick_project(projects)
key = str(project["key"])
detail = data.project_detail(key)
currency = data.settings().currency
st.header(fmt.literal(project["name"]))
if isinstance(project["description"], str):
    st.text(project["description"])
page.project_facts(project)

st.subheader("Is it paying off?")
page.explained_metrics(detail.explanations, currency)

st.subheader("Against the approved business case")
variance = data.baseline_variance(key)
if variance.baseline is None:
    st.caption("No approved baseline yet.")
else:
    plot.chart(
        charts.npv_bridge(
            [(s.step, s.value) for s in variance.bridge],
            currency,
            version=variance.baseline.version,
        ),
        key="bridge",
    )
    page.baseline_variance(variance, currency)
actor = current_actor()
if actor.can(Permission.EDIT_DATA):
    with st.form("approve_baseline", clear_on_submit=True):
        approver = st.text_input("Approved by", key="approved_by")
        note = st.text_input("Note (optional)", key="approval_note")
        if st.form_submit_button("Approve as baseline"):
            actions.run_write(
                lambda session: baselines.approve(
                    session, data.settings(), project_key=key, approved_by=approver,
                    note=note, actor=actor,
                ),
                success="Approved: the current plan is the new baseline.",
            )  # fmt: skip

st.subheader("What the benefits rest on")
steps = data.waterfall((key,)).steps
plot.chart(
    charts.benefit_waterfall(steps, currency, title="Benefits: realized cash to still expected"),
    key="waterfall",
)
cash = next(p for p in data.project_report(key).projects if p.key == key).cash
st.caption(
    f"Cash benefits only (cashable and cost avoidance): NPV "
    f"{components.metric_value('npv', cash.npv, currency)}, ROI "
    f"{components.metric_value('roi', cash.roi, currency)}, risk-adjusted NPV "
    f"{components.metric_value('risk_adjusted_npv', cash.risk_adjusted_npv, currency)}."
)
for explained in data.driver_explanations(key):
    panel = components.lazy_expander(
        f"How benefit {explained.benefit_key} is valued from its KPIs",
        key=f"driver_{explained.benefit_key}",
    )
    if panel is None:
        continue
    with panel:
        st.text(f"{explained.kind}: {explained.formula}")
        if explained.attribution is not None:
            a = explained.attribution
            st.text(
                f"Attributable change (difference in differences, {a.method}, seed {a.seed}): "
                f"{fmt.measured(a.effect, grouped=False)}, "
                f"{fmt.percent(a.level, digits=0, compact=True)} interval "
                f"{fmt.measured(a.low, grouped=False)} to {fmt.measured(a.high, grouped=False)}; "
                f"confidence {fmt.percent(a.confidence, digits=0, compact=True)}"
            )
        st.dataframe(explained.table, hide_index=True)

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
    plot.chart(charts.monthly_cash_flows(flows, currency, title=title), key="flows")

st.subheader("KPIs")
if not detail.kpis:
    st.caption("No KPIs yet; add them on the Data page.")
else:
    plot.chart(
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

st.subheader("Risks")
risks = data.risks(int(project["id"]))
if risks.empty:
    st.caption("No risks recorded yet; add them on the Data page.")
else:
    st.caption("Open risks count in the risk-adjusted figures; closed ones do not.")
    st.dataframe(
        risks,
        hide_index=True,
        column_config={
            "key": "Key",
            "title": st.column_config.TextColumn("Risk", width="medium"),
            "probability": st.column_config.NumberColumn(
                "Probability", format=fmt.PROBABILITY_COLUMN
            ),
            "impact": "Impact (low / likely / high)",
            "owner": "Owner",
            "mitigation": st.column_config.TextColumn("Mitigation", width="medium"),
            "status": "Status",
        },
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
