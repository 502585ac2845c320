"""Commands that move data in and out as CSV: import, export."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer

from roi_tracker.cli.app import DatabaseUrl, app, command_session, settings_for
from roi_tracker.errors import InvalidInput, ValidationFailed

# below this many bytes an import takes about a second: no progress bar
PROGRESS_MIN_BYTES = 20 * 1024 * 1024
#: the entities of roi_tracker.entities.ENTITIES, for the help texts, which must not
#: load the importer (pydantic); a test keeps the two the same
ENTITIES = (
    "projects", "kpis", "measurements", "benchmarks", "costs", "benefits", "decisions",
    "allocation_rules", "fx_rates", "value_drivers", "redeployments", "risks",
)  # fmt: skip
ENTITY_NAMES = ", ".join(ENTITIES)


@contextmanager
def _progress_bar(paths: list[Path]) -> Iterator:
    total = sum(p.stat().st_size for p in paths if p.is_file())
    if total < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("importing", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="CSV files, in any order.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, write nothing.")
    ] = False,
    entity: Annotated[
        str | None,
        typer.Option(
            help=f"Entity of every file instead of telling it by the header: {ENTITY_NAMES}."
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of the files (default UTF-8), e.g. cp1252.")
    ] = None,
    errors_to: Annotated[
        Path | None,
        typer.Option("--errors-to", help="Write the failed rows there, with an error column."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import CSV files in one transaction: any invalid row and nothing is written."""
    # the importer (pydantic, pandas, SQLAlchemy) loads only when the command runs
    from roi_tracker.access import Actor
    from roi_tracker.importing.loader import import_files
    from roi_tracker.store import get_engine, migrate

    url = settings_for(database_url).database_url
    migrate.create_if_new(url)  # a first import into a new database needs no separate init
    engine = get_engine(url)
    try:
        with _progress_bar(paths) as progress:
            report = import_files(
                engine,
                paths,
                actor=Actor.command_line(),
                entity=entity,
                encoding=encoding,
                dry_run=dry_run,
                errors_to=errors_to,
                progress=progress,
            )
    except ValidationFailed as exc:
        if len(exc.problems) == 1:
            raise InvalidInput(f"{exc.problems[0]} ({exc})") from None
        raise
    for line in report.lines():
        typer.echo(line)


@app.command("export")
def export(
    entity: Annotated[str, typer.Argument(help=f"What to export: {ENTITY_NAMES}.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    template: Annotated[
        bool, typer.Option("--template", help="Only the header and one example row.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Write one entity as CSV, in the format the import reads."""
    from roi_tracker.entities import schema_for

    try:
        schema = schema_for(entity)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if output is None:
        _export(schema.name, template, database_url, sys.stdout)
        return
    # written aside and renamed at the end: a failed export leaves no half file behind
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            _export(schema.name, template, database_url, out)
        partial.replace(output)
    except OSError as exc:
        raise InvalidInput(f"{output}: cannot be written: {exc.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)


def _export(entity: str, template: bool, database_url: str | None, out: TextIO) -> None:
    from roi_tracker.access import Actor
    from roi_tracker.importing.exporter import write_template
    from roi_tracker.services.transfer import export_to

    if template:
        write_template(entity, out)
        return
    with command_session(database_url) as (_, session):
        export_to(session, entity, out, actor=Actor.command_line())
