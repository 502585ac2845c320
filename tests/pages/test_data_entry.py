"""The Data page: forms validate like an import, bad input writes nothing, deletes confirm."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Cost, Decision, Project
from tests.pages.conftest import open_app

PAGE = "pages/data_entry.py"


def count_rows(url: str, model) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        engine.dispose()


def test_a_decision_is_saved_and_shown_in_the_log(small_db):
    at = open_app(PAGE)
    at.date_input(key="decision_form_date").set_value(date(2025, 9, 15))
    at.selectbox(key="decision_form_kind").select("scale")
    at.text_area(key="decision_form_rationale").input("Cycle time halved in the pilot.")
    at.text_input(key="decision_form_author").input("Ana")
    at.button[0].click().run()

    assert not at.exception
    assert "Decision `scale` saved" in at.success[0].value
    engine = make_engine(small_db)
    with session_scope(engine) as session:
        saved = session.execute(select(Decision)).scalar_one()
        assert (saved.date, saved.decision, saved.author) == (date(2025, 9, 15), "scale", "Ana")
    engine.dispose()
    assert at.selectbox(key="delete_decisions").options == ["2025-09-15 scale"]


def test_a_decision_without_rationale_shows_the_error_and_writes_nothing(small_db):
    at = open_app(PAGE)
    at.text_area(key="decision_form_rationale").input("   ")
    at.button[0].click().run()

    assert not at.exception
    assert "Nothing was saved" in at.error[0].value
    assert "rationale" in at.error[0].value
    assert count_rows(small_db, Decision) == 0


def test_deleting_asks_for_confirmation_and_cancel_keeps_the_record(small_db):
    at = open_app(PAGE)
    at.text_area(key="decision_form_rationale").input("Stop: no adoption.")
    at.selectbox(key="decision_form_kind").select("stop")
    at.button[0].click().run()
    assert count_rows(small_db, Decision) == 1

    at.button(key="delete_decisions_ask").click().run()
    assert "cannot be undone" in at.warning[0].value
    assert count_rows(small_db, Decision) == 1
    at.button(key="delete_decisions_cancel").click().run()
    assert not at.warning
    assert count_rows(small_db, Decision) == 1

    at.button(key="delete_decisions_ask").click().run()
    at.button(key="delete_decisions_confirm").click().run()
    assert not at.exception
    assert count_rows(small_db, Decision) == 0
    assert count_rows(small_db, Project) == 2
    assert count_rows(small_db, Cost) == 3
