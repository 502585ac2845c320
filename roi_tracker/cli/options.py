"""What the commands share: the --format, --project and --as-of options, tables, number formats.

Imports nothing heavy: every command's ``--help`` loads this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from roi_tracker.errors import InvalidInput

if TYPE_CHECKING:
    from pydantic import BaseModel

    from roi_tracker.config import Settings

Shown = TypeVar("Shown", bound="BaseModel")

__all__ = [
    "AsOfOption",
    "FormatOption",
    "OutputFormat",
    "ProjectOption",
    "as_of_day",
    "echo_json",
    "echo_result",
    "money",
    "number",
    "or_dash",
    "percent",
    "table",
]


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table for people, json for programs.")
]

ProjectOption = Annotated[
    str | None,
    typer.Option(
        "--project", help="Only this project (its key); default: the whole portfolio.",
        show_default=False,
    ),
]  # fmt: skip


# read as text and turned into a date by as_of_day when the command runs: a bad date is a user
# error (exit status 1, after the usage checks), as for every other value the commands check
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="The day to report on, YYYY-MM-DD (default: today).",
        show_default=False,
    ),
]  # fmt: skip


def as_of_day(as_of: str | None, settings: Settings) -> date:
    """The --as-of day, or today by the one clock (in ROI_TRACKER_TIMEZONE); InvalidInput for
    text that is not an ISO date."""
    if as_of is None:
        return settings.today()
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None


def echo_result(
    result: Shown,
    output: OutputFormat,
    as_table: Callable[[Shown], str],
    *,
    ensure_ascii: bool = True,
) -> None:
    """Print a use case's result as indented JSON (its ``model_dump(mode="json")``), or the
    text ``as_table`` makes of it."""
    if output is OutputFormat.JSON:
        echo_json(result.model_dump(mode="json"), ensure_ascii=ensure_ascii)
    else:
        typer.echo(as_table(result))


def echo_json(value: Any, *, ensure_ascii: bool = True) -> None:
    """Print ``value`` as JSON indented by two; ``ensure_ascii`` escapes non-ASCII text."""
    typer.echo(json.dumps(value, indent=2, ensure_ascii=ensure_ascii))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: str = "") -> str:
    """A plain-text table, columns two spaces apart, under a rule of dashes.

    ``align`` holds one character per column, ``<`` (left) or ``>`` (right); columns beyond
    it are left-aligned.
    """
    lines = [[str(cell) for cell in line] for line in (headers, *rows)]
    widths = [max(len(cell) for cell in column) for column in zip(*lines, strict=True)]
    aligns = align.ljust(len(widths), "<")

    def line(cells: Sequence[str]) -> str:
        padded = (f"{c:{a}{w}}" for c, a, w in zip(cells, aligns, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = ["-" * width for width in widths]
    return "\n".join(line(cells) for cells in [lines[0], rule, *lines[1:]])


def or_dash(value: object | None) -> str:
    """The value as it prints, or "-" where there is none."""
    return "-" if value is None else str(value)


def money(value: float | None) -> str:
    """An amount to the cent with thousands separators: 12,345.60."""
    return "-" if value is None else f"{value:,.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage with ``digits`` decimals: 0.125 -> "12.5 %"."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value * 100:.{digits}f} %"


def number(value: float | None) -> str:
    """A measured value: four significant digits, whole numbers from 10,000 on."""
    if value is None:
        return "-"
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
