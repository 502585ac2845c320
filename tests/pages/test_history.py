"""The trail on the pages: a conflicting save on the Data page, a record's history, History."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.services import records
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import AuditEntry, Cost
from tests.pages.conftest import open_app

OTHER = Actor.user("other@example.com", "editor")


def _session(url: str):
    return session_scope(make_engine(url))


def _run_cost(url: str) -> dict:
    with _session(url) as session:
        costs = records.entity_records(session, "costs", project_key="alpha")
    return next(r for r in costs if r["key"] == "run")


def _save_as_other(url: str, **changes: str) -> None:
    with _session(url) as session:
        records.save_record(session, "costs", {**_run_cost(url), **changes}, actor=OTHER)


def _stored_run(url: str) -> Cost:
    with _session(url) as session:
        return session.execute(select(Cost).where(Cost.key == "run")).scalar_one()


def _lines(url: str) -> int:
    with _session(url) as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def _open_run_cost(url: str):
    at = open_app("app_pages/data_entry.py")
    at.segmented_control(key="entity").set_value("costs").run()
    run = _run_cost(url)
    at.selectbox(key="edit_costs").set_value(run["id"]).run()
    return at, run["id"]


def test_a_save_over_someone_elses_change_shows_the_conflict_and_writes_nothing(small_db):
    at, run_id = _open_run_cost(small_db)
    _save_as_other(small_db, amount="2100", description="renegotiated")
    lines = _lines(small_db)

    at.text_input(key=f"costs_{run_id}_amount").input("2500.50")
    at.button(key=f"FormSubmitter:costs_{run_id}-Save changes").click().run()

    assert not at.exception
    assert "changed since you opened it" in at.error[0].value
    (message,) = at.text
    assert message.value.startswith("changed by other@example.com at ")
    assert message.value.endswith(" UTC since you opened it")
    (table,) = [d.value for d in at.dataframe if "your value" in d.value.columns]
    assert table.to_dict("records") == [
        {"field": "amount", "your value": "2500.50", "stored value": "2100.00"},
        {"field": "description", "your value": "(empty)", "stored value": "renegotiated"},
    ]
    # the user's input is kept, the stored record untouched, no audit line written
    assert at.text_input(key=f"costs_{run_id}_amount").value == "2500.50"
    stored = _stored_run(small_db)
    assert (stored.amount, stored.description, stored.version) == (
        Decimal("2100.00"),
        "renegotiated",
        2,
    )
    assert _lines(small_db) == lines

    # reloading the stored record shows its values; a save from there goes through
    at.button(key=f"costs_{run_id}_reload").click().run()
    assert at.text_input(key=f"costs_{run_id}_amount").value == "2100.00"
    at.text_input(key=f"costs_{run_id}_amount").input("2500.50")
    at.button(key=f"FormSubmitter:costs_{run_id}-Save changes").click().run()
    assert not at.exception and not at.error
    assert _stored_run(small_db).amount == Decimal("2500.50")


def test_saving_twice_in_a_row_is_no_conflict_with_oneself(small_db):
    at, run_id = _open_run_cost(small_db)
    for amount in ("2100.00", "2200.00"):
        at.text_input(key=f"costs_{run_id}_amount").input(amount)
        at.button(key=f"FormSubmitter:costs_{run_id}-Save changes").click().run()
        assert not at.exception and not at.error
        assert _stored_run(small_db).amount == Decimal(amount)


def test_the_history_of_the_chosen_record(small_db):
    _save_as_other(small_db, amount="2100")
    at, _ = _open_run_cost(small_db)
    (history,) = [e for e in at.expander if e.label == "History of this record"]
    assert not history.children  # read only once opened
    at.session_state["history_costs"] = True
    at.run()
    (history,) = [e for e in at.expander if e.label == "History of this record"]
    (table,) = history.dataframe
    lines = table.value
    assert lines[["actor", "action", "field", "old", "new"]].values.tolist() == [
        ["other@example.com", "update", "amount", "2000.00", "2100.00"]
    ]


def test_the_history_page_filters_by_project_user_and_date(small_db):
    _save_as_other(small_db, amount="2100")
    with _session(small_db) as session:
        records.save_record(
            session, "costs",
            {"project_key": "beta", "key": "gpu", "date": "2026-02-01", "category": "data",
             "amount": "10"},
            actor=Actor.user("ed@example.com", "editor"),
        )  # fmt: skip
    at = open_app("app_pages/history.py")
    assert not at.exception
    everything = at.dataframe[0].value
    assert set(everything["actor"]) == {"other@example.com", "ed@example.com"}
    assert everything["at"].is_monotonic_decreasing

    at.selectbox(key="history_project").select("alpha").run()
    assert set(at.dataframe[0].value["record_key"]) == {"alpha/run"}
    at.selectbox(key="history_project").select(None).run()
    at.selectbox(key="history_user").select("ed@example.com").run()
    assert set(at.dataframe[0].value["project_key"]) == {"beta"}

    tomorrow = clock.now().date() + timedelta(days=1)
    at.date_input(key="history_since").set_value(tomorrow).run()
    assert not at.dataframe
    assert "No recorded changes" in at.caption[-1].value
