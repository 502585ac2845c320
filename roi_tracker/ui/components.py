"""Small building blocks shared by the pages: empty states, pickers, filters, tiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from roi_tracker.services import records
from roi_tracker.ui import format as fmt
from roi_tracker.ui.actions import run_write
from roi_tracker.ui.auth import current_actor

__all__ = [
    "METRIC_LABELS",
    "as_badges",
    "badge_column",
    "delete_with_confirmation",
    "kpi_chart_arguments",
    "lazy_expander",
    "measured_column",
    "metric_value",
    "money_column",
    "no_projects_yet",
    "percent_column",
    "pick_project",
    "pick_scope",
    "tile",
]

_PENDING_DELETE = "_pending_delete"


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
