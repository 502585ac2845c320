"""Input limits on every path, SQLite and PostgreSQL alike: NUL characters, over-long text,
dates the forms cannot show. Each is refused with ``column: message`` and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.domain.vocabulary import MAX_TEXT_LENGTH
from roi_tracker.entities import validate_row
from roi_tracker.errors import InvalidInput, NotFound, ValidationFailed
from roi_tracker.importing.loader import import_files
from roi_tracker.reporting.subscriptions import subscribe
from roi_tracker.services.records import save_record
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Project, Subscription

GOOD = {"key": "CHAT", "name": "Support chatbot", "start_date": "2025-01-01"}
EDITOR = Actor.user("editor@example.com", "editor")
THIRTY_MB = "x" * (30 * 1024 * 1024)

#: (column, bad value, the message it gets)
BAD_PROJECT_VALUES = [
    ("description", "before\x00after", "description: contains a NUL character"),
    ("name", "\x00", "name: contains a NUL character"),
    ("description", THIRTY_MB, f"description: is longer than {MAX_TEXT_LENGTH} characters"),
    ("description", "y" * (MAX_TEXT_LENGTH + 1), "description: is longer than 10000 characters"),
    ("name", "n" * 201, "name: is longer than"),
    ("start_date", "1899-12-31", "start_date: 1899-12-31 is outside the dates accepted"),
    ("start_date", "2201-01-01", "start_date: 2201-01-01 is outside the dates accepted"),
    ("start_date", "0001-01-01", "start_date: 0001-01-01 is outside the dates accepted"),
    ("start_date", "9999-12-31", "start_date: 9999-12-31 is outside the dates accepted"),
]
IDS = ["nul-description", "nul-name", "30MB", "one-too-long", "long-name", "1899", "2201",
       "year-1", "year-9999"]  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> Iterator[Engine]:
    """An empty, migrated database: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'limits.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    migrate.upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_longest_free_text_and_the_edge_dates_are_stored(store):
    edge = {**GOOD, "description": "z" * MAX_TEXT_LENGTH, "start_date": "1900-01-01"}
    with session_scope(store) as session:
        save_record(session, "projects", edge, actor=EDITOR)
        save_record(
            session, "projects", {**GOOD, "key": "LATE", "start_date": "2200-12-31"}, actor=EDITOR
        )
    with Session(store) as session:
        stored = session.scalars(select(Project).order_by(Project.key)).all()
    assert [len(p.description or "") for p in stored] == [MAX_TEXT_LENGTH, 0]


@pytest.mark.parametrize(("column", "value", "message"), BAD_PROJECT_VALUES, ids=IDS)
def test_a_form_record_with_bad_text_or_date_is_refused(store, column, value, message):
    with pytest.raises(ValidationFailed) as failure, session_scope(store) as session:
        save_record(session, "projects", {**GOOD, column: value}, actor=EDITOR)
    [problem] = failure.value.problems
    assert problem.startswith(message)
    assert "\x00" not in problem and len(problem) < 300  # one readable line, not the value
    assert _count(store, Project) == 0


@pytest.mark.parametrize(("column", "value", "message"), BAD_PROJECT_VALUES, ids=IDS)
def test_a_csv_row_with_bad_text_or_date_is_refused(store, tmp_path, column, value, message):
    # the bad row comes after 70 kB of good rows: past what the reader looks at to tell the
    # file's encoding and delimiter
    header = ["key", "name", "start_date", "description"]
    lines = [",".join(header)]
    lines += [f"P{i},Project {i},2025-01-01,{'filler ' * 10}" for i in range(1000)]
    bad = {**GOOD, "description": "", column: value}
    lines.append(",".join(bad[name] for name in header))
    path = tmp_path / "projects.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    assert path.stat().st_size > 70_000

    with pytest.raises((ValidationFailed, InvalidInput)) as failure:
        import_files(store, [path], actor=Actor.command_line())
    if value is THIRTY_MB:  # the CSV reader stops at a cell of more than a megabyte
        problem = str(failure.value)
        assert problem.startswith(f"{path}:1002: not readable as CSV: field larger than")
    else:
        [problem] = failure.value.problems
        assert problem.startswith(f"{path}:1002: {message}")
    assert "\x00" not in problem and len(problem) < 400
    assert _count(store, Project) == 0


def test_a_nul_at_the_start_of_a_csv_file_is_refused_as_binary(store, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_bytes(b"key,name,start_date\nP1,Pro\x00ject,2025-01-01\n")
    with pytest.raises(InvalidInput, match="is a binary file, not CSV text"):
        import_files(store, [path], actor=Actor.command_line())
    assert _count(store, Project) == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"email": "cfo\x00@example.com", "frequency": "daily"}, "invalid email address"),
        ({"email": "cfo@example.com", "cron": "0 " + "1," * 60 + "2 * * *"},
         "cron: is longer than 100 characters"),
        ({"email": "cfo@example.com", "cron": "0 8 * * 1\x00"}, "cron: contains a NUL character"),
        ({"email": "cfo@example.com", "frequency": "daily", "timezone": "UTC\x00"},
         "unknown time zone"),
        ({"email": "cfo@example.com", "frequency": "daily", "timezone": THIRTY_MB},
         "timezone: is longer than 64 characters"),
        ({"email": "cfo@example.com", "frequency": "daily", "project_key": "A\x00"},
         "no project with key"),
        ({"email": THIRTY_MB + "@example.com", "frequency": "daily"},
         "invalid email address: longer than 254 characters"),
    ],
    ids=["nul-email", "long-cron", "nul-cron", "nul-zone", "30MB-zone", "nul-project",
         "30MB-email"],
)  # fmt: skip
def test_a_subscription_with_bad_text_is_refused(store, values, expected):
    with pytest.raises((InvalidInput, NotFound)) as failure, session_scope(store) as session:
        subscribe(session, actor=Actor.command_line(), **values)
    assert expected in str(failure.value) and len(str(failure.value)) < 300
    assert _count(store, Subscription) == 0


def test_the_demo_and_the_forms_share_the_row_rules():
    problems = validate_row("decisions", {
        "project_key": "CHAT", "date": "1800-06-30", "decision": "continue",
        "rationale": "r" * (MAX_TEXT_LENGTH + 1),
    })  # fmt: skip
    assert isinstance(problems, list)
    assert [column for column, _ in problems] == ["date", "rationale"]


def test_the_docs_state_the_limits():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "csv-formats.md").read_text("utf-8")
    assert "1900-01-01 to 2200-12-31" in doc and "NUL" in doc
    assert f"{MAX_TEXT_LENGTH} characters" in doc
