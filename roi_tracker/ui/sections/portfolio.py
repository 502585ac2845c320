"""The Portfolio page's parts: the project filters and the ranked projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.palette import NO_KPIS, VERDICT_COLOURS, VERDICT_LABELS
from roi_tracker.ui.components import (
    as_badges,
    badge_column,
    money_column,
    percent_column,
)
from roi_tracker.ui.theme import STATUS_COLOURS, STATUS_LABELS

__all__ = ["FILTER_COLUMNS", "RANKED_COLUMNS", "filter_projects", "ranked_projects"]


#: project column -> filter label
FILTER_COLUMNS = {"business_unit": "Business unit", "stage": "Stage", "use_case": "Use case"}


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


# a badge column is coloured by the label it shows
_VERDICT_BADGE_COLOURS = {VERDICT_LABELS[v]: colour for v, colour in VERDICT_COLOURS.items()}


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
