"""The Budget page's parts: planned against actual by category or project."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.ui.components import (
    money_column,
    percent_column,
)
from roi_tracker.ui.theme import STATUS_COLOURS

__all__ = ["budget_table"]


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
