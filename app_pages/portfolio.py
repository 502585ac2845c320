"""Portfolio: which AI projects pay off, on a risk-adjusted basis, at a glance."""

import streamlit as st

from roi_tracker.services.views import ON_TRACK
from roi_tracker.ui import actions, charts, components, data, plot
from roi_tracker.ui import format as fmt
from roi_tracker.ui.sections import portfolio as page

st.title("Portfolio")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

chosen = page.filter_projects(projects)
if chosen.empty:
    st.warning("No project matches these filters; clear one to see more.")
    st.stop()
overview = actions.figures_or_stop(lambda: data.portfolio_overview(tuple(chosen["key"])))
currency, total, hard = overview.currency, overview.portfolio.total, overview.portfolio.hard
st.caption(
    f"{len(chosen)} of {len(projects)} projects · forecast basis as of "
    f"{overview.as_of:%d %b %Y} · amounts in {currency} · figures count hard and soft "
    "benefits; “hard only” counts hard benefits alone; “cash” counts cashable benefits and "
    "cost avoidance"
)

row = st.columns(4)
components.tile(
    row[0],
    "Invested to date",
    fmt.compact_money(overview.to_date["costs"], currency),
    help="Actual costs up to this month.",
)
components.tile(
    row[1],
    "Benefits to date",
    fmt.compact_money(overview.to_date["benefits"], currency),
    hard=fmt.compact_money(overview.to_date["hard_benefits"], currency),
    help="Realized benefits up to this month.",
)
components.tile(
    row[2],
    "NPV",
    fmt.compact_money(total.npv, currency),
    hard=fmt.compact_money(hard.npv, currency),
    help="Net present value over each project's horizon at its own rate.",
)
components.tile(
    row[3],
    "Risk-adjusted NPV",
    fmt.compact_money(total.risk_adjusted_npv, currency),
    hard=fmt.compact_money(hard.risk_adjusted_npv, currency),
    help="Expected benefits × confidence × probability of success, planned costs with "
    "contingency, discounted at the rate plus the risk premium.",
)
row = st.columns(5)
components.tile(
    row[0],
    "ROI",
    fmt.percent(total.roi, digits=0),
    hard=fmt.percent(hard.roi, digits=0),
    help="(benefits − costs) / costs over the horizon, undiscounted.",
)
components.tile(
    row[1],
    "Risk-adjusted ROI",
    fmt.percent(total.risk_adjusted_roi, digits=0),
    hard=fmt.percent(hard.risk_adjusted_roi, digits=0),
)
components.tile(
    row[2],
    "Payback",
    fmt.month_label(overview.payback_month),
    help="First month the portfolio's cumulative net cash flow turns positive.",
)
paying = int((overview.projects["verdict"] == "pays_off").sum())
components.tile(
    row[3],
    "Pay off, risk-adjusted",
    f"{paying} of {len(overview.projects)}",
    help="Projects whose risk-adjusted NPV is positive.",
)
kpi_status = overview.projects["kpi_status"].dropna()
components.tile(
    row[4],
    "KPIs on track",
    f"{int(kpi_status.isin(ON_TRACK).sum())} of {len(kpi_status)}",
    help="Projects with KPIs whose every KPI is achieved or on track.",
)

cash = overview.portfolio.cash
row = st.columns(4)
components.tile(
    row[0],
    "Cash benefits to date",
    fmt.compact_money(overview.to_date["cash_benefits"], currency),
    help="Realized cashable benefits and cost avoidance up to this month, redeployed time "
    "savings included.",
)
components.tile(row[1], "Cash NPV", fmt.compact_money(cash.npv, currency),
                help="NPV over cashable and cost-avoidance benefits only.")  # fmt: skip
components.tile(row[2], "Cash ROI", fmt.percent(cash.roi, digits=0))
components.tile(
    row[3],
    "Cash risk-adjusted NPV",
    fmt.compact_money(cash.risk_adjusted_npv, currency),
    help="Cash payback: "
    + ("none within the horizon" if cash.payback_period is None else f"month {cash.payback_period}")
    + " from the earliest start.",
)

left, right = st.columns(2)
plot.chart(charts.portfolio_bubbles(overview.projects, currency), key="bubbles", parent=left)
plot.chart(
    charts.portfolio_j_curve(
        overview.cumulative["month"],
        overview.cumulative["cumulative_net"],
        currency,
        payback_month=overview.payback_month,
        today=overview.as_of,
    ),
    key="j_curve",
    parent=right,
)

st.subheader("What the benefits rest on")
steps = data.waterfall(tuple(chosen["key"])).steps
plot.chart(
    charts.benefit_waterfall(steps, currency, title="Benefits: realized cash to still expected"),
    key="waterfall",
)

st.subheader("Projects ranked by risk-adjusted NPV")
page.ranked_projects(overview.projects, currency)

keys = tuple(chosen["key"])
st.download_button(
    "Board pack (Excel)",
    data=lambda: data.board_pack(keys),
    file_name=f"board-pack-{overview.as_of.isoformat()}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="board_pack",
    on_click="ignore",
    help="The projects shown, with live formulas for NPV, IRR, ROI and payback.",
)
