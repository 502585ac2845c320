"""Rows read a batch at a time keep the lines a spreadsheet shows, whatever the batch size."""

from __future__ import annotations

import pytest

from roi_tracker.errors import InvalidInput
from roi_tracker.importing.reader import FIELD_SIZE_LIMIT, open_table

UNEVEN = (
    'key,name,start_date\r\nA,a,2025-01-01\r\n\r\nB,"two\nlines",2025-01-01\r\n,,\r\n'
    "C,c\r\nD,d,2025-01-01,,\r\nE,e,2025-01-01,extra\r\n"
)
# empty rows are skipped, short ones padded, empty cells beyond the header cut
EXPECTED = [
    (2, ["A", "a", "2025-01-01"]),
    (4, ["B", "two\nlines", "2025-01-01"]),
    (6, ["C", "c", ""]),
    (7, ["D", "d", "2025-01-01"]),
    (8, ["E", "e", "2025-01-01", "extra"]),
]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 100])
def test_batches_hold_the_rows_and_lines_of_the_file(tmp_path, size):
    path = tmp_path / "projects.csv"
    path.write_text(UNEVEN, encoding="utf-8")
    with open_table(path) as table:
        batches = list(table.batches(size))
    assert all(0 < len(rows) <= size for _, rows in batches)
    assert [row for lines, rows in batches for row in zip(lines, rows, strict=True)] == EXPECTED
    with open_table(path) as table:
        assert list(table.rows()) == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 4, 100])
def test_an_unreadable_row_is_named_by_its_line_within_a_batch(tmp_path, size):
    path = tmp_path / "projects.csv"
    unclosed = 'F,"never closed,' + "x" * (FIELD_SIZE_LIMIT + 1)
    path.write_text(UNEVEN.replace("C,c\r\n", unclosed), encoding="utf-8")
    with open_table(path) as table, pytest.raises(InvalidInput, match=r"projects\.csv:6: not"):
        list(table.batches(size))
