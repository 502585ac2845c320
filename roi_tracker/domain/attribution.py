"""Attribution: the change in a KPI that the AI caused, by difference in differences.

effect = (treated after − treated before) − (control after − control before), each term a
mean of the group's measurements before the go-live day or on and after it. The 90 %
interval is a percentile bootstrap with a fixed seed: each of the four sets of measurements
is resampled with replacement, ``resamples`` times, and the 5th and 95th percentiles of the
resampled effects are the interval (docs/value.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["METHOD", "DiffInDiff", "difference_in_differences"]

METHOD = "percentile bootstrap"


@dataclass(frozen=True)
class DiffInDiff:
    """A difference-in-differences estimate with its interval.

    ``means`` holds the four means (treated before, treated after, control before, control
    after); ``share_below_zero`` the share of resampled effects below zero (the chance, by the
    bootstrap, that the true effect is negative).
    """

    effect: float
    low: float
    high: float
    level: float
    method: str
    seed: int
    resamples: int
    means: tuple[float, float, float, float]
    counts: tuple[int, int, int, int]
    share_below_zero: float


def difference_in_differences(
    treated_days: np.ndarray,
    treated_values: np.ndarray,
    control_days: np.ndarray,
    control_values: np.ndarray,
    go_live_day: int,
    *,
    level: float = 0.9,
    seed: int = 0,
    resamples: int = 2000,
) -> DiffInDiff:
    """The difference in differences around ``go_live_day`` with a bootstrap interval.

    Parameters
    ----------
    treated_days, control_days : ndarray of int
        Day ordinals of each group's measurements.
    treated_values, control_values : ndarray of float
        The measured values, in the KPI's unit.
    go_live_day : int
        Measurements before it are "before", the others "after".
    level : float
        Coverage of the interval (0.9: from the 5th to the 95th percentile).
    seed, resamples : int
        The bootstrap's seed and number of resamples: the same seed, the same interval.

    Raises
    ------
    ValueError
        When a group has no measurement before or after the go-live day.
    """
    groups = []
    for name, days, values in (
        ("treated", treated_days, treated_values),
        ("control", control_days, control_values),
    ):
        days = np.asarray(days, dtype=np.int64)
        values = np.asarray(values, dtype=float)
        for when, part in (("before", values[days < go_live_day]),
                           ("after", values[days >= go_live_day])):  # fmt: skip
            if part.size == 0:
                raise ValueError(f"the {name} group has no measurement {when} the go-live date")
            groups.append(part)
    means = tuple(float(part.mean()) for part in groups)
    effect = (means[1] - means[0]) - (means[3] - means[2])
    rng = np.random.default_rng(seed)
    resampled = [
        part[rng.integers(0, part.size, size=(resamples, part.size))].mean(axis=1)
        for part in groups
    ]
    effects = (resampled[1] - resampled[0]) - (resampled[3] - resampled[2])
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(effects, [tail, 1.0 - tail])
    return DiffInDiff(
        effect=effect,
        low=float(low),
        high=float(high),
        level=level,
        method=METHOD,
        seed=seed,
        resamples=resamples,
        means=(means[0], means[1], means[2], means[3]),
        counts=(groups[0].size, groups[1].size, groups[2].size, groups[3].size),
        share_below_zero=float(np.mean(effects < 0)),
    )
