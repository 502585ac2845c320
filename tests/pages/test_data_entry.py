"""The Data page: forms validate like an import, bad input writes nothing, deletes confirm."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Cost, Decision, Measurement, Project
from tests.dates import month
from tests.pages.conftest import ALPHA_START, open_app, shown

PAGE = "app_pages/data_entry.py"


def stored(url: str, model, *filters) -> list:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return list(session.execute(select(model).where(*filters)).scalars())
    finally:
        engine.dispose()


def count_rows(url: str, model) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        engine.dispose()


def open_entity(entity: str):
    at = open_app(PAGE)
    at.segmented_control(key="entity").set_value(entity).run()
    return at


def test_the_first_project_can_be_added_on_an_empty_database(app_db):
    at = open_entity("projects")
    at.text_input(key="projects_new_key").input("ocr")
    at.text_input(key="projects_new_name").input("Invoice OCR")
    at.selectbox(key="projects_new_stage").select("pilot")
    at.date_input(key="projects_new_start_date").set_value(date(2025, 2, 1))
    at.text_input(key="projects_new_probability_of_success").input("0.7")
    at.button(key="FormSubmitter:projects_new-Add project").click().run()

    assert not at.exception
    assert "Saved the project record" in shown(at.success[0].value)
    (project,) = stored(app_db, Project)
    assert (project.key, project.stage, project.probability_of_success) == ("ocr", "pilot", 0.7)
    assert project.start_date == date(2025, 2, 1)


def test_a_cost_with_bad_values_lists_every_problem_and_writes_nothing(small_db):
    before = count_rows(small_db, Cost)
    at = open_entity("costs")
    at.text_input(key="costs_new_key").input("gpu")
    at.selectbox(key="costs_new_category").select("infrastructure")
    at.text_input(key="costs_new_amount").input("12.345")
    at.text_input(key="costs_new_high").input("abc")
    at.button(key="FormSubmitter:costs_new-Add cost").click().run()

    assert not at.exception
    message = shown(at.error[0].value)
    assert "Nothing was saved" in message
    assert "amount: 12.345 has more than two decimal places" in message
    assert "high: 'abc' is not a number" in message
    assert count_rows(small_db, Cost) == before


def test_editing_a_cost_updates_it_in_place(small_db):
    at = open_entity("costs")
    (run,) = stored(small_db, Cost, Cost.key == "run")
    at.selectbox(key="edit_costs").set_value(run.id).run()
    amount = at.text_input(key=f"costs_{run.id}_amount")
    assert amount.value == "2000.00"
    assert at.text_input(key=f"costs_{run.id}_key").disabled
    amount.input("2500.50")
    at.button(key=f"FormSubmitter:costs_{run.id}-Save changes").click().run()

    assert not at.exception
    (cost,) = stored(small_db, Cost, Cost.key == "run")
    assert cost.amount == Decimal("2500.50")
    assert count_rows(small_db, Cost) == 3


def test_a_measurement_is_added_to_the_chosen_kpi(small_db):
    at = open_entity("measurements")
    assert at.selectbox(key="kpi").value == "cycle_time"
    at.date_input(key="measurements_new_date").set_value(month(ALPHA_START + 9))
    at.text_input(key="measurements_new_value").input("4.5")
    at.button(key="FormSubmitter:measurements_new-Add measurement").click().run()

    assert not at.exception
    values = sorted((m.date, m.value) for m in stored(small_db, Measurement))
    assert values[-1] == (month(ALPHA_START + 9), 4.5)  # after the stored ones


def test_a_decision_is_saved_and_can_be_deleted(small_db):
    at = open_entity("decisions")
    at.date_input(key="decisions_new_date").set_value(date(2025, 9, 15))
    at.selectbox(key="decisions_new_decision").select("scale")
    at.text_area(key="decisions_new_rationale").input("Cycle time halved in the pilot.")
    at.button(key="FormSubmitter:decisions_new-Add decision").click().run()
    assert not at.exception
    (decision,) = stored(small_db, Decision)
    assert (decision.date, decision.decision, decision.author) == (date(2025, 9, 15), "scale", None)

    assert at.selectbox(key="delete_decisions").options == ["2025-09-15 scale"]
    at.button(key="delete_decisions_ask").click().run()
    assert "cannot be undone" in shown(at.warning[0].value)
    at.button(key="delete_decisions_cancel").click().run()
    assert not at.warning
    assert count_rows(small_db, Decision) == 1

    at.button(key="delete_decisions_ask").click().run()
    at.button(key="delete_decisions_confirm").click().run()
    assert not at.exception
    assert count_rows(small_db, Decision) == 0
    assert count_rows(small_db, Project) == 2


def test_a_decision_without_rationale_shows_the_error_and_writes_nothing(small_db):
    at = open_entity("decisions")
    at.selectbox(key="decisions_new_decision").select("stop")
    at.text_area(key="decisions_new_rationale").input("   ")
    at.button(key="FormSubmitter:decisions_new-Add decision").click().run()

    assert not at.exception
    assert "rationale: is required" in shown(at.error[0].value)
    assert count_rows(small_db, Decision) == 0


def test_deleting_a_project_takes_its_records_with_it(small_db):
    at = open_entity("projects")
    (beta,) = stored(small_db, Project, Project.key == "beta")
    at.selectbox(key="delete_projects").set_value(beta.id)
    at.button(key="delete_projects_ask").click().run()
    assert "everything recorded for it" in shown(at.warning[0].value)
    at.button(key="delete_projects_confirm").click().run()

    assert not at.exception
    assert [p.key for p in stored(small_db, Project)] == ["alpha"]
    assert count_rows(small_db, Cost) == 2


def test_adding_a_cost_under_a_key_that_exists_changes_nothing(small_db):
    (existing,) = stored(small_db, Cost, Cost.key == "build")
    before = (existing.amount, existing.version)
    at = open_entity("costs")
    at.text_input(key="costs_new_key").input("build")
    at.date_input(key="costs_new_date").set_value(existing.date)
    at.selectbox(key="costs_new_category").select("development")
    at.text_input(key="costs_new_amount").input("1")
    at.button(key="FormSubmitter:costs_new-Add cost").click().run()

    assert not at.exception
    assert "already exists" in shown(at.error[0].value)
    (after,) = stored(small_db, Cost, Cost.key == "build")
    assert (after.amount, after.version) == before
