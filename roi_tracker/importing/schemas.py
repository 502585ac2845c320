"""The rules of every CSV entity (docs/csv-formats.md), applied a column at a time.

One set of rules serves two callers: the importer checks whole batches of rows column by
column (a million rows must not pay a Python function call per cell), and the dashboard's
forms validate one row with :func:`validate_row`, which returns a pydantic row model or the
list of ``(column, message)`` problems. Both go through :func:`check_columns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, create_model, model_validator

from roi_tracker.domain.vocabulary import (
    BenefitCategory,
    BenefitStatus,
    BenefitType,
    CostCategory,
    CostStatus,
    DecisionKind,
    Recurrence,
    Stage,
)

Problem = tuple[str, str]  # (column, message)
RowProblems = dict[int, list[Problem]]  # row index in the batch -> its problems

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_AMOUNT = Decimal("9999999999999.99")
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_PLAIN_NUMBER = re.compile(_NUMBER)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    MONEY = "money"
    NUMBER = "number"
    INTEGER = "integer"


# A whole column of well-formed cells matches one of these in a single regex call; only a
# column that fails is looked at cell by cell to name the bad ones.
_COLUMN_PATTERNS = {
    Kind.DATE: r"\d{4}-\d{2}-\d{2}",
    Kind.MONEY: r"(?:\d{1,13}(?:\.\d{0,2})?|\.\d{1,2})",
    Kind.NUMBER: _NUMBER,
    Kind.INTEGER: r"\d{1,9}",
}


def _column_regex(cell: str, required: bool) -> re.Pattern[str]:
    if not required:
        cell = f"(?:{cell})?"
    return re.compile(f"(?:{cell}\n)*{cell}")


def is_number(text: str) -> bool:
    return _PLAIN_NUMBER.fullmatch(text) is not None


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS) and not is_number(text)


def _is_guarded(text: str) -> bool:
    rest = text[1:]
    return text.startswith("'") and (_formula_like(rest) or _is_guarded(rest))


def guard_cell(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (reversed by the import)."""
    return "'" + text if _formula_like(text) or _is_guarded(text) else text


def unguard_cell(text: str) -> str:
    """Undo :func:`guard_cell`: text, export, import gives the same text back."""
    return text[1:] if _is_guarded(text) else text


def canonical_text(value: object) -> str:
    """A form value (date, Decimal, float, enum...) as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        raise ValueError("is not a number")
    return format(value, "f") if isinstance(value, Decimal) else repr(value)


@dataclass(frozen=True)
class Column:
    """One CSV column: its kind, whether it is required, its default and its limits."""

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    description: str = ""
    example: str = ""
    _regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        pattern = _COLUMN_PATTERNS.get(self.kind)
        if pattern is not None:
            object.__setattr__(self, "_regex", _column_regex(pattern, self.required))

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.MONEY, Kind.NUMBER, Kind.INTEGER)

    def parse(self, cells: Sequence[str], decimal_comma: bool = False) -> tuple[list, dict]:
        """Typed values of a column of cells, and ``{index: message}`` for the bad cells."""
        cells = list(map(str.strip, cells))
        if decimal_comma and self.numeric and "," in "".join(cells):
            cells = [_from_decimal_comma(c) for c in cells]
        problems: dict[int, str] = {}
        if self.required and "" in cells:
            problems = {i: "is required" for i, c in enumerate(cells) if not c}
        values = _PARSERS[self.kind](self, cells, problems)
        return values, problems

    def parse_one(self, cell: str) -> Any:
        """One typed value; ValueError with the message otherwise."""
        values, problems = self.parse([cell])
        if problems:
            raise ValueError(problems[0])
        return values[0]

    def range_text(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum:g}"
        high = "" if self.maximum is None else f"{self.maximum:g}"
        if low and high:
            return f"between {low} and {high}" + (" (exclusive below)" * self.minimum_exclusive)
        if low:
            return f"{'above' if self.minimum_exclusive else 'at least'} {low}"
        return f"at most {high}"

    def out_of_range(self, value: float | Decimal) -> bool:
        if self.minimum is not None and (
            value < self.minimum or (self.minimum_exclusive and value == self.minimum)
        ):
            return True
        return self.maximum is not None and value > self.maximum


def _from_decimal_comma(cell: str) -> str:
    if "," not in cell:
        return cell
    # "1.234,50" and "1 234,50": the dot and spaces group thousands
    for separator in (".", " ", "\u00a0", "\u202f"):
        cell = cell.replace(separator, "")
    return cell.replace(",", ".")


def _fill_empty(column: Column, cells: list[str], values: list) -> list:
    if "" not in cells:
        return values
    return [column.default if c == "" else v for c, v in zip(cells, values, strict=True)]


def _parse_text(column: Column, cells: list[str], problems: dict[int, str]) -> list:
    values: list = cells
    if any(c.startswith("'") for c in cells):
        values = [unguard_cell(c) for c in cells]
    if column.max_length is not None and max(map(len, values)) > column.max_length:
        for i, value in enumerate(values):
            if len(value) > column.max_length:
                problems[i] = f"is longer than {column.max_length} characters"
    return _fill_empty(column, cells, values)


def _parse_choice(column: Column, cells: list[str], problems: dict[int, str]) -> list:
    allowed = set(column.choices)
    unexpected = set(cells) - allowed - {""}
    fixed = {c: c.lower() for c in unexpected if c.lower() in allowed}
    if unexpected - fixed.keys():
        choices = ", ".join(column.choices)
        for i, cell in enumerate(cells):
            if cell in unexpected and cell not in fixed:
                problems[i] = f"{cell!r} is not one of: {choices}"
    values = [fixed.get(c, c) for c in cells] if fixed else cells
    return _fill_empty(column, cells, values)


def _parse_date(column: Column, cells: list[str], problems: dict[int, str]) -> list:
    parsed: dict[str, date | None] = {"": column.default}
    bad: dict[str, str] = {}
    for cell in set(cells) - {""}:  # dates repeat: each distinct one is parsed once
        try:
            if not _ISO_DATE.fullmatch(cell):
                raise ValueError
            parsed[cell] = date.fromisoformat(cell)
        except ValueError:
            bad[cell] = f"{cell!r} is not a date (expected YYYY-MM-DD)"
            parsed[cell] = None
    if bad:
        problems.update((i, bad[c]) for i, c in enumerate(cells) if c in bad)
    return list(map(parsed.__getitem__, cells))


def _number_problem(column: Column, cell: str, convert: Callable[[str], Any]) -> str | None:
    try:
        value = convert(cell)
    except (ValueError, ArithmeticError):
        kind = "a whole number" if column.kind is Kind.INTEGER else "a number"
        return f"{cell!r} is not {kind}"
    if value != value or value in (float("inf"), float("-inf")):
        return f"{cell!r} is not a number"
    if column.kind is Kind.MONEY:
        if value < 0:
            return f"{cell} is negative: amounts are at least 0"
        if value * 100 != int(value * 100):
            return f"{cell} has more than two decimal places (amounts are in cents)"
        if value > MAX_AMOUNT:
            return f"{cell} is too large"
    if column.out_of_range(value):
        return f"{cell} is out of range: must be {column.range_text()}"
    return None


def _to_decimal(cell: str) -> Decimal:
    value = Decimal(cell)
    if not value.is_finite():
        raise ValueError(cell)
    return value


_CONVERTERS: dict[Kind, Callable[[str], Any]] = {
    Kind.MONEY: _to_decimal,
    Kind.NUMBER: float,
    Kind.INTEGER: int,
}


def _parse_number(column: Column, cells: list[str], problems: dict[int, str]) -> list:
    convert = _CONVERTERS[column.kind]
    well_formed = column._regex is not None and column._regex.fullmatch("\n".join(cells))
    if well_formed:
        present = [c for c in cells if c] if "" in cells else cells
        numbers = list(map(convert, present))
        if not numbers or not (
            (column.minimum is not None and column.out_of_range(min(numbers)))
            or (column.maximum is not None and column.out_of_range(max(numbers)))
        ):
            if present is cells:
                return numbers
            found = iter(numbers)
            return [next(found) if c else column.default for c in cells]
    values: list = []
    for i, cell in enumerate(cells):
        if not cell:
            values.append(column.default)
            continue
        message = _number_problem(column, cell, convert)
        if message is None:
            values.append(convert(cell))
        else:
            problems[i] = message
            values.append(None)
    return values


_PARSERS = {
    Kind.TEXT: _parse_text,
    Kind.CHOICE: _parse_choice,
    Kind.DATE: _parse_date,
    Kind.MONEY: _parse_number,
    Kind.NUMBER: _parse_number,
    Kind.INTEGER: _parse_number,
}


# ---- the columns of each entity -------------------------------------------------------------


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def text(name: str, max_length: int | None = None, **kw: Any) -> Column:
    return Column(name, Kind.TEXT, max_length=max_length, **kw)


def key(name: str, description: str, example: str) -> Column:
    return Column(
        name, Kind.TEXT, required=True, max_length=64, description=description, example=example
    )


def choice(name: str, enum: type[StrEnum], **kw: Any) -> Column:
    return Column(name, Kind.CHOICE, choices=_values(enum), **kw)


def money(name: str, **kw: Any) -> Column:
    return Column(name, Kind.MONEY, minimum=0, **kw)


def fraction(name: str, **kw: Any) -> Column:
    return Column(name, Kind.NUMBER, minimum=0, maximum=1, **kw)


PROJECT_KEY = key("project_key", "key of the project (projects.csv or already stored)", "CHAT")
KPI_KEY = key("kpi_key", "key of the KPI within its project", "HANDLE_TIME")
AMOUNT = money("amount", required=True, description="amount (≥ 0, at most 2 decimals)")
RECURRENCE = choice(
    "recurrence",
    Recurrence,
    default=Recurrence.ONE_TIME.value,
    description="how often the amount recurs from `date`",
    example="monthly",
)
END_DATE = Column(
    "end_date", Kind.DATE, description="last month a recurring item occurs (not before `date`)"
)
LOW = money("low", description="pessimistic amount (≤ amount), for Monte Carlo")
HIGH = money("high", description="optimistic amount (≥ amount), for Monte Carlo")
DESCRIPTION = text("description", description="free text")

PROJECT_COLUMNS = (
    key("key", "unique key of the project", "CHAT"),
    text("name", 200, required=True, description="name of the project", example="Support bot"),
    text("business_unit", 100, description="business unit that owns it", example="Support"),
    text("owner", 100, description="person accountable", example="A. Lovelace"),
    text("use_case", 100, description="kind of AI use case", example="customer service"),
    choice("stage", Stage, default=Stage.IDEA.value, description="stage", example="pilot"),
    Column("start_date", Kind.DATE, required=True, description="month 0", example="2025-01-01"),
    Column(
        "horizon_months",
        Kind.INTEGER,
        minimum=1,
        maximum=600,
        description="analysis horizon in months (default: ROI_TRACKER_HORIZON_MONTHS)",
        example="36",
    ),
    Column(
        "discount_rate",
        Kind.NUMBER,
        minimum=-1,
        maximum=1,
        minimum_exclusive=True,
        description="annual discount rate, 0.12 = 12 % (default: ROI_TRACKER_DISCOUNT_RATE)",
        example="0.1",
    ),
    fraction(
        "probability_of_success",
        default=1.0,
        description="chance the project succeeds, 0 to 1",
        example="0.8",
    ),
    Column(
        "cost_contingency",
        Kind.NUMBER,
        default=0.0,
        minimum=0,
        description="extra share added to planned costs, 0.1 = 10 %",
        example="0.1",
    ),
    Column(
        "risk_premium",
        Kind.NUMBER,
        default=0.0,
        minimum=0,
        description="added to the discount rate for risk-adjusted figures, annual fraction",
        example="0.02",
    ),
    Column("currency", Kind.TEXT, max_length=3, description="currency code", example="USD"),
    text("description", description="free text", example="Answers tier-1 tickets"),
)

KPI_COLUMNS = (
    PROJECT_KEY,
    key("key", "key of the KPI, unique within its project", "HANDLE_TIME"),
    text("name", 200, required=True, description="name of the KPI", example="Handle time"),
    text("unit", 40, required=True, description="unit of the values", example="minutes"),
    Column("baseline", Kind.NUMBER, required=True, description="value at the baseline date"),
    Column("target", Kind.NUMBER, required=True, description="value to reach (≠ baseline)"),
    Column(
        "baseline_date",
        Kind.DATE,
        description="date of the baseline (default: the project's start_date)",
    ),
    Column(
        "target_date",
        Kind.DATE,
        required=True,
        description="date by which the target is due (after baseline_date)",
    ),
    text("specific", description="what exactly is measured (SMART: specific)"),
    text("relevant_objective", description="business objective it serves (SMART: relevant)"),
    text("owner", 100, description="person accountable"),
    text("category", 100, description="free grouping, e.g. efficiency"),
)

MEASUREMENT_COLUMNS = (
    PROJECT_KEY,
    KPI_KEY,
    Column("date", Kind.DATE, required=True, description="date of the measurement"),
    Column("value", Kind.NUMBER, required=True, description="measured value"),
    text("note", description="free text"),
)

BENCHMARK_COLUMNS = (
    PROJECT_KEY,
    KPI_KEY,
    text("name", 200, required=True, description="what is compared, e.g. industry median"),
    Column("value", Kind.NUMBER, required=True, description="the benchmark's value"),
    text("source", description="where the figure comes from"),
)

COST_COLUMNS = (
    PROJECT_KEY,
    key("key", "key of the cost, unique within its project", "LICENSES"),
    Column("date", Kind.DATE, required=True, description="date of the (first) occurrence"),
    choice("category", CostCategory, required=True, description="cost category"),
    AMOUNT,
    RECURRENCE,
    END_DATE,
    choice(
        "status",
        CostStatus,
        default=CostStatus.PLANNED.value,
        description="planned or actual (already spent)",
    ),
    LOW,
    HIGH,
    DESCRIPTION,
)

BENEFIT_COLUMNS = (
    PROJECT_KEY,
    key("key", "key of the benefit, unique within its project", "TIME_SAVED"),
    Column("date", Kind.DATE, required=True, description="date of the (first) occurrence"),
    choice("type", BenefitType, required=True, description="hard (cash) or soft benefit"),
    choice("category", BenefitCategory, required=True, description="benefit category"),
    AMOUNT,
    RECURRENCE,
    END_DATE,
    choice(
        "status",
        BenefitStatus,
        default=BenefitStatus.EXPECTED.value,
        description="expected or realized (already received)",
    ),
    fraction("confidence", default=1.0, description="chance the benefit arrives, 0 to 1"),
    Column(
        "ramp_months",
        Kind.INTEGER,
        default=0,
        minimum=0,
        maximum=600,
        description="months to reach the full amount (0: at once)",
    ),
    LOW,
    HIGH,
    DESCRIPTION,
)

DECISION_COLUMNS = (
    PROJECT_KEY,
    Column("date", Kind.DATE, required=True, description="date of the decision"),
    choice("decision", DecisionKind, required=True, description="what was decided"),
    text("rationale", required=True, description="why"),
    text("author", 100, description="who decided"),
)


# ---- rules across the columns of a row ------------------------------------------------------


def _money_range_problems(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    amounts = columns["amount"]
    for name, wrong in (("low", Decimal.__gt__), ("high", Decimal.__lt__)):
        bound = columns[name]
        if all(limit is None for limit in bound):
            continue
        relation = "above" if name == "low" else "below"
        for i, (limit, amount) in enumerate(zip(bound, amounts, strict=True)):
            if limit is not None and amount is not None and wrong(limit, amount):
                message = f"{limit} is {relation} amount {amount}"
                problems.setdefault(i, []).append((name, message))
    return problems


def _ordered_dates(
    columns: Mapping[str, list], first: str, later: str, strictly: bool
) -> RowProblems:
    problems: RowProblems = {}
    ends = columns[later]
    if ends.count(None) == len(ends):
        return problems
    for i, (start, end) in enumerate(zip(columns[first], ends, strict=True)):
        if start is not None and end is not None and (end <= start if strictly else end < start):
            word = "on or before" if strictly else "before"
            problems.setdefault(i, []).append((later, f"{end} is {word} {first} {start}"))
    return problems


def _merge(*parts: RowProblems) -> RowProblems:
    merged: RowProblems = {}
    for part in parts:
        for index, problems in part.items():
            merged.setdefault(index, []).extend(problems)
    return merged


def _item_rules(columns: Mapping[str, list]) -> RowProblems:
    return _merge(
        _money_range_problems(columns), _ordered_dates(columns, "date", "end_date", False)
    )


def _kpi_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    for i, (baseline, target) in enumerate(
        zip(columns["baseline"], columns["target"], strict=True)
    ):
        if baseline is not None and baseline == target:
            problems[i] = [("target", f"{target:g} equals the baseline: a KPI must change")]
    return _merge(problems, _ordered_dates(columns, "baseline_date", "target_date", True))


def _no_rules(columns: Mapping[str, list]) -> RowProblems:
    return {}


# ---- entities -------------------------------------------------------------------------------


class RowModel(BaseModel):
    """One valid row of an entity; built only through the entity's column rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    entity: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _apply_rules(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("a row is a mapping of column names to values")
        values, problems = ENTITIES[cls.entity].check_row(data)
        if problems:
            raise ValueError("; ".join(f"{column}: {message}" for column, message in problems))
        return values


_PYTHON_TYPES = {
    Kind.TEXT: str,
    Kind.CHOICE: str,
    Kind.DATE: date,
    Kind.MONEY: Decimal,
    Kind.NUMBER: float,
    Kind.INTEGER: int,
}


@dataclass(frozen=True)
class EntitySchema:
    """The columns of one CSV entity, its natural key and its cross-column rules."""

    name: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    rules: Callable[[Mapping[str, list]], RowProblems] = _no_rules
    model: type[RowModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields: dict[str, Any] = {}
        for column in self.columns:
            python_type = _PYTHON_TYPES[column.kind]
            if column.required:
                fields[column.name] = (python_type, ...)
            else:
                fields[column.name] = (python_type | None, column.default)
        model_name = self.name.title().removesuffix("s") + "Row"
        model = create_model(model_name, __base__=RowModel, **fields)
        model.entity = self.name
        object.__setattr__(self, "model", model)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def check_columns(
        self, cells: Mapping[str, Sequence[str]], count: int, decimal_comma: bool = False
    ) -> tuple[dict[str, list], RowProblems]:
        """Typed columns for ``count`` rows of text cells (absent columns take the default)."""
        columns: dict[str, list] = {}
        problems: RowProblems = {}
        for column in self.columns:
            given = cells.get(column.name)
            if given is None:
                given = [""] * count
            values, bad = column.parse(given, decimal_comma)
            columns[column.name] = values
            for index, message in bad.items():
                problems.setdefault(index, []).append((column.name, message))
        return columns, _merge(problems, self.rules(columns))

    def check_row(self, values: Mapping[str, object]) -> tuple[dict[str, Any], list[Problem]]:
        """Typed values of one row, or its problems; unknown columns are problems too."""
        unknown = [name for name in values if name not in self.column_names]
        try:
            cells = {name: [canonical_text(v)] for name, v in values.items() if name not in unknown}
        except ValueError as exc:
            return {}, [("row", str(exc))]
        columns, problems = self.check_columns(cells, 1)
        found = [(name, f"unknown column for {self.name}") for name in unknown]
        found += problems.get(0, [])
        return {name: column[0] for name, column in columns.items()}, found


ENTITIES: dict[str, EntitySchema] = {
    schema.name: schema
    for schema in (
        EntitySchema("projects", PROJECT_COLUMNS, ("key",)),
        EntitySchema("kpis", KPI_COLUMNS, ("project_key", "key"), _kpi_rules),
        EntitySchema("measurements", MEASUREMENT_COLUMNS, ("project_key", "kpi_key", "date")),
        EntitySchema("benchmarks", BENCHMARK_COLUMNS, ("project_key", "kpi_key", "name")),
        EntitySchema("costs", COST_COLUMNS, ("project_key", "key"), _item_rules),
        EntitySchema("benefits", BENEFIT_COLUMNS, ("project_key", "key"), _item_rules),
        EntitySchema("decisions", DECISION_COLUMNS, ("project_key", "date", "decision")),
    )
}

#: the order in which entities are loaded: each refers only to those before it
LOAD_ORDER = ("projects", "kpis", "measurements", "benchmarks", "costs", "benefits", "decisions")


def schema_for(entity: str) -> EntitySchema:
    """The schema of ``entity``; ValueError lists the entities otherwise."""
    try:
        return ENTITIES[entity.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown entity {entity!r}: one of {', '.join(ENTITIES)}") from None


def validate_row(entity: str, values: Mapping[str, object]) -> RowModel | list[Problem]:
    """Check one row (e.g. a form's values): the typed row model, or its ``(column, message)``s.

    Values may be CSV text or already typed (``date``, ``Decimal``, ``float``...); empty
    optional values take their default.
    """
    schema = schema_for(entity)
    typed, problems = schema.check_row(values)
    if problems:
        return problems
    return schema.model.model_construct(**typed)


__all__ = [
    "ENTITIES",
    "LOAD_ORDER",
    "Column",
    "EntitySchema",
    "Kind",
    "Problem",
    "RowModel",
    "guard_cell",
    "is_number",
    "schema_for",
    "unguard_cell",
    "validate_row",
]
