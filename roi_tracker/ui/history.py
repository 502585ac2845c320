"""The audit trail on the pages: its lines as a plain-text table."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

__all__ = ["history_table"]


def history_table(lines: pd.DataFrame) -> None:
    """Lines of the audit trail, newest first, as plain text cells."""
    if lines.empty:
        st.caption("No recorded changes.")
        return
    table = lines.assign(
        at=lines["at"].dt.tz_convert("UTC").dt.tz_localize(None),
        detail=[None if d is None else json.dumps(d, sort_keys=True) for d in lines["detail"]],
    )
    st.dataframe(
        table[
            [
                "actor",
                "at",
                "action",
                "entity",
                "record_key",
                "project_key",
                "field",
                "old",
                "new",
                "detail",
            ]
        ],
        hide_index=True,
        column_config={
            "actor": "Who",
            "at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm:ss"),
            "action": "Action",
            "entity": "Entity",
            "record_key": "Key",
            "project_key": "Project",
            "field": "Field",
            "old": "Old",
            "new": "New",
            "detail": "Detail",
        },
    )
