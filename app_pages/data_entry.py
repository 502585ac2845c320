"""Data: add, edit and delete projects and their records, validated like an import."""

import streamlit as st

from roi_tracker.entities import ENTITIES as REGISTRY
from roi_tracker.entities import schema_for
from roi_tracker.services import records
from roi_tracker.ui import actions, components, data, forms, history
from roi_tracker.ui.auth import current_actor

#: every record type, as the registry declares them
ENTITIES = {name: declared.label for name, declared in REGISTRY.items()}

st.title("Data")
st.caption("Add, edit or delete records; they are checked by the same rules as a CSV import.")
actions.show_flash()
entity = st.segmented_control(
    "Record type", list(ENTITIES), format_func=ENTITIES.get, key="entity", default="projects"
)
entity = entity or "projects"
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
owner: dict[str, str] = {}
if entity not in records.UNOWNED:
    if projects.empty:
        st.stop()
    owner["project_key"] = str(components.pick_project(projects)["key"])
if entity in records.KPI_CHILDREN:
    kpis = data.entity_records("kpis", project_key=owner["project_key"])
    if not kpis:
        st.info("This project has no KPIs yet: add one under KPIs first.")
        st.stop()
    names = {str(k["key"]): str(k["name"]) for k in kpis}
    owner["kpi_key"] = st.selectbox(
        "KPI", list(names), format_func=lambda k: f"{names[k]} ({k})", key="kpi"
    )
stored = {int(r["id"]): r for r in data.entity_records(entity, **owner)}
labels = {record_id: forms.record_label(entity, r) for record_id, r in stored.items()}

add_or_edit, remove = st.tabs(["Add or edit", "Delete"])
with add_or_edit:
    chosen = st.selectbox(
        "Record", [None, *stored], key=f"edit_{entity}",
        format_func=lambda i: "➕ new record" if i is None else labels[i],
    )  # fmt: skip
    values = forms.record_form(entity, owner=owner, current=stored.get(chosen))
    if values is not None:
        actor = current_actor()
        actions.run_write(
            lambda session: records.save_record(session, entity, values, actor=actor),
            success=f"Saved the {entity.removesuffix('s')} record.",
            on_success=lambda: forms.forget_opened(entity, chosen),
        )
    history_panel = (
        None if chosen is None
        else components.lazy_expander("History of this record", key=f"history_{entity}")
    )  # fmt: skip
    if history_panel is not None:
        with history_panel:
            record_key = schema_for(entity).record_key(stored[chosen])
            history.history_table(data.audit_trail(entity=entity, record_key=record_key))
with remove:
    components.delete_with_confirmation(entity, labels)
