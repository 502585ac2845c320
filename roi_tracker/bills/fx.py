"""Exchange rates by month: a bill line or a cost is converted at the rate of its month.

A missing rate is an error naming the currency pair and the month, never a silent 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, localcontext

from roi_tracker.bills.lines import PRECISION, month_of
from roi_tracker.errors import InvalidInput


class MissingRate(InvalidInput):
    """No rate converts ``source`` into ``target`` in ``month``."""

    def __init__(self, source: str, target: str, month: date):
        self.source, self.target, self.month = source, target, month
        super().__init__(
            f"no exchange rate from {source} to {target} for {month:%Y-%m}: add one to fx_rates"
        )


class Rates:
    """The rates of ``fx_rates``: (date, from, to, rate) rows; the inverse serves the other way."""

    def __init__(self, rows: Iterable[tuple[date, str, str, float | Decimal]]):
        self._rates: dict[tuple[date, str, str], Decimal] = {}
        for day, source, target, rate in rows:
            exact = Decimal(repr(rate)) if isinstance(rate, float) else Decimal(rate)
            self._rates[(month_of(day), source.upper(), target.upper())] = exact

    def rate(self, source: str, target: str, month: date) -> Decimal:
        source, target, month = source.upper(), target.upper(), month_of(month)
        if source == target:
            return Decimal(1)
        found = self._rates.get((month, source, target))
        if found is not None:
            return found
        inverse = self._rates.get((month, target, source))
        if inverse is not None:
            with localcontext(prec=PRECISION):
                return 1 / inverse
        raise MissingRate(source, target, month)

    def convert(self, amount: Decimal, source: str, target: str, month: date) -> Decimal:
        with localcontext(prec=PRECISION):
            return amount * self.rate(source, target, month)


__all__ = ["MissingRate", "Rates"]
