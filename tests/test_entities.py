"""The registry of entities agrees with the store, the migrations, the settings and the pages."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from pydantic import ValidationError
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from roi_tracker.config import Settings
from roi_tracker.entities import ENTITIES, LOAD_ORDER, PROJECTS, schema_for, validate_row
from roi_tracker.importing.columns import Kind
from roi_tracker.store import make_engine, migrate, session_scope
from tests.pages.conftest import load_portfolio, open_app

#: the store checks only the lower end of these; the CSV rules hold the upper end too
LOWER_END_ONLY_IN_STORE = {("benefits", "ramp_months")}


def example_row(entity: str) -> dict[str, object]:
    """The typed values of the entity's template row."""
    row = validate_row(entity, {c.name: c.example for c in schema_for(entity).columns})
    assert not isinstance(row, list), row
    return row.model_dump()


def test_entities_come_after_those_they_belong_to():
    for position, entity in enumerate(ENTITIES.values()):
        assert all(LOAD_ORDER.index(owner.name) < position for owner in entity.owners)
    assert tuple(ENTITIES) == LOAD_ORDER


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_every_stored_column_is_a_csv_column(entity):
    schema = ENTITIES[entity]
    bookkeeping = {"id", "version", "created_at", "updated_at"}
    stored = {c.name for c in schema.table.__table__.columns} - bookkeeping
    assert set(schema.stored_columns) == stored
    assert len(schema.stored_columns) == len(stored)
    assert set(schema.stored_key) <= stored


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_the_natural_key_is_the_tables_unique_constraint(db_url, entity):
    schema = ENTITIES[entity]
    engine = make_engine(db_url)
    try:
        unique = inspect(engine).get_unique_constraints(schema.table.__tablename__)
    finally:
        engine.dispose()
    assert [tuple(u["column_names"]) for u in unique] == [schema.stored_key]


def test_choices_are_the_values_the_migrated_tables_accept(db_url):
    engine = make_engine(db_url)
    try:
        checks = {
            entity.name: [c["sqltext"] for c in inspect(engine).get_check_constraints(entity.name)]
            for entity in ENTITIES.values()
        }
    finally:
        engine.dispose()
    for entity in ENTITIES.values():
        for column in (c for c in entity.columns if c.kind is Kind.CHOICE):
            # a keyword column (measurements' "group") is quoted in the check's text
            pattern = rf'"?{column.name}"? IN \((.*)\)'
            (values,) = [m[1] for text in checks[entity.name] if (m := re.fullmatch(pattern, text))]
            assert tuple(re.findall(r"'(\w+)'", values)) == column.choices, column.name


def test_the_tables_check_what_the_migrations_created(tmp_path):
    """Limits defined once: the tables' check constraints are still those of the migrations."""
    migrated_url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(migrated_url)
    created = create_engine(f"sqlite:///{tmp_path / 'created.db'}")
    SQLModel.metadata.create_all(created)
    migrated = create_engine(migrated_url)
    try:
        for table in SQLModel.metadata.sorted_tables:
            ours = inspect(created).get_check_constraints(table.name)
            theirs = inspect(migrated).get_check_constraints(table.name)
            assert sorted(ours, key=str) == sorted(theirs, key=str), table.name
    finally:
        created.dispose()
        migrated.dispose()


def _edges(column) -> list[float]:
    limits = column.limits
    values = []
    if limits.low is not None:
        values += [limits.low - 1, limits.low]
    if limits.high is not None:
        values += [limits.high, limits.high + 1]
    return values


@pytest.mark.parametrize(
    ("entity", "name"),
    [(e.name, c.name) for e in ENTITIES.values() for c in e.columns if c.limits is not None],
)
def test_the_store_refuses_what_the_csv_rules_refuse(db_url, entity, name):
    schema = ENTITIES[entity]
    column = next(c for c in schema.columns if c.name == name)
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            project = PROJECTS.table(**example_row("projects"))
            session.add(project)
            session.flush()
            for value in _edges(column):
                cell = str(value) if column.kind is Kind.NUMBER else str(int(value))
                csv_accepts = not isinstance(validate_row(entity, {**example_row(entity),
                                                                  name: cell}), list)  # fmt: skip
                assert csv_accepts == (value in column.limits)
                values = {k: v for k, v in example_row(entity).items() if k != "project_key"}
                if schema is not PROJECTS:
                    values["project_id"] = project.id
                # a fresh natural key for each edge
                values |= {key: f"edge{value}" for key in ("key", "benefit_key") if key in values}
                values |= {name: value}
                savepoint = session.begin_nested()
                session.add(schema.table(**values))
                try:
                    session.flush()
                    savepoint.commit()
                    stored = True
                except IntegrityError:
                    savepoint.rollback()
                    stored = False
                above = column.limits.high is not None and value > column.limits.high
                if (entity, name) in LOWER_END_ONLY_IN_STORE and above:
                    assert stored
                else:
                    assert stored == csv_accepts, (value, csv_accepts)
    finally:
        engine.dispose()


@pytest.mark.parametrize(("setting", "column"), [("horizon_months", "horizon_months")])
def test_the_settings_accept_the_horizons_a_project_may_have(setting, column):
    limits = next(c for c in PROJECTS.columns if c.name == column).limits
    for value in (limits.low - 1, limits.low, limits.high, limits.high + 1):
        try:
            Settings(**{setting: value}, _env_file=None)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == (value in limits)


def test_the_data_page_offers_every_entity_by_its_label(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    migrate.upgrade(url)
    load_portfolio(url)
    monkeypatch.setenv("ROI_TRACKER_DATABASE_URL", url)
    st.cache_data.clear()
    at = open_app("app_pages/data_entry.py")
    labels = at.segmented_control(key="entity").options
    assert labels == [entity.label for entity in ENTITIES.values()]
    for entity in ENTITIES.values():
        at.segmented_control(key="entity").set_value(entity.name).run()
        assert not at.exception
        prefix = f"{entity.name}_new_"
        widgets = [*at.text_input, *at.text_area, *at.selectbox, *at.date_input]
        fields = {
            w.key.removeprefix(prefix): w.label
            for w in widgets
            if w.key and w.key.startswith(prefix)
        }
        assert {c.name for c in entity.own_columns} == set(fields)
        required = {name for name, label in fields.items() if label.endswith(" *")}
        assert required == {c.name for c in entity.own_columns if c.required}
    st.cache_data.clear()
