"""Every chart of every page draws only trace types the served plotly.js bundle holds."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app
from tests.ui.test_plot import FINANCE_TRACES

PAGES = ("portfolio", "project", "kpis", "budget", "scenarios")


def test_the_demo_charts_use_only_trace_types_of_the_finance_bundle(demo_db):
    drawn: dict[str, set[str]] = {}
    for page in PAGES:
        at = open_app(f"app_pages/{page}.py")
        assert not at.exception
        for key, figure in charts(at).items():
            drawn[f"{page}/{key}"] = {trace.get("type", "scatter") for trace in figure["data"]}
    assert len(drawn) >= 9
    assert {kind for kinds in drawn.values() for kind in kinds} <= FINANCE_TRACES, drawn
