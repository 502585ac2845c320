"""Reconciliation: per billing period and currency, allocated + unallocated = the bill's total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from roi_tracker.bills.allocation import Allocation
from roi_tracker.bills.lines import PRECISION, BillLine


@dataclass
class PeriodBalance:
    """One billing period and currency of a file: its totals and where the effective cost went."""

    billing_period: date
    currency: str
    effective_total: Decimal = Decimal(0)
    billed_total: Decimal = Decimal(0)
    allocated: dict[str, Decimal] = field(default_factory=dict)
    unallocated: Decimal = Decimal(0)

    @property
    def balanced(self) -> bool:
        with localcontext(prec=PRECISION):
            return sum(self.allocated.values(), self.unallocated) == self.effective_total


def balances(lines: Sequence[BillLine], parts: Sequence[Allocation]) -> list[PeriodBalance]:
    """The balance of each billing period and currency of ``lines`` split into ``parts``."""
    found: dict[tuple[date, str], PeriodBalance] = {}
    with localcontext() as context:
        context.prec = PRECISION
        for line in lines:
            key = (line.key.billing_period, line.key.currency)
            balance = found.setdefault(key, PeriodBalance(*key))
            balance.effective_total += line.effective_cost
            balance.billed_total += line.billed_cost
        for part in parts:
            line = lines[part.line]
            balance = found[(line.key.billing_period, line.key.currency)]
            if part.project_key is None:
                balance.unallocated += part.amount
            else:
                allocated = balance.allocated.get(part.project_key, Decimal(0))
                balance.allocated[part.project_key] = allocated + part.amount
    return [found[key] for key in sorted(found)]


def decimal_text(value: Decimal) -> str:
    """An exact amount as plain text without trailing zeros: ``12.345678``, ``0``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


__all__ = ["PeriodBalance", "balances", "decimal_text"]
