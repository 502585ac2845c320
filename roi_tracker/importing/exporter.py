"""Writing the CSV formats: export → import into an empty database → export gives the same bytes.

Rows are written in natural-key order; cells a spreadsheet would run as a formula are
prefixed with ``'`` (the import removes it again).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlmodel import Session

from roi_tracker.importing.schemas import Column, Kind, guard_cell, schema_for
from roi_tracker.store.tables import Benchmark, Benefit, Cost, Decision, Kpi, Measurement, Project

EXPORT_BATCH = 5_000

#: one example row per entity, for templates; all refer to the example project and KPI
EXAMPLES: dict[str, dict[str, str]] = {
    "projects": {
        "key": "CHAT", "name": "Support chatbot", "business_unit": "Customer service",
        "owner": "Ada Lovelace", "use_case": "customer service", "stage": "pilot",
        "start_date": "2025-01-01", "horizon_months": "36", "discount_rate": "0.1",
        "probability_of_success": "0.8", "cost_contingency": "0.1", "risk_premium": "0.02",
        "currency": "USD", "description": "Answers tier-1 tickets",
    },
    "kpis": {
        "project_key": "CHAT", "key": "HANDLE_TIME", "name": "Average handle time",
        "unit": "minutes", "baseline": "12", "target": "8", "baseline_date": "2025-01-01",
        "target_date": "2025-12-31", "specific": "Mean minutes per tier-1 ticket",
        "relevant_objective": "Lower support cost", "owner": "Ada Lovelace",
        "category": "efficiency",
    },
    "measurements": {
        "project_key": "CHAT", "kpi_key": "HANDLE_TIME", "date": "2025-03-31", "value": "10.5",
        "note": "after the first release",
    },
    "benchmarks": {
        "project_key": "CHAT", "kpi_key": "HANDLE_TIME", "name": "Industry median",
        "value": "9", "source": "Annual support survey",
    },
    "costs": {
        "project_key": "CHAT", "key": "LICENSES", "date": "2025-01-01", "category": "licensing",
        "amount": "1200.50", "recurrence": "monthly", "end_date": "2025-12-01",
        "status": "planned", "low": "1000.00", "high": "1500.00",
        "description": "Model API subscription",
    },
    "benefits": {
        "project_key": "CHAT", "key": "TIME_SAVED", "date": "2025-03-01", "type": "hard",
        "category": "time_savings", "amount": "4000.00", "recurrence": "monthly",
        "end_date": "", "status": "expected", "confidence": "0.7", "ramp_months": "3",
        "low": "2500.00", "high": "5000.00", "description": "Agent hours saved",
    },
    "decisions": {
        "project_key": "CHAT", "date": "2025-06-30", "decision": "continue",
        "rationale": "Handle time falls as planned", "author": "Steering committee",
    },
}  # fmt: skip


def _statement(entity: str) -> Select:
    """Every column of ``entity`` labelled with its CSV name, in natural-key order."""
    project_key = Project.key.label("project_key")
    statements: dict[str, tuple[Select, tuple]] = {
        "projects": (select(Project), (Project.key,)),
        "kpis": (select(project_key, Kpi), (Project.key, Kpi.key)),
        "measurements": (
            select(project_key, Kpi.key.label("kpi_key"), Measurement),
            (Project.key, Kpi.key, Measurement.date),
        ),
        "benchmarks": (
            select(project_key, Kpi.key.label("kpi_key"), Benchmark),
            (Project.key, Kpi.key, Benchmark.name),
        ),
        "costs": (select(project_key, Cost), (Project.key, Cost.key)),
        "benefits": (select(project_key, Benefit), (Project.key, Benefit.key)),
        "decisions": (
            select(project_key, Decision),
            (Project.key, Decision.date, Decision.decision),
        ),
    }
    statement, order = statements[entity]
    model = statement.column_descriptions[-1]["entity"]
    if model is Measurement or model is Benchmark:
        statement = statement.join(Kpi, Kpi.id == model.kpi_id)
        statement = statement.join(Project, Project.id == Kpi.project_id)
    elif model is not Project:
        statement = statement.join(Project, Project.id == model.project_id)
    return statement.order_by(*order)


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float (``5.0`` -> ``"5"``)."""
    text = repr(float(value))
    return text.removesuffix(".0")


def _formatter(column: Column) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        return guard_cell(str(value))

    formatters: dict[Kind, Callable[[Any], str]] = {
        Kind.TEXT: text,
        Kind.CHOICE: str,
        Kind.DATE: date.isoformat,
        Kind.MONEY: lambda value: format(Decimal(value), "f"),
        Kind.NUMBER: format_number,
        Kind.INTEGER: str,
    }
    plain = formatters[column.kind]
    return lambda value: "" if value is None else plain(value)


def _writer(out: TextIO) -> Any:
    return csv.writer(out, lineterminator="\r\n")


def export_entity(session: Session, entity: str, out: TextIO) -> int:
    """Write every stored row of ``entity`` to ``out`` as CSV; returns the number of rows."""
    schema = schema_for(entity)
    writer = _writer(out)
    writer.writerow(schema.column_names)
    formatters = [_formatter(column) for column in schema.columns]
    names = schema.column_names
    count = 0
    result = session.execute(_statement(schema.name).execution_options(yield_per=EXPORT_BATCH))
    for row in result:
        values = _row_values(row, names)
        writer.writerow([fmt(v) for fmt, v in zip(formatters, values, strict=True)])
        count += 1
    return count


def _row_values(row: Any, names: tuple[str, ...]) -> list[Any]:
    record = row[-1]
    labelled = row._mapping
    return [labelled[n] if n in ("project_key", "kpi_key") else getattr(record, n) for n in names]


def write_template(entity: str, out: TextIO) -> None:
    """The header of ``entity`` and one example row, ready to be filled in."""
    schema = schema_for(entity)
    writer = _writer(out)
    writer.writerow(schema.column_names)
    writer.writerow([EXAMPLES[schema.name].get(name, "") for name in schema.column_names])


__all__ = ["EXAMPLES", "export_entity", "format_number", "write_template"]
