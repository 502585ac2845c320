"""The docs keep up with the code: every command, option and setting is documented."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import typer.main

from roi_tracker.cli import app
from roi_tracker.config import Settings

REPO = Path(__file__).resolve().parents[1]
CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "roi-tracker"):
    # typer's commands and groups are its own classes, not click's: a group has commands
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_cli_has_the_commands_of_the_contract():
    names = {path for path, _ in COMMANDS}
    assert {"roi-tracker init", "roi-tracker serve"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path, command):
    heading = re.search(rf"^### `{re.escape(path)}\b.*$", CLI_DOC, flags=re.M)
    assert heading, f"docs/cli.md has no '### `{path}' heading"
    for parameter in command.params:
        if parameter.param_type_name == "option":
            documented = [o for o in parameter.opts if o.startswith("--") and o in CLI_DOC]
            assert documented or parameter.name == "help", f"{path}: {parameter.opts} undocumented"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_and_env_example(field):
    variable = f"ROI_TRACKER_{field.upper()}"
    env_example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert variable in env_example
    short = "_" + field.upper().removeprefix("SMTP_")
    assert variable in readme or (field.startswith("smtp_") and f"`{short}`" in readme)


def test_readme_quick_start_has_exactly_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quick_start, flags=re.S)
    assert len(blocks) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in blocks)
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1]
    test_command = re.findall(r"```bash\n(.*?)```", quick_start, flags=re.S)[1].strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_the_project_points_only_at_its_own_docs():
    """The docs/ folder is the reference: nothing points at a document outside the repository."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    outside = re.compile(r"CONTRACT\.md|\.\./shared|STYLE\.md")
    pointing = [
        name
        for name in tracked
        if (REPO / name).is_file()
        and name != "tests/test_docs.py"
        and outside.search((REPO / name).read_text(encoding="utf-8", errors="replace"))
    ]
    assert pointing == []
