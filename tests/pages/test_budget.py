"""The Budget page: portfolio and project scope, tiles, monthly chart, tables, thresholds."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app

PAGE = "app_pages/budget.py"


def tiles(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_the_portfolio_budget_and_one_projects(small_db):
    at = open_app(PAGE)

    assert not at.exception
    # actual to date: alpha's 120,000 build and beta's 80,000 pilot
    assert tiles(at)["Actual to date"] == "$200k"
    assert list(charts(at)) == ["budget_months"]
    by_project = at.dataframe[1].value
    assert set(by_project["project_name"]) == {"Invoice automation", "Support assistant"}

    at.selectbox(key="budget_scope").select("beta").run()

    assert not at.exception
    assert tiles(at)["Actual to date"] == "$80k"
    assert "Plan used up by" in tiles(at)
    # only the categories: no per-project table, and beta has no plan to cross thresholds of
    assert len(at.dataframe) == 1
    assert "No budget threshold" in " ".join(c.value for c in at.caption)


def test_thresholds_crossed_are_listed_on_the_demo(demo_db):
    at = open_app(PAGE)

    assert not at.exception
    crossings = at.dataframe[-1].value
    assert {"threshold_percent", "crossed_on"} <= set(crossings.columns)
    assert set(crossings["threshold_percent"]) <= {50, 75, 90, 100}
    assert len(crossings) > 0


def test_only_overspent_variances_are_coloured(demo_db):
    at = open_app(PAGE)

    frame = at.dataframe[1]
    table, styles = frame.value, frame.proto.arrow_data.styler.styles
    overspent = table.index[table["variance"] > 0].tolist()
    assert overspent
    variance_column = table.columns.get_loc("variance")
    # the overspent variance cells are the only ones styled
    assert styles.count("_row") == len(overspent)
    for row in overspent:
        assert f"row{row}_col{variance_column}" in styles
