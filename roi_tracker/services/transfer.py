"""CSV import and export for the dashboard: check uploaded files, import them, export entities.

Uploaded files are saved in one folder under their own names, so every problem reads
``name.csv:line: column: message`` like on the command line.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker.errors import RoiTrackerError, ValidationFailed
from roi_tracker.importing.exporter import export_entity, write_template
from roi_tracker.importing.loader import ImportReport, detect_entity, import_files
from roi_tracker.importing.reader import open_table

__all__ = ["FileCheck", "ImportCheck", "check_import", "export_csv", "run_import", "template_csv"]

PREVIEW_ROWS = 10


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


def check_import(engine: Engine, folder: Path, names: Sequence[str]) -> ImportCheck:
    """Inspect each file and dry-run the import of all of them together (nothing written)."""
    paths = [folder / name for name in names]
    files = [_inspect(path, folder) for path in paths]
    unreadable = [f"{f.name}: {f.problem}" if f.name not in f.problem else f.problem
                  for f in files if f.problem]  # fmt: skip
    if unreadable:
        return ImportCheck(files, unreadable)
    try:
        report = import_files(engine, paths, dry_run=True)
    except ValidationFailed as exc:
        return ImportCheck(files, [_relative(p, folder) for p in exc.problems])
    except RoiTrackerError as exc:
        return ImportCheck(files, [_relative(str(exc), folder)])
    return ImportCheck(files, report=report)


def run_import(
    engine: Engine,
    folder: Path,
    names: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the files in one transaction (ValidationFailed and nothing written otherwise)."""
    return import_files(engine, [folder / name for name in names], progress=progress)


def export_csv(session: Session, entity: str) -> str:
    """Every stored row of ``entity`` in its CSV format."""
    out = io.StringIO(newline="")
    export_entity(session, entity, out)
    return out.getvalue()


def template_csv(entity: str) -> str:
    """The header of ``entity`` and an example row."""
    out = io.StringIO(newline="")
    write_template(entity, out)
    return out.getvalue()
