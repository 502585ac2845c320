"""The row rules shared by the importer and the data-entry forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from roi_tracker.entities import ENTITIES, schema_for, validate_row
from roi_tracker.importing.columns import guard_cell, unguard_cell

COST = {
    "project_key": "CHAT",
    "key": "LIC",
    "date": "2025-01-15",
    "category": "licensing",
    "amount": "1200.50",
}


def test_valid_row_gives_typed_model_with_defaults():
    row = validate_row("costs", COST)
    assert row.amount == Decimal("1200.50")
    assert row.date == date(2025, 1, 15)
    assert (row.recurrence, row.status, row.low, row.description) == (
        "one_time",
        "planned",
        None,
        None,
    )


def test_typed_form_values_are_accepted():
    row = validate_row("costs", {**COST, "date": date(2025, 2, 1), "amount": 99.5})
    assert row.date == date(2025, 2, 1)
    assert row.amount == Decimal("99.5")


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"amount": "12.345"}, "amount", "more than two decimal places"),
        ({"amount": "-1"}, "amount", "negative"),
        ({"amount": "abc"}, "amount", "is not a number"),
        ({"amount": ""}, "amount", "is required"),
        ({"date": "2025-02-30"}, "date", "is not a date"),
        ({"date": "15/01/2025"}, "date", "is not a date"),
        ({"category": "snacks"}, "category", "is not one of: development"),
        ({"status": "spent"}, "status", "'spent' is not one of: planned, actual"),
        ({"low": "2000"}, "low", "above amount"),
        ({"high": "10"}, "high", "below amount"),
        ({"end_date": "2024-12-31"}, "end_date", "before date"),
        ({"key": "K" * 65}, "key", "longer than 64"),
        ({"colour": "red"}, "colour", "unknown column"),
    ],
)
def test_each_rule_names_column_and_reason(change, column, fragment):
    problems = validate_row("costs", {**COST, **change})
    assert isinstance(problems, list)
    assert [c for c, _ in problems] == [column]
    assert fragment in problems[0][1]


def test_every_problem_of_a_row_is_reported():
    problems = validate_row("costs", {**COST, "date": "x", "category": "y", "amount": "z"})
    assert [c for c, _ in problems] == ["date", "category", "amount"]


def test_choices_are_case_insensitive():
    assert (
        validate_row("costs", {**COST, "category": "Data", "status": "ACTUAL"}).status == "actual"
    )


def test_kpi_rules():
    kpi = {"project_key": "P", "key": "K", "name": "n", "unit": "u", "baseline": "5",
           "target": "5", "target_date": "2025-01-01", "baseline_date": "2025-06-01"}  # fmt: skip
    problems = dict(validate_row("kpis", kpi))
    assert "equals the baseline" in problems["target"]
    assert "before baseline_date" in problems["target_date"]


@pytest.mark.parametrize(
    ("column", "value"),
    [("probability_of_success", "1.2"), ("horizon_months", "0"), ("discount_rate", "-1"),
     ("cost_contingency", "-0.1"), ("horizon_months", "3.5"), ("discount_rate", "nan")],
)  # fmt: skip
def test_project_ranges(column, value):
    problems = validate_row("projects", {"key": "P", "name": "n", "start_date": "2025-01-01",
                                         column: value})  # fmt: skip
    assert [c for c, _ in problems] == [column]


def test_benefit_confidence_and_decision_kind():
    benefit = {**COST, "type": "hard", "category": "revenue", "confidence": "2"}
    assert [c for c, _ in validate_row("benefits", benefit)] == ["confidence"]
    decision = {"project_key": "P", "date": "2025-01-01", "decision": "maybe", "rationale": "r"}
    assert [c for c, _ in validate_row("decisions", decision)] == ["decision"]


def test_model_validate_applies_the_same_rules():
    model = ENTITIES["costs"].model
    with pytest.raises(ValueError, match="low: 2000 is above amount"):
        model.model_validate({**COST, "low": "2000"})
    assert model.model_validate(COST).amount == Decimal("1200.50")


def test_column_batch_names_rows():
    schema = schema_for("costs")
    cells = {name: [COST[name]] * 3 for name in COST}
    cells["amount"] = ["1", "1,5", "2.25"]
    columns, problems = schema.check_columns(cells, 3)
    assert list(problems) == [1]
    columns, problems = schema.check_columns(cells, 3, decimal_comma=True)
    assert problems == {}
    assert columns["amount"] == [Decimal("1"), Decimal("1.5"), Decimal("2.25")]


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-cmd", "@SUM(1)", "\tx", "\rx", "'=x", "''=x"])
def test_formula_cells_are_guarded_and_restored(text):
    guarded = guard_cell(text)
    assert guarded.startswith("'")
    assert unguard_cell(guarded) == text


@pytest.mark.parametrize("text", ["-12.5", "+3", "plain", "'quoted", ""])
def test_numbers_and_plain_text_are_left_alone(text):
    assert guard_cell(text) == text
    assert unguard_cell(text) == text


def test_unknown_entity():
    with pytest.raises(ValueError, match="one of projects, kpis"):
        schema_for("invoices")
