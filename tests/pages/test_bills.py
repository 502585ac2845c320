"""The Bills page: upload bill files, reconcile them, list the unallocated, edit rules."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import BillFile
from tests.pages.conftest import open_app

PAGE = "pages/bills.py"
DATA = Path(__file__).parents[1] / "data" / "bills"


def files_stored(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.execute(select(func.count()).select_from(BillFile)).scalar_one()
    finally:
        engine.dispose()


def upload(at, *names: str):
    files = [(name, (DATA / name).read_bytes(), "application/octet-stream") for name in names]
    at.file_uploader[0].set_value(files)
    return at.run()


def test_uploaded_bills_are_imported_and_reconciled(small_db):
    app_db = small_db
    at = upload(open_app(PAGE), "focus-1.3.csv", "openai-costs.json")
    assert not at.exception
    at.button(key="import").click().run()

    assert not at.exception
    assert "Imported 2 bill file(s)." in at.success[0].value
    assert files_stored(app_db) == 2
    reconciliation = at.dataframe[0].value
    assert list(reconciliation["file"]) == ["focus-1.3.csv", "openai-costs.json"]
    assert list(reconciliation["unallocated"]) == ["100", "1.394567890123"]
    unallocated = at.dataframe[1].value
    assert unallocated["service"].iloc[0] == "Claude on Vertex AI"


def test_an_unreadable_bill_is_named_and_nothing_is_imported(small_db):
    app_db = small_db
    at = upload(open_app(PAGE), "focus-1.3.csv", "focus-broken.csv")
    at.button(key="import").click().run()

    assert not at.exception
    assert "focus-broken.csv:2: EffectiveCost: 'abc' is not a number" in at.error[0].value
    assert files_stored(app_db) == 0
