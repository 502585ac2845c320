"""Exchange rates by month: a bill line or a cost is converted at the rate of its month.

A missing rate is an error naming the currency pair and the month, never a silent 1.0. The
portfolio's forecasts reach months no rate exists for yet: there a month after the last stored
rate of a pair takes that last rate (``after_last``); a month before it still needs its own.
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
        #: the last month with a rate, per pair in either direction
        self._last: dict[frozenset[str], date] = {}
        for day, source, target, rate in rows:
            exact = Decimal(repr(rate)) if isinstance(rate, float) else Decimal(rate)
            month, pair = month_of(day), frozenset((source.upper(), target.upper()))
            self._rates[(month, source.upper(), target.upper())] = exact
            self._last[pair] = max(month, self._last.get(pair, month))

    def rate(self, source: str, target: str, month: date, *, after_last: bool = False) -> Decimal:
        """The rate converting ``source`` into ``target`` in ``month``; with ``after_last``, a
        month after the pair's last stored rate takes that rate."""
        source, target, month = source.upper(), target.upper(), month_of(month)
        if source == target:
            return Decimal(1)
        last = self._last.get(frozenset((source, target)))
        if after_last and last is not None and month > last:
            month = last
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
