"""The typer application and what every command shares: the database option, error messages."""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from typer.core import TyperGroup

from roi_tracker.config import Settings, get_settings
from roi_tracker.errors import InvalidInput, NotConfigured, RoiTrackerError, ValidationFailed

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class _TranslatingGroup(TyperGroup):
    """Turns library errors into a one-line message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"error: {exc}", file=sys.stderr)
        except RoiTrackerError as exc:
            print(f"error: {exc}", file=sys.stderr)
        except (OperationalError, ProgrammingError) as exc:
            if _is_missing_table(exc):
                print(NOT_INITIALISED, file=sys.stderr)
            else:
                reason = str(exc.orig).strip().splitlines()[0]
                print(f"error: database not usable: {reason}", file=sys.stderr)
        raise typer.Exit(1)


NOT_INITIALISED = (
    "error: the database has no tables yet or an older schema: run `roi-tracker init` first"
)


def _is_missing_table(exc: OperationalError | ProgrammingError) -> bool:
    # SQLite says "no such table"; PostgreSQL raises undefined_table (SQLSTATE 42P01)
    return "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "42P01"


app = typer.Typer(
    cls=_TranslatingGroup,
    help="AI ROI Tracker: are our AI projects paying off?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the database (overrides ROI_TRACKER_DATABASE_URL).",
        show_default=False,
    ),
]


def settings_for(database_url: str | None) -> Settings:
    """The settings, with the database URL of the command line where one was given."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        raise NotConfigured(_settings_problem(exc)) from None
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    check_database_url(settings.database_url)
    return settings


def _settings_problem(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        if error["loc"]:
            message = f"ROI_TRACKER_{str(error['loc'][0]).upper()}: {message}"
        problems.append(message)
    return "invalid settings: " + "; ".join(problems)


def check_database_url(url: str) -> None:
    """Refuse a URL that is not a SQLite or PostgreSQL SQLAlchemy URL."""
    # the messages never echo the URL: it may hold a password
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise InvalidInput(
            "the database URL is not a SQLAlchemy URL, e.g. sqlite:///roi_tracker.db or "
            "postgresql+psycopg://user:password@host:5432/roi"
        ) from None
    if backend not in SUPPORTED_BACKENDS:
        raise InvalidInput(f"unsupported database {backend!r}: use a sqlite or postgresql URL")
