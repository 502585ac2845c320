"""Reading CSV files the way spreadsheets write them: encoding, delimiter, header, rows.

Pure and streaming: a file is read a buffer at a time, never whole, so its size does not
matter. Problems that make a file unreadable raise ``InvalidInput`` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import operator
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from roi_tracker.errors import InvalidInput

DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 64 * 1024
# a cell longer than this is a broken file (an unclosed quote), not data
FIELD_SIZE_LIMIT = 1024 * 1024
DEFAULT_ENCODING = "utf-8-sig"
ROWS_PER_BATCH = 10_000  # read at a time by CsvTable.rows
FIRST_BATCH_ROWS = 64  # before the size of a row is known
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

csv.field_size_limit(FIELD_SIZE_LIMIT)


def normalise_header(name: str) -> str:
    """``" Project Key"`` -> ``"project_key"``: header names are matched case-insensitively."""
    return name.replace("\ufeff", "").strip().lower().replace(" ", "_")


@dataclass
class CsvTable:
    """An open CSV file: its header and a stream of ``(line, cells)`` rows.

    ``line`` is the row number a spreadsheet shows (the header is line 1; a quoted cell
    spanning several lines is one row). Rows whose cells are all empty are skipped.
    """

    path: Path
    header: list[str]
    delimiter: str
    encoding: str
    size: int
    _binary: BinaryIO
    _reader: Iterator[list[str]]

    @property
    def decimal_comma(self) -> bool:
        """``;``-delimited files come from locales that write ``1234,50``."""
        return self.delimiter == ";"

    def bytes_read(self) -> int:
        return self._binary.tell()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for lines, rows in self.batches(ROWS_PER_BATCH):
            yield from zip(lines, rows, strict=True)

    def batches(
        self, size: int, max_bytes: int | None = None
    ) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        """The rows ``size`` at a time, as their lines and their cells: read by the csv
        module and sliced in C, with no Python code run for each row.

        With ``max_bytes``, a batch holds about that many bytes of the file at most: the
        number of rows is set from the bytes per row of the batches read so far.
        """
        width = len(self.header)
        counted = itertools.count(2)
        # zip reads a row, then counts it: when a row cannot be read, its line is the next count
        rows = map(operator.itemgetter(0), zip(self._reader, counted, strict=False))
        first = 2
        wanted = size if max_bytes is None else min(size, FIRST_BATCH_ROWS)
        try:
            while batch := list(itertools.islice(rows, wanted)):
                if max_bytes is not None:
                    per_row = max(1, self.bytes_read() // (first - 2 + len(batch)))
                    wanted = max(1, min(size, max_bytes // per_row))
                lines: Sequence[int] = range(first, first + len(batch))
                first += len(batch)
                # only a batch with rows of another width or of empty cells is gone through
                if set(map(len, batch)) != {width} or not all(map(any, batch)):
                    lines, batch = _fit_rows(lines, batch, width)
                if batch:
                    yield lines, batch
        except UnicodeDecodeError:
            raise InvalidInput(_decoding_problem(self.path, self.encoding)) from None
        except csv.Error as exc:
            line = next(counted)
            raise InvalidInput(f"{self.path}:{line}: not readable as CSV: {exc}") from None


def _fit_rows(
    lines: Sequence[int], rows: list[list[str]], width: int
) -> tuple[list[int], list[list[str]]]:
    """Rows of ``width`` cells (see ``_fit``) with their lines, rows of empty cells left out."""
    kept = [
        (line, _fit(cells, width)) for line, cells in zip(lines, rows, strict=True) if any(cells)
    ]
    return [line for line, _ in kept], [cells for _, cells in kept]


def _fit(cells: list[str], width: int) -> list[str]:
    """Pad short rows; trailing empty cells beyond the header (Excel writes them) go."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    if not any(cells[width:]):
        return cells[:width]
    return cells


def _decoding_problem(path: Path, encoding: str) -> str:
    """Name the first byte that is not ``encoding``, with its line, and what to do."""
    name = "UTF-8" if encoding.startswith("utf-8") else encoding
    with path.open("rb") as binary:
        for number, raw in enumerate(binary, start=1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                byte = raw[exc.start]
                return (
                    f"{path}:{number}: byte 0x{byte:02x} (character {exc.start + 1} of the line) "
                    f"is not {name}; save the file as CSV UTF-8, or name its encoding, "
                    "e.g. --encoding cp1252"
                )
    return f"{path}: is not {name} text; name its encoding with --encoding"


def _sniff_delimiter(first_line: str) -> str:
    """The candidate that splits the header into the most fields (``,`` on a tie)."""
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (widths[d], -DELIMITERS.index(d)))


def _check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r}") from None


@contextmanager
def open_table(path: str | Path, encoding: str | None = None) -> Iterator[CsvTable]:
    """Open ``path`` as a CSV table; ``encoding`` defaults to UTF-8 with or without a BOM."""
    path = Path(path)
    if encoding is not None:
        encoding = _check_encoding(encoding)
    try:
        binary = path.open("rb")
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read: {exc.strerror}") from None
    with binary:
        start = binary.read(SNIFF_BYTES)
        if not start.strip():
            raise InvalidInput(f"{path}: is empty; a CSV file starts with a header row")
        if encoding is None:
            encoding = "utf-16" if start.startswith(_UTF16_BOMS) else DEFAULT_ENCODING
        if b"\x00" in start and not encoding.startswith("utf-16"):
            raise InvalidInput(f"{path}: is a binary file, not CSV text")
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            first_line = text.readline(SNIFF_BYTES)
            text.seek(0)
        except UnicodeDecodeError:
            raise InvalidInput(_decoding_problem(path, encoding)) from None
        delimiter = _sniff_delimiter(first_line)
        # Excel reads and writes a first line "sep=;" naming the delimiter; it shows no row
        announced = first_line.strip()
        if announced.lower().startswith("sep=") and len(announced) == 5:
            delimiter = announced[4]
            text.readline(SNIFF_BYTES)
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = [normalise_header(name) for name in next(reader)]
        except UnicodeDecodeError:
            raise InvalidInput(_decoding_problem(path, encoding)) from None
        except csv.Error as exc:
            raise InvalidInput(f"{path}:1: header not readable as CSV: {exc}") from None
        while header and not header[-1]:
            header.pop()
        size = path.stat().st_size
        yield CsvTable(path, header, delimiter, encoding, size, binary, reader)


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as binary:
        while chunk := binary.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["DELIMITERS", "CsvTable", "file_sha256", "normalise_header", "open_table"]
