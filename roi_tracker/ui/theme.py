"""One set of colours for every page: statuses, hard/soft benefits, stages, cost categories.

The statuses' words and colours are those of :mod:`roi_tracker.palette`, shared with the emails.
"""

from __future__ import annotations

from roi_tracker.palette import STATUS_COLOURS, STATUS_LABELS

__all__ = [
    "BENEFIT_TYPE_COLOURS",
    "COST_COLOUR",
    "FLOW_COLOURS",
    "STAGE_COLOURS",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "colour_for",
]

BENEFIT_TYPE_COLOURS = {"hard": "#0072B2", "soft": "#9ECAE1"}
COST_COLOUR = "#D55E00"
FLOW_COLOURS = {
    "cost": COST_COLOUR,
    "hard": BENEFIT_TYPE_COLOURS["hard"],
    "soft": BENEFIT_TYPE_COLOURS["soft"],
    "net": "#333333",
    "planned": "#F4A582",
    "actual": COST_COLOUR,
    "expected": "#92C5DE",
    "realized": BENEFIT_TYPE_COLOURS["hard"],
}
STAGE_COLOURS = {
    "idea": "#CC79A7",
    "pilot": "#E69F00",
    "production": "#0072B2",
    "scaled": "#009E73",
    "retired": "#999999",
}
_FALLBACK = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#FF9DA6", "#BAB0AC")


def colour_for(name: str, palette: dict[str, str], position: int = 0) -> str:
    """The palette's colour for ``name``, or a stable fallback for names it does not know."""
    return palette.get(name, _FALLBACK[position % len(_FALLBACK)])
