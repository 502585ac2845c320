"""Budget: planned vs actual, variance, burn rate, estimate at completion, thresholds crossed."""

import streamlit as st

from roi_tracker.ui import actions, charts, components, data, plot
from roi_tracker.ui import format as fmt
from roi_tracker.ui.sections import budget as page

st.title("Budget")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

scope = components.pick_scope(projects, key="budget_scope")
view = actions.figures_or_stop(lambda: data.budget_view(scope))
currency, totals = data.settings().currency, view.totals
st.caption(
    f"As of {view.as_of:%d %b %Y}. Variance = actual − planned to date (positive: overspent); "
    "the estimate at completion adds the remaining plan to what was spent."
)

row = st.columns(4)
components.tile(
    row[0],
    "Planned to date",
    fmt.compact_money(totals["planned_to_date"], currency),
    help=f"Of a planned total of {fmt.compact_money(totals['planned_total'], currency)}.",
)
components.tile(row[1], "Actual to date", fmt.compact_money(totals["actual_to_date"], currency))
components.tile(
    row[2],
    "Variance",
    fmt.compact_money(totals["variance"], currency),
    help=f"{fmt.percent(totals['variance_ratio'])} of the plan to date.",
)
components.tile(
    row[3],
    "Burn rate / month",
    fmt.compact_money(totals["burn_rate"], currency),
    help="Average actual spend of the recent months.",
)
row = st.columns(4)
components.tile(
    row[0],
    "Estimate at completion",
    fmt.compact_money(totals["estimate_at_completion"], currency),
    help="Actual so far plus the plan still to come.",
)
components.tile(row[1], "Planned total", fmt.compact_money(totals["planned_total"], currency))
overrun = totals["estimate_at_completion"] - totals["planned_total"]
components.tile(
    row[2],
    "Projected overrun",
    fmt.compact_money(max(overrun, 0.0), currency),
    help="Estimate at completion above the planned total.",
)
if scope is not None:
    components.tile(row[3], "Plan used up by", fmt.month_label(totals["exhausted_month"]),
                    help="Month the planned total runs out at the current burn rate.")  # fmt: skip

if view.months.empty:
    st.caption("No costs recorded yet.")
else:
    plot.chart(
        charts.budget_by_month(view.months, currency, title="Planned vs actual spend by month"),
        key="budget_months",
    )

st.subheader("By cost category")
page.budget_table(view.categories, currency, label="category")
if scope is None:
    st.subheader("By project")
    page.budget_table(view.projects, currency, label="project_name")

components.costs_from_bills(data.bill_costs(scope))

st.subheader("Thresholds crossed")
if view.crossings.empty:
    st.caption("No budget threshold (50, 75, 90, 100 % of the plan) crossed yet.")
else:
    st.dataframe(
        view.crossings, hide_index=True,
        lazy=True,  # past 1,000 crossings the browser fetches the rows it shows
        column_config={
            "project_key": "Project", "project_name": "Name", "category": "Category",
            "threshold_percent": st.column_config.NumberColumn("Threshold",
                                                               format=fmt.POINTS_COLUMN),
            "crossed_on": st.column_config.DateColumn("Crossed on", format="YYYY-MM-DD"),
        },
    )  # fmt: skip
