"""Help comes at once: no command's ``--help`` loads the data, web or mail libraries.

Each help runs in a real process (``python -X importtime -m roi_tracker ... --help``), which
lists every module it imported; the commands are read from the typer tree, so a new command
is covered without touching this file.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer.main

from roi_tracker.cli import app, data
from roi_tracker.importing import schemas

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
    assert tuple(schemas.ENTITIES) == data.ENTITIES
