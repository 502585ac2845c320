"""CSV import and export for the dashboard: check uploaded files, import them, export entities.

Uploaded files are saved in one folder under their own names, so every problem reads
``name.csv:line: column: message`` like on the command line. Importing needs
``Permission.EDIT_DATA``, exporting ``Permission.EXPORT``; a check only reads. A database
error reaches the page as one line; its details go to the log.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from roi_tracker.access import Actor, Permission, require
from roi_tracker.errors import Conflict, DatabaseFailed, RoiTrackerError, ValidationFailed
from roi_tracker.importing.exporter import export_entity, write_template
from roi_tracker.importing.loader import ImportReport, detect_entity, import_files
from roi_tracker.importing.reader import open_table

__all__ = [
    "FileCheck",
    "ImportCheck",
    "check_import",
    "export_csv",
    "export_to",
    "run_import",
    "template_csv",
]

PREVIEW_ROWS = 10
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileCheck:
    """One uploaded file: the entity its header names, its rows and the first of them."""

    name: str
    entity: str | None
    rows: int
    preview: pd.DataFrame
    problem: str | None = None


@dataclass(frozen=True)
class ImportCheck:
    """A dry run of importing every file: what would be written, or every problem."""

    files: list[FileCheck]
    problems: list[str] = field(default_factory=list)
    report: ImportReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.report is not None


def _relative(message: str, folder: Path) -> str:
    return message.replace(f"{folder}/", "").replace(str(folder), "")


def _inspect(path: Path, folder: Path) -> FileCheck:
    try:
        with open_table(path) as table:
            entity = detect_entity(table.header, path).name
            rows = table.rows()
            first = [cells for _, cells in itertools.islice(rows, PREVIEW_ROWS)]
            count = len(first) + sum(1 for _ in rows)
            preview = pd.DataFrame(first, columns=table.header, dtype=str)
            return FileCheck(path.name, entity, count, preview)
    except RoiTrackerError as exc:
        return FileCheck(path.name, None, 0, pd.DataFrame(), _relative(str(exc), folder))


@contextmanager
def _database_errors(what: str) -> Iterator[None]:
    """A database error as one line for the page; the exception and its SQL go to the log."""
    try:
        yield
    except StaleDataError:
        logger.exception("%s: a stored row changed meanwhile", what)
        raise Conflict(f"a record changed while {what}; nothing was imported: try again") from None
    except SQLAlchemyError:
        logger.exception("%s failed", what)
        raise DatabaseFailed(
            f"the database failed while {what}; nothing was imported "
            "(the details are in the server log)"
        ) from None


def check_import(
    engine: Engine, folder: Path, names: Sequence[str], *, actor: Actor
) -> ImportCheck:
    """Inspect each file and dry-run the import of all of them together.

    Read-only: the database refuses any write during the check, so it takes no write lock.
    """
    paths = [folder / name for name in names]
    files = [_inspect(path, folder) for path in paths]
    unreadable = [f"{f.name}: {f.problem}" if f.name not in f.problem else f.problem
                  for f in files if f.problem]  # fmt: skip
    if unreadable:
        return ImportCheck(files, unreadable)
    try:
        with _database_errors("checking the files"):
            report = import_files(engine, paths, actor=actor, dry_run=True)
    except ValidationFailed as exc:
        return ImportCheck(files, [_relative(p, folder) for p in exc.problems])
    except RoiTrackerError as exc:
        return ImportCheck(files, [_relative(str(exc), folder)])
    return ImportCheck(files, report=report)


def run_import(
    engine: Engine,
    folder: Path,
    names: Sequence[str],
    *,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the files in one transaction (ValidationFailed and nothing written otherwise).

    Needs ``Permission.EDIT_DATA``; each file and each changed field is written to the
    audit trail in the same transaction.
    """
    require(actor, Permission.EDIT_DATA)
    with _database_errors("importing"):
        return import_files(
            engine, [folder / name for name in names], actor=actor, progress=progress
        )


def export_to(session: Session, entity: str, out: TextIO, *, actor: Actor) -> int:
    """Write every stored row of ``entity`` to ``out`` in its CSV format; the row count."""
    require(actor, Permission.EXPORT)
    return export_entity(session, entity, out)


def export_csv(session: Session, entity: str, *, actor: Actor) -> str:
    """Every stored row of ``entity`` in its CSV format."""
    out = io.StringIO(newline="")
    export_to(session, entity, out, actor=actor)
    return out.getvalue()


def template_csv(entity: str) -> str:
    """The header of ``entity`` and an example row."""
    out = io.StringIO(newline="")
    write_template(entity, out)
    return out.getvalue()
