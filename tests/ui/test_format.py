from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from roi_tracker.ui import format as fmt

REPO = Path(__file__).resolve().parents[2]


def test_money_uses_the_currency_symbol_and_thousands_separators():
    assert fmt.money(1234567.4, "USD") == "$1,234,567"
    assert fmt.money(Decimal("-1200.50"), "EUR") == "−€1,200"
    assert fmt.money(5, "SEK") == "SEK 5"
    assert fmt.money(2_500_000, "GBP", compact=True) == "£2.5M"
    assert fmt.money(-280_236.28, "USD", compact=True) == "−$280k"
    assert fmt.money(13_750_000, "USD", compact=True) == "$13.8M"
    assert fmt.money(None, "USD") == fmt.money(math.nan, "USD") == "–"


def test_percent_months_and_dates():
    assert fmt.percent(0.1234) == "12.3 %"
    assert fmt.percent(-1.5, digits=0) == "-150 %"
    assert fmt.percent(None) == "–"
    assert fmt.months(1) == "1 month"
    assert fmt.months(14.0) == "14 months"
    assert fmt.months(math.nan) == "not reached"
    assert fmt.month_label(date(2026, 3, 5)) == "Mar 2026"
    assert fmt.count(12345) == "12,345"


def test_compact_money_and_symbols():
    assert fmt.compact_money(2_500_000, "GBP") == fmt.money(2_500_000, "GBP", compact=True)
    assert fmt.compact_money(-999.6, "EUR") == "−€1,000"
    assert fmt.compact_money(1_234_567_890, "SEK") == "SEK 1.23B"
    assert fmt.compact_money(1500, "chf") == "CHF 1.5k"
    assert fmt.compact_money(math.nan, "USD") == "–"
    assert [fmt.symbol(c) for c in ("usd", "JPY", "CHF", "SEK")] == ["$", "¥", "CHF", "SEK"]


def test_short_percentages_and_measured_values():
    assert fmt.percent(0.125, digits=0, compact=True) == "12%"
    assert fmt.percent(0.9, digits=0, compact=True) == "90%"
    assert fmt.percent(-0.0314, compact=True) == "-3.1%"
    assert fmt.percent(math.nan, compact=True) == "–"
    assert fmt.measured(1234.56) == "1,235"
    assert fmt.measured(1234.56, grouped=False) == "1235"
    assert fmt.measured(0.0123456) == "0.01235"
    assert fmt.measured(-1.5, digits=3, signed=True) == "-1.5"
    assert fmt.measured(2.125, digits=3, signed=True) == "+2.12"
    assert fmt.measured(None) == fmt.measured(math.nan) == "–"


def test_table_column_formats():
    assert fmt.money_column_format("usd") == "dollar"
    assert fmt.money_column_format("EUR") == "euro"
    assert fmt.money_column_format("JPY") == "yen"
    # Streamlit has no symbol for these, and none for amounts in several currencies
    assert fmt.money_column_format("GBP") == fmt.money_column_format("SEK") == "localized"
    assert fmt.money_column_format(None) == "localized"
    assert fmt.PERCENT_COLUMN == "percent"
    assert fmt.MEASURED_COLUMN == "%.4g"


def test_plotly_specifiers():
    assert fmt.money_axis("EUR") == {
        "tickprefix": "€", "tickformat": ".3~s", "separatethousands": True,
    }  # fmt: skip
    assert fmt.money_axis("sek")["tickprefix"] == "SEK"
    assert fmt.percent_axis() == {"tickformat": ".0%"}
    assert fmt.hover_money("y") == "%{y:,.0f}"
    assert fmt.hover_money("customdata[0]") == "%{customdata[0]:,.0f}"
    assert fmt.hover_money("y", cents=True) == "%{y:,.2f}"
    assert fmt.hover_percent("y") == "%{y:.1%}"
    assert fmt.hover_measured("y") == "%{y:,.4g}"


#: the dashboard's other modules and page scripts, which take their number formats from
#: roi_tracker/ui/format.py
DASHBOARD = sorted(
    [
        *(REPO / "app_pages").glob("*.py"),
        REPO / "streamlit_app.py",
        *(path for path in (REPO / "roi_tracker" / "ui").glob("*.py") if path.name != "format.py"),
    ]
)
SPELLED_OUT = [
    # a number format of Python's format(), Plotly's d3-format or a column's printf:
    # ,.0f  .1%  .0%  .3~s  +,.3g  %.4g  %d %%
    re.compile(r"""[:"'%][+,]*\.\d+~?[fgs%]"""),
    re.compile(r"%d %%"),
    # Streamlit's named formats of a number column
    re.compile(r"format\W{1,4}(dollar|euro|yen|localized|percent|accounting|compact|plain)\b"),
    # a formatter of one's own
    re.compile(r"\bdef (money|percent)\("),
    re.compile(r"\bCURRENCY_SYMBOLS\b"),
]


@pytest.mark.parametrize("path", DASHBOARD, ids=lambda path: str(path.relative_to(REPO)))
def test_money_and_percent_formats_are_defined_in_the_format_module_only(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for number, line in enumerate(lines, start=1)
        if any(pattern.search(line) for pattern in SPELLED_OUT)
    ]
    assert not found, "use roi_tracker/ui/format.py instead:\n" + "\n".join(found)
