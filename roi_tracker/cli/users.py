"""User commands: users add/list/set-role/disable/enable/reset-password.

They act as the person at the server's command line (an admin): whoever runs them can read the
database anyway. Passwords are asked on the terminal without echo, or read from stdin.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, QuickHelpGroup, app, command_session, settings_for
from roi_tracker.cli.options import FormatOption, OutputFormat, echo_json, table
from roi_tracker.errors import InvalidInput

if TYPE_CHECKING:
    from roi_tracker.services.users import UserView

__all__ = ["users_app"]

users_app = typer.Typer(
    cls=QuickHelpGroup,
    help="Who may sign in to the dashboard, with which role.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


class RoleName(StrEnum):
    # the names of roi_tracker.access.Role, restated here: --help must not import the store
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


Email = Annotated[
    str, typer.Argument(metavar="EMAIL", help="The user's email (matched without regard to case).")
]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise InvalidInput("--password-stdin: standard input has no password line")
        return password
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _line(view: UserView) -> str:
    state = "active" if view.active else "disabled"
    return f"{view.email} ({view.role.value}, {state}, signs in with {view.sign_in.value})"


@users_app.command()
def add(
    email: Email,
    role: Annotated[RoleName, typer.Option("--role", help="What the user may do.")],
    password_stdin: PasswordStdin = False,
    no_password: Annotated[
        bool,
        typer.Option(
            "--no-password",
            help="Sign-in through the identity provider only (the default when "
            "ROI_TRACKER_AUTH=oidc).",
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a user; a password is asked unless ROI_TRACKER_AUTH=oidc or --no-password."""
    if password_stdin and no_password:
        raise typer.BadParameter("give at most one of them", param_hint="--password-stdin")
    from roi_tracker.access import Actor
    from roi_tracker.config import AuthMode
    from roi_tracker.services import users

    settings = settings_for(database_url)
    wants_password = not no_password and (password_stdin or settings.auth is not AuthMode.OIDC)
    password = _read_password(password_stdin) if wants_password else None
    with command_session(database_url) as (_, session):
        view = users.add_user(session, email, role.value, password, actor=Actor.command_line())
    typer.echo(f"added {_line(view)}")


@users_app.command("list")
def list_(
    output_format: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Every user: email, role, active, how they sign in, last sign-in (UTC)."""
    from roi_tracker.services import users

    with command_session(database_url) as (_, session):
        views = users.list_users(session)
    if output_format is OutputFormat.JSON:
        echo_json([view.model_dump(mode="json") for view in views])
    elif not views:
        typer.echo("no users")
    else:
        rows = [
            [
                v.email,
                v.role.value,
                "yes" if v.active else "no",
                v.sign_in.value,
                v.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if v.last_sign_in_at else "-",
            ]
            for v in views
        ]
        typer.echo(table(["email", "role", "active", "sign-in", "last sign-in (UTC)"], rows))


@users_app.command("set-role")
def set_role(
    email: Email,
    role: Annotated[RoleName, typer.Argument(metavar="ROLE", help="viewer, editor or admin.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Give a user another role (the last active admin keeps theirs)."""
    from roi_tracker.access import Actor
    from roi_tracker.services import users

    with command_session(database_url) as (_, session):
        view = users.set_role(session, email, role.value, actor=Actor.command_line())
    typer.echo(f"updated {_line(view)}")


@users_app.command()
def disable(email: Email, database_url: DatabaseUrl = None) -> None:
    """Stop a user from signing in; their open dashboard refuses them on its next click."""
    from roi_tracker.access import Actor
    from roi_tracker.services import users

    with command_session(database_url) as (_, session):
        view = users.disable_user(session, email, actor=Actor.command_line())
    typer.echo(f"disabled {_line(view)}")


@users_app.command()
def enable(email: Email, database_url: DatabaseUrl = None) -> None:
    """Let a disabled user sign in again."""
    from roi_tracker.access import Actor
    from roi_tracker.services import users

    with command_session(database_url) as (_, session):
        view = users.enable_user(session, email, actor=Actor.command_line())
    typer.echo(f"enabled {_line(view)}")


@users_app.command("reset-password")
def reset_password(
    email: Email, password_stdin: PasswordStdin = False, database_url: DatabaseUrl = None
) -> None:
    """Set a new password for local sign-in; failed sign-ins are forgotten."""
    password = _read_password(password_stdin)
    from roi_tracker.access import Actor
    from roi_tracker.services import users

    with command_session(database_url) as (_, session):
        view = users.reset_password(session, email, password, actor=Actor.command_line())
    typer.echo(f"new password for {_line(view)}")
