"""Small building blocks shared by the pages: empty states, pickers, filters, tiles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.services import records
from roi_tracker.ui.actions import run_write

__all__ = [
    "FILTER_COLUMNS",
    "delete_with_confirmation",
    "filter_projects",
    "no_projects_yet",
    "pick_project",
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
    st.warning(f"Delete `{choices[record_id]}`{cascade}? This cannot be undone.")
    confirm, cancel = st.columns(2)
    if cancel.button("Cancel", key=f"delete_{entity}_cancel"):
        del st.session_state[_PENDING_DELETE]
        st.rerun()
    if confirm.button("Yes, delete", key=f"delete_{entity}_confirm", type="primary"):
        del st.session_state[_PENDING_DELETE]
        run_write(
            lambda session: records.delete_record(session, entity=entity, record_id=record_id),
            success=f"Deleted `{choices[record_id]}`.",
        )
