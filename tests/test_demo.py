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
from roi_tracker.access import Actor
from roi_tracker.cli import app
from roi_tracker.errors import ValidationFailed
from roi_tracker.services.demo import demo_keys, demo_start_date, demo_stories, load_demo
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
        return load_demo(session, actor=Actor.command_line(), **kwargs)


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
        {story.key: demo_start_date(story, day) for story in demo_stories()}
        for day in (before, after)
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
    assert counts["deleted"] == len(demo_stories()) + 1
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
        assert f"{len(demo_stories())} deleted" in third.output
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
        assert len(_frames(engine)["projects"]) == len(demo_stories())
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


# ---- the story files ------------------------------------------------------------------------

STORY = """\
key = "tiny"
name = "Tiny project"
stage = "pilot"
started_months_ago = 6

[[costs]]
key = "build"
category = "development"
planned = { month = 0, amount = 10_000, low = 9_000 }
actual = { month = 0, amount = 12_000, description = "Two more weeks" }

[[benefits]]
key = "time"
type = "hard"
category = "time_savings"
recurrence = "monthly"
expected = { month = 2, amount = 3_000, confidence = 0.8 }
realized = { month = 2, until = "now", amount = 2_500 }

[[kpis]]
key = "handled"
name = "Tickets handled"
unit = "%"
baseline = 10.0
target = 50.0
target_month = 4
measured = { reach = 0.9, decimals = 0 }

[[kpis.benchmarks]]
name = "Internal target"
value = 50.0

[[decisions]]
month = 3
decision = "continue"
rationale = "Pilot on plan after three months."
"""


def _story_folder(tmp_path: Path, text: str = STORY) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "01-tiny.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_story_becomes_rows_dated_in_months_from_its_start(
    engine: Engine, tmp_path: Path
) -> None:
    counts = _load(engine, today=TODAY, stories=_story_folder(tmp_path))
    frames = _frames(engine)

    start = demo_start_date(demo_stories(tmp_path / "stories")[0], TODAY)
    this_month = TODAY.replace(day=1)
    assert start == date(this_month.year, this_month.month - 6, 1)
    assert frames["projects"]["start_date"].tolist() == [pd.Timestamp(start)]
    costs = frames["costs"].set_index("key")
    assert costs.loc["build", ["status", "amount_cents", "low_cents"]].tolist() == [
        "planned",
        1_000_000,
        900_000,
    ]
    assert costs.loc["build-actual", ["status", "amount_cents", "description"]].tolist() == [
        "actual",
        1_200_000,
        "Two more weeks",
    ]
    benefits = frames["benefits"].set_index("key")
    assert benefits.loc["time", "end_date"] is pd.NaT
    assert benefits.loc["time-realized", "end_date"] == pd.Timestamp(this_month)
    assert benefits.loc["time-realized", "status"] == "realized"
    assert (benefits["date"] == pd.Timestamp(date(start.year, start.month + 2, 1))).all()
    kpi = frames["kpis"].iloc[0]
    assert kpi["baseline_date"] == pd.Timestamp(start)
    assert kpi["target_date"] == pd.Timestamp(date(start.year, start.month + 4, 1))
    measured = frames["measurements"]
    assert len(measured) == 6 and measured["date"].max() == pd.Timestamp(this_month)
    assert (measured["value"] == measured["value"].round()).all()
    assert frames["decisions"]["date"].tolist() == [
        pd.Timestamp(date(start.year, start.month + 3, 15))
    ]
    assert counts["created"] == 1 + 2 + 2 + 1 + 6 + 1 + 1


def _import_errors(tmp_path: Path, cells: str) -> str:
    """What `roi-tracker import` says of the costs.csv row ``cells``."""
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "projects.csv").write_text("key,name,start_date\ntiny,Tiny,2026-01-01\n")
    (folder / "costs.csv").write_text(f"project_key,key,date,category,amount\n{cells}\n")
    url = f"sqlite:///{tmp_path / 'csv.db'}"
    migrate.upgrade(url)
    files = [str(folder / "projects.csv"), str(folder / "costs.csv")]
    result = CliRunner().invoke(app, ["import", *files, "--database-url", url])
    assert result.exit_code == 1
    return result.stderr


def test_a_bad_value_in_a_story_reads_like_a_bad_csv_cell(engine: Engine, tmp_path: Path) -> None:
    folder = _story_folder(tmp_path, STORY.replace("amount = 12_000", "amount = -5"))

    with pytest.raises(ValidationFailed) as raised:
        _load(engine, today=TODAY, stories=folder)

    (problem,) = raised.value.problems
    field = f"{folder / '01-tiny.toml'}: costs[build].actual.amount: "
    assert problem.startswith(field) and "-5" in problem
    message = problem.removeprefix(field)
    csv_errors = _import_errors(tmp_path, "tiny,build,2026-01-01,development,-5")
    assert f"costs.csv:2: amount: {message}" in csv_errors
    assert _frames(engine)["projects"].empty  # nothing written


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('stage = "pilot"', 'stage = "beta"', "stage: 'beta' is not one of: idea,"),
        ("month = 3", 'month = "march"', "decisions[1].month: 'march' is not a whole number"),
        ("target_month = 4", "target_month = 0", "kpis[handled].target_month: 20"),
        ("target_month = 4", "", "kpis[handled].target_month: is required"),
        ('category = "development"', 'colour = "red"', "costs[build].category: is required"),
        ('category = "development"', 'colour = "red"', "costs[build].colour: unknown column"),
        ("low = 9_000", "low = 19_000", "costs[build].planned.low: 19000 is above amount"),
        ("month = 0, amount = 10", "date = 2026-01-01, amount = 10", "planned.date: is not"),
        ('until = "now"', 'until = "later"', "realized.until: 'later' is not a whole number"),
        ("month = 2, amount = 3_000", "month = 2, amount = 3_000, until = 1", "expected.until:"),
        ("reach = 0.9, ", "", "kpis[handled].measured.reach: is required"),
        ("decimals = 0", "decimals = 0, trend = 1", "measured.trend: unknown setting"),
        ("value = 50.0", 'value = "half"', "benchmarks[1].value: 'half' is not a number"),
        ("started_months_ago = 6", "", "tiny.toml: started_months_ago: is required"),
        ("[[decisions]]", "[[decisions]", "01-tiny.toml: "),
    ],
)
def test_a_bad_story_names_its_file_and_field_and_writes_nothing(
    engine: Engine, tmp_path: Path, old: str, new: str, problem: str
) -> None:
    assert old in STORY
    folder = _story_folder(tmp_path, STORY.replace(old, new, 1))
    with pytest.raises(ValidationFailed) as raised:
        _load(engine, today=TODAY, stories=folder)
    problems = raised.value.problems
    assert all(p.startswith(f"{folder / '01-tiny.toml'}: ") for p in problems), problems
    assert any(problem in p for p in problems), problems
    assert _frames(engine)["projects"].empty


def test_a_key_written_twice_is_reported_like_a_duplicate_csv_row(
    engine: Engine, tmp_path: Path
) -> None:
    again = '[[costs]]\nkey = "build"\ncategory = "data"\nplanned = { month = 1, amount = 1 }\n'
    folder = _story_folder(tmp_path, STORY.replace("[[benefits]]", again + "\n[[benefits]]"))
    (folder / "02-tiny-again.toml").write_text(STORY, encoding="utf-8")

    with pytest.raises(ValidationFailed) as raised:
        _load(engine, today=TODAY, stories=folder)
    first, second = folder / "01-tiny.toml", folder / "02-tiny-again.toml"
    assert raised.value.problems == [
        f"{first}: costs[build].planned: duplicate key: [[costs]] number 1 has the same key",
        f"{second}: key: duplicate key: {first} has the same key",
    ]
