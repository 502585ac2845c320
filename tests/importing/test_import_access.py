"""Who may import, what an import writes to the audit trail, and a dry run that only reads."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.errors import Conflict, Forbidden
from roi_tracker.importing import loader
from roi_tracker.importing.loader import import_files
from roi_tracker.services import transfer
from roi_tracker.store.tables import AuditEntry, Cost, Project

CORPUS = Path(__file__).resolve().parents[1] / "data" / "csv"
EUROPEAN = CORPUS / "excel_european"
NAMES = ["projects.csv", "costs.csv"]
EDITOR = Actor.user("ed@example.com", "editor")
VIEWER = Actor.user("vi@example.com", "viewer")


def count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def audit_lines(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())


def test_a_viewer_may_not_import_and_nothing_is_written(engine):
    with pytest.raises(Forbidden, match=r"vi@example.com \(viewer\) may not add, edit or import"):
        transfer.run_import(engine, EUROPEAN, NAMES, actor=VIEWER)
    with pytest.raises(Forbidden):
        import_files(engine, [EUROPEAN / name for name in NAMES], actor=VIEWER)

    assert count(engine, Project) == count(engine, AuditEntry) == 0
    # checking and exporting are allowed to a viewer
    assert transfer.check_import(engine, EUROPEAN, NAMES, actor=VIEWER).ok
    transfer.run_import(engine, EUROPEAN, NAMES, actor=EDITOR)
    with Session(engine) as session:
        exported = transfer.export_csv(session, "costs", actor=VIEWER)
    assert exported.startswith("project_key,key,date") and "LIZENZ" in exported


def test_an_import_writes_one_line_per_file_and_one_per_changed_field(engine, tmp_path):
    transfer.run_import(engine, EUROPEAN, NAMES, actor=EDITOR)
    lines = audit_lines(engine)
    assert [(a.action, a.entity, a.record_key, a.field) for a in lines] == [
        ("import", "projects", "projects.csv", None),
        ("import", "costs", "costs.csv", None),
    ]  # the rows created are covered by their file's line
    costs_line = json.loads(lines[1].detail)
    assert costs_line == {
        "name": "costs.csv",
        "sha256": hashlib.sha256((EUROPEAN / "costs.csv").read_bytes()).hexdigest(),
        "created": 3, "updated": 0, "unchanged": 0, "deleted": 0,
    }  # fmt: skip
    assert {a.actor for a in lines} == {"ed@example.com"}

    folder = tmp_path / "again"
    folder.mkdir()
    text = (EUROPEAN / "costs.csv").read_text(encoding="utf-8-sig")
    text = text.replace("35000;one_time;;actual;;;Einführung", "36000,25;one_time;;actual;;;Neu")
    (folder / "costs.csv").write_text(text, encoding="utf-8")
    transfer.run_import(engine, folder, ["costs.csv"], actor=EDITOR)

    *changes, file_line = audit_lines(engine)[len(lines) :]  # the file's line comes last
    assert json.loads(file_line.detail)["updated"] == 1
    assert json.loads(file_line.detail)["unchanged"] == 2
    assert [(a.record_key, a.project_key, a.field, a.old, a.new) for a in changes] == [
        ("INV/ENTW", "INV", "amount", "35000.00", "36000.25"),
        ("INV/ENTW", "INV", "description", "Einführung", "Neu"),
    ]
    assert {(a.action, a.entity, json.loads(a.detail)["file"]) for a in changes} == {
        ("import", "costs", "costs.csv")
    }
    with Session(engine) as session:
        entw = session.execute(select(Cost).where(Cost.key == "ENTW")).scalar_one()
    assert entw.version == 2  # the bulk update carries the ORM's version counter


def test_a_dry_run_holds_no_write_lock_while_it_runs(engine, tmp_path):
    database = make_url(engine.url).database
    folder = tmp_path / "files"
    shutil.copytree(EUROPEAN, folder)
    transfer.run_import(engine, folder, ["projects.csv"], actor=EDITOR)
    writes: list[str] = []
    statements = []

    def write_meanwhile(_done: int, _total: int) -> None:
        # another connection that would fail at once on a held lock (no busy timeout)
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("UPDATE projects SET owner = 'Zoe' WHERE key = 'INV'")
            writes.append("written")
        finally:
            other.close()

    def seen(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        report = import_files(
            engine, [folder / n for n in NAMES], actor=VIEWER, dry_run=True,
            progress=write_meanwhile,
        )  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    assert report.counts["costs"].created == 3 and report.counts["projects"].unchanged == 2
    assert writes == ["written", "written"]  # once after each file
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)
    assert count(engine, Cost) == 0
    # the connection is back in the pool able to write
    transfer.run_import(engine, folder, NAMES, actor=EDITOR)
    assert count(engine, Cost) == 3


def test_a_row_changed_between_its_check_and_its_update_fails_the_import(
    engine, tmp_path, monkeypatch
):
    folder = tmp_path / "files"
    shutil.copytree(EUROPEAN, folder)
    transfer.run_import(engine, folder, NAMES, actor=EDITOR)
    lines = count(engine, AuditEntry)
    text = (folder / "costs.csv").read_text(encoding="utf-8-sig")
    (folder / "costs.csv").write_text(
        text.replace("35000;one_time;;actual;;;Einführung", "36000,25;one_time;;actual;;;Neu"),
        encoding="utf-8",
    )
    compare = loader._Store._compare_with_stored

    def someone_saves_meanwhile(store, values):
        new, updates, changed = compare(store, values)
        for row in updates:  # saved by someone else after the import read it
            store.session.execute(
                update(Cost).where(Cost.id == row["id"]).values(version=Cost.version + 1)
            )
        return new, updates, changed

    monkeypatch.setattr(loader._Store, "_compare_with_stored", someone_saves_meanwhile)
    with pytest.raises(Conflict, match="nothing was imported"):
        transfer.run_import(engine, folder, ["costs.csv"], actor=EDITOR)

    with Session(engine) as session:
        entw = session.execute(select(Cost).where(Cost.key == "ENTW")).scalar_one()
    assert (entw.amount, entw.description, entw.version) == (35000, "Einführung", 1)
    assert count(engine, AuditEntry) == lines
