"""The KPIs page's parts: status counts, the KPI table, a KPI's SMART checklist."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.domain.kpis import SMART_CRITERIA
from roi_tracker.ui import format as fmt
from roi_tracker.ui.components import (
    as_badges,
    badge_column,
    measured_column,
    percent_column,
    tile,
)
from roi_tracker.ui.theme import STATUS_COLOURS, STATUS_LABELS

__all__ = ["kpi_table", "smart_checklist", "status_counts"]


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
