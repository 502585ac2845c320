"""docs/csv-formats.md describes every column of every entity, as the registry declares them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roi_tracker.entities import ENTITIES
from roi_tracker.importing.columns import Column, Kind

DOC = (Path(__file__).resolve().parents[2] / "docs" / "csv-formats.md").read_text(encoding="utf-8")


def section(entity: str) -> str:
    match = re.search(rf"^### {entity}\n(.*?)(?=^##)", DOC, flags=re.M | re.S)
    assert match, f"docs/csv-formats.md has no '### {entity}' section"
    return match.group(1)


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_every_column_is_described_with_its_requirement(entity):
    schema = ENTITIES[entity]
    text = section(entity)
    rows = dict(re.findall(r"^\| `(\w+)` \| (\*\*yes\*\*|no) \|", text, flags=re.M))
    assert list(rows) == list(schema.column_names)
    assert [name for name, required in rows.items() if required == "**yes**"] == list(
        schema.required
    )
    natural_key = ", ".join(f"`{name}`" for name in schema.natural_key)
    assert f"Natural key: {natural_key}." in text


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_the_summary_table_lists_the_columns_with_required_in_bold(entity):
    schema = ENTITIES[entity]
    row = re.search(rf"^\| {entity} \| (.*?) \| (.*?) \|$", DOC, flags=re.M)
    assert row, entity
    listed = [f"**{c.name}**" if c.required else c.name for c in schema.columns]
    assert row.group(1).split(", ") == listed
    assert row.group(2) == ", ".join(schema.natural_key)


def documented_type(column: Column) -> str:
    """The "type" cell of a column's row in the docs."""
    if column.kind is Kind.TEXT:
        return "text" + (f" (≤ {column.max_length} characters)" if column.max_length else "")
    if column.kind is Kind.CHOICE:
        return "one of " + ", ".join(column.choices)
    if column.kind is Kind.DATE:
        return "date YYYY-MM-DD"
    if column.kind is Kind.MONEY:
        return "amount (≥ 0, at most 2 decimals)"
    kind = "whole number" if column.kind is Kind.INTEGER else "number"
    return kind + (f", {column.limits.text()}" if column.limits else "")


def documented_default(column: Column) -> str:
    if column.default is None:
        return ""
    value = column.default if isinstance(column.default, str) else f"{column.default:g}"
    return f"`{value}`"


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_each_column_row_gives_its_type_default_and_meaning(entity):
    rows = re.findall(r"^\| `(\w+)` \| .*? \| (.*?) \| (.*?) \| (.*?) \|$", section(entity), re.M)
    expected = [
        (c.name, documented_type(c), documented_default(c), c.description)
        for c in ENTITIES[entity].columns
    ]
    assert [(name, *(cell.strip() for cell in cells)) for name, *cells in rows] == expected
