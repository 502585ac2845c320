"""Reading a tabular bill (CSV, CSV.gz, Parquet) with pyarrow: every cell as text, NULL as null.

The column-at-once checks and the grouping run in Arrow; only the grouped rows (a few per
day and key) and the bad cells of a refused file are looked at in Python.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from roi_tracker.bills.lines import BillProblem

Source = Path | bytes
NULLS = ["", "NULL", "null", "Null", "NaN", "nan", "None"]
# exact amounts: 38 digits, 20 of them decimals (FOCUS amounts carry 10 and more)
AMOUNT = pa.decimal128(38, 20)
MAX_PROBLEMS = 100
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"


def name_of(source: Source, name: str | None) -> str:
    return name or (str(source) if isinstance(source, Path) else "upload")


def _is_gzip(source: Source) -> bool:
    if isinstance(source, bytes):
        return source[:2] == GZIP_MAGIC
    with source.open("rb") as raw:
        return raw.read(2) == GZIP_MAGIC


def head(source: Source, size: int = 65536) -> bytes:
    """The first bytes of the file, decompressed if it is gzip."""
    raw = source.open("rb") if isinstance(source, Path) else io.BytesIO(source)
    with raw:
        start = raw.read(2)
        raw.seek(0)
        if start == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                return unzipped.read(size)
        return raw.read(size)


def csv_header(first: bytes) -> list[str]:
    text = first.decode("utf-8", errors="replace").removeprefix("\ufeff")
    line = text.splitlines()[0] if text else ""
    return next(csv.reader([line]), [])


def _stream(source: Source) -> Any:
    compression = "gzip" if _is_gzip(source) else None
    if isinstance(source, Path):
        return pa.input_stream(str(source), compression=compression)
    return pa.input_stream(pa.BufferReader(source), compression=compression)


def read_text_table(source: Source, columns: Sequence[str], parquet: bool) -> pa.Table:
    """The given columns of the file, every value as text (or null)."""
    if parquet:
        import pyarrow.parquet as pq

        table = pq.read_table(
            str(source) if isinstance(source, Path) else pa.BufferReader(source),
            columns=list(columns),
        )
        return pa.table({name: _as_text(table.column(name)) for name in columns})
    from pyarrow import csv as pacsv

    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(columns, pa.string()),
        include_columns=list(columns),
        null_values=NULLS,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    read = pacsv.ReadOptions(block_size=16 << 20)
    return pacsv.read_csv(_stream(source), read_options=read, convert_options=convert)


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column.cast(pa.string())
    elif pa.types.is_map(kind) or pa.types.is_struct(kind) or pa.types.is_list(kind):
        import json

        text = pa.chunked_array(
            [pa.array([None if v is None else json.dumps(_plain(v)) for v in column.to_pylist()])],
            pa.string(),
        )
    else:
        text = column.cast(pa.string())
    return pc.if_else(pc.is_in(text, pa.array(NULLS)), pa.scalar(None, pa.string()), text)


def _plain(value: Any) -> Any:
    # a Parquet map arrives as a list of (key, value) pairs
    if isinstance(value, list) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return {k: v for k, v in value}
    return value


class Checker:
    """Collects ``file:line: column: message`` problems; line = row index + ``first_line``."""

    def __init__(self, name: str, first_line: int):
        self.name = name
        self.first_line = first_line
        self.problems: list[tuple[int, str]] = []

    def add(self, row: int | None, column: str, message: str) -> None:
        line = 1 if row is None else row + self.first_line
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, f"{self.name}:{line}: {column}: {message}"))

    def missing(self, header: Sequence[str], required: Sequence[str]) -> None:
        for column in required:
            if column not in header:
                self.add(None, column, "is missing: the file has no such column")

    def raise_any(self) -> None:
        if self.problems:
            raise BillProblem([text for _, text in sorted(self.problems, key=lambda p: p[0])])

    def required(self, table: pa.Table, column: str) -> None:
        values = table.column(column)
        if values.null_count:
            for row in _rows_where(pc.is_null(values)):
                self.add(row, column, "is empty")

    def amounts(self, table: pa.Table, column: str, required: bool = True) -> pa.ChunkedArray:
        """The column as exact decimals; bad cells reported (an empty cell is 0 if optional)."""
        values = table.column(column)
        if required:
            self.required(table, column)
        try:
            amounts = pc.cast(pc.utf8_trim_whitespace(values), AMOUNT)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            for row, cell in enumerate(values.to_pylist()):
                if cell is not None and (problem := _amount_problem(cell)) is not None:
                    self.add(row, column, problem)
            return pa.chunked_array([pa.nulls(len(values), AMOUNT)])
        return amounts.fill_null(pa.scalar(Decimal(0), AMOUNT))

    def days(self, table: pa.Table, column: str) -> pa.ChunkedArray:
        """The date of each datetime cell (its first 10 characters, ``YYYY-MM-DD``)."""
        self.required(table, column)
        days = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(table.column(column)), 0, 10)
        for text in pc.unique(days).to_pylist():
            if text is None:
                continue
            if _DAY.fullmatch(text) is None or _date(text) is None:
                row = pc.index(days, text).as_py()
                self.add(row, column, f"{text!r} is not a date or date-time")
        return days

    def choice(
        self, table: pa.Table, column: str, allowed: Sequence[str]
    ) -> dict[str | None, str | None]:
        """Each distinct cell's canonical value (matched without regard to case)."""
        canonical = {value.lower(): value for value in allowed}
        mapping: dict[str | None, str | None] = {None: None}
        values = table.column(column)
        for cell in pc.unique(values).to_pylist():
            if cell is None:
                continue
            found = canonical.get(cell.strip().lower())
            if found is None:
                row = pc.index(values, cell).as_py()
                self.add(row, column, f"{cell!r} is not one of: {', '.join(allowed)}")
            mapping[cell] = found
        return mapping

    def first_row(self, table: pa.Table, column: str, value: str) -> int:
        return int(pc.index(table.column(column), value).as_py())


def _rows_where(mask: pa.ChunkedArray) -> list[int]:
    rows: list[int] = pc.indices_nonzero(mask.fill_null(False)).to_pylist()
    return rows[:MAX_PROBLEMS]


def _amount_problem(cell: str) -> str | None:
    from decimal import InvalidOperation

    try:
        value = Decimal(cell.strip())
    except InvalidOperation:
        return f"{cell!r} is not a number"
    if not value.is_finite():
        return f"{cell!r} is not a number"
    if value.as_tuple().exponent < -20:  # type: ignore[operator]
        return f"{cell} has more than 20 decimal places"
    if abs(value) >= Decimal(10) ** 18:
        return f"{cell} is too large"
    return None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_of(text: str) -> date:
    return date.fromisoformat(text)


def grouped(
    columns: dict[str, pa.ChunkedArray | pa.Array], keys: Sequence[str], sums: Sequence[str]
) -> list[dict[str, Any]]:
    """The rows grouped by ``keys`` with ``sums`` summed (exact decimals), as Python rows."""
    table = pa.table(columns)
    result = table.group_by(list(keys), use_threads=True).aggregate([(s, "sum") for s in sums])
    renamed = result.rename_columns(
        [name.removesuffix("_sum") if name[:-4] in sums else name for name in result.column_names]
    )
    rows: list[dict[str, Any]] = renamed.to_pylist()
    return rows


Normaliser = Callable[[str], Any]

__all__ = [
    "AMOUNT",
    "NULLS",
    "Checker",
    "Source",
    "csv_header",
    "day_of",
    "grouped",
    "head",
    "name_of",
    "read_text_table",
]
