"""The Bills page: upload bill files, reconcile them, list the unallocated, edit rules."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import BillFile
from tests.pages.conftest import open_app, shown

PAGE = "app_pages/bills.py"
DATA = Path(__file__).parents[1] / "data" / "bills"


def _save(session, entity: str, values: dict) -> str:
    from roi_tracker.access import Actor
    from roi_tracker.services import records

    return records.save_record(session, entity, values, actor=Actor.command_line())


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
    assert "Imported 2 bill file(s)." in shown(at.success[0].value)
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
    assert "focus-broken.csv:2: EffectiveCost: 'abc' is not a number" in shown(at.error[0].value)
    assert files_stored(app_db) == 0


def test_the_project_page_shows_cost_per_outcome(small_db):
    from roi_tracker.access import Actor
    from roi_tracker.services import bills

    engine = make_engine(small_db)
    try:
        with session_scope(engine) as session:
            _save(session, "kpis", {
                "project_key": "alpha", "key": "CALLS", "name": "Calls", "unit": "calls",
                "baseline": 0, "target": 10, "target_date": "2030-12-31", "outcome_volume": "yes",
            })  # fmt: skip
            _save(session, "measurements", {
                "project_key": "alpha", "kpi_key": "CALLS", "date": "2025-11-20", "value": 40,
            })  # fmt: skip
            _save(session, "allocation_rules", {
                "project_key": "alpha", "priority": 1, "match": "tag:team", "pattern": "support",
            })  # fmt: skip
            bills.import_bills(session, [("focus.csv", DATA / "focus-1.3.csv")],
                               actor=Actor.command_line(), reporting_currency="USD")  # fmt: skip
    finally:
        engine.dispose()
    at = open_app("app_pages/project.py")
    at.selectbox(key="project").set_value("alpha").run()

    assert not at.exception
    assert "Cost per outcome" in [header.value for header in at.subheader]
    (outcomes,) = [f.value for f in at.dataframe if "cost_per_outcome" in f.value.columns]
    assert list(outcomes["cost_per_outcome"]) == ["2"]  # 80 USD / 40 calls
    (costs,) = [f.value for f in at.dataframe if "source" in f.value.columns]
    assert costs[["month", "category", "amount", "source"]].values.tolist() == [
        ["2025-11", "infrastructure", "80.00", "bills: focus"]
    ]
    budget = open_app("app_pages/budget.py")
    assert not budget.exception
    assert "Costs from bills" in [header.value for header in budget.subheader]
