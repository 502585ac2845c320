"""The words and colours of KPI statuses and project verdicts, for the pages and the emails.

One table: each status has its label, its colour on the pages (charts, table badges; the
colour-blind friendly Okabe-Ito set where the meaning is good or bad) and a darker shade for
white text on it, which the email summaries' badges and progress bars use. A verdict on a
project borrows the colours of a status. Nothing here imports Streamlit.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "NO_KPIS",
    "STATUSES",
    "STATUS_COLOURS",
    "STATUS_DARK_COLOURS",
    "STATUS_LABELS",
    "VERDICTS",
    "VERDICT_COLOURS",
    "VERDICT_LABELS",
    "Shade",
]


class Shade(NamedTuple):
    """How one status or verdict is shown."""

    label: str
    colour: str
    dark: str


#: KPI status -> its label and colours, from the best to "no data"
STATUSES = {
    "achieved": Shade("achieved", "#009E73", "#1b5e20"),
    "on_track": Shade("on track", "#56B4E9", "#2e7d32"),
    "at_risk": Shade("at risk", "#E69F00", "#ef6c00"),
    "off_track": Shade("off track", "#D55E00", "#c62828"),
    "missed": Shade("missed", "#A50026", "#8e0000"),
    "no_data": Shade("no data", "#999999", "#616161"),
}
#: a project without KPIs (its KPI health)
NO_KPIS = Shade("no KPIs", "#BBBBBB", "#616161")


def _verdict(label: str, status: str) -> Shade:
    return Shade(label, STATUSES[status].colour, STATUSES[status].dark)


#: project verdict (``services.views``) -> its label, in the colours of a KPI status
VERDICTS = {
    "pays_off": _verdict("pays off", "achieved"),
    "pays_off_before_risk": _verdict("pays off before risk only", "at_risk"),
    "loses": _verdict("loses money", "missed"),
}

STATUS_LABELS = {status: shade.label for status, shade in STATUSES.items()}
STATUS_COLOURS = {status: shade.colour for status, shade in STATUSES.items()}
STATUS_DARK_COLOURS = {status: shade.dark for status, shade in STATUSES.items()}
VERDICT_LABELS = {verdict: shade.label for verdict, shade in VERDICTS.items()}
VERDICT_COLOURS = {verdict: shade.colour for verdict, shade in VERDICTS.items()}
