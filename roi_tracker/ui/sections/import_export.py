"""The Import / export page's parts: the check of uploaded files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.services.transfer import ImportCheck
from roi_tracker.ui import format as fmt

__all__ = ["import_check"]


def import_check(check: ImportCheck) -> None:
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
