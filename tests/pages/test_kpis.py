"""The KPIs page: status counts, the table filtered by status, each KPI's chart and SMART."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app

PAGE = "app_pages/kpis.py"


def test_the_status_filter_narrows_the_table(demo_db):
    at = open_app(PAGE)
    assert not at.exception
    every = at.dataframe[0].value
    assert len(every) >= 20
    assert len({tuple(badges) for badges in every["status"]}) > 1

    at.multiselect(key="kpi_status").select("at_risk").run()

    assert not at.exception
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < len(every)
    assert {tuple(badges) for badges in narrowed["status"]} == {("at risk",)}
    counts = {m.label: m.value for m in at.metric}
    assert counts["At risk"] == str(len(narrowed))


def test_each_kpi_of_the_chosen_project_has_a_chart_and_a_smart_check(small_db):
    at = open_app(PAGE)

    assert not at.exception
    assert len(charts(at)) == 1
    smart = at.dataframe[1].value
    assert list(smart["criterion"]) == [
        "Specific", "Measurable", "Achievable", "Relevant", "Time-bound"
    ]  # fmt: skip
    assert smart["reason"].str.len().gt(0).all(), "each criterion comes with its reason"

    at.selectbox(key="project").select("beta").run()
    assert not charts(at)
    assert "no KPIs yet" in " ".join(c.value for c in at.caption)
