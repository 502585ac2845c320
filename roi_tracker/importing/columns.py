"""The CSV column framework: kinds of columns, parsing a column of cells, checking rows.

A :class:`Column` turns a whole column of text cells into typed values at once (an import of
a million rows must not pay a Python function call per cell); a :class:`CsvFormat` does so
for every column of a batch of rows and adds its cross-column rules. One row (a form's
values, a row of the demo) goes through the same code with :meth:`CsvFormat.check_row`.
What each entity's columns are is declared in ``roi_tracker.entities``.
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

from roi_tracker.domain.vocabulary import EARLIEST_DATE, LATEST_DATE, Range

Problem = tuple[str, str]  # (column, message)
RowProblems = dict[int, list[Problem]]  # row index in the batch -> its problems
Rules = Callable[[Mapping[str, list]], RowProblems]  # cross-column rules over typed columns

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
    # quotes, then a formula: only the text after all the leading quotes can be one (no
    # recursion per quote, so a cell of a million quotes is no problem)
    rest = text.lstrip("'")
    return len(rest) < len(text) and _formula_like(rest)


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
    """One CSV column: its kind, whether it is required, its default and its limits.

    ``example`` is the cell of the column in an export template and a form's placeholder.
    """

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    limits: Range | None = None
    description: str = ""
    example: str = ""
    #: (column, {its value: this column's default}): an empty cell takes the default that
    #: another column's value gives (a benefit's cash class from its category)
    default_by: tuple[str, tuple[tuple[str, str], ...]] | None = None
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


NUL_PROBLEM = "contains a NUL character (\\x00), which no text may hold"


def _parse_text(column: Column, cells: list[str], problems: dict[int, str]) -> list:
    values: list = cells
    if any(c.startswith("'") for c in cells):
        values = [unguard_cell(c) for c in cells]
    if column.max_length is not None and max(map(len, values)) > column.max_length:
        for i, value in enumerate(values):
            if len(value) > column.max_length:
                problems[i] = f"is longer than {column.max_length} characters"
    # PostgreSQL refuses NUL in text; one search over the column, cell by cell only if found
    if "\x00" in "".join(values):
        problems.update((i, NUL_PROBLEM) for i, value in enumerate(values) if "\x00" in value)
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
            continue
        if not EARLIEST_DATE <= parsed[cell] <= LATEST_DATE:  # type: ignore[operator]
            bad[cell] = f"{cell} is outside the dates accepted, {EARLIEST_DATE} to {LATEST_DATE}"
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
    if column.limits is not None and value not in column.limits:
        return f"{cell} is out of range: must be {column.limits.text()}"
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
        limits = column.limits
        if not numbers or not (
            limits is not None
            and (
                (limits.low is not None and min(numbers) not in limits)
                or (limits.high is not None and max(numbers) not in limits)
            )
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

#: the Python type of each kind's values, for the row models
PYTHON_TYPES: dict[Kind, type] = {
    Kind.TEXT: str,
    Kind.CHOICE: str,
    Kind.DATE: date,
    Kind.MONEY: Decimal,
    Kind.NUMBER: float,
    Kind.INTEGER: int,
}


# ---- rows: every column of a batch, and the rules across columns ---------------------------


def merge_problems(*parts: RowProblems) -> RowProblems:
    merged: RowProblems = {}
    for part in parts:
        for index, problems in part.items():
            merged.setdefault(index, []).extend(problems)
    return merged


def no_rules(columns: Mapping[str, list]) -> RowProblems:
    return {}


class RowModel(BaseModel):
    """One valid row of a CSV format; built only through the format's column rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    csv_format: ClassVar[CsvFormat]

    @model_validator(mode="before")
    @classmethod
    def _apply_rules(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("a row is a mapping of column names to values")
        values, problems = cls.csv_format.check_row(data)
        if problems:
            raise ValueError("; ".join(f"{column}: {message}" for column, message in problems))
        return values


@dataclass(frozen=True)
class CsvFormat:
    """The columns of one CSV format, its natural key and its cross-column rules."""

    name: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    rules: Rules = no_rules
    model: type[RowModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields: dict[str, Any] = {}
        for column in self.columns:
            python_type = PYTHON_TYPES[column.kind]
            if column.required:
                fields[column.name] = (python_type, ...)
            else:
                fields[column.name] = (python_type | None, column.default)
        model_name = self.name.title().removesuffix("s") + "Row"
        model = create_model(model_name, __base__=RowModel, **fields)
        model.csv_format = self
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
        for column in self.columns:
            if column.default_by is not None:
                source, pairs = column.default_by
                defaults = dict(pairs)
                columns[column.name] = [
                    defaults.get(by) if value is None else value
                    for value, by in zip(columns[column.name], columns[source], strict=True)
                ]
        return columns, merge_problems(problems, self.rules(columns))

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


__all__ = [
    "MAX_AMOUNT",
    "PYTHON_TYPES",
    "Column",
    "CsvFormat",
    "Kind",
    "Problem",
    "RowModel",
    "RowProblems",
    "Rules",
    "canonical_text",
    "guard_cell",
    "is_number",
    "merge_problems",
    "no_rules",
    "unguard_cell",
]
