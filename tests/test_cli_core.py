"""The command line's core: init, errors as one-line messages, usage errors, settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.cli.app import settings_for
from roi_tracker.config import Settings
from roi_tracker.store import make_engine, migrate

# Nothing listens on port 1 of the loopback: the connection is refused at once.
UNREACHABLE_POSTGRES = "postgresql+psycopg://roi:s3cret-pw@127.0.0.1:1/roi"


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return migrate.current_revision(engine)
    finally:
        engine.dispose()


def _assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_init_creates_a_fresh_sqlite_database_at_the_newest_revision(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    url = f"sqlite:///{path}"
    result = CliRunner().invoke(app, ["init", "--database-url", url])

    assert result.exit_code == 0, result.output
    assert path.exists()
    assert _revision(url) == migrate.head_revision()
    assert migrate.head_revision() in result.stdout
    engine = make_engine(url)
    try:
        assert {"projects", "kpis", "costs", "benefits", "decisions"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_init_twice_is_fine(db_url: str) -> None:
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["init", "--database-url", db_url])
        assert result.exit_code == 0, result.output
    assert _revision(db_url) == migrate.head_revision()


def test_init_upgrades_an_older_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0001")
    assert _revision(url) == "0001"

    result = CliRunner().invoke(app, ["init", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert _revision(url) == migrate.head_revision()


def test_init_defaults_to_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert _revision(f"sqlite:///{tmp_path / 'roi_tracker.db'}") == migrate.head_revision()


@pytest.mark.parametrize("command", ["init", "demo"])
def test_an_unreachable_database_is_a_one_line_error(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--database-url", UNREACHABLE_POSTGRES])
    _assert_one_line_error(result, "database not usable", "refused")
    assert "s3cret-pw" not in result.output


def test_a_sqlite_file_that_cannot_be_opened_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'roi.db'}"
    result = CliRunner().invoke(app, ["init", "--database-url", url])
    _assert_one_line_error(result, "unable to open database file")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "not a SQLAlchemy URL"),
        ("nosuchdb://user:s3cret-pw@host/roi", "unsupported database 'nosuchdb'"),
    ],
)
def test_a_bad_database_url_is_a_one_line_error(url: str, fragment: str) -> None:
    result = CliRunner().invoke(app, ["init", "--database-url", url])
    _assert_one_line_error(result, fragment)
    assert "s3cret-pw" not in result.output


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """The real process, not the test runner: stderr holds exactly the one-line reason."""
    completed = subprocess.run(
        [sys.executable, "-m", "roi_tracker", "init", "--database-url", UNREACHABLE_POSTGRES],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stderr.startswith("error: database not usable")
    assert len(completed.stderr.strip().splitlines()) == 1
    assert completed.stdout == ""


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_an_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["init", "--no-such-option"])
    assert result.exit_code == 2
    assert "--no-such-option" in result.stderr


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("ROI_TRACKER_DISCOUNT_RATE", "0.07")
    monkeypatch.setenv("ROI_TRACKER_HORIZON_MONTHS", "48")
    monkeypatch.setenv("ROI_TRACKER_CURRENCY", "eur")

    settings = settings_for(None)
    assert settings.database_url == "sqlite:///from-env.db"
    assert (settings.discount_rate, settings.horizon_months) == (0.07, 48)
    assert settings.currency == "EUR"
    assert not settings.emails_enabled


def test_the_command_line_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("ROI_TRACKER_CURRENCY", "GBP")

    settings = settings_for("sqlite:///from-option.db")
    assert settings.database_url == "sqlite:///from-option.db"
    assert settings.currency == "GBP"


def test_settings_come_from_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "ROI_TRACKER_DATABASE_URL=sqlite:///from-dotenv.db\n"
        "ROI_TRACKER_HORIZON_MONTHS=24\n"
        "ROI_TRACKER_SMTP_HOST=mail.example.com\n"
        "ROI_TRACKER_SMTP_PASSWORD=hunter2\n"
        "UNRELATED_VARIABLE=ignored\n",
        encoding="utf-8",
    )
    settings = settings_for(None)
    assert settings.database_url == "sqlite:///from-dotenv.db"
    assert settings.horizon_months == 24
    assert settings.emails_enabled and settings.smtp_host == "mail.example.com"
    assert settings.smtp_password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings)
    assert Settings(_env_file=None).horizon_months == 36  # the file, not a changed default


def test_the_environment_wins_over_the_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("ROI_TRACKER_CURRENCY=CHF\nROI_TRACKER_HORIZON_MONTHS=12\n")
    monkeypatch.setenv("ROI_TRACKER_CURRENCY", "JPY")
    settings = Settings()
    assert (settings.currency, settings.horizon_months) == ("JPY", 12)


def test_init_uses_the_database_named_in_the_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"ROI_TRACKER_DATABASE_URL=sqlite:///{tmp_path / 'dot.db'}\n")
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dot.db").exists() and not (tmp_path / "roi_tracker.db").exists()


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ({"ROI_TRACKER_DISCOUNT_RATE": "ten percent"}, "ROI_TRACKER_DISCOUNT_RATE"),
        ({"ROI_TRACKER_HORIZON_MONTHS": "0"}, "ROI_TRACKER_HORIZON_MONTHS"),
        (
            {"ROI_TRACKER_SMTP_STARTTLS": "true", "ROI_TRACKER_SMTP_SSL": "true"},
            "not both",
        ),
    ],
)
def test_an_invalid_setting_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], fragment: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["init"])
    _assert_one_line_error(result, "invalid settings", fragment)


def test_a_command_on_a_database_without_tables_says_to_run_init(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = CliRunner().invoke(app, ["report", "--database-url", url])
    assert result.exit_code == 1
    assert "run `roi-tracker init` first" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.postgres
def test_postgres_database_without_tables_says_to_run_init(postgres_url):
    result = CliRunner().invoke(app, ["kpis", "--database-url", postgres_url])
    assert result.exit_code == 1
    assert "run `roi-tracker init` first" in result.stderr


def test_first_import_creates_the_schema_of_a_new_database(tmp_path):
    csv_file = tmp_path / "projects.csv"
    csv_file.write_text("key,name,start_date\nbot,Support bot,2025-01-01\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'new.db'}"
    imported = CliRunner().invoke(app, ["import", str(csv_file), "--database-url", url])
    assert imported.exit_code == 0, imported.output
    exported = CliRunner().invoke(app, ["export", "projects", "--database-url", url])
    assert exported.exit_code == 0
    assert '"bot","Support bot"' in exported.stdout
