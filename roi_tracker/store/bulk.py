"""Bulk inserts whose values are converted a column at a time, not a row at a time.

An executemany through SQLAlchemy runs every column's bind processor on every row (money to
cents, dates to text on SQLite...) and looks up every row's parameters against the typed
statement: for a million rows, a third of an import. Here each column is converted once,
by the very processor its type would run, and the INSERT names the table with untyped
(``AsStored``) columns, so SQLAlchemy hands the values to the driver as they are. What is
written is what the ORM would write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat

from sqlalchemy import Column, Date, Table, column, insert
from sqlalchemy import table as table_clause
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType, TypeDecorator


class AsStored(TypeDecorator):
    """A value already in the form its column's type gives the driver: no processing, no cast."""

    impl = NullType
    cache_ok = True


def insert_columns(
    session: Session,
    table: Table,
    columns: Mapping[str, Sequence],
    same: Mapping[str, object],
) -> None:
    """Insert rows given a column at a time: ``columns`` holds the values of each column,
    row by row; ``same`` the columns whose value is that of every row (converted once)."""
    dialect = session.get_bind().dialect
    count = len(next(iter(columns.values())))
    stored = [_stored(table.c[name], values, dialect) for name, values in columns.items()]
    stored += [_stored(table.c[name], [value], dialect) * count for name, value in same.items()]
    names = [*columns, *same]
    untyped = table_clause(table.name, *(column(n, AsStored()) for n in names), schema=table.schema)
    # one dict a row, built without a Python loop
    rows = list(map(dict, map(zip, repeat(names), zip(*stored, strict=True))))
    session.execute(insert(untyped), rows)


def _stored(table_column: Column, values: Sequence, dialect: Dialect) -> Sequence:
    type_ = table_column.type
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return values
    if isinstance(type_, Date):  # dates repeat: each distinct one is converted once
        converted = {value: process(value) for value in set(values)}
        return list(map(converted.__getitem__, values))
    return list(map(process, values))


__all__ = ["AsStored", "insert_columns"]
