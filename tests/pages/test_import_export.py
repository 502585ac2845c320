"""The Import / export page: every error before anything is written, then one import."""

from __future__ import annotations

from sqlalchemy import select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Cost, Project
from tests.pages.conftest import open_app, shown

PAGE = "app_pages/import_export.py"
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

    assert not at.exception
    assert "Imported." in shown(at.success[0].value)
    assert keys(app_db, Project) == ["bot", "ocr"]
    assert keys(app_db, Cost) == ["build"]
    assert not at.file_uploader[0].value  # the uploads were cleared


def test_exports_and_templates_can_be_downloaded(small_db):
    at = open_app(PAGE)

    assert not at.exception
    at.selectbox(key="export_entity").select("costs").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download costs.csv (every stored row)", "Download a costs template"]
