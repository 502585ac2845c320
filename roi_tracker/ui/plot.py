"""Plotly figures on the pages, drawn by plotly.js's own "finance" partial bundle.

``st.plotly_chart`` loads Streamlit's build of all of plotly.js (4.7 MB: maps, 3-D, WebGL)
and evaluates it on every page load: about a second of a first visit before any chart shows
(``benchmarks/dashboard_browser.py``). The dashboard's charts need only scatter, bar and
waterfall traces, which the finance bundle holds in 1.3 MB (0.4 MB compressed); Streamlit's
static file serving hands it out from ``static/`` (``server.enableStaticServing``) and the
browser caches it. The figures are the same plotly.py figures as before.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["BUNDLE", "chart"]

#: the plotly.js bundle the pages load, as Streamlit serves it from the app's static/ folder
BUNDLE = Path(__file__).resolve().parents[2] / "static" / "plotly-finance.min.js"
#: what the page's own style gives every chart: no background of its own, the page's font
_PAGE_STYLE = {
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"family": '"Source Sans", sans-serif'},
}
_draw = st.components.v2.component(
    "roi_tracker_chart",
    js=(Path(__file__).with_name("chart.js")).read_text(encoding="utf-8"),
    # plotly.js puts its stylesheet in the page's head: a shadow root would hide it
    isolate_styles=False,
)


def chart(figure: go.Figure, *, key: str, parent: DeltaGenerator | None = None) -> None:
    """Draw ``figure`` in ``parent`` (a column, say), or where the page has got to."""
    figure.update_layout(_PAGE_STYLE)
    # plotly.py's own encoder (numpy arrays, dates), read back as the plain JSON data sent
    figure_json = json.loads(figure.to_json())
    with nullcontext() if parent is None else parent:
        _draw(data=figure_json, key=key)
