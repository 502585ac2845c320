"""Small building blocks shared by the pages: empty states, filters, metric tiles."""

from __future__ import annotations

import streamlit as st

__all__ = ["no_projects_yet"]

IMPORT_PAGE = "pages/import_export.py"


def no_projects_yet() -> None:
    """Tell a first-time user how to get data in."""
    st.info(
        "**No projects yet.** Load the demo portfolio from a terminal with "
        "`roi-tracker demo`, or import your own CSV files (projects, costs, benefits, KPIs…) "
        "on the Import / export page, then reload this page.",
        icon=":material/inbox:",
    )
