"""A small portfolio whose figures the finance tests compute by hand, independently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from roi_tracker.store.tables import Benefit, Cost, Project

AS_OF = date(2025, 2, 20)


def add_portfolio(session) -> None:
    """Project A (own rate, risk parameters) and B (defaults from the settings)."""
    a = Project(
        key="a", name="Alpha", start_date=date(2025, 1, 10), horizon_months=12,
        discount_rate=0.12, probability_of_success=0.8, cost_contingency=0.1, risk_premium=0.03,
    )  # fmt: skip
    b = Project(key="b", name="Beta", start_date=date(2025, 4, 1))
    session.add_all([a, b])
    session.flush()
    session.add_all(
        [
            Cost(project_id=a.id, key="a1", date=date(2025, 1, 5), category="development",
                 amount=Decimal("10000.00"), status="actual"),
            Cost(project_id=a.id, key="a2", date=date(2025, 2, 1), category="licensing",
                 amount=Decimal("500.00"), recurrence="monthly", end_date=date(2025, 6, 30)),
            Benefit(project_id=a.id, key="ab1", date=date(2025, 3, 1), type="hard",
                    category="revenue", amount=Decimal("3000.00"), recurrence="monthly",
                    ramp_months=2, confidence=0.9),
            Benefit(project_id=a.id, key="ab2", date=date(2025, 2, 15), type="soft",
                    category="brand", amount=Decimal("1000.00"), status="realized"),
            Cost(project_id=b.id, key="b1", date=date(2025, 4, 1), category="talent",
                 amount=Decimal("4000.00"), recurrence="quarterly", end_date=date(2025, 12, 31)),
            Benefit(project_id=b.id, key="bb1", date=date(2025, 5, 1), type="hard",
                    category="cost_savings", amount=Decimal("700.00"), recurrence="monthly"),
        ]
    )  # fmt: skip
    session.flush()


# Settings for the portfolio: B has no horizon nor rate of its own.
SETTINGS = {"discount_rate": 0.08, "horizon_months": 24}

# The monthly flows, written out by hand from the items above and docs/finance.md, as of
# 2025-02-20 (forecast): A's planned licence of February (period 1, not after the as-of
# month) does not count; its actual January cost and realized February benefit do.
A_COSTS = [10000, 0, 500, 500, 500, 500, 0, 0, 0, 0, 0, 0]
A_HARD = [0, 0, 1500] + [3000] * 9
A_SOFT = [0, 1000] + [0] * 10
B_COSTS = [4000, 0, 0, 4000, 0, 0, 4000] + [0] * 17
B_HARD = [0] + [700] * 23

# risk-adjusted: planned costs x 1.1; expected benefits x 0.9 x 0.8; rate 12 % + 3 %
A_RISK_COSTS = [10000, 0] + [550] * 4 + [0] * 6
A_RISK_HARD = [x * 0.72 for x in A_HARD]


def monthly(rate: float) -> float:
    return (1 + rate) ** (1 / 12) - 1


def npv(rate_per_month: float, flows: list[float]) -> float:
    return sum(x / (1 + rate_per_month) ** t for t, x in enumerate(flows))


def irr_by_bisection(flows: list[float]) -> float:
    low, high = -0.99, 10.0
    for _ in range(200):
        middle = (low + high) / 2
        if npv(middle, flows) > 0:
            low = middle
        else:
            high = middle
    return (1 + (low + high) / 2) ** 12 - 1


def payback(flows: list[float]) -> int | None:
    total, seen_negative = 0.0, False
    for t, x in enumerate(flows):
        total += x
        if seen_negative and total >= 0:
            return t
        seen_negative = seen_negative or total < 0
    return None


def discounted(rate_per_month: float, flows: list[float]) -> list[float]:
    return [x / (1 + rate_per_month) ** t for t, x in enumerate(flows)]


def minus(a: list[float], b: list[float]) -> list[float]:
    return [x - y for x, y in zip(a, b, strict=True)]


def plus(a: list[float], b: list[float]) -> list[float]:
    return [x + y for x, y in zip(a, b, strict=True)]


def on_calendar(a: list[float], b: list[float], offset: int = 3) -> list[float]:
    """A from January 2025 and B from April 2025, summed by calendar month."""
    length = max(len(a), offset + len(b))
    out = [0.0] * length
    for t, x in enumerate(a):
        out[t] += x
    for t, x in enumerate(b):
        out[offset + t] += x
    return out
