"""One set of colours for every page: statuses, hard/soft benefits, stages, cost categories."""

from __future__ import annotations

__all__ = [
    "BENEFIT_TYPE_COLOURS",
    "COST_COLOUR",
    "FLOW_COLOURS",
    "STAGE_COLOURS",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "colour_for",
]

# Colour-blind friendly (Okabe-Ito) where the meaning is good/bad.
STATUS_COLOURS = {
    "achieved": "#009E73",
    "on_track": "#56B4E9",
    "at_risk": "#E69F00",
    "off_track": "#D55E00",
    "missed": "#A50026",
    "no_data": "#999999",
}
STATUS_LABELS = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "missed": "missed",
    "no_data": "no data",
}
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
