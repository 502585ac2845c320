"""The Portfolio page: tiles, charts and the ranked table, narrowed by the filters."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app

PAGE = "app_pages/portfolio.py"


def tiles(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_lists_every_project_with_stage_owner_and_figures_to_date(small_db):
    at = open_app(PAGE)

    assert not at.exception
    table = at.dataframe[0].value.set_index("name")
    assert set(table.index) == {"Invoice automation", "Support assistant"}
    assert table.loc["Invoice automation", "stage"] == "production"
    assert table.loc["Support assistant", "owner"] == "Ben"
    # only actual costs and realized benefits count to date; the fixture has no realized ones
    assert table.loc["Invoice automation", "costs_to_date"] == 120_000
    assert table.loc["Support assistant", "costs_to_date"] == 80_000
    assert table["benefits_to_date"].eq(0).all()
    assert tiles(at)["Invested to date"] == "$200k"
    assert list(charts(at)) == ["bubbles", "j_curve", "waterfall"]
    assert tiles(at)["Cash benefits to date"] == "$0"
    # alpha's one KPI passed its target date short of the target; beta has no KPI
    assert list(table.loc["Invoice automation", "kpi_status"]) == ["missed"]
    assert list(table.loc["Support assistant", "kpi_status"]) == ["no KPIs"]
    assert tiles(at)["KPIs on track"] == "0 of 1"


def test_the_filters_apply_to_tiles_charts_and_table(small_db):
    at = open_app(PAGE)
    at.multiselect(key="filter_stage").select("pilot").run()

    assert not at.exception
    assert list(at.dataframe[0].value["name"]) == ["Support assistant"]
    assert tiles(at)["Invested to date"] == "$80k"
    assert "1 of 2 projects" in at.caption[0].value

    at.multiselect(key="filter_business_unit").select("Finance").run()
    assert not at.dataframe
    assert "No project matches" in at.warning[0].value


def test_on_the_demo_the_ranking_follows_risk_adjusted_npv(demo_db):
    at = open_app(PAGE)

    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) >= 8
    assert table["risk_adjusted_npv"].is_monotonic_decreasing
    verdicts = {badge for badges in table["verdict"] for badge in badges}
    assert "pays off" in verdicts and verdicts - {"pays off"}


def test_the_board_pack_download_covers_the_projects_shown(small_db):
    import io

    import openpyxl

    from roi_tracker.store import make_engine, queries, session_scope
    from roi_tracker.ui import data

    at = open_app(PAGE)
    at.multiselect(key="filter_stage").select("pilot").run()

    assert not at.exception
    assert at.get("download_button")
    # what the button's deferred download builds for the projects the filters leave
    shown = list(at.dataframe[0].value["name"])
    with session_scope(make_engine(small_db)) as session:
        projects = queries.projects_frame(session)
    keys = tuple(projects.loc[projects["name"].isin(shown), "key"])
    book = openpyxl.load_workbook(io.BytesIO(data.board_pack(keys)))
    assert len(book.sheetnames) == 3 and book.sheetnames[::2] == ["Summary", "KPIs"]
    assert book[book.sheetnames[1]]["A1"].value == "Support assistant" == shown[0]
