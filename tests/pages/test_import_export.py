"""The Import / export page: every error before anything is written, then one import."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import streamlit.config
from sqlalchemy import select
from sqlalchemy.engine import make_url

from roi_tracker.access import Actor
from roi_tracker.cli.setup import MAX_UPLOAD_MB
from roi_tracker.services import transfer
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Cost, Project
from roi_tracker.ui import auth
from tests.pages.conftest import TIMEOUT_SECONDS, open_app, shown

PAGE = "app_pages/import_export.py"
ROOT = Path(__file__).resolve().parents[2]
PROJECTS = (
    b"key,name,stage,start_date\nocr,Invoice OCR,pilot,2025-01-01\nbot,Chat bot,idea,2025-03-01\n"
)
COSTS_WITH_ERRORS = (
    b"project_key,key,date,category,amount\n"
    b"ocr,build,2025-01-01,development,1000\n"
    b"ocr,gpu,2025-13-01,hardware,12.345\n"
)


def keys(url: str, model) -> list[str]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return sorted(session.execute(select(model.key)).scalars())
    finally:
        engine.dispose()


def upload(at, *files: tuple[str, bytes]):
    at.file_uploader[0].set_value([(name, content, "text/csv") for name, content in files])
    return at.run()


def test_every_error_is_listed_by_line_and_column_and_nothing_is_written(app_db):
    at = open_app(PAGE)
    upload(at, ("projects.csv", PROJECTS), ("my costs.csv", COSTS_WITH_ERRORS))

    assert not at.exception
    summary = at.dataframe[0].value
    assert dict(zip(summary["file"], summary["entity"], strict=True)) == {
        "projects.csv": "projects", "my costs.csv": "costs"
    }  # fmt: skip
    problems = at.code[0].value
    assert "my costs.csv:3: date:" in problems
    assert "my costs.csv:3: category:" in problems
    assert "my costs.csv:3: amount:" in problems
    assert "nothing will be imported" in shown(at.error[0].value)
    assert not [b for b in at.button if b.key == "import"]
    assert keys(app_db, Project) == []


def test_valid_files_are_previewed_then_imported_together(app_db):
    at = open_app(PAGE)
    valid_costs = b"project_key,key,date,category,amount\nocr,build,2025-01-01,development,1000\n"
    upload(at, ("costs.csv", valid_costs), ("projects.csv", PROJECTS))

    assert not at.exception
    assert "Ready to import" in shown(at.success[0].value)
    assert "projects: 2 created" in shown(at.success[0].value)
    previews = [shown(e.label) for e in at.expander]
    assert "Preview of projects.csv (projects)" in previews
    assert keys(app_db, Project) == []

    at.button(key="import").click().run()
    assert at.session_state["import_job"].wait(TIMEOUT_SECONDS)
    at.run()

    assert not at.exception
    assert "Imported." in shown(at.success[0].value)
    assert keys(app_db, Project) == ["bot", "ocr"]
    assert keys(app_db, Cost) == ["build"]
    assert not at.file_uploader[0].value  # the uploads were cleared


def test_the_check_runs_once_per_set_of_files_not_on_every_rerun(app_db, monkeypatch):
    checks = []
    real_check = transfer.check_import

    def counted(*args, **kwargs):
        checks.append(args[2])
        return real_check(*args, **kwargs)

    monkeypatch.setattr(transfer, "check_import", counted)
    at = open_app(PAGE)
    upload(at, ("projects.csv", PROJECTS))
    at.selectbox(key="export_entity").select("costs").run()  # a rerun, the same files
    at.run()

    assert not at.exception
    assert checks == [["projects.csv"]]
    assert "projects: 2 created" in shown(at.success[0].value)
    upload(at, ("projects.csv", PROJECTS.replace(b"Chat bot", b"Chat assistant")))
    assert len(checks) == 2  # other bytes, another check


def test_an_import_goes_on_while_the_user_is_on_another_page(app_db):
    at = open_app(PAGE)
    upload(at, ("projects.csv", PROJECTS))
    # another writer holds the database: the import waits for it, still running
    blocker = sqlite3.connect(make_url(app_db).database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        at.button(key="import").click().run()
        job = at.session_state["import_job"]
        assert not at.exception and at.get("progress")
        at.switch_page("app_pages/portfolio.py")
        at.run()
        assert not job.finished.is_set()
    finally:
        blocker.rollback()
        blocker.close()
    assert job.wait(TIMEOUT_SECONDS)
    at.switch_page(PAGE)
    at.run()

    assert not at.exception
    assert "Imported. projects: 2 created" in shown(at.success[0].value)
    assert keys(app_db, Project) == ["bot", "ocr"]


def test_a_database_error_reaches_the_page_as_one_line(app_db, caplog):
    migrate.upgrade(app_db)
    engine = make_engine(app_db)
    with engine.begin() as connection:  # a database that refuses the rows, naming its host
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON projects "
            "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded on db-7.internal'); END"
        )
    engine.dispose()
    at = open_app(PAGE)
    upload(at, ("projects.csv", PROJECTS))
    at.button(key="import").click().run()
    assert at.session_state["import_job"].wait(TIMEOUT_SECONDS)
    at.run()

    assert not at.exception
    assert "Nothing was imported" in shown(at.error[0].value)
    assert at.code[0].value == (
        "the database failed while importing; nothing was imported "
        "(the details are in the server log)"
    )
    assert "db-7.internal" in caplog.text and "INSERT INTO projects" in caplog.text
    assert keys(app_db, Project) == []


def test_a_viewer_may_export_but_not_import(small_db, monkeypatch):
    monkeypatch.setattr(auth, "current_actor", lambda: Actor.user("v@example.com", "viewer"))
    at = open_app(PAGE)

    assert not at.exception
    assert not at.file_uploader
    assert at.title[0].value == "Export"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download projects.csv (every stored row)" in labels


def test_exports_and_templates_can_be_downloaded(small_db):
    at = open_app(PAGE)

    assert not at.exception
    at.selectbox(key="export_entity").select("costs").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download costs.csv (every stored row)", "Download a costs template"]


def test_the_upload_size_limit_is_set_in_the_streamlit_configuration():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = config["server"]["maxUploadSize"]

    assert limit == MAX_UPLOAD_MB  # what `roi-tracker serve` passes on its command line
    assert streamlit.config.get_option("server.maxUploadSize") is not None  # a real option
    assert f"maxUploadSize = {limit}" in (ROOT / "docs" / "dashboard.md").read_text()
