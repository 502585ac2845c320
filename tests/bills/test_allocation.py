"""Allocation rules: priority, match kinds, shares, validity; nothing lost, nothing doubled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from roi_tracker.bills import BillLine, LineKey, MatchType, Rule, allocate, balances, read_bill
from roi_tracker.bills.allocation import check_rules

DATA = Path(__file__).parents[1] / "data" / "bills"


def _line(amount: str, day: date = date(2025, 11, 3), **attributes) -> BillLine:
    key = LineKey(
        day=day,
        billing_period=day.replace(day=1),
        account="acct",
        service="Amazon Bedrock",
        charge_category="Usage",
        currency="USD",
        attributes=tuple(sorted(attributes.items())),
    )
    return BillLine(key, Decimal(amount), Decimal(amount))


def _projects(lines, rules) -> dict[str | None, Decimal]:
    found: dict[str | None, Decimal] = {}
    for part in allocate(lines, rules):
        found[part.project_key] = found.get(part.project_key, Decimal(0)) + part.amount
    return found


def test_the_first_matching_priority_wins_and_the_rest_stays_unallocated():
    lines = [
        _line("10", **{"tag:project": "chat", "SubAccountName": "chatbot-prod"}),
        _line("5", SubAccountName="chatbot-dev"),
        _line("2", SubAccountName="other"),
    ]
    rules = [
        Rule(priority=20, match="SubAccountName", pattern="chatbot-*", project_key="DEV",
             match_type=MatchType.GLOB),
        Rule(priority=10, match="tag: project ", pattern="chat", project_key="CHAT"),
    ]  # fmt: skip
    assert _projects(lines, rules) == {"CHAT": 10, "DEV": 5, None: 2}


def test_regex_is_a_full_match_and_exact_is_case_sensitive():
    lines = [_line("1", ResourceId="arn:model/claude"), _line("2", ResourceId="arn:model/claude-x")]
    regex = [Rule(priority=1, match="ResourceId", pattern=r"arn:model/claude", project_key="A",
                  match_type=MatchType.REGEX)]  # fmt: skip
    assert _projects(lines, regex) == {"A": 1, None: 2}
    exact = [Rule(priority=1, match="ServiceName", pattern="amazon bedrock", project_key="A")]
    assert _projects(lines, exact) == {None: 3}


def test_shares_split_a_line_exactly():
    rules = [
        Rule(priority=1, match="BillingAccountId", pattern="acct", project_key=key, share=share)
        for key, share in (
            ("A", Decimal("0.3333")),
            ("B", Decimal("0.3333")),
            ("C", Decimal("0.3334")),
        )
    ]
    assert check_rules(rules) == []
    found = _projects([_line("0.0000001")], rules)
    assert sum(found.values()) == Decimal("0.0000001")
    assert found["A"] == Decimal("0.00000003333")


def test_valid_dates_choose_the_rule_on_the_charge_day():
    rules = [
        Rule(priority=1, match="tag:app", pattern="rag", project_key="OLD",
             valid_to=date(2025, 10, 31)),
        Rule(priority=1, match="tag:app", pattern="rag", project_key="NEW",
             valid_from=date(2025, 11, 1)),
    ]  # fmt: skip
    assert check_rules(rules) == []
    lines = [_line("1", date(2025, 10, 31), **{"tag:app": "rag"}), _line("2", **{"tag:app": "rag"})]
    assert _projects(lines, rules) == {"OLD": 1, "NEW": 2}


def test_bad_rules_are_listed():
    rules = [
        Rule(priority=1, match="tag:app", pattern="x", project_key="A", share=Decimal("0.5")),
        Rule(priority=1, match="tag:app", pattern="x", project_key="B", share=Decimal("0.4")),
        Rule(
            priority=2, match="ResourceId", pattern="(", project_key="A", match_type=MatchType.REGEX
        ),
        Rule(priority=3, match="ResourceId", pattern="y", project_key="A", share=Decimal(2)),
    ]
    problems = check_rules(rules)
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "pattern is not a regular expression: missing ), unterminated subpattern at position 0",
        "share 2 is not above 0 and at most 1",
        "shares sum to 0.9, not 1",
        "shares sum to 2, not 1",
    ]


def test_provider_openai_anthropic_and_litellm_keys_match():
    rules = [
        Rule(priority=1, match="ProviderName", pattern="Anthropic", project_key="SUP"),
        Rule(priority=1, match="openai:project_id", pattern="proj_abc", project_key="CHAT"),
        Rule(priority=1, match="anthropic:workspace_id", pattern="wrkspc_*", project_key="SUP",
             match_type=MatchType.GLOB),
        Rule(priority=1, match="litellm:tag", pattern="prod", project_key="PROD"),
        Rule(priority=2, match="litellm:team_id", pattern="team-support", project_key="SUP"),
    ]  # fmt: skip
    found = {}
    for name in ("focus-1.3.csv", "openai-costs.json", "anthropic-cost-report.json",
                 "litellm-spend.csv"):  # fmt: skip
        bill = read_bill(DATA / name)
        found[name] = _projects(bill.lines, rules)
    assert found["focus-1.3.csv"] == {"SUP": 80, None: 20}
    assert found["openai-costs.json"] == {"CHAT": Decimal("0.16"), None: Decimal("1.234567890123")}
    assert found["anthropic-cost-report.json"] == {
        "SUP": Decimal("123.456789"),
        None: Decimal("0.5"),
    }
    assert found["litellm-spend.csv"] == {
        "PROD": Decimal("0.00125"), "SUP": Decimal("0.0025"), None: Decimal("0.3")
    }  # fmt: skip


amounts = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=12, allow_nan=False
)
shares = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=4)


@given(
    st.lists(st.tuples(amounts, st.sampled_from(["a", "b", "c"]), st.integers(1, 28)), max_size=40),
    shares,
    st.sampled_from(["a", "b", "c", "*"]),
)
def test_allocated_plus_unallocated_is_the_total_exactly(rows, weights, pattern):
    lines = [
        _line(str(amount), date(2025, 11, day), **{"tag:app": app}) for amount, app, day in rows
    ]
    total = sum(weights)
    splits = [Decimal(w) / Decimal(total) for w in weights]
    splits[-1] = 1 - sum(splits[:-1])
    rules = [
        Rule(priority=1, match="tag:app", pattern=pattern, project_key=f"P{i}", share=share,
             match_type=MatchType.GLOB)
        for i, share in enumerate(splits)
    ]  # fmt: skip
    for balance in balances(lines, allocate(lines, rules)):
        assert balance.balanced
    with localcontext(prec=80):
        assert sum(p.amount for p in allocate(lines, rules)) == sum(
            line.effective_cost for line in lines
        )
