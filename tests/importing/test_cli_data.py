"""The import and export commands: what they print, what they store, how they refuse."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.entities import LOAD_ORDER
from roi_tracker.store import make_engine
from roi_tracker.store.tables import Cost, Project

CORPUS = Path(__file__).resolve().parents[1] / "data" / "csv"
VALID = sorted(
    str(p)
    for d in ("excel_european", "google_sheets", "tab_separated")
    for p in (CORPUS / d).glob("*.csv")
)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def stored(db_url: str, model) -> list:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return list(session.execute(select(model).order_by(model.id)).scalars())
    finally:
        engine.dispose()


def test_import_prints_counts_and_stores_rows(db_url):
    result = run("import", *VALID, "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert "projects: 2 created, 0 updated, 0 unchanged" in result.output
    assert "costs: 3 created" in result.output
    assert [p.key for p in stored(db_url, Project)] == ["INV", "MAIL"]
    again = run("import", *VALID, "--database-url", db_url)
    assert "costs: 0 created, 0 updated, 3 unchanged" in again.output


def test_dry_run_stores_nothing(db_url):
    result = run("import", *VALID, "--dry-run", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert "costs: 3 created" in result.output and "dry run" in result.output
    assert stored(db_url, Project) == []


def test_invalid_rows_list_every_problem_and_store_nothing(db_url, tmp_path):
    bad = str(CORPUS / "errors" / "costs_bad_values.csv")
    failed = tmp_path / "failed.csv"
    european = [str(p) for p in (CORPUS / "excel_european").glob("*.csv")]
    result = run("import", *european, bad, "--errors-to", str(failed), "--database-url", db_url)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 11 and all(line.startswith(bad + ":") for line in lines[:10])
    assert lines[-1].startswith("error: 10 problem(s) found; nothing was imported")
    assert str(failed) in lines[-1] and failed.exists()
    assert "Traceback" not in result.output
    assert stored(db_url, Project) == [] and stored(db_url, Cost) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "is empty"),
        ("binary.csv", "is a binary file"),
        ("header_only.csv", "the file has a header but no rows"),
        ("too_many_fields.csv", "has 4 fields but the header names 3 columns"),
        ("not_a_table.csv", "does not name the columns of any entity"),
    ],
)
def test_bad_files_get_one_line_and_exit_1(db_url, name, reason):
    result = run("import", str(CORPUS / "errors" / name), "--database-url", db_url)
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and reason in line
    assert stored(db_url, Project) == []


def test_missing_file_and_unknown_encoding(db_url, tmp_path):
    missing = run("import", str(tmp_path / "nope.csv"), "--database-url", db_url)
    assert missing.exit_code == 1 and "cannot be read" in missing.stderr
    latin = str(CORPUS / "latin1" / "projects.csv")
    wrong = run("import", latin, "--encoding", "klingon", "--database-url", db_url)
    assert wrong.exit_code == 1 and "unknown encoding 'klingon'" in wrong.stderr
    right = run("import", latin, "--encoding", "cp1252", "--database-url", db_url)
    assert right.exit_code == 0, right.output
    assert stored(db_url, Project)[0].name == "Café scoring"


def test_export_import_export_gives_the_same_bytes(db_url, tmp_path):
    assert (
        run(
            "import", *VALID, str(CORPUS / "multiline" / "projects.csv"), "--database-url", db_url
        ).exit_code
        == 0
    )
    first = tmp_path / "first"
    first.mkdir()
    for entity in LOAD_ORDER:
        result = run("export", entity, "-o", str(first / f"{entity}.csv"), "--database-url", db_url)
        assert result.exit_code == 0, result.output
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert run("init", "--database-url", empty).exit_code == 0
    files = [str(first / f"{entity}.csv") for entity in LOAD_ORDER]
    assert run("import", *reversed(files), "--database-url", empty).exit_code == 0
    for entity in LOAD_ORDER:
        again = run("export", entity, "--database-url", empty)
        assert again.stdout_bytes == (first / f"{entity}.csv").read_bytes()
    costs = (first / "costs.csv").read_text(encoding="utf-8").splitlines()
    expected = '"INV","ENTW",2025-02-15,development,35000.00,one_time,,actual,,,"Einführung"'
    assert costs[1] == expected


def test_export_neutralises_formula_cells(db_url, tmp_path):
    source = tmp_path / "projects.csv"
    source.write_text(
        'key,name,start_date,description\nF1,"=HYPERLINK(""x"")",2025-01-01,@SUM(A1)\n'
        "F2,-12.5,2025-01-01,+cmd\n",
        encoding="utf-8",
    )
    assert run("import", str(source), "--database-url", db_url).exit_code == 0
    exported = run("export", "projects", "--database-url", db_url).stdout.splitlines()
    assert exported[1].startswith('"F1","\'=HYPERLINK(""x"")",')
    assert exported[1].endswith(',"\'@SUM(A1)"')
    assert exported[2].startswith('"F2","-12.5",') and exported[2].endswith(',"\'+cmd"')
    assert [p.name for p in stored(db_url, Project)] == ['=HYPERLINK("x")', "-12.5"]


def test_exported_text_cells_are_quoted_so_a_separator_inside_cannot_split_them(db_url, tmp_path):
    source = tmp_path / "projects.csv"
    source.write_text(
        'key,name,start_date,description\nS1,"semi;colon",2025-01-01,"tab\there, comma"\n',
        encoding="utf-8",
    )
    assert run("import", str(source), "--database-url", db_url).exit_code == 0
    exported = run("export", "projects", "--database-url", db_url).stdout
    header, row = csv.reader(io.StringIO(exported))
    assert row[header.index("name")] == "semi;colon"
    assert row[header.index("description")] == "tab\there, comma"
    # every text cell, the key included, is quoted; numbers, dates and choices are not
    line = exported.splitlines()[1]
    assert line.startswith('"S1","semi;colon",,,,idea,2025-01-01,')
    assert line.endswith(',"tab\there, comma"')


def test_templates_are_valid_and_import_in_any_order(db_url, tmp_path):
    paths = []
    for entity in LOAD_ORDER:
        path = tmp_path / f"{entity}-template.csv"
        result = run("export", entity, "--template", "-o", str(path))
        assert result.exit_code == 0, result.output
        assert len(path.read_text(encoding="utf-8").splitlines()) == 2
        paths.append(str(path))
    result = run("import", *reversed(paths), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert result.output.count(": 1 created") == len(LOAD_ORDER)


def test_export_of_unknown_entity_is_a_user_error(db_url):
    result = run("export", "invoices", "--database-url", db_url)
    assert result.exit_code == 1 and "unknown entity 'invoices'" in result.stderr
