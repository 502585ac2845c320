"""The command line of the contract: commands, options, exit statuses, export round trip."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.acceptance.conftest import cli
from tests.acceptance.portfolio import AS_OF

#: command -> options the contract names for it (every command also takes --database-url)
COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("init",): (),
    ("demo",): ("--reset",),
    ("import",): ("--dry-run", "--entity"),
    ("export",): ("-o",),
    ("report",): ("--project", "--basis", "--as-of", "--format"),
    ("kpis",): ("--project", "--as-of", "--format"),
    ("budget",): ("--project", "--as-of", "--format"),
    ("simulate",): ("--project", "--basis", "--as-of", "--trials", "--seed", "--format"),
    ("digest", "subscribe"): ("--project", "--frequency", "--cron", "--timezone"),
    ("digest", "list"): ("--format",),
    ("digest", "preview"): ("-o",),
    ("digest", "send"): ("--due", "--now"),
    ("scheduler",): (),
    ("serve",): (),
}
ENTITIES = ("projects", "kpis", "measurements", "benchmarks", "costs", "benefits", "decisions")


@pytest.mark.parametrize("command", list(COMMANDS), ids=" ".join)
def test_every_command_exists_with_its_options(command: tuple[str, ...]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    for option in (*COMMANDS[command], "--database-url"):
        assert f" {option}" in result.stdout, f"{' '.join(command)} lacks {option}"


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--project", "nope", "--format", "json"),
        ("simulate", "--project", "nope", "--trials", "10", "--seed", "1"),
        ("kpis", "--project", "nope"),
        ("budget", "--project", "nope"),
        ("report", "--as-of", "2024-13-40"),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_user_errors_exit_1_with_one_line(portfolio_url: str, args: tuple[str, ...]) -> None:
    result = cli(*args, "--database-url", portfolio_url)
    assert result.exit_code == 1, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_a_real_process_shows_no_traceback(portfolio_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "roi_tracker", "report", "--project", "nope",
         "--database-url", portfolio_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "nope" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--basis", "yearly"),
        ("report", "--format", "xml"),
        ("report", "--bogus"),
        ("simulate", "--trials", "many"),
        ("kpis", "--as-of"),
        ("no-such-command",),
    ],
    ids=" ".join,
)
def test_bad_usage_exits_2(portfolio_url: str, args: tuple[str, ...]) -> None:
    result = cli(*args, "--database-url", portfolio_url)
    assert result.exit_code == 2, result.output


def test_report_defaults_to_the_forecast_basis(portfolio_url: str) -> None:
    result = cli("report", "--database-url", portfolio_url, "--as-of", AS_OF, "--format", "json")
    assert '"basis": "forecast"' in result.stdout


@pytest.mark.parametrize("entity", ENTITIES)
def test_export_import_export_gives_the_same_bytes(
    portfolio_url: str, entity: str, tmp_path
) -> None:
    first = tmp_path / f"first-{entity}.csv"
    assert cli("export", entity, "-o", str(first), "--database-url", portfolio_url).exit_code == 0
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert cli("init", "--database-url", empty).exit_code == 0
    # the entities a file refers to come first, from the first database's exports
    needed = ENTITIES[: ENTITIES.index(entity) + 1]
    if entity in ("costs", "benefits", "decisions"):
        needed = ("projects", entity)
    elif entity in ("measurements", "benchmarks"):
        needed = ("projects", "kpis", entity)
    files = []
    for name in needed:
        path = tmp_path / f"in-{name}.csv"
        assert cli("export", name, "-o", str(path), "--database-url", portfolio_url).exit_code == 0
        files.append(str(path))
    imported = cli("import", *files, "--database-url", empty)
    assert imported.exit_code == 0, imported.output
    second = tmp_path / f"second-{entity}.csv"
    assert cli("export", entity, "-o", str(second), "--database-url", empty).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_bytes().splitlines()) > 1
