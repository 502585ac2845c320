"""Renders a summary to an email: subject, plain text and HTML, with Jinja2 templates.

Autoescaping is on for the HTML template, so every name a user typed (projects, KPIs, units)
reaches the HTML escaped; the plain-text template is not HTML and is not escaped.
"""

from __future__ import annotations

import math

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from roi_tracker.palette import STATUS_DARK_COLOURS, STATUS_LABELS
from roi_tracker.reporting.mailer import OutgoingEmail
from roi_tracker.reporting.summary import Summary

__all__ = ["render_summary"]


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, currency: str) -> str:
    if _missing(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    return f"{sign}{currency} {abs(value):,.0f}"


def money_change(value: float | None, currency: str) -> str:
    if _missing(value):
        return ""
    return ("+" if value >= 0 else "") + money(value, currency)


def percent(value: float | None) -> str:
    return "n/a" if _missing(value) else f"{value * 100:.1f} %"


def points_change(value: float | None) -> str:
    return "" if _missing(value) else f"{value * 100:+.1f} pp"


def number(value: float | None) -> str:
    if _missing(value):
        return "n/a"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def months(value: float | None) -> str:
    return "none" if _missing(value) else f"month {value:.0f}"


def months_change(value: float | None) -> str:
    return "" if _missing(value) or value == 0 else f"{value:+.0f} months"


def headline_value(value: float | None, kind: str, currency: str) -> str:
    """A headline figure by its kind: money, a ratio, or a month index (payback)."""
    if kind == "ratio":
        return percent(value)
    return months(value) if kind == "months" else money(value, currency)


def headline_change(value: float | None, kind: str, currency: str) -> str:
    if kind == "ratio":
        return points_change(value)
    return months_change(value) if kind == "months" else money_change(value, currency)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("roi_tracker.reporting", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        money=money,
        money_change=money_change,
        percent=percent,
        points_change=points_change,
        number=number,
        status_label=status_label,
        headline_value=headline_value,
        headline_change=headline_change,
    )
    # white text sits on these badges and bars: the palette's dark shades
    environment.globals["status_colours"] = STATUS_DARK_COLOURS
    return environment


_ENVIRONMENT = _environment()
_HTML = _ENVIRONMENT.get_template("summary.html")
_TEXT = _ENVIRONMENT.get_template("summary.txt")


def subject_for(summary: Summary) -> str:
    attention = summary.needs_attention
    if attention == 1:
        note = ": 1 item needs attention"
    else:
        note = f": {attention} items need attention" if attention else ""
    return f"AI ROI summary, {summary.title}, {summary.as_of:%d %b %Y}{note}"


def render_summary(summary: Summary) -> OutgoingEmail:
    """The subject, plain-text and HTML parts of ``summary``."""
    context = {"d": summary}
    return OutgoingEmail(
        subject=subject_for(summary), text=_TEXT.render(context), html=_HTML.render(context)
    )
