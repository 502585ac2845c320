"""How the dashboard shows numbers to people: the one definition of its money, percentages and
measured values (and of its counts, months and user text), in each of the dashboard's forms.

- Text, for tiles, captions and chart labels: :func:`money`, :func:`compact_money`,
  :func:`percent`, :func:`measured`, :func:`count`, :func:`months`, :func:`month_label`.
- Table columns: the ``format`` of a ``st.column_config.NumberColumn`` (the components build
  the columns): :func:`money_column_format`, ``PERCENT_COLUMN``, ``POINTS_COLUMN``,
  ``MEASURED_COLUMN``, ``PROBABILITY_COLUMN``, ``FACTOR_COLUMN``.
- Plotly, as d3-format specifiers: :func:`money_axis`, :func:`percent_axis`,
  :func:`hover_money`, :func:`hover_percent`, :func:`hover_measured`.

The command line and the email have their own (``roi_tracker/cli/options.py``,
``roi_tracker/reporting/render.py``).
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

import pandas as pd

__all__ = [
    "CURRENCY_SYMBOLS",
    "FACTOR_COLUMN",
    "MEASURED_COLUMN",
    "PERCENT_COLUMN",
    "POINTS_COLUMN",
    "PROBABILITY_COLUMN",
    "compact_money",
    "count",
    "hover_measured",
    "hover_money",
    "hover_percent",
    "literal",
    "measured",
    "money",
    "money_axis",
    "money_column_format",
    "month_label",
    "months",
    "percent",
    "percent_axis",
    "symbol",
]

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "INR": "₹"}
MISSING = "–"
#: every ASCII punctuation character: Markdown lets a backslash escape each of them
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")

# The format specifiers Python's format() and Plotly's d3-format read alike
#: whole amounts with thousands separators: 1,234,568
_WHOLE = ",.0f"
#: amounts to the cent: 1,234,567.89
_CENTS = ",.2f"
#: measured values (KPIs, benchmarks, effects): four significant digits
_MEASURED_DIGITS = 4


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


# Text: tiles, captions, chart labels


def _prefix(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def symbol(currency: str) -> str:
    """The currency's symbol (``$``), or its code (``SEK``) where it has none."""
    return _prefix(currency).strip()


def money(value: float | int | Decimal | None, currency: str, *, compact: bool = False) -> str:
    """``$1,234,568`` (or ``$1.23M`` when compact, three significant digits); negative
    amounts read ``−$1,200``."""
    if _missing(value):
        return MISSING
    amount = float(value)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if compact:
        for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if amount >= limit:
                return f"{sign}{_prefix(currency)}{amount / limit:.3g}{suffix}"
    return f"{sign}{_prefix(currency)}{amount:{_WHOLE}}"


def compact_money(value: float | int | Decimal | None, currency: str) -> str:
    """A headline amount, as tiles show it: ``$1.23M``, ``−$280k``, ``$950``."""
    return money(value, currency, compact=True)


def percent(value: float | None, *, digits: int = 1, compact: bool = False) -> str:
    """A fraction as a percentage: 0.123 -> ``12.3 %``; compact, inside a sentence or a chart
    label (a share, a probability, a confidence level): ``12%``."""
    if _missing(value):
        return MISSING
    if compact:
        return f"{float(value):.{digits}%}"
    return f"{float(value) * 100:,.{digits}f} %"


def measured(
    value: float | None,
    *,
    digits: int = _MEASURED_DIGITS,
    signed: bool = False,
    grouped: bool = True,
) -> str:
    """A measured value (a KPI's, a benchmark's, an effect) in significant digits:
    ``1,235``, ``0.0123``; ``signed`` shows the sign of a change (``+1.5``), ``grouped=False``
    leaves out the thousands separators."""
    if _missing(value):
        return MISSING
    return f"{float(value):{_measured_spec(digits=digits, signed=signed, grouped=grouped)}}"


def _measured_spec(
    *, digits: int = _MEASURED_DIGITS, signed: bool = False, grouped: bool = True
) -> str:
    return f"{'+' if signed else ''}{',' if grouped else ''}.{digits}g"


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


# Table columns: the format of a st.column_config.NumberColumn

#: Streamlit's number formats for the currencies it has a symbol for
_MONEY_COLUMN_FORMATS = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}
#: a fraction as a percentage: 0.123 -> 12.30%
PERCENT_COLUMN = "percent"
#: a number that is a percentage already: 75 -> 75 %
POINTS_COLUMN = "%d %%"
#: a measured value (a KPI's baseline, latest value, target)
MEASURED_COLUMN = f"%{_measured_spec(grouped=False)}"
#: a probability: 0.35
PROBABILITY_COLUMN = "%.2f"
#: a factor such as a discount factor: 0.9174
FACTOR_COLUMN = "%.4f"


def money_column_format(currency: str | None) -> str:
    """The column format of amounts in ``currency``: its symbol where Streamlit has one, else
    thousands separators; ``None``: amounts in several currencies (each row its own)."""
    if currency is None:
        return "localized"
    return _MONEY_COLUMN_FORMATS.get(currency.upper(), "localized")


# Plotly: d3-format specifiers of axes and hover text


def money_axis(currency: str) -> dict[str, object]:
    """The layout of an axis of amounts: ``$1.2M``, three significant digits."""
    return {"tickprefix": symbol(currency), "tickformat": ".3~s", "separatethousands": True}


def percent_axis() -> dict[str, object]:
    """The layout of an axis of fractions shown as whole percentages: ``25%``."""
    return {"tickformat": ".0%"}


def hover_money(variable: str, *, cents: bool = False) -> str:
    """Hover text of an amount: ``hover_money("y")`` is ``%{y:,.0f}`` (1,234,568)."""
    return f"%{{{variable}:{_CENTS if cents else _WHOLE}}}"


def hover_percent(variable: str, *, digits: int = 1) -> str:
    """Hover text of a fraction as a percentage: ``hover_percent("y")`` is ``%{y:.1%}``."""
    return f"%{{{variable}:.{digits}%}}"


def hover_measured(variable: str) -> str:
    """Hover text of a measured value: ``hover_measured("y")`` is ``%{y:,.4g}``."""
    return f"%{{{variable}:{_measured_spec()}}}"
