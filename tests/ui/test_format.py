from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from roi_tracker.ui import format as fmt


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
