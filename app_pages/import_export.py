"""Import / export: check uploaded CSV files before anything is written, then import them;
download exports and templates. Viewers see the export part only."""

import streamlit as st

from roi_tracker.access import Permission
from roi_tracker.entities import LOAD_ORDER
from roi_tracker.services import transfer
from roi_tracker.ui import actions, components, data
from roi_tracker.ui.auth import current_actor
from roi_tracker.ui.sections import import_export as page

actor = current_actor()
may_import = actor.can(Permission.EDIT_DATA)
st.title("Import / export" if may_import else "Export")
actions.show_flash()
if data.projects().empty:
    components.no_projects_yet()

if may_import:
    upload, download = st.tabs(["Import CSV files", "Export and templates"])
    with upload:
        st.caption(
            "Upload one or more CSV files (projects, kpis, measurements, benchmarks, costs, "
            "benefits, decisions; the entity is told by the header row). Every file is checked "
            "first; nothing is written until you import, and then all files are imported "
            "together or not at all. Rows are matched on their keys: importing a file twice "
            "changes nothing. Each import is recorded in the audit trail."
        )
        job = actions.import_job()
        if job is not None:
            actions.show_import_job(job)
        if job is None or job.finished.is_set():
            round_number = st.session_state.setdefault("upload_round", 0)
            files = st.file_uploader(
                "CSV files", type=["csv", "txt"], accept_multiple_files=True,
                key=f"uploads_{round_number}",
            )  # fmt: skip
            if files:
                check = actions.checked_uploads(files, actor)
                page.import_check(check)
                if check.ok and st.button(f"Import {len(files)} file(s)", type="primary",
                                          key="import"):  # fmt: skip
                    actions.run_import(files, actor)
                    st.rerun()
else:
    download = st.container()

with download:
    entity = st.selectbox("Entity", LOAD_ORDER, key="export_entity")
    left, right = st.columns(2)
    left.download_button(
        f"Download {entity}.csv (every stored row)", data.export_csv(entity),
        file_name=f"{entity}.csv", mime="text/csv", key="export", icon=":material/download:",
    )  # fmt: skip
    right.download_button(
        f"Download a {entity} template", transfer.template_csv(entity),
        file_name=f"{entity}-template.csv", mime="text/csv", key="template",
        icon=":material/description:",
    )  # fmt: skip
    st.caption("Cells a spreadsheet would run as formulas are exported with a leading '.")
