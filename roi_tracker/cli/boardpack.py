"""``roi-tracker boardpack``: the Excel board pack with live formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, app, command_session
from roi_tracker.cli.options import AsOfOption, as_of_day

__all__ = ["boardpack"]


@app.command()
def boardpack(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="The workbook to write (FILE.xlsx).", metavar="FILE"),
    ],
    as_of: AsOfOption = None,
    project: Annotated[
        list[str] | None,
        typer.Option(
            "--project",
            help="Only this project (its key); repeat for several. Default: every project.",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the board pack: an Excel workbook with live NPV, IRR, ROI and payback formulas."""
    # XlsxWriter, pandas and the finance engine load only when the command runs
    from roi_tracker import boardpack as pack
    from roi_tracker.errors import InvalidInput

    if output.suffix.lower() != ".xlsx":
        raise InvalidInput(f"-o: the board pack is an .xlsx workbook, not {output.name!r}")
    with command_session(database_url) as (settings, session):
        day = as_of_day(as_of, settings)
        data, content = pack.build(session, settings, as_of=day, project_keys=project or None)
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}: {len(data.projects)} projects, as of {data.as_of.isoformat()}")
