"""The typer application and what every command shares: the database option, error messages.

Loaded by every ``--help``: settings, pydantic and SQLAlchemy are imported only when a command
runs (or an error is translated), so that help comes at once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from roi_tracker.errors import InvalidInput, NotConfigured, RoiTrackerError, ValidationFailed

if TYPE_CHECKING:
    from pydantic import ValidationError
    from sqlmodel import Session

    from roi_tracker.config import Settings

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class QuickHelpGroup(TyperGroup):
    """A group whose --help option is False when absent, as a flag should be."""

    def get_help_option(self, ctx: typer.Context):
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            # typer converts a None flag with pydantic: every sub-command's --help (the group's
            # --help absent) would load pydantic for it
            option.default = False
        return option


class _TranslatingGroup(QuickHelpGroup):
    """Turns library errors into a one-line message and exit status 1, never a traceback."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"error: {exc}", file=sys.stderr)
        except RoiTrackerError as exc:
            print(f"error: {exc}", file=sys.stderr)
        except Exception as exc:
            message = _database_problem(exc)
            if message is None:
                raise
            print(message, file=sys.stderr)
        raise typer.Exit(1)


NOT_INITIALISED = (
    "error: the database has no tables yet or an older schema: run `roi-tracker init` first"
)


def _database_problem(exc: Exception) -> str | None:
    """The message for a database that cannot be used, or None for any other exception."""
    if "sqlalchemy" not in sys.modules:
        return None  # no SQLAlchemy error without SQLAlchemy: --help never imports it
    from sqlalchemy.exc import OperationalError, ProgrammingError

    if not isinstance(exc, OperationalError | ProgrammingError):
        return None
    # SQLite says "no such table"; PostgreSQL raises undefined_table (SQLSTATE 42P01)
    if "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "42P01":
        return NOT_INITIALISED
    reason = str(exc.orig).strip().splitlines()[0]
    return f"error: database not usable: {reason}"


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
    from pydantic import ValidationError

    from roi_tracker.config import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:
        raise NotConfigured(_settings_problem(exc)) from None
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    check_database_url(settings.database_url)
    return settings


@contextmanager
def command_session(database_url: str | None) -> Iterator[tuple[Settings, Session]]:
    """The settings, and a session on the process's engine for their database."""
    from roi_tracker.store import get_engine, session_scope

    settings = settings_for(database_url)
    with session_scope(get_engine(settings.database_url)) as session:
        yield settings, session


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
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

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
