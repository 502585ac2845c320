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
    from_archive: Annotated[
        int | None,
        typer.Option(
            "--from-archive",
            metavar="ID",
            help="Write the archived pack ID again, from the data it was built from.",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the board pack: an Excel workbook with live NPV, IRR, ROI and payback formulas."""
    # XlsxWriter, pandas and the finance engine load only when the command runs
    import hashlib

    from roi_tracker import boardpack as pack
    from roi_tracker.access import Actor
    from roi_tracker.errors import InvalidInput

    if output.suffix.lower() != ".xlsx":
        raise InvalidInput(f"-o: the board pack is an .xlsx workbook, not {output.name!r}")
    if from_archive is not None and (as_of is not None or project):
        raise InvalidInput("--from-archive writes the pack as archived: no --as-of or --project")
    with command_session(database_url) as (settings, session):
        if from_archive is None:
            day = as_of_day(as_of, settings)
            kept, data, content = pack.generate(
                session, settings, as_of=day, project_keys=project or None,
                actor=Actor.command_line(),
            )  # fmt: skip
            note = f"archived as pack {kept.id}"
        else:
            kept, data = pack.archived(session, from_archive)
            content = pack.workbook_bytes(data)
            same = hashlib.sha256(content).hexdigest() == kept.sha256
            note = f"archived pack {kept.id} of {kept.created_at:%Y-%m-%d %H:%M} UTC" + (
                ", the same file" if same else ", the same figures"
            )
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(
        f"wrote {output}: {len(data.projects)} projects, as of {data.as_of.isoformat()} ({note})"
    )
