"""Variance of a project against its approved baseline: which plan lines moved, and the NPV
bridge from the baseline's NPV to the current one (docs/finance.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from roi_tracker.domain import finance

__all__ = ["line_changes", "npv_bridge"]

Row = Mapping[str, Any]


def line_changes(
    baseline: Sequence[Row], current: Sequence[Row], fields: Sequence[str]
) -> list[tuple[str, str, list[str]]]:
    """(key, "changed" | "added" | "removed", the fields that differ) for each line whose
    ``fields`` differ between the baseline's rows and the current ones, matched on ``key``;
    ordered by key."""
    before = {row["key"]: row for row in baseline}
    after = {row["key"]: row for row in current}
    changes: list[tuple[str, str, list[str]]] = []
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            changes.append((key, "removed", []))
        elif key not in before:
            changes.append((key, "added", []))
        else:
            moved = [f for f in fields if before[key].get(f) != after[key].get(f)]
            if moved:
                changes.append((key, "changed", moved))
    return changes


def npv_bridge(
    baseline_costs: np.ndarray,
    baseline_benefits: np.ndarray,
    baseline_rate: float,
    costs: np.ndarray,
    benefits: np.ndarray,
    rate: float,
) -> dict[str, float]:
    """The steps from the baseline's NPV to the current NPV, each flow series monthly from
    its own period 0 at the monthly rates given.

    Returns ``baseline`` (NPV of the baseline flows at the baseline rate), ``benefits`` and
    ``costs`` (the change of their present values at the baseline rate; costs count
    negatively), ``rate`` (the current flows at the current rate minus at the baseline rate)
    and ``current``; baseline + benefits + costs + rate = current.
    """

    def pv(values: np.ndarray, monthly: float) -> float:
        return float(finance.npv(monthly, values)) if len(values) else 0.0

    baseline = pv(baseline_benefits, baseline_rate) - pv(baseline_costs, baseline_rate)
    at_baseline_rate = pv(benefits, baseline_rate) - pv(costs, baseline_rate)
    current = pv(benefits, rate) - pv(costs, rate)
    return {
        "baseline": baseline,
        "benefits": pv(benefits, baseline_rate) - pv(baseline_benefits, baseline_rate),
        "costs": -(pv(costs, baseline_rate) - pv(baseline_costs, baseline_rate)),
        "rate": current - at_baseline_rate,
        "current": current,
    }
