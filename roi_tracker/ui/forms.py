"""Data-entry forms built from the CSV column rules, so a form asks for what an import does.

The form only collects values; ``services.records.save_record`` validates them with the same
rules as an imported row. An edit form keeps the record as it was when the user opened it
(its values and ``version``) until it is saved or reloaded, so a save tells whether someone
else saved the record in between, and the user's input survives a refused save.
"""

from __future__ import annotations

import streamlit as st

from roi_tracker.domain.vocabulary import EARLIEST_DATE, LATEST_DATE, MAX_TEXT_LENGTH
from roi_tracker.entities import schema_for
from roi_tracker.importing.columns import Column, Kind, canonical_text
from roi_tracker.services import records
from roi_tracker.ui.resources import current_settings

__all__ = ["forget_opened", "record_form", "record_label"]

#: the dates the pickers offer are those the row rules accept
EARLIEST, LATEST = EARLIEST_DATE, LATEST_DATE


def _label(column: Column) -> str:
    words = column.name.replace("_", " ").capitalize()
    return f"{words} *" if column.required else words


def _widget(column: Column, current: object, key: str, disabled: bool) -> object:
    label, help_text = _label(column), column.description or None
    if column.kind is Kind.CHOICE:
        options = list(column.choices)
        chosen = current if current is not None else column.default
        index = options.index(chosen) if chosen in options else None
        return st.selectbox(label, options, index=index, key=key, help=help_text,
                            disabled=disabled, placeholder="choose…")  # fmt: skip
    if column.kind is Kind.DATE:
        default = (
            current
            if current is not None
            else (current_settings().today() if column.required else None)
        )
        return st.date_input(label, value=default, min_value=EARLIEST, max_value=LATEST,
                             key=key, help=help_text, disabled=disabled)  # fmt: skip
    text = "" if current is None else canonical_text(current)
    placeholder = column.example or ("" if column.default is None else f"{column.default}")
    if column.kind is Kind.TEXT and (column.max_length or MAX_TEXT_LENGTH) >= MAX_TEXT_LENGTH:
        return st.text_area(label, value=text, key=key, help=help_text, disabled=disabled,
                            placeholder=placeholder, height=80)  # fmt: skip
    return st.text_input(label, value=text, key=key, help=help_text, disabled=disabled,
                         placeholder=placeholder)  # fmt: skip


def _opened_key(form_key: str) -> str:
    return f"_opened_{form_key}"


def forget_opened(entity: str, record_id: object) -> None:
    """Drop the record as opened (after it was saved): the form opens the stored one again."""
    form_key = f"{entity}_{record_id}"
    for key in [k for k in st.session_state if str(k).startswith(form_key + "_")]:
        del st.session_state[key]
    st.session_state.pop(_opened_key(form_key), None)


def _opened(entity: str, form_key: str, current: dict[str, object]) -> dict[str, object]:
    """The record as the user opened it; a notice and a reload button once it changed since."""
    opened = st.session_state.setdefault(_opened_key(form_key), current)
    if opened["version"] != current["version"]:
        st.warning(
            "This record was saved by someone else since you opened it. Saving now shows "
            "what differs; reload to start again from the stored record.",
            icon=":material/sync_problem:",
        )
        if st.button("Reload the stored record", key=f"{form_key}_reload"):
            forget_opened(entity, current["id"])
            st.rerun()
    return opened


def record_form(
    entity: str,
    *,
    owner: dict[str, str],
    current: dict[str, object] | None = None,
) -> dict[str, object] | None:
    """A form for one ``entity`` record; returns its values when submitted, else None.

    ``owner`` holds the ``project_key``/``kpi_key`` chosen outside the form; ``current`` is
    the record being edited (its natural key cannot change: add a new record instead). The
    values of an edit include the ``id`` and ``version`` of the record as it was opened.
    """
    schema = schema_for(entity)
    form_key = f"{entity}_{current['id'] if current else 'new'}"
    values: dict[str, object] = dict(owner)
    if current is None:
        values["version"] = records.NEW_RECORD
    else:
        current = _opened(entity, form_key, current)
        values |= {"id": current["id"], "version": current["version"]}
    with st.form(form_key):
        grid = st.columns(2)
        for position, column in enumerate(schema.own_columns):
            locked = current is not None and column.name in schema.natural_key
            with grid[position % 2]:
                values[column.name] = _widget(
                    column, current.get(column.name) if current else None,
                    f"{form_key}_{column.name}", locked,
                )  # fmt: skip
        st.caption("\\* required. Empty optional fields take their default.")
        verb = "Save changes" if current else f"Add {schema.singular}"
        if not st.form_submit_button(verb, type="primary"):
            return None
    return values


def record_label(entity: str, record: dict[str, object]) -> str:
    """A record named by its natural key (and a project by its name too)."""
    schema = schema_for(entity)
    parts = [canonical_text(record[c]) for c in schema.own_key]
    if entity == "projects":
        parts.append(f"— {record['name']}")
    return " ".join(parts)
