"""The Project page: details, explained metrics, cash flows, KPIs, decision log."""

from __future__ import annotations

import json

from tests.pages.conftest import open_app

PAGE = "pages/project.py"


def chart_traces(at, key: str) -> list[str]:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id)
    return [trace.get("name") for trace in json.loads(chart.proto.spec)["data"]]


def test_choosing_a_project_shows_its_details(small_db):
    at = open_app(PAGE)
    assert at.header[0].value == "Invoice automation"

    at.selectbox(key="project").select("beta").run()

    assert not at.exception
    assert at.header[0].value == "Support assistant"
    assert at.dataframe[0].value["Owner"].tolist() == ["Ben"]


def test_metrics_come_with_how_they_are_computed(small_db):
    at = open_app(PAGE)

    tiles = {m.label: m.value for m in at.metric}
    assert {"NPV", "IRR", "ROI", "Payback (months)", "Risk-adjusted NPV"} <= set(tiles)
    assert tiles["NPV"].startswith(("$", "−$"))
    panels = [e for e in at.expander if e.label == "How is this computed?"]
    assert len(panels) == 5
    assert "NPV = Σ_t" in panels[0].code[0].value
    monthly = next(e for e in at.expander if "per-month table" in e.label).dataframe[0].value
    assert len(monthly) == 24  # the project's horizon
    assert monthly["cumulative_net"].iloc[0] == -120_000


def test_the_cash_flow_split_changes_the_chart(small_db):
    at = open_app(PAGE)
    by_category = chart_traces(at, "flows")
    assert {"development (cost)", "licensing (cost)", "hard (benefit)", "cumulative net"} <= set(
        by_category
    )

    at.radio(key="split").set_value("planned vs actual").run()

    assert not at.exception
    assert set(chart_traces(at, "flows")) == {
        "actual (cost)", "planned (cost)", "expected (benefit)"
    }  # fmt: skip


def test_kpis_are_shown_as_small_multiples(small_db):
    at = open_app(PAGE)

    traces = chart_traces(at, "kpis")
    assert traces.count("Invoice cycle time") == 1

    at.selectbox(key="project").select("beta").run()
    assert "No KPIs yet" in " ".join(c.value for c in at.caption)
