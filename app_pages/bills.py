"""Bills: upload bill files, see what stays unallocated and why, edit the allocation rules."""

from pathlib import Path

import pandas as pd
import streamlit as st

from roi_tracker.access import Permission
from roi_tracker.services import bills, records
from roi_tracker.ui import actions, auth, components, data, forms

st.title("Bills")
st.caption(
    "Costs from the cloud and model providers' bills (FOCUS exports, OpenAI and Anthropic cost "
    "reports, LiteLLM spend logs), allocated to projects by rules; what no rule matches stays "
    "unallocated."
)
actions.show_flash()
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
# viewers see the reconciliation only; the services refuse their writes anyway
can_edit = auth.current_actor().can(Permission.EDIT_DATA)
if can_edit:
    upload, balance, rules = st.tabs(["Upload bills", "Reconciliation", "Allocation rules"])
else:
    balance = st.container()

if can_edit:
    with upload:
        st.caption(
            "FOCUS 1.0–1.3 as CSV, CSV.gz or Parquet; OpenAI costs JSON; Anthropic cost report "
            "JSON; LiteLLM spend logs. The kind of each file is told by its content. Any cell that "
            "cannot be read and nothing is imported; the same file twice changes nothing."
        )
        round_number = st.session_state.setdefault("bill_upload_round", 0)
        files = st.file_uploader(
            "Bill files", type=["csv", "gz", "parquet", "json"], accept_multiple_files=True,
            key=f"bill_uploads_{round_number}",
        )  # fmt: skip
        if files and st.button(f"Import {len(files)} bill file(s)", type="primary", key="import"):
            sources = [(Path(f.name).name, f.getvalue()) for f in files]
            actor, currency = auth.current_actor(), data.settings().currency

            def _import(session) -> None:
                bills.import_bills(session, sources, actor=actor, reporting_currency=currency)
                st.session_state["bill_upload_round"] = round_number + 1

            actions.run_write(_import, success=f"Imported {len(sources)} bill file(s).")

with balance:
    report = data.bill_reconciliation()
    if not report.files:
        st.info("No bills imported yet.", icon=":material/inbox:")
    else:
        rows = [
            {
                "file": file.file, "period": period.billing_period, "currency": period.currency,
                "total": period.effective_total, "billed": period.billed_total,
                "allocated": ", ".join(f"{k} {v}" for k, v in period.allocated.items()),
                "unallocated": period.unallocated,
            }
            for file in report.files
            for period in file.periods
        ]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="reconciliation")
        st.subheader("Biggest unallocated contributors")
        contributors = data.unallocated_contributors()
        if contributors:
            frame = pd.DataFrame([c.model_dump() for c in contributors])
            st.dataframe(frame, hide_index=True, key="unallocated")
        else:
            st.success("Every bill line is allocated.", icon=":material/check_circle:")

if can_edit and not projects.empty:
    with rules:
        stored_rules = data.entity_records("allocation_rules")
        if stored_rules:
            st.dataframe(
                pd.DataFrame(stored_rules).drop(columns="id"), hide_index=True, key="rules"
            )
        owner = {"project_key": str(components.pick_project(projects, key="rule_project")["key"])}
        mine = {int(r["id"]): r for r in stored_rules if r["project_key"] == owner["project_key"]}
        labels = {i: forms.record_label("allocation_rules", r) for i, r in mine.items()}
        chosen = st.selectbox(
            "Rule", [None, *mine], key="edit_rule",
            format_func=lambda i: "➕ new rule" if i is None else labels[i],
        )  # fmt: skip
        values = forms.record_form("allocation_rules", owner=owner, current=mine.get(chosen))
        if values is not None:
            actor = auth.current_actor()
            actions.run_write(
                lambda session: records.save_record(
                    session, "allocation_rules", values, actor=actor
                ),
                success="Saved the rule; the bills were allocated again.",
                on_success=lambda: forms.forget_opened("allocation_rules", chosen),
            )
        components.delete_with_confirmation("allocation_rules", labels)
