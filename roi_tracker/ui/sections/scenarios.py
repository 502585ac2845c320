"""The Scenarios page's parts: what-if comparison, simulation, sensitivity."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from roi_tracker.services import finance
from roi_tracker.ui import charts, plot
from roi_tracker.ui import format as fmt
from roi_tracker.ui.components import (
    METRIC_LABELS,
    metric_value,
    tile,
)

__all__ = [
    "COMPARED_LABELS",
    "COMPARED_METRICS",
    "scenario_comparison",
    "simulation_summary",
    "tornado_rows",
]


COMPARED_METRICS = ("npv", "risk_adjusted_npv", "roi", "irr", "payback_period")


COMPARED_LABELS = {**METRIC_LABELS, "risk_adjusted_npv": "Risk-adj. NPV"}


def scenario_comparison(result: finance.WhatIf, currency: str) -> None:
    """The portfolio metrics as recorded and under the scenario, side by side."""
    base, changed = result.base.portfolio.total, result.scenario.portfolio.total
    columns = st.columns(len(COMPARED_METRICS))
    for column, metric in zip(columns, COMPARED_METRICS, strict=True):
        before, after = getattr(base, metric), getattr(changed, metric)
        delta = None
        if before is not None and after is not None and after != before:
            delta = (
                metric_value(metric, after - before, currency)
                if metric.endswith("npv")
                else f"{metric_value(metric, before, currency)} before"
            )
        column.metric(
            COMPARED_LABELS[metric], metric_value(metric, after, currency), delta=delta,
            delta_color="inverse" if metric == "payback_period" else "normal", border=True,
            delta_arrow="auto" if metric.endswith("npv") else "off",
        )  # fmt: skip


def simulation_summary(simulation: finance.Simulation, currency: str) -> None:
    """P10, P50, P90, the mean and the probability of a loss, and the NPV histogram."""
    summary = simulation.portfolio.total
    prob_loss = 1.0 - summary.prob_positive if summary.prob_positive is not None else None
    columns = st.columns(5)
    tile(columns[0], "P10 (pessimistic)", fmt.compact_money(summary.p10, currency),
         help="10 % of trials end below this NPV.")  # fmt: skip
    tile(columns[1], "P50 (median)", fmt.compact_money(summary.p50, currency))
    tile(columns[2], "P90 (optimistic)", fmt.compact_money(summary.p90, currency),
         help="90 % of trials end below this NPV.")  # fmt: skip
    tile(columns[3], "Mean NPV", fmt.compact_money(summary.mean, currency))
    tile(columns[4], "Probability of a loss", fmt.percent(prob_loss, digits=0),
         help="Share of trials whose NPV is zero or below.")  # fmt: skip
    histogram = simulation.histogram.total
    figure = charts.npv_distribution(
        histogram.edges, histogram.counts, currency, p10=summary.p10,
        p50=summary.p50, p90=summary.p90, prob_loss=prob_loss or 0.0,
        title=f"NPV over {fmt.count(simulation.trials)} trials (seed {simulation.seed})",
    )  # fmt: skip
    plot.chart(figure, key="monte_carlo")


def tornado_rows(sensitivity: finance.Sensitivity) -> pd.DataFrame:
    """The sensitivity drivers as rows for ``charts.tornado``."""
    return pd.DataFrame(
        {
            "label": [f"{d.driver} ({d.low_label} / {d.high_label})"
                      for d in sensitivity.drivers],
            "low_npv": [d.low for d in sensitivity.drivers],
            "high_npv": [d.high for d in sensitivity.drivers],
        }
    )  # fmt: skip
