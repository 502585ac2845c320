"""Allocating bill lines to projects by rules; what no rule matches stays unallocated.

Rules are tried by priority (lower first); the first priority whose rule matches a line, on
the line's day, takes it. The rules with the same priority, match and pattern split a line by
their shares, which sum to 1; each part is rounded to 20 decimals and the last takes the
remainder, so the parts add up to the line's amount exactly.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

from roi_tracker.bills.lines import PRECISION, QUANTUM, BillLine, LineKey
from roi_tracker.domain.vocabulary import MatchType

DEFAULT_CATEGORY = "infrastructure"
#: the values a rule may match besides the line's attributes, by their FOCUS column names
_KEY_FIELDS: dict[str, Callable[[LineKey], str]] = {
    "BillingAccountId": lambda key: key.account,
    "ServiceName": lambda key: key.service,
    "ChargeCategory": lambda key: key.charge_category,
    "BillingCurrency": lambda key: key.currency,
}
#: names that mean the same attribute (FOCUS 1.3 renamed the provider)
_ALIASES = {"ProviderName": "ServiceProviderName"}


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One allocation rule, as the ``allocation_rules`` entity holds it."""

    priority: int
    match: str
    pattern: str
    project_key: str
    match_type: MatchType = MatchType.EXACT
    share: Decimal = Decimal(1)
    category: str = DEFAULT_CATEGORY
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def group(self) -> tuple[int, str, str, str]:
        return (self.priority, self.match.strip(), self.pattern, self.match_type.value)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Allocation:
    """A part of line ``line`` given to ``project_key`` (None: unallocated)."""

    line: int
    project_key: str | None
    category: str | None
    amount: Decimal


def value_of(key: LineKey, match: str) -> str | tuple[str, ...] | None:
    """What a rule's ``match`` names in a line: a column, ``tag:KEY``, ``openai:project_id``..."""
    match = match.strip()
    if match in _KEY_FIELDS:
        return _KEY_FIELDS[match](key)
    if match.startswith("tag:"):
        return key.attribute("tag:" + match[4:].strip())
    return key.attribute(_ALIASES.get(match, match))


def _matcher(rule: Rule) -> Callable[[str], bool]:
    if rule.match_type is MatchType.GLOB:
        return re.compile(fnmatch.translate(rule.pattern)).fullmatch  # type: ignore[return-value]
    if rule.match_type is MatchType.REGEX:
        return re.compile(rule.pattern).fullmatch  # type: ignore[return-value]
    return rule.pattern.__eq__


def check_rules(rules: Sequence[Rule]) -> list[str]:
    """Each problem of the rules: bad patterns, shares out of range, splits not summing to 1."""
    problems = []
    for rule in rules:
        if rule.match_type is MatchType.REGEX:
            try:
                re.compile(rule.pattern)
            except re.error as exc:
                problems.append(f"rule {_name(rule)}: pattern is not a regular expression: {exc}")
        if not Decimal(0) < rule.share <= Decimal(1):
            problems.append(f"rule {_name(rule)}: share {rule.share} is not above 0 and at most 1")
        if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
            problems.append(f"rule {_name(rule)}: valid_to is before valid_from")
    for group, members in _groups(rules).items():
        for day in _changes(members):
            shares = [rule.share for rule in members if rule.valid_on(day)]
            if shares and sum(shares) != 1:
                on = "" if day == date.min else f" on {day.isoformat()}"
                problems.append(
                    f"rules priority {group[0]}, {group[1]} = {group[2]!r}: shares sum to "
                    f"{sum(shares)}{on}, not 1"
                )
                break
    return problems


def _name(rule: Rule) -> str:
    return f"{rule.priority} {rule.match} {rule.pattern!r} → {rule.project_key}"


def _changes(rules: Sequence[Rule]) -> list[date]:
    """The days on which the set of valid rules can change: the only days to check."""
    days = {date.min}
    for rule in rules:
        if rule.valid_from is not None:
            days.add(rule.valid_from)
        if rule.valid_to is not None and rule.valid_to < date.max:
            days.add(rule.valid_to + timedelta(days=1))
    return sorted(days)


def _groups(rules: Iterable[Rule]) -> dict[tuple[int, str, str, str], list[Rule]]:
    groups: dict[tuple[int, str, str, str], list[Rule]] = {}
    for rule in sorted(rules, key=lambda r: r.priority):  # stable: file order within a priority
        groups.setdefault(rule.group, []).append(rule)
    return groups


def allocate(lines: Sequence[BillLine], rules: Sequence[Rule]) -> list[Allocation]:
    """The parts of every line: to projects by the rules, or unallocated (project None).

    The parts of each line sum exactly to its ``effective_cost``. Rules are assumed checked
    (:func:`check_rules`).
    """
    groups = [
        (members[0].match, _matcher(members[0]), members) for members in _groups(rules).values()
    ]
    candidates: dict[tuple[object, ...], list[list[Rule]]] = {}
    parts: list[Allocation] = []
    with localcontext() as context:
        context.prec = PRECISION
        for index, line in enumerate(lines):
            key = line.key
            shape = (key.account, key.service, key.charge_category, key.currency, key.attributes)
            matched = candidates.get(shape)
            if matched is None:
                matched = candidates[shape] = [
                    members for match, test, members in groups if _matches(key, match, test)
                ]
            parts.extend(_split(index, line, matched))
    return parts


def _matches(key: LineKey, match: str, test: Callable[[str], bool]) -> bool:
    value = value_of(key, match)
    if value is None:
        return False
    if isinstance(value, tuple):
        return any(test(v) for v in value)
    return bool(test(value))


def _split(index: int, line: BillLine, matched: list[list[Rule]]) -> list[Allocation]:
    amount = line.effective_cost
    for members in matched:
        valid = [rule for rule in members if rule.valid_on(line.key.day)]
        if not valid:
            continue
        parts, left = [], amount
        for rule in valid[:-1]:
            part = (amount * rule.share).quantize(QUANTUM)
            parts.append(Allocation(index, rule.project_key, rule.category, part))
            left -= part
        last = valid[-1]
        parts.append(Allocation(index, last.project_key, last.category, left))
        return parts
    return [Allocation(index, None, None, amount)]


__all__ = [
    "DEFAULT_CATEGORY",
    "Allocation",
    "MatchType",
    "Rule",
    "allocate",
    "check_rules",
    "value_of",
]
