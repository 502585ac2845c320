"""Numbers for people: currency with thousands separators, percentages, months, dates."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

import pandas as pd

__all__ = ["CURRENCY_SYMBOLS", "count", "literal", "money", "month_label", "months", "percent"]

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "INR": "₹"}
MISSING = "–"
#: every ASCII punctuation character: Markdown lets a backslash escape each of them
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")


def literal(text: object) -> str:
    """User text for an element that renders Markdown (titles, labels, messages): shown as typed.

    Escaping every punctuation character stops links, images, code, emphasis, Streamlit's
    ``:colour[…]`` directives and LaTeX; an escaped ``:`` or ``.`` also stops a bare
    ``http://…`` or ``www.…`` from becoming a link.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def money(value: float | int | Decimal | None, currency: str, *, compact: bool = False) -> str:
    """``$1,234,568`` (or ``$1.23M`` when compact, three significant digits); negative
    amounts read ``−$1,200``."""
    if _missing(value):
        return MISSING
    amount = float(value)
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), f"{currency.upper()} ")
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if compact:
        for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if amount >= limit:
                return f"{sign}{symbol}{amount / limit:.3g}{suffix}"
    return f"{sign}{symbol}{amount:,.0f}"


def percent(value: float | None, *, digits: int = 1) -> str:
    """A fraction as a percentage: 0.123 -> ``12.3 %``."""
    if _missing(value):
        return MISSING
    return f"{float(value) * 100:,.{digits}f} %"


def count(value: int | float | None) -> str:
    """A whole number with thousands separators."""
    return MISSING if _missing(value) else f"{int(value):,}"


def months(value: int | float | None) -> str:
    """A number of months, or ``not reached`` where there is none (e.g. no payback)."""
    if _missing(value):
        return "not reached"
    whole = int(value)
    return f"{whole} month" if whole == 1 else f"{whole} months"


def month_label(value: date | pd.Timestamp | None) -> str:
    """``Mar 2026``."""
    return MISSING if _missing(value) else pd.Timestamp(value).strftime("%b %Y")
