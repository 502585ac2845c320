"""The options and printers every command shares (roi_tracker/cli/options.py)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from roi_tracker.cli.options import as_of_day, money, number, or_dash, percent, table
from roi_tracker.config import Settings
from roi_tracker.errors import InvalidInput


def test_table_pads_each_column_to_its_widest_cell_and_strips_line_ends() -> None:
    text = table(["key", "npv", "note"], [["a", "1.00", ""], ["bb", "-12.50", "late"]], "<>")
    assert text.splitlines() == [
        "key     npv  note",
        "---  ------  ----",
        "a      1.00",
        "bb   -12.50  late",
    ]


def test_table_left_aligns_every_column_by_default() -> None:
    assert table(["id", "email"], [[7, "a@example.com"]]).splitlines() == [
        "id  email",
        "--  -------------",
        "7   a@example.com",
    ]


def test_a_table_without_rows_is_its_header_and_rule() -> None:
    assert table(["project", "kpi"], []) == "project  kpi\n-------  ---"


def test_money_has_cents_and_thousands_separators() -> None:
    assert [money(v) for v in (1234567.891, -0.5, 0, None)] == [
        "1,234,567.89",
        "-0.50",
        "0.00",
        "-",
    ]


def test_percent_takes_the_number_of_decimals() -> None:
    assert percent(0.12345) == "12.3 %"
    assert percent(0.12345, digits=0) == "12 %"
    # the same rounding as Python's % presentation type, which the KPI table used
    assert [percent(v, digits=0) for v in (0.125, 0.135, 1.005, -0.5)] == [
        f"{v:.0%}".replace("%", " %") for v in (0.125, 0.135, 1.005, -0.5)
    ]
    assert [percent(v) for v in (None, math.nan, math.inf)] == ["-", "-", "-"]


def test_number_keeps_four_significant_digits_below_ten_thousand() -> None:
    assert [number(v) for v in (3.14159, 1234.5, 9999.4, 12345.6, -0.000123, None)] == [
        "3.142",
        "1,234",
        "9,999",
        "12,346",
        "-0.000123",
        "-",
    ]


def test_or_dash() -> None:
    assert [or_dash(v) for v in (0, 12, "2026-05", None)] == ["0", "12", "2026-05", "-"]


def test_as_of_is_the_given_date_or_today_in_the_configured_zone() -> None:
    east = Settings(_env_file=None, timezone="Pacific/Kiritimati")  # UTC+14
    west = Settings(_env_file=None, timezone="Pacific/Pago_Pago")  # UTC-11
    assert as_of_day("2025-02-20", east) == as_of_day("2025-02-20", west) == date(2025, 2, 20)
    # 25 hours apart: at any instant it is a later day in the east than in the west
    assert as_of_day(None, east) > as_of_day(None, west)


@pytest.mark.parametrize("text", ["2025-02-30", "20-2-2025", "today", ""])
def test_a_bad_as_of_names_the_option(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^--as-of: .* is not a date \(YYYY-MM-DD\)$"):
        as_of_day(text, Settings(_env_file=None))
