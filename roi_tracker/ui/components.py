"""Small building blocks shared by the pages: empty states, pickers, filters, tiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from roi_tracker.palette import NO_KPIS, VERDICT_COLOURS, VERDICT_LABELS
from roi_tracker.services import finance, records
from roi_tracker.ui import charts, plot
from roi_tracker.ui import format as fmt
from roi_tracker.ui.actions import run_write
from roi_tracker.ui.auth import current_actor
from roi_tracker.ui.theme import STATUS_COLOURS, STATUS_LABELS

__all__ = [
    "FILTER_COLUMNS",
    "METRIC_LABELS",
    "as_badges",
    "badge_column",
    "baseline_variance",
    "budget_table",
    "delete_with_confirmation",
    "explained_metrics",
    "filter_projects",
    "import_check",
    "kpi_chart_arguments",
    "kpi_table",
    "lazy_expander",
    "measured_column",
    "metric_value",
    "money_column",
    "no_projects_yet",
    "percent_column",
    "pick_project",
    "pick_scope",
    "project_facts",
    "ranked_projects",
    "scenario_comparison",
    "simulation_summary",
    "smart_checklist",
    "status_counts",
    "tile",
    "tornado_rows",
]

_PENDING_DELETE = "_pending_delete"

#: project column -> filter label
FILTER_COLUMNS = {"business_unit": "Business unit", "stage": "Stage", "use_case": "Use case"}


def no_projects_yet() -> None:
    """Tell a first-time user how to get data in."""
    st.info(
        "**No projects yet.** Load the demo portfolio from a terminal with "
        "`roi-tracker demo`, or import your own CSV files (projects, costs, benefits, KPIs…) "
        "on the Import / export page, then reload this page.",
        icon=":material/inbox:",
    )


def pick_project(projects: pd.DataFrame, *, key: str = "project") -> pd.Series:
    """A project chosen in a select box (remembered across pages); its row of ``projects``."""
    keys = list(projects["key"])
    names = dict(zip(projects["key"], projects["name"], strict=True))
    if st.session_state.get(key) not in keys:
        st.session_state[key] = keys[0]
    chosen = st.selectbox("Project", keys, key=key, format_func=lambda k: f"{names[k]} ({k})")
    return projects.loc[projects["key"] == chosen].iloc[0]


def pick_scope(projects: pd.DataFrame, *, key: str) -> str | None:
    """The whole portfolio (None) or one project's key, chosen in a select box."""
    names = dict(zip(projects["key"], projects["name"], strict=True))
    chosen = st.selectbox(
        "Scope", [None, *names], key=key,
        format_func=lambda k: "Whole portfolio" if k is None else f"{names[k]} ({k})",
    )  # fmt: skip
    return chosen


def filter_projects(projects: pd.DataFrame, *, key: str = "filter") -> pd.DataFrame:
    """Multiselect filters by business unit, stage and use case; nothing chosen keeps all."""
    columns = st.columns(len(FILTER_COLUMNS))
    mask = pd.Series(True, index=projects.index)
    for column, (name, label) in zip(columns, FILTER_COLUMNS.items(), strict=True):
        options = sorted(projects[name].dropna().astype(str).unique())
        chosen = column.multiselect(label, options, key=f"{key}_{name}", placeholder="all")
        if chosen:
            mask &= projects[name].astype(str).isin(chosen)
    return projects.loc[mask]


def costs_from_bills(rows: Sequence[Any]) -> None:
    """The actual costs allocated from bills, by month and category, with their source."""
    if not rows:
        return
    st.subheader("Costs from bills")
    st.caption("Actual costs allocated from the cloud and model providers' bills (Bills page).")
    frame = pd.DataFrame([row.model_dump() for row in rows])
    st.dataframe(frame, hide_index=True, key="bill_costs")


def delete_with_confirmation(entity: str, choices: dict[int, str]) -> None:
    """Pick a record of ``entity`` to delete; nothing is deleted until the user confirms."""
    if not choices:
        st.caption(f"No {entity} to delete.")
        return
    record_id = st.selectbox(
        f"Which of the {entity}", list(choices), format_func=choices.get, key=f"delete_{entity}"
    )
    if st.button("Delete…", key=f"delete_{entity}_ask", icon=":material/delete:"):
        st.session_state[_PENDING_DELETE] = (entity, record_id)
    if st.session_state.get(_PENDING_DELETE) != (entity, record_id):
        return
    cascade = " and everything recorded for it" if entity == "projects" else ""
    st.warning(f"Delete “{fmt.literal(choices[record_id])}”{cascade}? This cannot be undone.")
    confirm, cancel = st.columns(2)
    if cancel.button("Cancel", key=f"delete_{entity}_cancel"):
        del st.session_state[_PENDING_DELETE]
        st.rerun()
    if confirm.button("Yes, delete", key=f"delete_{entity}_confirm", type="primary"):
        del st.session_state[_PENDING_DELETE]
        actor = current_actor()
        run_write(
            lambda session: records.delete_record(
                session, entity=entity, record_id=record_id, actor=actor
            ),
            success=f"Deleted “{choices[record_id]}”.",
        )


# a badge column is coloured by the label it shows
_VERDICT_BADGE_COLOURS = {VERDICT_LABELS[v]: colour for v, colour in VERDICT_COLOURS.items()}


def money_column(label: str, currency: str | None, **kwargs) -> st.column_config.NumberColumn:
    """A table column of amounts in ``currency``; ``None``: each row in its project's currency."""
    unit = "project's currency" if currency is None else currency
    return st.column_config.NumberColumn(
        f"{label} ({unit})", format=fmt.money_column_format(currency), **kwargs
    )


def percent_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A table column of fractions shown as percentages."""
    return st.column_config.NumberColumn(label, format=fmt.PERCENT_COLUMN, **kwargs)


def measured_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A table column of measured values (a KPI's baseline, latest value, target)."""
    return st.column_config.NumberColumn(label, format=fmt.MEASURED_COLUMN, **kwargs)


def badge_column(label: str, colours: dict[str, str], **kwargs) -> st.column_config.Column:
    """A table column showing each value as a coloured pill (cells hold a one-item list)."""
    return st.column_config.MultiselectColumn(
        label, options=list(colours), color=list(colours.values()), **kwargs
    )


def as_badges(values: pd.Series) -> pd.Series:
    """Values as the one-item lists a :func:`badge_column` shows."""
    return pd.Series([[value] for value in values], index=values.index, dtype=object)


RANKED_COLUMNS = [
    "verdict", "kpi_status", "name", "stage", "risk_adjusted_npv", "npv", "hard_npv",
    "risk_adjusted_roi", "roi", "irr", "payback_period", "costs_to_date", "benefits_to_date",
    "owner", "business_unit", "use_case",
]  # fmt: skip


def ranked_projects(projects: pd.DataFrame, currency: str) -> None:
    """The projects with their verdict badge, headline metrics and to-date figures."""
    table = projects.assign(
        verdict=as_badges(projects["verdict"].map(VERDICT_LABELS)),
        kpi_status=as_badges(projects["kpi_status"].map(STATUS_LABELS).fillna(NO_KPIS.label)),
    )
    kpi_colours = {STATUS_LABELS[s]: c for s, c in STATUS_COLOURS.items()} | {
        NO_KPIS.label: NO_KPIS.colour
    }
    columns = list(RANKED_COLUMNS)
    # projects in other currencies: each row's amounts are in its project's currency
    mixed = "currency" in projects and bool((projects["currency"] != currency).any())
    if mixed:
        columns.insert(columns.index("name") + 1, "currency")
    amounts_in = None if mixed else currency

    st.dataframe(
        table[columns],
        hide_index=True,
        column_config={
            "currency": "Currency",
            "verdict": badge_column("Verdict", _VERDICT_BADGE_COLOURS, help="By risk-adjusted NPV"),
            "kpi_status": badge_column("KPIs", kpi_colours, help="Status of its worst KPI"),
            "name": st.column_config.TextColumn("Project", pinned=True),
            "stage": "Stage",
            "owner": "Owner",
            "business_unit": "Business unit",
            "use_case": "Use case",
            "costs_to_date": money_column("Costs to date", amounts_in),
            "benefits_to_date": money_column("Benefits to date", amounts_in),
            "risk_adjusted_npv": money_column("Risk-adj. NPV", amounts_in),
            "npv": money_column("NPV", amounts_in),
            "hard_npv": money_column("NPV hard only", amounts_in),
            "risk_adjusted_roi": percent_column("Risk-adj. ROI"),
            "roi": percent_column("ROI"),
            "irr": percent_column("IRR"),
            "payback_period": st.column_config.NumberColumn(
                "Payback (months)", help="Months from the start; empty: not within the horizon"
            ),
        },
    )


def tile(container, label: str, value: str, *, hard: str | None = None, help: str | None = None):
    """A bordered headline figure; ``hard`` is the same figure over hard benefits only."""
    container.metric(
        label,
        value,
        delta=None if hard is None else f"hard only: {hard}",
        delta_color="off",
        delta_arrow="off",
        help=help,
        border=True,
    )


#: metric -> (label, how to show its value)
METRIC_LABELS = {
    "npv": "NPV",
    "irr": "IRR",
    "roi": "ROI",
    "payback_period": "Payback (months)",
    "risk_adjusted_npv": "Risk-adjusted NPV",
}


def metric_value(metric: str, value: float | None, currency: str) -> str:
    """A metric of the finance report as people read it."""
    if metric.endswith("npv") or metric in ("costs", "benefits"):
        return fmt.compact_money(value, currency)
    if metric.endswith("payback_period"):
        return "never" if value is None else f"{int(value)} mo"
    return fmt.percent(value, digits=0)


def lazy_expander(label: str, *, key: str, parent: Any = st) -> Any | None:
    """An expander whose content is built only while it is open: opening it reruns the page.

    A closed panel then costs the browser nothing (neither its elements nor the code that
    draws them), nor the server the figures it would hold. Returns the open panel, or None.
    """
    panel = parent.expander(label, key=key, on_change="rerun")
    return panel if panel.open else None


def explained_metrics(explanations: dict[str, finance.Explanation], currency: str) -> None:
    """One tile per metric, each with a panel showing its inputs, formula and monthly table."""
    columns = st.columns(len(explanations))
    for column, (metric, explanation) in zip(columns, explanations.items(), strict=True):
        label = METRIC_LABELS.get(metric, metric)
        tile(column, label, metric_value(metric, explanation.value, currency))
        panel = lazy_expander("How is this computed?", key=f"explain_{metric}", parent=column)
        if panel is None:
            continue
        with panel:
            st.markdown(explanation.formula.words)
            st.code(explanation.formula.symbols, language=None)
            inputs = explanation.inputs.model_dump()
            st.dataframe(
                pd.DataFrame({"input": list(inputs), "value": [str(v) for v in inputs.values()]}),
                hide_index=True,
            )
    panel = lazy_expander("The per-month table behind these figures", key="explain_months")
    if panel is None:
        return
    with panel:
        table = explanations["npv"].table
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
                **{
                    name: money_column(name.replace("_", " ").capitalize(), currency)
                    for name in ("benefits", "costs", "net", "discounted_net", "cumulative_net",
                                 "cumulative_discounted_net")
                },
                "discount_factor": st.column_config.NumberColumn("Discount factor",
                                                                  format=fmt.FACTOR_COLUMN),
            },
        )  # fmt: skip


def kpi_chart_arguments(chart) -> dict:
    """The arguments of ``charts.kpi_progress`` for a ``tracking.KpiChart``."""
    forecast = None
    if not chart.forecast_line.empty:
        line = chart.forecast_line
        forecast = tuple(zip(line["date"], line["value"], strict=True))
    return {
        "name": chart.name,
        "unit": chart.unit,
        "measurements": chart.measurements,
        "baseline": chart.baseline,
        "baseline_date": chart.baseline_date,
        "target": chart.target,
        "target_date": chart.target_date,
        "status": chart.status,
        "benchmarks": chart.benchmarks,
        "forecast": forecast,
        "control": chart.control,
        "effect": chart.effect,
    }


SMART_CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


def status_counts(statuses: pd.Series) -> None:
    """One tile per KPI status with how many KPIs have it."""
    counts = statuses.value_counts()
    columns = st.columns(len(STATUS_LABELS))
    for column, status in zip(columns, STATUS_LABELS, strict=True):
        tile(column, STATUS_LABELS[status].capitalize(), str(int(counts.get(status, 0))))


def kpi_table(kpis: pd.DataFrame) -> None:
    """Every KPI with its status badge, progress and forecast."""
    table = kpis.assign(status=as_badges(kpis["status"].astype(str).map(STATUS_LABELS)))
    colours = {STATUS_LABELS[s]: colour for s, colour in STATUS_COLOURS.items()}
    columns = [
        "status", "project_key", "name", "unit", "baseline", "latest", "target", "target_date",
        "progress", "projected_progress", "owner",
    ]  # fmt: skip
    st.dataframe(
        table[columns],
        hide_index=True,
        # past 1,000 KPIs the browser fetches the rows it shows, not the whole table
        lazy=True,
        column_config={
            "status": badge_column("Status", colours),
            "project_key": "Project",
            "name": st.column_config.TextColumn("KPI", pinned=True),
            "unit": "Unit",
            "baseline": measured_column("Baseline"),
            "latest": measured_column("Latest"),
            "target": measured_column("Target"),
            "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
            "progress": st.column_config.ProgressColumn(
                "Progress", min_value=0.0, max_value=1.0, format=fmt.PERCENT_COLUMN
            ),
            "projected_progress": percent_column(
                "Projected at target date",
                help="Progress the trend line reaches by the target date",
            ),
            "owner": "Owner",
        },
    )  # fmt: skip


def smart_checklist(kpis: pd.DataFrame, *, project_key: str, kpi_key: str) -> None:
    """The SMART assessment of one KPI: each criterion, whether it holds, and why."""
    row = kpis[(kpis["project_key"] == project_key) & (kpis["key"] == kpi_key)].iloc[0]
    st.dataframe(
        pd.DataFrame(
            {
                "criterion": [c.replace("_", "-").capitalize() for c in SMART_CRITERIA],
                "ok": [bool(row[f"{c}_ok"]) for c in SMART_CRITERIA],
                "reason": [str(row[f"{c}_reason"]) for c in SMART_CRITERIA],
            }
        ),
        hide_index=True,
        key=f"smart_{project_key}_{kpi_key}",
        column_config={
            "criterion": "SMART",
            "ok": st.column_config.CheckboxColumn("Met"),
            "reason": st.column_config.TextColumn("Why", width="large"),
        },
    )


def budget_table(frame: pd.DataFrame, currency: str, *, label: str) -> None:
    """Planned vs actual rows (by category or project); overspent rows stand out."""
    columns = [label, "planned_total", "planned_to_date", "actual_to_date", "variance",
               "variance_ratio", "burn_rate", "estimate_at_completion"]  # fmt: skip
    if "exhausted_month" in frame:
        columns.append("exhausted_month")
    table = frame[columns].reset_index(drop=True)

    def overspent(variance: float) -> str:
        return f"color: {STATUS_COLOURS['off_track']}" if variance > 0 else ""

    st.dataframe(
        # only the variance cells are styled: a row-wise style costs a Python call per row
        table.style.map(overspent, subset=["variance"]),
        hide_index=True,
        column_config={
            label: st.column_config.TextColumn(label.replace("_", " ").capitalize(),
                                               pinned=True),
            "planned_total": money_column("Planned total", currency),
            "planned_to_date": money_column("Planned to date", currency),
            "actual_to_date": money_column("Actual to date", currency),
            "variance": money_column("Variance", currency),
            "variance_ratio": percent_column("Variance %"),
            "burn_rate": money_column("Burn rate / month", currency),
            "estimate_at_completion": money_column("Estimate at completion", currency),
            "exhausted_month": st.column_config.DateColumn("Plan used up by",
                                                           format="MMM YYYY"),
        },
    )  # fmt: skip


COMPARED_METRICS = ("npv", "risk_adjusted_npv", "roi", "irr", "payback_period")
COMPARED_LABELS = {**METRIC_LABELS, "risk_adjusted_npv": "Risk-adj. NPV"}


def scenario_comparison(result: finance.WhatIf, currency: str) -> None:
    """The portfolio metrics as recorded and under the scenario, side by side."""
    base, changed = result.base.portfolio.total, result.scenario.portfolio.total
    columns = st.columns(len(COMPARED_METRICS))
    for column, metric in zip(columns, COMPARED_METRICS, strict=True):
        before, after = getattr(base, metric), getattr(changed, metric)
        delta = None
        if before is not None and after is not None and after != before:
            delta = (
                metric_value(metric, after - before, currency)
                if metric.endswith("npv")
                else f"{metric_value(metric, before, currency)} before"
            )
        column.metric(
            COMPARED_LABELS[metric], metric_value(metric, after, currency), delta=delta,
            delta_color="inverse" if metric == "payback_period" else "normal", border=True,
            delta_arrow="auto" if metric.endswith("npv") else "off",
        )  # fmt: skip


def simulation_summary(simulation: finance.Simulation, currency: str) -> None:
    """P10, P50, P90, the mean and the probability of a loss, and the NPV histogram."""
    summary = simulation.portfolio.total
    prob_loss = 1.0 - summary.prob_positive if summary.prob_positive is not None else None
    columns = st.columns(5)
    tile(columns[0], "P10 (pessimistic)", fmt.compact_money(summary.p10, currency),
         help="10 % of trials end below this NPV.")  # fmt: skip
    tile(columns[1], "P50 (median)", fmt.compact_money(summary.p50, currency))
    tile(columns[2], "P90 (optimistic)", fmt.compact_money(summary.p90, currency),
         help="90 % of trials end below this NPV.")  # fmt: skip
    tile(columns[3], "Mean NPV", fmt.compact_money(summary.mean, currency))
    tile(columns[4], "Probability of a loss", fmt.percent(prob_loss, digits=0),
         help="Share of trials whose NPV is zero or below.")  # fmt: skip
    histogram = simulation.histogram.total
    figure = charts.npv_distribution(
        histogram.edges, histogram.counts, currency, p10=summary.p10,
        p50=summary.p50, p90=summary.p90, prob_loss=prob_loss or 0.0,
        title=f"NPV over {fmt.count(simulation.trials)} trials (seed {simulation.seed})",
    )  # fmt: skip
    plot.chart(figure, key="monte_carlo")


def tornado_rows(sensitivity: finance.Sensitivity) -> pd.DataFrame:
    """The sensitivity drivers as rows for ``charts.tornado``."""
    return pd.DataFrame(
        {
            "label": [f"{d.driver} ({d.low_label} / {d.high_label})"
                      for d in sensitivity.drivers],
            "low_npv": [d.low for d in sensitivity.drivers],
            "high_npv": [d.high for d in sensitivity.drivers],
        }
    )  # fmt: skip


def project_facts(project: pd.Series) -> None:
    """Stage, owner, business unit, use case and start of a project, as plain text."""
    facts = pd.DataFrame(
        {
            "Stage": [project["stage"]],
            "Owner": [project["owner"]],
            "Business unit": [project["business_unit"]],
            "Use case": [project["use_case"]],
            "Start": [f"{project['start_date']:%d %b %Y}"],
        }
    )
    st.dataframe(facts, hide_index=True)


def import_check(check) -> None:
    """What a dry run of the uploaded files found: entities, previews, problems or counts."""
    st.dataframe(
        pd.DataFrame(
            {"file": [f.name for f in check.files],
             "entity": [f.entity or "not recognised" for f in check.files],
             "rows": [f.rows for f in check.files]}
        ),
        hide_index=True,
    )  # fmt: skip
    for file in check.files:
        if not file.preview.empty:
            with st.expander(f"Preview of {fmt.literal(file.name)} ({file.entity})"):
                st.dataframe(file.preview, hide_index=True)
    if check.problems:
        st.error(
            f"**{len(check.problems)} problem(s) found; nothing will be imported** until they "
            "are fixed. Each reads file:line: column: message.",
            icon=":material/error:",
        )
        # cell values are quoted in the messages: plain text, never markdown or HTML
        st.code("\n".join(check.problems), language=None)
    elif check.report is not None:
        lines = check.report.lines()[:-1] or ["no rows"]
        st.success("Ready to import: " + fmt.literal("; ".join(lines)))


def baseline_variance(variance, currency: str) -> None:
    """The figures against the baseline and the plan lines that moved, as tables (user text
    is shown as data, never as Markdown)."""
    baseline = variance.baseline
    st.caption(
        f"Baseline version {baseline.version}, approved on {baseline.approved_at:%d %b %Y}; "
        "the baseline's figures are on its plan, the current ones on actuals to date, then the "
        "plan."
    )
    st.text(
        f"Approved by: {baseline.approved_by}" + (f" · {baseline.note}" if baseline.note else "")
    )
    labels = {
        "npv": "NPV", "costs": "Costs", "benefits": "Benefits",
        "payback_period": "Payback (month)", "risk_adjusted_npv": "Risk-adjusted NPV",
    }  # fmt: skip
    figures = pd.DataFrame(
        [{"figure": label, **variance.figures[name].model_dump()} for name, label in labels.items()]
    )
    st.dataframe(figures, hide_index=True, key="baseline_figures")
    if variance.lines:
        lines = pd.DataFrame([line.model_dump() for line in variance.lines])
        lines["fields"] = lines["fields"].map(", ".join)
        st.dataframe(lines, hide_index=True, key="baseline_lines")
    else:
        st.caption("No plan line moved since the approval.")
