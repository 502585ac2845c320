"""`roi-tracker boardpack` on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.store import make_engine, session_scope
from tests.finance_portfolio import AS_OF, add_portfolio

runner = CliRunner()


@pytest.fixture
def filled_url(db_url: str) -> str:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_portfolio(session)
    engine.dispose()
    return db_url


def test_writes_the_workbook_of_the_chosen_projects(filled_url: str, tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(
        app,
        ["boardpack", "--database-url", filled_url, "--as-of", AS_OF.isoformat(),
         "--project", "b", "--project", "a", "-o", str(out)],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert (
        result.output.strip() == f"wrote {out}: 2 projects, as of 2025-02-20 (archived as pack 1)"
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "a", "b", "KPIs"]
    sheet = book["b"]
    assert sheet["A1"].value == "Beta"
    assert sheet.freeze_panes is not None
    # the metrics are formulas, the flows numbers
    assert str(sheet["E7"].value).startswith("=") and "NPV(" in sheet["E7"].value


def test_every_project_by_default(filled_url: str, tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    result = runner.invoke(
        app, ["boardpack", "--database-url", filled_url, "--as-of", "2025-02-20", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["Summary", "a", "b", "KPIs"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "zz"], "no project with key 'zz'"),
        (["--as-of", "tomorrow"], "is not a date"),
    ],
)
def test_user_errors_are_one_line(filled_url: str, tmp_path: Path, args, message) -> None:
    out = tmp_path / "x.xlsx"
    result = runner.invoke(app, ["boardpack", "--database-url", filled_url, "-o", str(out), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_output_must_be_an_xlsx_file(filled_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["boardpack", "--database-url", filled_url, "-o", str(tmp_path / "pack.csv")]
    )
    assert result.exit_code == 1 and ".xlsx" in result.output


def test_an_archived_pack_is_written_again_as_it_was(filled_url: str, tmp_path: Path) -> None:
    from decimal import Decimal

    from sqlalchemy import select

    from roi_tracker.store.tables import AuditEntry, Cost

    first, again, later = (tmp_path / f"{n}.xlsx" for n in ("first", "again", "later"))
    common = ["boardpack", "--database-url", filled_url, "--as-of", "2025-02-20"]
    assert runner.invoke(app, [*common, "-o", str(first)]).exit_code == 0
    engine = make_engine(filled_url)
    with session_scope(engine) as session:
        session.execute(select(Cost).where(Cost.key == "b1")).scalar_one().amount = Decimal("1")
    assert runner.invoke(app, [*common, "-o", str(later)]).exit_code == 0

    result = runner.invoke(
        app,
        ["boardpack", "--database-url", filled_url, "--from-archive", "1", "-o", str(again)],
    )
    assert result.exit_code == 0, result.output
    assert "archived pack 1 of " in result.output and "the same file" in result.output
    assert again.read_bytes() == first.read_bytes()
    assert later.read_bytes() != first.read_bytes()  # the data did change
    with session_scope(engine) as session:
        trail = session.execute(
            select(AuditEntry.record_key).where(AuditEntry.entity == "board_packs")
        ).scalars()
        assert list(trail) == ["1", "2"]  # writing an archived pack again archives nothing
    engine.dispose()

    for args, message in (
        (["--from-archive", "9"], "no archived board pack with id 9"),
        (["--from-archive", "1", "--project", "a"], "no --as-of or --project"),
    ):
        done = runner.invoke(
            app, ["boardpack", "--database-url", filled_url, "-o", str(again), *args]
        )
        assert done.exit_code == 1 and message in done.output
