"""The demo portfolio: complete stories per project, idempotent loads, reset, CLI, PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from typer.testing import CliRunner

from roi_tracker import clock
from roi_tracker.cli import app
from roi_tracker.services.demo import demo_keys, demo_start_date, load_demo
from roi_tracker.services.demo_data import PROJECTS
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.queries import (
    benchmarks_frame,
    benefits_frame,
    costs_frame,
    decisions_frame,
    kpis_frame,
    measurements_frame,
    projects_frame,
    upsert,
)
from roi_tracker.store.tables import Cost, Measurement, Project, Subscription

TODAY = date(2026, 11, 26)


def _load(engine: Engine, **kwargs) -> dict:
    with session_scope(engine) as session:
        return load_demo(session, **kwargs)


def _dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, timestamps included."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def _frames(engine: Engine) -> dict[str, pd.DataFrame]:
    with session_scope(engine) as session:
        kpis = kpis_frame(session)
        return {
            "projects": projects_frame(session),
            "costs": costs_frame(session),
            "benefits": benefits_frame(session),
            "kpis": kpis,
            "measurements": measurements_frame(session),
            "benchmarks": benchmarks_frame(session),
            "decisions": decisions_frame(session),
        }


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / (365.25 / 12)


def test_every_project_tells_a_complete_story(engine: Engine) -> None:
    counts = _load(engine, today=TODAY)
    frames = _frames(engine)
    projects = frames["projects"]
    today = pd.Timestamp(TODAY)

    assert counts["created"] > 0 and counts["updated"] == counts["unchanged"] == 0
    assert sorted(projects["key"]) == sorted(demo_keys())
    assert 8 <= len(projects) <= 10
    for project in projects.itertuples():
        start = project.start_date.date()
        assert 12 <= _months_between(start, TODAY) <= 24, project.key
        for column in ("business_unit", "owner", "use_case", "description"):
            assert getattr(project, column), (project.key, column)
        assert 0 < project.probability_of_success <= 1

        costs = frames["costs"][frames["costs"]["project_id"] == project.id]
        assert set(costs["status"]) == {"planned", "actual"}, project.key
        assert costs["category"].nunique() >= 3, project.key
        assert {"one_time"} < set(costs["recurrence"]), project.key
        actual = costs[costs["status"] == "actual"]
        assert (actual["date"] <= today).all() and (actual["end_date"].fillna(today) <= today).all()

        benefits = frames["benefits"][frames["benefits"]["project_id"] == project.id]
        assert set(benefits["type"]) == {"hard", "soft"}, project.key
        assert set(benefits["status"]) == {"expected", "realized"}, project.key
        realized = benefits[benefits["status"] == "realized"]
        assert (realized["end_date"].fillna(today) <= today).all(), project.key

        kpis = frames["kpis"][frames["kpis"]["project_id"] == project.id]
        assert 2 <= len(kpis) <= 4, project.key
        assert {"adoption", "satisfaction"} <= set(kpis["category"]), project.key
        for kpi in kpis.itertuples():
            for column in ("specific", "relevant_objective", "owner", "category"):
                assert getattr(kpi, column), (project.key, kpi.key, column)
            assert kpi.target_date > kpi.baseline_date == project.start_date
            values = frames["measurements"][frames["measurements"]["kpi_id"] == kpi.id]
            assert len(values) >= 6, (project.key, kpi.key)
            assert values["date"].between(project.start_date, today).all()
            assert values["value"].nunique() > 1  # noisy, not a flat line
            benchmarks = frames["benchmarks"][frames["benchmarks"]["kpi_id"] == kpi.id]
            assert 1 <= len(benchmarks) <= 3, (project.key, kpi.key)

        decisions = frames["decisions"][frames["decisions"]["project_id"] == project.id]
        assert 1 <= len(decisions) <= 3, project.key
        assert decisions["date"].between(project.start_date, today).all()
        assert decisions["rationale"].str.len().min() > 20 and decisions["author"].all()


def test_the_portfolio_mixes_outcomes(engine: Engine) -> None:
    _load(engine, today=TODAY)
    frames = _frames(engine)
    decisions = frames["decisions"]
    assert "stop" in set(decisions["decision"])
    assert {"continue", "scale"} <= set(decisions["decision"])
    assert frames["projects"]["stage"].nunique() >= 2

    # actual spend above the plan, and realized benefits behind the plan, in several projects
    costs = _next_to_plan(frames["costs"], "-actual")
    overrun = costs[costs["amount_cents_now"] > costs["amount_cents_plan"]]
    benefits = _next_to_plan(frames["benefits"], "-realized")
    lagging = benefits[benefits["amount_cents_now"] < benefits["amount_cents_plan"]]
    assert overrun["project_id"].nunique() >= 3
    assert lagging["project_id"].nunique() >= 3


def _next_to_plan(items: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """Actual (or realized) items beside the planned item they belong to."""
    now = items[items["key"].str.endswith(suffix)]
    now = now.assign(key=now["key"].str.removesuffix(suffix))
    return now.merge(items, on=["project_id", "key"], suffixes=("_now", "_plan"))


def test_money_is_stored_with_two_places(engine: Engine) -> None:
    _load(engine, today=TODAY)
    with session_scope(engine) as session:
        amounts = session.execute(select(Cost.amount, Cost.low, Cost.high)).all()
    values = [value for row in amounts for value in row if value is not None]
    assert values and all(isinstance(v, Decimal) for v in values)
    assert {v.as_tuple().exponent for v in values} == {-2}


def test_loading_twice_leaves_exactly_the_same_rows(engine: Engine) -> None:
    first = _load(engine, today=TODAY)
    before = _dump(engine)
    second = _load(engine, today=TODAY)

    assert _dump(engine) == before
    assert second == {"created": 0, "updated": 0, "deleted": 0, "unchanged": first["created"]}


def test_the_demo_command_loads_as_of_today_in_the_configured_zone(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # UTC+14: a day that is already tomorrow in most of the world for ten hours a day
    monkeypatch.setenv("ROI_TRACKER_TIMEZONE", "Pacific/Kiritimati")
    before = clock.today("Pacific/Kiritimati")
    result = CliRunner().invoke(app, ["demo", "--database-url", db_url])
    after = clock.today("Pacific/Kiritimati")
    assert result.exit_code == 0, result.output

    starts = dict(zip(*_frames(engine)["projects"][["key", "start_date"]].T.values, strict=True))
    expected = [
        {spec.key: demo_start_date(spec, day) for spec in PROJECTS} for day in (before, after)
    ]
    assert {key: start.date() for key, start in starts.items()} in expected


def test_the_demo_moves_with_the_calendar_without_stale_rows(engine: Engine) -> None:
    _load(engine, today=TODAY)
    before = _frames(engine)
    next_month = TODAY + timedelta(days=31)
    counts = _load(engine, today=next_month)
    after = _frames(engine)

    moved = before["projects"]["start_date"] + pd.DateOffset(months=1)
    assert (after["projects"]["start_date"] == moved).all()
    # the whole story moves one month on: same rows, none left behind at the old dates
    assert len(after["measurements"]) == len(before["measurements"])
    assert after["measurements"]["date"].max() == pd.Timestamp(2026, 12, 1)
    assert counts["deleted"] > 0
    assert not after["measurements"].duplicated(["kpi_id", "date"]).any()
    assert _load(engine, today=next_month)["created"] == 0


def test_reset_wipes_every_project_and_reloads(engine: Engine) -> None:
    first = _load(engine, today=TODAY)
    with session_scope(engine) as session:
        upsert(
            session,
            Project,
            natural_key={"key": "my-own"},
            values={"name": "Mine", "start_date": TODAY},
        )
        cost = session.execute(select(Cost).order_by(Cost.id)).scalars().first()
        cost.amount = cost.amount + Decimal("1.00")
        session.add(Subscription(email="cfo@example.com", frequency="weekly"))
    counts = _load(engine, today=TODAY, reset=True)

    assert counts["created"] == first["created"] and counts["updated"] == 0
    assert counts["deleted"] == len(PROJECTS) + 1
    frames = _frames(engine)
    assert sorted(frames["projects"]["key"]) == sorted(demo_keys())
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Subscription)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(Measurement)).scalar_one() > 0
    assert _load(engine, today=TODAY)["created"] == 0


def test_cli_demo_creates_the_database_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    runner = CliRunner()

    first = runner.invoke(app, ["demo", "--database-url", url])
    assert first.exit_code == 0, first.output
    assert "0 updated" in first.output and "0 unchanged" in first.output
    second = runner.invoke(app, ["demo", "--database-url", url])
    assert second.exit_code == 0, second.output
    assert "0 rows created, 0 updated" in second.output

    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert sorted(_frames(engine)["projects"]["key"]) == sorted(demo_keys())
        before = _dump(engine)
        third = runner.invoke(app, ["demo", "--reset", "--database-url", url])
        assert third.exit_code == 0, third.output
        assert f"{len(PROJECTS)} deleted" in third.output
        assert len(_dump(engine)["measurements"]) == len(before["measurements"])
    finally:
        engine.dispose()


def test_cli_demo_reads_the_database_url_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    try:
        assert len(_frames(engine)["projects"]) == len(PROJECTS)
    finally:
        engine.dispose()


def test_demo_on_postgresql(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        first = _load(engine, today=TODAY)
        before = _dump(engine)
        second = _load(engine, today=TODAY)
        assert second["unchanged"] == first["created"] and second["created"] == 0
        assert second["updated"] == 0 and _dump(engine) == before
        assert _load(engine, today=TODAY, reset=True)["created"] == first["created"]
        assert sorted(_frames(engine)["projects"]["key"]) == sorted(demo_keys())
    finally:
        engine.dispose()
