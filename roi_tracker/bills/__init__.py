"""Costs from the bills themselves: reading bill exports, allocating them to projects.

Pure: reads files into :class:`BillLine` rows with exact amounts and allocates them by
:class:`Rule`; storing them is ``roi_tracker.services.bills``' job (docs/bills.md).
"""

from typing import Any

from roi_tracker.bills.allocation import Allocation, MatchType, Rule, allocate, check_rules
from roi_tracker.bills.lines import BillKind, BillLine, BillProblem, LineKey, ReadBill
from roi_tracker.bills.reconcile import PeriodBalance, balances, decimal_text

__all__ = [
    "Allocation",
    "BillKind",
    "BillLine",
    "BillProblem",
    "LineKey",
    "MatchType",
    "PeriodBalance",
    "ReadBill",
    "Rule",
    "allocate",
    "balances",
    "check_rules",
    "decimal_text",
    "read_bill",
]


def __getattr__(name: str) -> Any:
    # reading a bill needs pyarrow: imported when a bill is read, not by every report that
    # only converts currencies (roi_tracker.bills.fx)
    if name == "read_bill":
        from roi_tracker.bills.reading import read_bill

        return read_bill
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
