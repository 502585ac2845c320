"""Writing the CSV formats: export → import into an empty database → export gives the same bytes.

Rows are written in natural-key order; cells a spreadsheet would run as a formula are
prefixed with ``'`` (the import removes it again), and every free-text cell is quoted, so
that a ``;`` or tab in it cannot split it in a spreadsheet that uses ``;`` as the separator
(Excel in many European locales).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlmodel import Session

from roi_tracker.entities import Entity, schema_for
from roi_tracker.importing.columns import Column, Kind, guard_cell

EXPORT_BATCH = 5_000


def _statement(entity: Entity) -> Select:
    """Every column of ``entity`` labelled with its CSV name, in natural-key order.

    Each reference column (``project_key``, ``kpi_key``) is the key of an owner's row,
    joined up the chain of owners.
    """
    keys = {
        column.name: owner.table.key
        for owner, column in zip(entity.owners, entity.references, strict=True)
    }
    statement = select(*(key.label(name) for name, key in keys.items()), entity.table)
    child = entity
    for owner in reversed(entity.owners):
        statement = statement.join(
            owner.table, owner.table.id == getattr(child.table, child.parent_id)
        )
        child = owner
    order = [keys[n] if n in keys else getattr(entity.table, n) for n in entity.natural_key]
    return statement.order_by(*order)


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float (``5.0`` -> ``"5"``)."""
    text = repr(float(value))
    return text.removesuffix(".0")


class _Bare(str):
    """A cell of fixed vocabulary (number, date, choice, header) that the writer leaves bare.

    The writer quotes every cell but a number (QUOTE_NONNUMERIC); ``__float__`` makes it
    take this one for a number and write its text as it is.
    """

    def __float__(self) -> float:
        return float(str(self))


def _formatter(column: Column) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        return guard_cell(str(value))

    formatters: dict[Kind, Callable[[Any], str]] = {
        Kind.TEXT: text,
        Kind.CHOICE: lambda value: _Bare(value),
        Kind.DATE: lambda value: _Bare(date.isoformat(value)),
        Kind.MONEY: lambda value: _Bare(format(Decimal(value), "f")),
        Kind.NUMBER: lambda value: _Bare(format_number(value)),
        Kind.INTEGER: lambda value: _Bare(value),
    }
    plain = formatters[column.kind]
    return lambda value: _Bare() if value is None else plain(value)


def _writer(out: TextIO) -> Any:
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)


def export_entity(session: Session, entity: str, out: TextIO) -> int:
    """Write every stored row of ``entity`` to ``out`` as CSV; returns the number of rows."""
    schema = schema_for(entity)
    writer = _writer(out)
    writer.writerow([_Bare(name) for name in schema.column_names])
    formatters = [_formatter(column) for column in schema.columns]
    names = schema.column_names
    referenced = {column.name for column in schema.references}
    count = 0
    result = session.execute(_statement(schema).execution_options(yield_per=EXPORT_BATCH))
    for row in result:
        values = _row_values(row, names, referenced)
        writer.writerow([fmt(v) for fmt, v in zip(formatters, values, strict=True)])
        count += 1
    return count


def _row_values(row: Any, names: tuple[str, ...], referenced: set[str]) -> list[Any]:
    record = row[-1]
    labelled = row._mapping
    return [labelled[n] if n in referenced else getattr(record, n) for n in names]


def stored_rows(
    session: Session, entity: str, *, project_key: str | None = None
) -> list[dict[str, Any]]:
    """Every stored row of ``entity`` (those of ``project_key`` if given): ``id``, ``version``
    and its columns."""
    schema = schema_for(entity)
    statement = _statement(schema)
    if project_key is not None and schema.owners:
        statement = statement.where(schema.owners[0].table.key == project_key)
    names = schema.column_names
    referenced = {column.name for column in schema.references}
    return [
        {
            "id": row[-1].id,
            "version": row[-1].version,
            **dict(zip(names, _row_values(row, names, referenced), strict=True)),
        }
        for row in session.execute(statement)
    ]


def write_template(entity: str, out: TextIO) -> None:
    """The header of ``entity`` and one example row, ready to be filled in."""
    schema = schema_for(entity)
    writer = _writer(out)
    writer.writerow([_Bare(name) for name in schema.column_names])
    writer.writerow([_Bare(column.example) for column in schema.columns])


__all__ = ["export_entity", "format_number", "stored_rows", "write_template"]
