"""Column types: money is stored as exact integer cents and read back as Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger, String
from sqlalchemy.types import TypeDecorator

CENTS = Decimal("0.01")


def to_cents(value: Decimal | int | str | float) -> int:
    """Exact conversion to integer cents; refuses fractions of a cent instead of rounding."""
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimal places")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Integer cents back to a Decimal with two places, e.g. 120050 -> Decimal('1200.50')."""
    return Decimal(int(cents)).scaleb(-2).quantize(CENTS)


class Money(TypeDecorator):
    """A Decimal amount with two places, stored as BIGINT cents on every database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_cents(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_cents(value)


class ExactDecimal(TypeDecorator):
    """A Decimal of any number of places (bill amounts carry 10 and more), stored as its text.

    Summed in Python with exact decimals, never by the database (SQLite would use floats).
    """

    impl = String(60)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)
