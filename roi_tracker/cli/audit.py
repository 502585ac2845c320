"""The ``audit`` command: the audit trail, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, app, command_session
from roi_tracker.cli.options import FormatOption, OutputFormat, ProjectOption, echo_result, table
from roi_tracker.errors import InvalidInput

if TYPE_CHECKING:
    from datetime import date, datetime

    from roi_tracker.services.audit import AuditTrail

HEADERS = ["who", "when (UTC)", "action", "entity", "key", "field", "old", "new"]


def _since(text: str) -> date | datetime:
    """A day (YYYY-MM-DD, from midnight UTC) or an ISO instant (UTC unless it has an offset)."""
    from datetime import date, datetime

    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--since: {text!r} is not a date (YYYY-MM-DD)") from None


def _dash(value: str | None) -> str:
    return "-" if value is None else value


def _trail_table(trail: AuditTrail) -> str:
    if not trail.root:
        return "no audit lines"
    rows = [
        [
            line.actor,
            line.at.replace(tzinfo=None).isoformat(timespec="seconds"),
            line.action,
            line.entity,
            line.record_key,
            _dash(line.field),
            _dash(line.old),
            _dash(line.new),
        ]
        for line in trail.root
    ]
    return table(HEADERS, rows)


@app.command()
def audit(
    project: ProjectOption = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="EMAIL",
            help="Only what this user (or cli:NAME, scheduler) did.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only lines from this day on, YYYY-MM-DD (UTC).",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """The audit trail, newest first: who changed what, when (UTC), from which value to which."""
    from roi_tracker.services.audit import audit_entries

    start = None if since is None else _since(since)
    with command_session(database_url) as (_, session):
        trail = audit_entries(session, project_key=project, user=user, since=start, limit=None)
    echo_result(trail, format, _trail_table, ensure_ascii=False)
