"""Help comes at once: no command's ``--help`` loads the data, web or mail libraries; the
finance report loads no pandas.

Each command runs in a real process (``python -X importtime -m roi_tracker ...``), which lists
every module it imported; the commands are read from the typer tree, so a new command is
covered without touching this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer.main

from roi_tracker import entities
from roi_tracker.cli import app, data
from roi_tracker.config import Settings
from roi_tracker.services import finance
from roi_tracker.store import make_engine, session_scope
from tests.dates import month

#: what a command loads only when it runs
HEAVY = {
    "pandas", "numpy", "sqlalchemy", "streamlit", "plotly",
    "jinja2", "apscheduler", "alembic", "sqlmodel", "croniter", "pydantic_settings",
}  # fmt: skip


def _command_paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The top-level command, every group and every command in it, depth first."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


COMMAND_PATHS = list(_command_paths(typer.main.get_command(app)))


def _imported_by(*args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The top-level packages a real ``python -m roi_tracker ARGS`` process imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "roi_tracker", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    names = {
        line.split("|")[2].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return names, done


def test_the_tree_walk_finds_every_command_and_the_digest_subcommands() -> None:
    names = {" ".join(path) for path in COMMAND_PATHS}
    assert {"", "report", "kpis", "import", "digest", "digest send", "scheduler"} <= names


def test_the_import_list_sees_the_heavy_libraries() -> None:
    """The check below can fail: a command that runs loads what its help must not."""
    imported, done = _imported_by("export", "projects", "--template")
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"roi_tracker", "sqlalchemy"} <= imported


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "top level")
def test_help_loads_no_heavy_library(path: tuple[str, ...]) -> None:
    imported, done = _imported_by(*path, "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("Usage: ")
    assert "roi_tracker" in imported
    assert imported & HEAVY == set()


def test_the_help_texts_name_the_entities_of_the_importer() -> None:
    assert tuple(entities.ENTITIES) == data.ENTITIES


def test_the_report_loads_no_pandas_and_agrees_with_the_frames(db_url: str) -> None:
    assert _imported_by("demo", "--database-url", db_url)[1].returncode == 0
    as_of = month(-2, 15).isoformat()
    imported, done = _imported_by(
        "report", "--format", "json", "--as-of", as_of, "--database-url", db_url
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"numpy", "sqlalchemy"} <= imported
    assert "pandas" not in imported
    printed = json.loads(done.stdout)
    assert len(printed["projects"]) >= 5

    # the report's columns path and the frames path of the other views give the same numbers
    settings = Settings(database_url=db_url, _env_file=None)
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            for basis in finance.BASES:
                for key in (None, printed["projects"][1]["key"]):
                    arguments = {"project_key": key, "basis": basis, "as_of": month(-2, 15)}
                    report = finance.portfolio_report(session, settings, **arguments)
                    frames = finance.load_inputs(session, settings, **arguments)
                    assert report == finance.compute_report(frames, settings.currency)
                    if (basis, key) == ("forecast", None):
                        assert report.model_dump(mode="json") == printed
    finally:
        engine.dispose()
