"""The Project page: details, explained metrics, cash flows, KPIs, decision log."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app, shown

PAGE = "app_pages/project.py"


def chart_traces(at, key: str) -> list[str]:
    return [trace.get("name") for trace in charts(at)[key]["data"]]


def test_choosing_a_project_shows_its_details(small_db):
    at = open_app(PAGE)
    assert at.header[0].value == "Invoice automation"

    at.selectbox(key="project").select("beta").run()

    assert not at.exception
    assert at.header[0].value == "Support assistant"
    assert at.dataframe[0].value["Owner"].tolist() == ["Ben"]


def open_panels(at, *keys: str) -> None:
    """Open the lazy expanders ``keys`` (as a click does) and rerun the page."""
    for key in keys:
        at.session_state[key] = True
    at.run()


def test_metrics_come_with_how_they_are_computed(small_db):
    at = open_app(PAGE)

    tiles = {m.label: m.value for m in at.metric}
    assert {"NPV", "IRR", "ROI", "Payback (months)", "Risk-adjusted NPV"} <= set(tiles)
    assert tiles["NPV"].startswith(("$", "−$"))
    panels = [e for e in at.expander if e.label == "How is this computed?"]
    assert len(panels) == 5
    # closed panels are empty: the page sends their content only once they are opened
    assert not any(panel.children for panel in at.expander)
    open_panels(at, "explain_npv", "explain_months")
    panels = [e for e in at.expander if e.label == "How is this computed?"]
    assert [bool(panel.children) for panel in panels] == [True, False, False, False, False]
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


def test_approving_a_baseline_shows_the_bridge_from_it(small_db):
    from sqlalchemy import select

    from roi_tracker.store import make_engine, session_scope
    from roi_tracker.store.tables import AuditEntry, Baseline

    at = open_app(PAGE)
    assert "No approved baseline yet." in [c.value for c in at.caption]
    assert "bridge" not in charts(at)

    at.text_input(key="approved_by").input("=Board <b>")
    at.text_input(key="approval_note").input("FY2026 case")
    at.button[0].click().run()  # the form's submit button

    assert not at.exception, at.exception
    assert "Approved: the current plan is the new baseline." in [shown(s.value) for s in at.success]
    steps = chart_traces(at, "bridge")
    assert len(steps) == 1  # one waterfall trace
    figures = next(d for d in at.dataframe if "figure" in d.value.columns).value
    assert list(figures["figure"]) == [
        "NPV", "Costs", "Benefits", "Payback (month)", "Risk-adjusted NPV",
    ]  # fmt: skip
    # the baseline on its plan, now on actuals to date then the plan: the change between
    known = figures.dropna()
    assert (known["change"] - (known["current"] - known["baseline"])).abs().max() < 0.01
    assert "Approved by: =Board <b> · FY2026 case" in [t.value for t in at.text]
    with session_scope(make_engine(small_db)) as session:
        (row,) = session.execute(select(Baseline)).scalars()
        assert (row.version, row.approved_by, row.recorded_by) == (1, "=Board <b>", "local")
        assert session.execute(
            select(AuditEntry).where(AuditEntry.entity == "baselines")
        ).scalar_one()


def test_the_risk_register_is_listed_as_plain_text(small_db):
    from roi_tracker.store.db import make_engine, session_scope
    from roi_tracker.store.tables import Project, Risk

    at = open_app(PAGE)
    at.selectbox(key="project").select("beta").run()
    assert "No risks recorded yet" in " ".join(c.value for c in at.caption)

    engine = make_engine(small_db)
    with session_scope(engine) as session:
        beta = session.query(Project).filter_by(key="beta").one()
        session.add(
            Risk(project_id=beta.id, key="late", title="**Data** <i>late</i>", probability=0.4,
                 impact_kind="delay", low=1, likely=2, high=6, owner="Ben")
        )  # fmt: skip
    engine.dispose()
    at.run()

    assert not at.exception
    risks = next(frame.value for frame in at.dataframe if "impact" in frame.value)
    assert risks["title"].tolist() == ["**Data** <i>late</i>"]
    assert risks["impact"].tolist() == ["delay 1.00 / 2.00 / 6.00 months"]
    assert risks["status"].tolist() == ["open"]


def test_a_measured_benefit_shows_its_waterfall_and_attribution(demo_db):
    at = open_app(PAGE)
    at.selectbox(key="project").select("virtual-try-on").run()

    assert not at.exception
    steps = chart_traces(at, "waterfall")
    assert len(steps) == 1  # one waterfall trace
    (label,) = [e.label for e in at.expander if "conversion-margin-realized" in e.label]
    open_panels(at, "driver_conversion-margin-realized")
    panel = next(e for e in at.expander if e.label == label)
    texts = " ".join(t.value for t in panel.text)
    assert "revenue_uplift" in texts
    assert "difference in differences, percentile bootstrap, seed 0" in texts
    table = panel.dataframe[0].value
    assert set(table["evidence"]) == {"measured"}
    assert any("Cash benefits only" in c.value for c in at.caption)
