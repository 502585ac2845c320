"""The tracking service on a real SQLite file: KPI overview, chart data, alerts, budgets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select

from roi_tracker.access import Actor
from roi_tracker.domain.kpis import SMART_CRITERIA
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.services import tracking
from roi_tracker.store import session_scope
from roi_tracker.store.tables import BudgetThresholdCrossing, Cost, Measurement, Project

AS_OF = date(2025, 6, 1)
RECORDED_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)


def test_kpi_overview_by_hand(portfolio):
    with session_scope(portfolio) as session:
        overview = tracking.kpi_overview(session, as_of=AS_OF).set_index("key")
    assert list(overview.index) == ["handling-time", "resolution", "accuracy"]
    resolution = overview.loc["resolution"]
    # points (0, 10), (60, 12), (120, 15): mean day 60, mean value 37/3; slope 300 / 7200
    slope = ((0 - 60) * (10 - 37 / 3) + (120 - 60) * (15 - 37 / 3)) / (60**2 + 60**2)
    forecast = 37 / 3 + slope * (364 - 60)
    assert resolution["forecast"] == pytest.approx(forecast) == pytest.approx(25.0)
    assert resolution["projected_progress"] == pytest.approx((forecast - 10) / 10)
    assert resolution["progress"] == pytest.approx(0.5)
    assert resolution["status"] == "on_track"
    handling = overview.loc["handling-time"]
    assert handling["progress"] == pytest.approx((95 - 100) / (50 - 100))
    assert handling["forecast"] == pytest.approx(100 - 5 / 90 * 364)
    assert handling["status"] == "off_track"
    assert overview.loc["accuracy", "status"] == "no_data"


def test_kpi_overview_of_one_project_and_an_unknown_one(portfolio):
    with session_scope(portfolio) as session:
        beta = tracking.kpi_overview(session, as_of=AS_OF, project_key="beta")
        assert beta["key"].tolist() == ["accuracy"]
        with pytest.raises(NotFound, match="no project with key 'gamma'"):
            tracking.kpi_overview(session, as_of=AS_OF, project_key="gamma")


def test_kpi_report_has_the_contract_shape(portfolio):
    with session_scope(portfolio) as session:
        report = tracking.kpi_report(tracking.kpi_overview(session, as_of=AS_OF))
    printed = report.model_dump(mode="json")
    resolution = next(item for item in printed if item["key"] == "resolution")
    assert list(resolution) == [
        "project_key", "key", "latest", "progress", "projected", "projected_progress", "status",
        "smart",
    ]  # fmt: skip
    assert resolution["smart"]["achievable"] == {
        "ok": False,
        "reason": "the target is 11 % above the best benchmark (Industry: 18); "
        "its trend reaches 150 % of the planned change by 2025-12-31",
    }
    accuracy = next(item for item in report.root if item.key == "accuracy")
    assert accuracy.latest is None and accuracy.projected is None
    assert [name for name, _ in accuracy.smart.checks()] == list(SMART_CRITERIA)


def test_kpi_chart_data(portfolio):
    with session_scope(portfolio) as session:
        chart = tracking.kpi_chart(session, project_key="alpha", kpi_key="resolution", as_of=AS_OF)
        with pytest.raises(NotFound):
            tracking.kpi_chart(session, project_key="alpha", kpi_key="nope", as_of=AS_OF)
    assert chart.baseline_date == date(2025, 1, 1) and chart.baseline == 10
    assert chart.target_date == date(2025, 12, 31) and chart.target == 20
    assert chart.measurements["counted"].tolist() == [True, True, False]
    assert chart.forecast_line["date"].tolist() == [pd.Timestamp("2025-01-01"),
                                                    pd.Timestamp("2025-12-31")]  # fmt: skip
    slope = 300 / 7200
    start, end = chart.forecast_line["value"]
    assert end == pytest.approx(25.0)
    assert start == pytest.approx(25.0 - slope * 364)
    assert chart.benchmarks[["name", "gap", "ahead"]].values.tolist() == [
        ["Industry", -3.0, False],
        ["Peer", -1.0, False],
    ]


def test_status_changes_stale_kpis_and_upcoming_targets(portfolio):
    with session_scope(portfolio) as session:
        changes = tracking.kpi_status_changes(session, since=AS_OF, as_of=date(2025, 7, 2))
        stale = tracking.stale_kpi_list(session, as_of=date(2025, 9, 1))
        soon = tracking.upcoming_target_dates(session, as_of=date(2025, 12, 10), within_days=30)
    assert changes[["key", "previous_status", "status"]].values.tolist() == [
        ["resolution", "on_track", "achieved"]
    ]
    # resolution: measured every 60 or 61 days (median 60.5), last on 1 July: 62 days ago
    assert stale[["key", "usual_interval_days", "days_since_last"]].values.tolist() == [
        ["resolution", 60.5, 62.0]
    ]
    assert soon[["key", "days_left", "status"]].values.tolist() == [
        ["handling-time", 21, "off_track"]
    ]


def test_budget_overview_by_hand(portfolio):
    with session_scope(portfolio) as session:
        overview = tracking.budget_overview(
            session, as_of=date(2025, 3, 10), default_horizon_months=36
        )
    summary = overview.summary.set_index(["project_key", "category"])
    assert list(summary.index) == [
        ("alpha", "all"), ("alpha", "development"), ("alpha", "licensing"), ("beta", "all"),
    ]  # fmt: skip
    development = summary.loc[("alpha", "development")]
    assert development["planned_total_cents"] == 12 * 100_000
    assert development["actual_to_date_cents"] == 3 * 150_000
    assert development["variance_cents"] == 3 * 150_000 - 3 * 100_000
    assert development["exhausted_month"] == pd.Timestamp("2025-08-01")
    crossed = overview.thresholds.dropna(subset=["crossed_on"])
    assert crossed[["category", "threshold_percent"]].values.tolist() == [
        ["licensing", 50], ["licensing", 75], ["licensing", 90],
    ]  # fmt: skip
    assert (crossed["crossed_on"] == pd.Timestamp("2025-02-05")).all()
    # beta has no budget: no thresholds to cross
    assert set(overview.thresholds["project_key"]) == {"alpha"}


def test_budget_by_month_for_charts(portfolio):
    with session_scope(portfolio) as session:
        months = tracking.budget_by_month(session, default_horizon_months=36, project_key="alpha")
    february = months[months["month_start"] == pd.Timestamp("2025-02-01")]
    assert february[["category", "planned_cents", "actual_cents"]].values.tolist() == [
        ["development", 100_000, 150_000],
        ["licensing", 0, 290_000],
    ]


def count_crossings(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(BudgetThresholdCrossing)).scalar()


def test_thresholds_are_recorded_once_per_crossing(portfolio):
    def record(as_of: date) -> list:
        with session_scope(portfolio) as session:
            new = tracking.record_threshold_crossings(
                session,
                actor=Actor.scheduler(),
                as_of=as_of,
                now=RECORDED_AT,
                default_horizon_months=36,
            )
        return new[["project_key", "category", "threshold_percent"]].values.tolist()

    assert record(date(2025, 1, 31)) == []
    assert record(date(2025, 3, 31)) == [
        ["alpha", "licensing", 50], ["alpha", "licensing", 75], ["alpha", "licensing", 90],
    ]  # fmt: skip
    assert record(date(2025, 3, 31)) == []
    assert count_crossings(portfolio) == 3

    with session_scope(portfolio) as session:
        alpha = session.execute(select(Project).where(Project.key == "alpha")).scalar_one()
        session.add(Cost(project_id=alpha.id, key="licence-extra", date=date(2025, 4, 2),
                         category="licensing", amount=Decimal("100"), status="actual"))  # fmt: skip
    # licensing 3,000.00 of 3,000.00; the whole project 7,500.00 of 15,000.00
    assert record(date(2025, 4, 30)) == [["alpha", "all", 50], ["alpha", "licensing", 100]]
    assert record(date(2025, 4, 30)) == []
    assert count_crossings(portfolio) == 5

    with session_scope(portfolio) as session:
        since = tracking.threshold_crossings_since(session, since=date(2025, 3, 1))
    assert since[["category", "threshold_percent", "crossed_on"]].values.tolist() == [
        ["all", 50, pd.Timestamp("2025-04-02")],
        ["licensing", 100, pd.Timestamp("2025-04-02")],
    ]


def test_recording_in_the_future_is_refused(portfolio):
    # 2025-06-01 at 12:00 UTC is 2025-06-02 at 02:00 in Kiribati (UTC+14): still today there
    with session_scope(portfolio) as session:
        tracking.record_threshold_crossings(
            session,
            actor=Actor.scheduler(),
            as_of=date(2025, 6, 2),
            now=RECORDED_AT,
            default_horizon_months=36,
        )
    recorded = count_crossings(portfolio)
    assert recorded > 0
    with session_scope(portfolio) as session, pytest.raises(InvalidInput, match="future"):
        tracking.record_threshold_crossings(
            session,
            actor=Actor.scheduler(),
            as_of=date(2025, 6, 3),
            now=RECORDED_AT,
            default_horizon_months=36,
        )
    assert count_crossings(portfolio) == recorded


def test_a_measurement_added_later_changes_the_overview(portfolio):
    with session_scope(portfolio) as session:
        kpi_id = tracking.kpi_overview(session, as_of=AS_OF, project_key="beta")["id"].iloc[0]
        session.add(Measurement(kpi_id=int(kpi_id), date=date(2025, 5, 1), value=95))
    with session_scope(portfolio) as session:
        beta = tracking.kpi_overview(session, as_of=AS_OF, project_key="beta").iloc[0]
    assert beta["status"] == "achieved"
    assert beta["progress"] == pytest.approx(25 / 20)
