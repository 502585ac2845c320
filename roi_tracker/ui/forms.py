"""Data-entry forms: widgets that collect one record's values for a service to validate."""

from __future__ import annotations

from datetime import date

import streamlit as st

from roi_tracker.domain.vocabulary import DecisionKind

__all__ = ["decision_form"]


def decision_form(*, key: str = "decision_form") -> dict | None:
    """A go/no-go decision; returns the entered values when submitted, else None."""
    with st.form(key, clear_on_submit=False):
        left, right = st.columns(2)
        when = left.date_input("Date", value=date.today(), key=f"{key}_date")
        kind = right.selectbox("Decision", [k.value for k in DecisionKind], key=f"{key}_kind")
        rationale = st.text_area(
            "Rationale", key=f"{key}_rationale", placeholder="Why, and what we learned"
        )
        author = st.text_input("Author", key=f"{key}_author")
        if not st.form_submit_button("Save decision", type="primary"):
            return None
    return {"date": when, "decision": kind, "rationale": rationale, "author": author}
