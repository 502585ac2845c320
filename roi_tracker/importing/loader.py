"""Loading CSV files into the store: all files of one call in one transaction, or nothing.

Files are loaded in dependency order (projects, then KPIs, then what refers to them) whatever
order they are given in. Every row is checked a batch at a time with the rules of its entity
(``roi_tracker.entities``); every problem of every row is collected as
``file:line: column: message``. Rows are matched on their natural key: new ones are inserted,
changed ones updated, the rest left alone. Any problem, and the transaction is rolled back:
nothing is written.

Writing needs ``Permission.EDIT_DATA``; the audit trail gets one line per file (its name,
SHA-256 and counts) and one line per field an import changed, in the same transaction. A dry
run never writes: it reads in a read-only transaction, so it holds no write lock.
"""

from __future__ import annotations

import csv
import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from roi_tracker.access import Actor, Permission, require
from roi_tracker.entities import ENTITIES, LOAD_ORDER, Entity, schema_for
from roi_tracker.errors import InvalidInput, ValidationFailed
from roi_tracker.importing.columns import Problem, guard_cell
from roi_tracker.importing.reader import CsvTable, file_sha256, open_table
from roi_tracker.store.audit import AuditAction, field_changes
from roi_tracker.store.audit import append_many as append_audit
from roi_tracker.store.bulk import insert_columns
from roi_tracker.store.db import SQLITE_CACHE_KIB
from roi_tracker.store.tables import Kpi, Project, utcnow

BATCH_ROWS = 5_000
CENT = Decimal("0.01")
# a batch is also bounded by its bytes: a batch of long cells lives several times over as
# Python objects (cells, typed values, rows for the driver) until it is stored
BATCH_BYTES = 2 * 1024 * 1024
MIN_CACHE_KIB = 8 * 1024  # SQLite's page cache of an import of a small file
LOOKUP_CHUNK = 5_000
ERROR_COLUMN = "error"
# a broken file of millions of rows lists this many problems (--errors-to keeps every row)
MAX_LISTED_PROBLEMS = 100_000
Progress = Callable[[int, int], None]  # (bytes read, bytes in all files)
# the stored rows an import changes: (index in the batch, stored values, new values)
Changed = list[tuple[int, dict[str, Any], dict[str, Any]]]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do), per entity in load order."""

    dry_run: bool
    counts: dict[str, Counts] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"{entity}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for entity, c in self.counts.items()
        ] + (["(dry run: nothing was written)"] if self.dry_run else [])


def detect_entity(header: Sequence[str], path: Path) -> Entity:
    """The entity whose columns the header names best; the file name breaks ties."""
    names = set(header) - {ERROR_COLUMN}

    def score(schema: Entity) -> tuple:
        columns = set(schema.column_names)
        unknown, missing = names - columns, set(schema.required) - names
        named = path.stem.lower().startswith((schema.name, schema.singular))
        fits = not unknown and not missing
        return (fits, named, len(names & columns) - len(unknown) - len(missing))

    best = max(ENTITIES.values(), key=score)
    if not score(best)[0] and not score(best)[1] and len(names & set(best.column_names)) < 2:
        raise InvalidInput(
            f"{path}:1: the header does not name the columns of any entity "
            f"({', '.join(ENTITIES)}); give it with --entity"
        )
    return best


def header_problems(schema: Entity, header: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    for name in sorted({n for n in header if header.count(n) > 1}):
        problems.append((name, "appears more than once in the header"))
    unknown = [n for n in header if n not in schema.column_names and n != ERROR_COLUMN]
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        expected = ", ".join(schema.column_names)
        problems.append(("header", f"unknown column(s) {listed} for {schema.name}: {expected}"))
    missing = [n for n in schema.required if n not in header]
    if missing:
        problems.append(("header", f"missing required column(s): {', '.join(missing)}"))
    return problems


class SeenKeys:
    """The natural keys met so far in a file, as 64-bit hashes with the line of each.

    Sixteen bytes a row where a dict of the keys would take well over a hundred, so a file
    of tens of millions of rows is checked for duplicates in little memory. The hashes are
    kept in sorted runs of doubling sizes, merged like a binary counter; a batch is looked
    up with one binary search per run. Two different keys sharing a 64-bit hash is too
    unlikely to matter.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted hashes, their lines)

    def add(self, keys: Iterable[tuple], lines: Sequence[int]) -> dict[int, int]:
        """Remember a batch of keys; ``{index in the batch: line of the first}`` for repeats."""
        count = len(lines)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=count)
        # sorted, the batch is found in each run in one sweep instead of at random places
        order = np.argsort(hashes, kind="stable")
        hashes, numbers = hashes[order], np.asarray(lines, dtype=np.int64)[order]
        repeats: dict[int, int] = {}
        known = np.zeros(count, dtype=bool)
        for run_hashes, run_lines in self._runs:
            where = np.searchsorted(run_hashes, hashes).clip(max=len(run_hashes) - 1)
            found = run_hashes[where] == hashes
            known |= found
            for j in np.flatnonzero(found).tolist():
                repeats[int(order[j])] = int(run_lines[where[j]])
        first = np.ones(count, dtype=bool)
        first[1:] = hashes[1:] != hashes[:-1]
        if not first.all():
            first_of = np.maximum.accumulate(np.where(first, np.arange(count), 0))
            for j in np.flatnonzero(~first).tolist():
                repeats.setdefault(int(order[j]), int(numbers[first_of[j]]))
        new = first & ~known
        if new.any():
            self._push(hashes[new], numbers[new])
        return repeats

    def _push(self, hashes: np.ndarray, lines: np.ndarray) -> None:
        while self._runs and len(self._runs[-1][0]) <= len(hashes):
            run_hashes, run_lines = self._runs.pop()
            merged = np.concatenate([run_hashes, hashes])
            order = np.argsort(merged, kind="stable")
            hashes, lines = merged[order], np.concatenate([run_lines, lines])[order]
        self._runs.append((hashes, lines))


class _FailedRows:
    """The failed rows of one file, written as they are found, with an ``error`` column."""

    def __init__(self, path: Path, header: list[str]):
        self.path = path
        self.keep = [i for i, name in enumerate(header) if name != ERROR_COLUMN]
        self._file = path.open("w", encoding="utf-8", newline="")
        # every cell quoted, as the export does: a `;` or tab in a cell cannot split it in a
        # spreadsheet that reads another separator, and guarded formulas stay guarded
        self._writer = csv.writer(self._file, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        self._writer.writerow([header[i] for i in self.keep] + [ERROR_COLUMN])
        self.count = 0

    def write(self, cells: list[str], problems: list[Problem]) -> None:
        message = "; ".join(f"{column}: {text}" for column, text in problems)
        kept = [cells[i] if i < len(cells) else "" for i in self.keep]
        self._writer.writerow([guard_cell(c) for c in [*kept, message]])
        self.count += 1

    def close(self) -> None:
        self._file.close()


@dataclass
class _File:
    table: CsvTable
    schema: Entity
    header_problems: list[Problem]


class _Import:
    def __init__(
        self,
        session: Session,
        errors_to: Path | None,
        progress: Progress | None,
        *,
        actor: Actor,
        dry_run: bool,
    ):
        self.session = session
        self.actor = actor
        self.dry_run = dry_run
        self.at = utcnow()
        self.errors_to = errors_to
        self.progress = progress
        self.problems: list[str] = []
        self.problem_count = 0
        self.failed_files: list[_FailedRows] = []
        self.counts: dict[str, Counts] = {}
        self.bytes_total = 0
        self.bytes_done = 0
        projects = session.execute(select(Project.key, Project.id, Project.start_date)).all()
        self.project_ids: dict[str, int | None] = {key: id_ for key, id_, _ in projects}
        # a KPI's baseline_date defaults to its project's start_date
        self.project_starts: dict[str, date] = {key: start for key, _, start in projects}
        kpis = select(Project.key, Kpi.key, Kpi.id).join(Project, Project.id == Kpi.project_id)
        self.kpi_ids: dict[tuple[str, str], int | None] = {
            (project_key, key): id_ for project_key, key, id_ in session.execute(kpis)
        }

    # -- problems ---------------------------------------------------------------------------

    def report(self, path: Path, line: int | str, problems: Iterable[Problem]) -> None:
        for column, text in problems:
            self.problem_count += 1
            if len(self.problems) < MAX_LISTED_PROBLEMS:
                self.problems.append(f"{path}:{line}: {column}: {text}")

    @property
    def writing(self) -> bool:
        """Once anything is wrong nothing will be kept, so only checking goes on."""
        return not self.problem_count

    # -- one file ---------------------------------------------------------------------------

    def load(self, file: _File) -> None:
        table, schema = file.table, file.schema
        self.counts.setdefault(schema.name, Counts())
        if file.header_problems:
            self.report(table.path, 1, file.header_problems)
            return
        failed = self._failed_rows(table) if self.errors_to else None
        store = _Store(self.session, schema, self, table.path.name)
        before = Counts(**vars(self.counts[schema.name]))
        seen = SeenKeys()
        rows = 0
        for lines, batch in table.batches(BATCH_ROWS, BATCH_BYTES):
            rows += len(batch)
            self._load_batch(table, schema, lines, batch, seen, store, failed)
            self._advance(table)
        if rows == 0:
            self.report(table.path, 1, [("rows", "the file has a header but no rows")])
        if failed is not None:
            failed.close()
        if self.writing and not self.dry_run:
            self.audit_file(table.path, schema, before)

    def audit_file(self, path: Path, schema: Entity, before: Counts) -> None:
        """The file's line of the audit trail: its name, SHA-256 and what it did."""
        after = self.counts[schema.name]
        detail = {
            "name": path.name,
            "sha256": file_sha256(path),
            "created": after.created - before.created,
            "updated": after.updated - before.updated,
            "unchanged": after.unchanged - before.unchanged,
            "deleted": 0,  # an import never deletes
        }
        append_audit(self.session, [self._audit_line(schema, path.name, None, detail=detail)])

    def _audit_line(
        self,
        schema: Entity,
        record_key: str,
        project_key: str | None,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
        *,
        detail: dict[str, Any],
    ) -> dict[str, Any]:
        return {
            "at": self.at, "actor": self.actor.name, "action": AuditAction.IMPORT.value,
            "entity": schema.name, "record_key": record_key, "project_key": project_key,
            "field": field, "old": old, "new": new,
            "detail": json.dumps(detail, sort_keys=True),
        }  # fmt: skip

    def audit_changes(
        self, schema: Entity, file: str, columns: dict[str, list], changed: Changed
    ) -> None:
        """One audit line per field of a stored row that the import changed."""
        if not changed:
            return
        owner = "project_key" if "project_key" in columns else "key"
        template = self._audit_line(schema, "", None, detail={"file": file})
        lines = []
        for index, found, record in changed:
            differing = {
                # amounts in cents, as they are stored and read back: 36000 is "36000.00"
                name: value.quantize(CENT) if isinstance(value, Decimal) else value
                for name, value in record.items()
                if found[name] != value
            }
            before = {name: found[name] for name in differing}
            changes = field_changes(before, differing)
            if not changes:
                continue
            record_key = schema.record_key({n: columns[n][index] for n in schema.natural_key})
            project_key = columns[owner][index]
            for name, (old, new) in changes.items():
                lines.append(
                    {**template, "record_key": record_key, "project_key": project_key,
                     "field": name, "old": old, "new": new}
                )  # fmt: skip
        append_audit(self.session, lines)

    def _advance(self, table: CsvTable) -> None:
        if self.progress is not None:
            self.progress(self.bytes_done + table.bytes_read(), self.bytes_total)

    def _failed_rows(self, table: CsvTable) -> _FailedRows:
        assert self.errors_to is not None
        part = self.errors_to.with_name(
            f"{self.errors_to.stem}-{len(self.failed_files) + 1}-{table.path.stem}"
            f"{self.errors_to.suffix or '.csv'}"
        )
        failed = _FailedRows(part, table.header)
        self.failed_files.append(failed)
        return failed

    def _load_batch(
        self,
        table: CsvTable,
        schema: Entity,
        lines: Sequence[int],
        rows: list[list[str]],
        seen: SeenKeys,
        store: _Store,
        failed: _FailedRows | None,
    ) -> None:
        width = len(table.header)
        problems: dict[int, list[Problem]] = {}
        if max(map(len, rows)) > width:
            for i, cells in enumerate(rows):
                if len(cells) > width:
                    message = f"has {len(cells)} fields but the header names {width} columns"
                    problems[i] = [("row", message)]
        cells = dict(zip(table.header, zip(*rows, strict=False), strict=False))
        cells.pop(ERROR_COLUMN, None)
        columns, found = schema.check_columns(cells, len(rows), table.decimal_comma)
        for index, more in found.items():
            problems.setdefault(index, []).extend(more)
        self._check_parents(schema, columns, problems)
        self._check_duplicates(schema, columns, lines, seen, problems)
        self._define_keys(schema, columns)
        if problems:
            order = {name: i for i, name in enumerate(("row", *schema.column_names))}
            for index in sorted(problems):
                problems[index].sort(key=lambda problem: order.get(problem[0], len(order)))
                self.report(table.path, lines[index], problems[index])
                if failed is not None:
                    failed.write(rows[index], problems[index])
        if self.writing:
            store.save(columns, len(rows))

    def _check_parents(
        self, schema: Entity, columns: dict[str, list], problems: dict[int, list[Problem]]
    ) -> None:
        if "project_key" not in columns:
            return
        project_keys = columns["project_key"]
        if not set(project_keys) - self.project_ids.keys() - {None}:
            unknown_projects: set[int] = set()
        else:
            unknown_projects = {
                i for i, k in enumerate(project_keys) if k is not None and k not in self.project_ids
            }
            for i in sorted(unknown_projects):
                message = f"unknown project {project_keys[i]!r} (not stored, not in this import)"
                problems.setdefault(i, []).append(("project_key", message))
        if schema.name == "kpis":
            self._check_default_baseline(columns, problems)
        if "kpi_key" not in columns:
            return
        for i, pair in enumerate(zip(project_keys, columns["kpi_key"], strict=True)):
            if i not in unknown_projects and None not in pair and pair not in self.kpi_ids:
                message = f"project {pair[0]!r} has no KPI {pair[1]!r}"
                problems.setdefault(i, []).append(("kpi_key", message))

    def _check_default_baseline(
        self, columns: dict[str, list], problems: dict[int, list[Problem]]
    ) -> None:
        rows = zip(
            columns["project_key"], columns["baseline_date"], columns["target_date"], strict=True
        )
        for i, (project_key, baseline_date, target_date) in enumerate(rows):
            start = self.project_starts.get(project_key)
            if baseline_date is None and None not in (target_date, start) and target_date <= start:
                message = (
                    f"{target_date} is on or before the project's start_date {start} "
                    "(the baseline_date when none is given)"
                )
                problems.setdefault(i, []).append(("target_date", message))

    def _define_keys(self, schema: Entity, columns: dict[str, list]) -> None:
        """A key defined in this import is known to later files, even if not yet written."""
        if schema.name == "projects":
            for key in set(columns["key"]) - self.project_ids.keys() - {None}:
                self.project_ids[key] = None
            starts = zip(columns["key"], columns["start_date"], strict=True)
            self.project_starts.update((k, s) for k, s in starts if k is not None and s is not None)
        elif schema.name == "kpis":
            pairs = set(zip(columns["project_key"], columns["key"], strict=True))
            for pair in pairs - self.kpi_ids.keys():
                if None not in pair:
                    self.kpi_ids[pair] = None

    def _check_duplicates(
        self,
        schema: Entity,
        columns: dict[str, list],
        lines: Sequence[int],
        seen: SeenKeys,
        problems: dict[int, list[Problem]],
    ) -> None:
        keys = zip(*(columns[c] for c in schema.natural_key), strict=True)
        label = ", ".join(schema.natural_key)
        for i, first in seen.add(keys, lines).items():
            message = f"duplicate key: line {first} has the same {label}"
            problems.setdefault(i, []).append((schema.natural_key[-1], message))

    # -- all files --------------------------------------------------------------------------

    def run(self, files: list[_File]) -> None:
        self.bytes_total = sum(file.table.size for file in files)
        for file in sorted(files, key=lambda f: LOAD_ORDER.index(f.schema.name)):
            self.load(file)
            self.bytes_done += file.table.size
        self._finish_failed_files()

    def _finish_failed_files(self) -> None:
        used = [f for f in self.failed_files if f.count]
        for unused in (f for f in self.failed_files if not f.count):
            unused.path.unlink(missing_ok=True)
        if len(used) == 1 and self.errors_to is not None:
            used[0].path.replace(self.errors_to)
            used[0].path = self.errors_to
        self.failed_files = used


class _Store:
    """Upserts one entity's rows, a batch at a time, with bulk statements.

    On a dry run it only counts: what would be created, updated or left unchanged.
    """

    def __init__(self, session: Session, schema: Entity, load: _Import, file: str):
        self.session = session
        self.schema = schema
        self.load = load
        self.file = file
        self.model = schema.table
        self.counts = load.counts[schema.name]
        self.stored_columns = list(schema.stored_columns)
        self.key_columns = list(schema.stored_key)
        # an entity with nothing stored yet needs no look-up of existing rows
        self.any_stored = session.execute(select(self.model.id).limit(1)).first() is not None

    def save(self, columns: dict[str, list], count: int) -> None:
        values = self._stored_values(columns)
        new: Sequence[int] = range(count)
        updates: list[dict[str, Any]] = []
        changed: Changed = []
        if self.any_stored:
            new, updates, changed = self._compare_with_stored(values)
        if self.load.dry_run:
            self.counts.created += len(new)
            self.counts.updated += len(updates)
            return
        if new:
            inserted = {name: values[name] for name in self.stored_columns}
            if len(new) < count:
                inserted = {name: [column[i] for i in new] for name, column in inserted.items()}
            # One timestamp for the batch, given rather than computed row by row.
            now = utcnow()
            times = {"created_at": now, "updated_at": now}
            insert_columns(self.session, self.model.__table__, inserted, times)
            self.counts.created += len(new)
        if updates:
            self._update(updates)
            self.counts.updated += len(updates)
            self.load.audit_changes(self.schema, self.file, columns, changed)
        self._remember_parents(columns, count)

    def _compare_with_stored(
        self, values: dict[str, list]
    ) -> tuple[list[int], list[dict[str, Any]], Changed]:
        """The indexes of the rows not stored yet, the updates of the stored ones that
        differ, and those rows as (index, stored values, new values)."""
        names = self.stored_columns
        records = [
            dict(zip(names, row, strict=True))
            for row in zip(*(values[c] for c in names), strict=True)
        ]
        existing = self._existing(records)
        new, updates, changed = [], [], []
        for index, record in enumerate(records):
            found = existing.get(tuple(record[c] for c in self.key_columns))
            if found is None:
                new.append(index)
            elif any(found[c] != v for c, v in record.items()):
                # the version read makes the update fail on a row changed since, and bumps it
                updates.append({"id": found["id"], "version": found["version"], **record})
                changed.append((index, found, record))
            else:
                self.counts.unchanged += 1
        return new, updates, changed

    def _update(self, updates: list[dict[str, Any]]) -> None:
        """UPDATE the changed rows in one executemany, each only at the version it was read
        at, bumping it: a row changed since matches nothing, the count falls short and the
        import fails (the ORM's own bulk update with a version counter runs row by row)."""
        table = self.model.__table__
        statement = (
            table.update()
            .where(table.c.id == bindparam("old_id"), table.c.version == bindparam("old_version"))
            .values(
                {name: bindparam(f"new_{name}") for name in self.stored_columns}
                | {"version": table.c.version + 1, "updated_at": bindparam("new_updated_at")}
            )
        )
        now = utcnow()
        rows = [
            {"old_id": row["id"], "old_version": row["version"], "new_updated_at": now}
            | {f"new_{name}": row[name] for name in self.stored_columns}
            for row in updates
        ]
        written = self.session.execute(statement, rows).rowcount
        if written != len(rows):
            raise StaleDataError(
                f"{len(rows) - written} of {len(rows)} {self.schema.name} rows changed since "
                "they were read"
            )

    def _stored_values(self, columns: dict[str, list]) -> dict[str, list]:
        stored = dict(columns)
        if "kpi_key" in columns:
            pairs = zip(columns["project_key"], columns["kpi_key"], strict=True)
            stored["kpi_id"] = list(map(self.load.kpi_ids.__getitem__, pairs))
        elif "project_key" in columns:
            stored["project_id"] = list(
                map(self.load.project_ids.__getitem__, columns["project_key"])
            )
        return stored

    def _existing(self, records: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
        found: dict[tuple, dict[str, Any]] = {}
        attributes = [getattr(self.model, c) for c in ["id", "version", *self.stored_columns]]
        for start in range(0, len(records), LOOKUP_CHUNK):
            chunk = records[start : start + LOOKUP_CHUNK]
            # the rows' own keys, as (project_id, key) pairs: an IN list per column would
            # make the database try every project of the chunk with every key of it
            key = tuple_(*(getattr(self.model, c) for c in self.key_columns))
            wanted = {tuple(r[c] for c in self.key_columns) for r in chunk}
            statement = select(*attributes).where(key.in_(wanted))
            for row in self.session.execute(statement).mappings():
                found[tuple(row[c] for c in self.key_columns)] = dict(row)
        return found

    def _remember_parents(self, columns: dict[str, list], count: int) -> None:
        """Ids of the projects and KPIs just written, for the rows that refer to them."""
        if self.schema.name == "projects":
            keys = columns["key"]
            for start in range(0, count, LOOKUP_CHUNK):
                chunk = keys[start : start + LOOKUP_CHUNK]
                statement = select(Project.key, Project.id).where(Project.key.in_(chunk))
                self.load.project_ids.update(self.session.execute(statement).all())
        elif self.schema.name == "kpis":
            project_ids = set(self._stored_values(columns)["project_id"])
            statement = (
                select(Project.key, Kpi.key, Kpi.id)
                .join(Project, Project.id == Kpi.project_id)
                .where(Kpi.project_id.in_(project_ids))
            )
            for project_key, key, id_ in self.session.execute(statement):
                self.load.kpi_ids[(project_key, key)] = id_


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """Millions of rows are millions of lists, each alive until its batch is stored: the
    cyclic collector would walk them again and again (about a fifth of an import's time),
    though reference counting alone frees them all."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _import_connection(connection: Connection, *, dry_run: bool, size: int) -> Iterator[None]:
    """Set up ``connection`` for an import of ``size`` bytes, and put it back afterwards.

    A dry run is read-only: the database refuses any write, so it takes no write lock (on
    SQLite, with WAL, writers and readers go on while it runs). On SQLite the page cache
    is sized to the files, up to the engine's: a small import needs no 64 MB of cache.
    """
    if connection.dialect.name == "postgresql" and dry_run:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")  # ends with the transaction
    if connection.dialect.name != "sqlite":
        yield
        return
    cache_kib = min(SQLITE_CACHE_KIB, max(MIN_CACHE_KIB, size // 1024))
    connection.exec_driver_sql(f"PRAGMA cache_size = -{cache_kib}")
    connection.exec_driver_sql(f"PRAGMA query_only = {'ON' if dry_run else 'OFF'}")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA query_only = OFF")
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        connection.commit()


def import_files(
    engine: Engine,
    paths: Sequence[str | Path],
    *,
    actor: Actor,
    entity: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    errors_to: str | Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``paths`` in one transaction; ValidationFailed lists every problem found.

    ``entity`` forces the entity of every file instead of telling it by the header.
    ``errors_to`` receives the failed rows with an ``error`` column (one file per input
    file that has failed rows when there are several: ``NAME-N-INPUT.csv``).
    Importing needs ``Permission.EDIT_DATA`` (``Forbidden`` otherwise, before anything is
    read); a dry run only ``Permission.READ``.
    """
    require(actor, Permission.READ if dry_run else Permission.EDIT_DATA)
    if not paths:
        raise InvalidInput("no file to import")
    forced = None
    if entity is not None:
        try:
            forced = schema_for(entity)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    with ExitStack() as stack:
        connection = stack.enter_context(engine.connect())
        files = []
        for path in map(Path, paths):
            table = stack.enter_context(open_table(path, encoding))
            schema = forced or detect_entity(table.header, path)
            files.append(_File(table, schema, header_problems(schema, table.header)))
        size = sum(file.table.size for file in files)
        stack.enter_context(_import_connection(connection, dry_run=dry_run, size=size))
        session = stack.enter_context(Session(bind=connection))
        failed_to = Path(errors_to) if errors_to else None
        load = _Import(session, failed_to, progress, actor=actor, dry_run=dry_run)
        try:
            with _cyclic_collector_paused():
                load.run(files)
        except BaseException:
            session.rollback()
            for failed in load.failed_files:
                failed.close()
            raise
        if load.problem_count or dry_run:
            session.rollback()
        else:
            changed = [n for n, c in load.counts.items() if c.created or c.updated]
            try:
                _bills_follow(session, changed)
            except BaseException:
                session.rollback()
                raise
            session.commit()
    if load.problem_count:
        unlisted = load.problem_count - len(load.problems)
        if unlisted:
            load.problems.append(f"... and {unlisted} more problem(s)")
        summary = f"{load.problem_count} problem(s) found; nothing was imported"
        if load.failed_files:
            written = ", ".join(str(f.path) for f in load.failed_files)
            summary += f"; failed rows written to {written}"
        raise ValidationFailed(load.problems, summary)
    order = [name for name in LOAD_ORDER if name in load.counts]
    return ImportReport(dry_run, {name: load.counts[name] for name in order})


def _bills_follow(session: Session, entities: list[str]) -> None:
    """New rules, rates or projects: the bills are allocated again in the same transaction."""
    from roi_tracker.services.bills import follow_change

    follow_change(session, entities)


__all__ = ["ImportReport", "SeenKeys", "detect_entity", "import_files"]
