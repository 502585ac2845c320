"""What every bill reader produces: bill lines at the grain the product needs, exactly summed.

A line is one day of one account's service, charge category and currency for one set of
values the allocation rules can match (``attributes``: FOCUS columns such as
``SubAccountName``, ``tag:KEY`` for a tag, ``x_`` columns, ``openai:project_id``...). Amounts
are :class:`~decimal.Decimal`, never binary floats.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

# exact sums of up to 38 digits: amounts with many decimals times a million rows stay exact
# (a Decimal context of 28 digits would round them)
PRECISION = 60
#: the finest amount kept: bills carry 10 and more decimals, shares split them further
QUANTUM = Decimal("1e-20")

Attributes = tuple[tuple[str, str | tuple[str, ...]], ...]


class BillKind(StrEnum):
    FOCUS = "focus"
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    LITELLM = "litellm"


@dataclass(frozen=True)
class LineKey:
    """Everything that tells a line apart: its day, account, service, category, currency, keys."""

    day: date
    billing_period: date  # the first day of the invoice month
    account: str
    service: str
    charge_category: str
    currency: str
    attributes: Attributes = ()

    def attribute(self, name: str) -> str | tuple[str, ...] | None:
        for key, value in self.attributes:
            if key == name:
                return value
        return None

    @property
    def attributes_json(self) -> str:
        return json.dumps(dict(self.attributes), sort_keys=True, ensure_ascii=False)


@dataclass
class BillLine:
    """One line of a bill: its key and its amounts.

    ``effective_cost`` is what is allocated (amortised, FOCUS EffectiveCost); ``billed_cost``
    what is invoiced; ``tokens`` the token quantity where the bill reports one.
    """

    key: LineKey
    effective_cost: Decimal
    billed_cost: Decimal
    tokens: Decimal | None = None


@dataclass(frozen=True)
class PeriodTotal:
    billing_period: date
    currency: str
    effective: Decimal
    billed: Decimal


@dataclass
class ReadBill:
    """A bill file as read: its kind, its lines and the rows it held."""

    kind: BillKind
    lines: list[BillLine]
    rows: int
    replaces: str = "period"  # what a newer export replaces: "period" (FOCUS) or "day" (APIs)
    totals: list[PeriodTotal] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.totals:
            self.totals = period_totals(self.lines)


def period_totals(lines: Iterable[BillLine]) -> list[PeriodTotal]:
    """The totals per billing period and currency, exactly."""
    sums: dict[tuple[date, str], list[Decimal]] = {}
    for line in lines:
        sum_ = sums.setdefault((line.key.billing_period, line.key.currency), [Decimal(0)] * 2)
        sum_[0] += line.effective_cost
        sum_[1] += line.billed_cost
    return [
        PeriodTotal(period, currency, effective, billed)
        for (period, currency), (effective, billed) in sorted(sums.items())
    ]


def merge_lines(lines: Iterable[BillLine]) -> list[BillLine]:
    """The lines with equal keys summed into one (exactly)."""
    merged: dict[LineKey, BillLine] = {}
    for line in lines:
        found = merged.get(line.key)
        if found is None:
            merged[line.key] = BillLine(
                line.key, line.effective_cost, line.billed_cost, line.tokens
            )
            continue
        found.effective_cost += line.effective_cost
        found.billed_cost += line.billed_cost
        if line.tokens is not None:
            found.tokens = (found.tokens or Decimal(0)) + line.tokens
    return list(merged.values())


def attributes_of(values: Mapping[str, str | tuple[str, ...] | None]) -> Attributes:
    """Sorted attributes without the empty ones: the same values give the same key."""
    return tuple(sorted((k, v) for k, v in values.items() if v not in (None, "", ())))


class BillProblem(ValueError):
    """A file that cannot be read; ``problems`` are ``file:line: column: message`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found")


def exact(text: str) -> Decimal:
    """A decimal string as an exact Decimal; ValueError if it is none."""
    from decimal import InvalidOperation

    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return value


def month_of(day: date) -> date:
    return day.replace(day=1)


__all__ = [
    "PRECISION",
    "QUANTUM",
    "Attributes",
    "BillKind",
    "BillLine",
    "BillProblem",
    "LineKey",
    "PeriodTotal",
    "ReadBill",
    "attributes_of",
    "exact",
    "merge_lines",
    "month_of",
    "period_totals",
]
