"""The Project page's parts: its facts, metrics explained, variance to its baseline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.services import baselines, finance
from roi_tracker.ui import format as fmt
from roi_tracker.ui.components import (
    METRIC_LABELS,
    lazy_expander,
    metric_value,
    money_column,
    tile,
)

__all__ = ["baseline_variance", "explained_metrics", "project_facts"]


def project_facts(project: pd.Series) -> None:
    """Stage, owner, business unit, use case and start of a project, as plain text."""
    facts = pd.DataFrame(
        {
            "Stage": [project["stage"]],
            "Owner": [project["owner"]],
            "Business unit": [project["business_unit"]],
            "Use case": [project["use_case"]],
            "Start": [f"{project['start_date']:%d %b %Y}"],
        }
    )
    st.dataframe(facts, hide_index=True)


def explained_metrics(explanations: dict[str, finance.Explanation], currency: str) -> None:
    """One tile per metric, each with a panel showing its inputs, formula and monthly table."""
    columns = st.columns(len(explanations))
    for column, (metric, explanation) in zip(columns, explanations.items(), strict=True):
        label = METRIC_LABELS.get(metric, metric)
        tile(column, label, metric_value(metric, explanation.value, currency))
        panel = lazy_expander("How is this computed?", key=f"explain_{metric}", parent=column)
        if panel is None:
            continue
        with panel:
            st.markdown(explanation.formula.words)
            st.code(explanation.formula.symbols, language=None)
            inputs = explanation.inputs.model_dump()
            st.dataframe(
                pd.DataFrame({"input": list(inputs), "value": [str(v) for v in inputs.values()]}),
                hide_index=True,
            )
    panel = lazy_expander("The per-month table behind these figures", key="explain_months")
    if panel is None:
        return
    with panel:
        table = explanations["npv"].table
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
                **{
                    name: money_column(name.replace("_", " ").capitalize(), currency)
                    for name in ("benefits", "costs", "net", "discounted_net", "cumulative_net",
                                 "cumulative_discounted_net")
                },
                "discount_factor": st.column_config.NumberColumn("Discount factor",
                                                                  format=fmt.FACTOR_COLUMN),
            },
        )  # fmt: skip


def baseline_variance(variance: baselines.ProjectVariance, currency: str) -> None:
    """The figures against the baseline and the plan lines that moved, as tables (user text
    is shown as data, never as Markdown). The page calls it for an approved baseline only."""
    baseline = variance.baseline
    if baseline is None:
        return
    st.caption(
        f"Baseline version {baseline.version}, approved on {baseline.approved_at:%d %b %Y}; "
        "the baseline's figures are on its plan, the current ones on actuals to date, then the "
        "plan."
    )
    st.text(
        f"Approved by: {baseline.approved_by}" + (f" · {baseline.note}" if baseline.note else "")
    )
    labels = {
        "npv": "NPV", "costs": "Costs", "benefits": "Benefits",
        "payback_period": "Payback (month)", "risk_adjusted_npv": "Risk-adjusted NPV",
    }  # fmt: skip
    figures = pd.DataFrame(
        [{"figure": label, **variance.figures[name].model_dump()} for name, label in labels.items()]
    )
    st.dataframe(figures, hide_index=True, key="baseline_figures")
    if variance.lines:
        lines = pd.DataFrame([line.model_dump() for line in variance.lines])
        lines["fields"] = lines["fields"].map(", ".join)
        st.dataframe(lines, hide_index=True, key="baseline_lines")
    else:
        st.caption("No plan line moved since the approval.")
