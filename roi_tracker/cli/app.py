"""The typer application and what every command shares: the database option, error messages."""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from roi_tracker.config import Settings, get_settings
from roi_tracker.errors import RoiTrackerError, ValidationFailed


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
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            print(f"error: database not usable: {reason}", file=sys.stderr)
        raise typer.Exit(1)


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
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings
