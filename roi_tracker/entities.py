"""The registry of what a user records: each entity declared once, the rest derived from it.

An entity is a table of the store, a label for the pages, the entity it belongs to (a cost
to a project, a measurement to a KPI), a natural key and its CSV format: the columns in
export order, each with its meaning and an example (the export template's row and the
form's placeholder). What the table says of a column is taken from the table: its kind
(text, date, money, number, whole number), whether it is required (not nullable, no
default), its default and its maximum length. Declared here is what only the CSV format
needs: the choices and the limits of ``domain.vocabulary`` (the same ones the tables' check
constraints use), descriptions and examples, and the rules across columns.

The order of :data:`ENTITIES` is the load order (each refers only to those before it) and
the order of exports and of the dashboard's record types. The loader, the exporter, the
record edits and the forms all read their entities from here (docs/csv-formats.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column as TableColumn
from sqlalchemy import Date, Float, Integer, String
from sqlmodel import SQLModel

from roi_tracker.domain import vocabulary
from roi_tracker.domain.vocabulary import Range
from roi_tracker.importing.columns import (
    Column,
    CsvFormat,
    Kind,
    Problem,
    RowModel,
    RowProblems,
    Rules,
    merge_problems,
    no_rules,
)
from roi_tracker.store.audit import text_of
from roi_tracker.store.tables import (
    AllocationRule,
    Benchmark,
    Benefit,
    Cost,
    Decision,
    FxRate,
    Kpi,
    Measurement,
    Project,
    Redeployment,
    Risk,
    ValueDriver,
)
from roi_tracker.store.types import Money


@dataclass(frozen=True, kw_only=True)
class Entity(CsvFormat):
    """One kind of record: its CSV format, its table, its label and the entity it belongs to.

    ``parent`` is the entity its rows belong to (a project, a KPI); ``reference`` the column
    by which the rows of other entities name one of its rows (``project_key``). An entity's
    columns start with the references of its owners.
    """

    label: str
    table: type[SQLModel]
    parent: Entity | None = None
    reference: Column | None = None

    @property
    def singular(self) -> str:
        """``"cost"`` for costs: how the dashboard names one record."""
        return self.name.removesuffix("s")

    @property
    def owners(self) -> tuple[Entity, ...]:
        """The entities its rows belong to, outermost first: projects, kpis for measurements."""
        return _owners(self.parent)

    @property
    def references(self) -> tuple[Column, ...]:
        """The columns naming the rows of its owners: ``project_key`` (, ``kpi_key``)."""
        return _references(self.parent)

    @property
    def parent_id(self) -> str | None:
        """The table column holding the id of the row this one belongs to (``project_id``)."""
        if self.parent is None:
            return None
        parent_table = self.parent.table.__table__
        for column in self.table.__table__.columns:
            if any(key.column.table is parent_table for key in column.foreign_keys):
                return column.name
        raise LookupError(f"{self.name} has no column referring to {self.parent.name}")

    @property
    def own_columns(self) -> tuple[Column, ...]:
        """Its columns but the references: those stored under the same name in its table."""
        return self.columns[len(self.references) :]

    @property
    def own_key(self) -> tuple[str, ...]:
        """The natural key but the references: ``("date",)`` for measurements."""
        named = {column.name for column in self.references}
        return tuple(name for name in self.natural_key if name not in named)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The table columns the CSV columns are stored in; the references become one id."""
        own = tuple(column.name for column in self.own_columns)
        return own if self.parent_id is None else (self.parent_id, *own)

    def record_key(self, row: Mapping[str, object]) -> str:
        """The natural key as the audit trail writes it, e.g. ``alpha/licences`` for a cost."""
        return "/".join(str(text_of(row[name])) for name in self.natural_key)

    @property
    def stored_key(self) -> tuple[str, ...]:
        """The natural key as table columns, e.g. ``("kpi_id", "date")`` for measurements."""
        return self.own_key if self.parent_id is None else (self.parent_id, *self.own_key)


def _owners(parent: Entity | None) -> tuple[Entity, ...]:
    return () if parent is None else (*_owners(parent.parent), parent)


def _references(parent: Entity | None) -> tuple[Column, ...]:
    references = []
    for owner in _owners(parent):
        if owner.reference is None:
            raise ValueError(f"{owner.name} has no reference column for its rows to be named by")
        references.append(owner.reference)
    return tuple(references)


# ---- declaring an entity --------------------------------------------------------------------


@dataclass(frozen=True)
class Described:
    """What only the CSV format says of a column; the rest comes from the table."""

    name: str
    description: str
    example: str = ""
    choices: type[StrEnum] | None = None
    limits: Range | None = None
    default_by: tuple[str, Mapping[str, str]] | None = None


def column(
    name: str,
    description: str,
    example: str = "",
    *,
    choices: type[StrEnum] | None = None,
    limits: Range | None = None,
    default_by: tuple[str, Mapping[str, str]] | None = None,
) -> Described:
    """``default_by`` = (another column, {its value: this column's default})."""
    return Described(name, description, example, choices, limits, default_by)


# checked in this order: Money stores integers but holds amounts
_KINDS: tuple[tuple[type, Kind], ...] = (
    (Money, Kind.MONEY),
    (Date, Kind.DATE),
    (Float, Kind.NUMBER),
    (Integer, Kind.INTEGER),
    (String, Kind.TEXT),
)


def _kind(stored: TableColumn) -> Kind:
    for sql_type, kind in _KINDS:
        if isinstance(stored.type, sql_type) or isinstance(
            getattr(stored.type, "impl_instance", None), sql_type
        ):
            return kind
    raise TypeError(f"no CSV kind for column {stored.name} of type {stored.type!r}")


def _max_length(stored: TableColumn) -> int:
    """The table's length, or for its unlimited text the longest free text accepted."""
    return getattr(stored.type, "length", None) or vocabulary.MAX_TEXT_LENGTH


def _column(table: type[SQLModel], described: Described, stored_as: str | None = None) -> Column:
    stored = table.__table__.c[stored_as or described.name]
    kind = Kind.CHOICE if described.choices is not None else _kind(stored)
    default = None if stored.default is None else stored.default.arg
    if callable(default):  # a default computed from the row (described.default_by)
        default = None
    by = described.default_by
    return Column(
        described.name,
        kind,
        required=not stored.nullable and default is None and by is None,
        default=default,
        max_length=_max_length(stored) if kind is Kind.TEXT else None,
        choices=tuple(member.value for member in described.choices or ()),
        limits=described.limits,
        description=described.description,
        example=described.example,
        default_by=None if by is None else (by[0], tuple(by[1].items())),
    )


def entity(
    table: type[SQLModel],
    label: str,
    key: tuple[str, ...],
    columns: Sequence[Described],
    *,
    parent: Entity | None = None,
    reference: Described | None = None,
    rules: Rules = no_rules,
) -> Entity:
    """The entity stored in ``table``, named as the table is (``costs``).

    Its columns are those naming its owners' rows, then ``columns``; its natural key is
    those reference columns and ``key``, unique within its parent.
    """
    references = _references(parent)
    return Entity(
        table.__tablename__,
        (*references, *(_column(table, described) for described in columns)),
        (*(column.name for column in references), *key),
        rules,
        label=label,
        table=table,
        parent=parent,
        reference=None if reference is None else _column(table, reference, stored_as="key"),
    )


# ---- rules across the columns of a row ------------------------------------------------------


def _money_range_problems(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    amounts = columns["amount"]
    for name, wrong in (("low", Decimal.__gt__), ("high", Decimal.__lt__)):
        bound = columns[name]
        if all(limit is None for limit in bound):
            continue
        relation = "above" if name == "low" else "below"
        for i, (limit, amount) in enumerate(zip(bound, amounts, strict=True)):
            if limit is not None and amount is not None and wrong(limit, amount):
                message = f"{limit} is {relation} amount {amount}"
                problems.setdefault(i, []).append((name, message))
    return problems


def _ordered_dates(
    columns: Mapping[str, list], first: str, later: str, strictly: bool
) -> RowProblems:
    problems: RowProblems = {}
    ends = columns[later]
    if ends.count(None) == len(ends):
        return problems
    for i, (start, end) in enumerate(zip(columns[first], ends, strict=True)):
        if start is not None and end is not None and (end <= start if strictly else end < start):
            word = "on or before" if strictly else "before"
            problems.setdefault(i, []).append((later, f"{end} is {word} {first} {start}"))
    return problems


def _item_rules(columns: Mapping[str, list]) -> RowProblems:
    return merge_problems(
        _money_range_problems(columns), _ordered_dates(columns, "date", "end_date", False)
    )


def _kpi_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    for i, (baseline, target) in enumerate(
        zip(columns["baseline"], columns["target"], strict=True)
    ):
        if baseline is not None and baseline == target:
            problems[i] = [("target", f"{target:g} equals the baseline: a KPI must change")]
    return merge_problems(problems, _ordered_dates(columns, "baseline_date", "target_date", True))


def _risk_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    most = {
        vocabulary.RiskImpact.DELAY.value: (Decimal(vocabulary.MAX_MONTHS), "months"),
        vocabulary.RiskImpact.BENEFIT_REDUCTION.value: (Decimal(vocabulary.PERCENT.high or 0), "%"),
    }
    rows = zip(
        columns["impact_kind"], columns["low"], columns["likely"], columns["high"], strict=True
    )
    for i, (kind, low, likely, high) in enumerate(rows):
        if None not in (low, likely) and likely < low:
            problems.setdefault(i, []).append(("likely", f"{likely} is below low {low}"))
        if None not in (likely, high) and high < likely:
            problems.setdefault(i, []).append(("high", f"{high} is below likely {likely}"))
        if kind in most and high is not None and high > most[kind][0]:
            limit, unit = most[kind]
            problems.setdefault(i, []).append(("high", f"{high} is above {limit} {unit}"))
    return problems


_DRIVER_NEEDS = {
    vocabulary.DriverKind.TIME_SAVED.value: ("hourly_rate",),
    vocabulary.DriverKind.COST_AVOIDED.value: (),
    vocabulary.DriverKind.REVENUE_UPLIFT.value: ("revenue_base", "margin"),
}


def _driver_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    for i, kind in enumerate(columns["kind"]):
        for name in _DRIVER_NEEDS.get(kind, ()):
            if columns[name][i] is None:
                problems.setdefault(i, []).append((name, f"is required for a {kind} driver"))
    return problems


def _redeployment_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    for i, (hours, amount) in enumerate(
        zip(columns["hours_per_month"], columns["amount_per_month"], strict=True)
    ):
        if (hours is None) == (amount is None):
            message = "give either hours_per_month or amount_per_month"
            problems[i] = [("hours_per_month", message)]
    return problems


# ---- the entities ---------------------------------------------------------------------------

# the meaning of the columns that costs and benefits share (tables.Item)
_OCCURS = "date of the (first) occurrence"
_AMOUNT = "amount (≥ 0, at most 2 decimals)"
_RECURS = "how often the amount recurs from `date`"
_ENDS = "last month a recurring item occurs (not before `date`)"
_LOW = "pessimistic amount (≤ amount), for Monte Carlo"
_HIGH = "optimistic amount (≥ amount), for Monte Carlo"

PROJECTS = entity(
    Project,
    "Projects",
    ("key",),
    (
        column("key", "unique key of the project", "CHAT"),
        column("name", "name of the project", "Support chatbot"),
        column("business_unit", "business unit that owns it", "Customer service"),
        column("owner", "person accountable", "Ada Lovelace"),
        column("use_case", "kind of AI use case", "customer service"),
        column("stage", "stage of the project", "pilot", choices=vocabulary.Stage),
        column("start_date", "start of the project: its calendar month is period 0", "2025-01-01"),
        column(
            "horizon_months",
            "analysis horizon in months (default: ROI_TRACKER_HORIZON_MONTHS)",
            "36",
            limits=vocabulary.HORIZON_MONTHS,
        ),
        column(
            "discount_rate",
            "annual discount rate, 0.12 = 12 % (default: ROI_TRACKER_DISCOUNT_RATE)",
            "0.1",
            limits=vocabulary.DISCOUNT_RATE,
        ),
        column(
            "probability_of_success",
            "chance the project succeeds, 0 to 1",
            "0.8",
            limits=vocabulary.FRACTION,
        ),
        column(
            "cost_contingency",
            "extra share added to planned costs, 0.1 = 10 %",
            "0.1",
            limits=vocabulary.NOT_NEGATIVE,
        ),
        column(
            "risk_premium",
            "added to the discount rate for risk-adjusted figures, annual fraction",
            "0.02",
            limits=vocabulary.NOT_NEGATIVE,
        ),
        column("currency", "currency code", "USD"),
        column("description", "free text", "Answers tier-1 tickets"),
    ),
    reference=column("project_key", "key of the project (projects.csv or already stored)", "CHAT"),
)

KPIS = entity(
    Kpi,
    "KPIs",
    ("key",),
    (
        column("key", "key of the KPI, unique within its project", "HANDLE_TIME"),
        column("name", "name of the KPI", "Average handle time"),
        column("unit", "unit of the values", "minutes"),
        column("baseline", "value at the baseline date", "12"),
        column("target", "value to reach (≠ baseline)", "8"),
        column(
            "baseline_date",
            "date of the baseline (default: the project's start_date)",
            "2025-01-01",
        ),
        column(
            "target_date", "date by which the target is due (after baseline_date)", "2025-12-31"
        ),
        column(
            "specific",
            "what exactly is measured (SMART: specific)",
            "Mean minutes per tier-1 ticket",
        ),
        column(
            "relevant_objective",
            "business objective it serves (SMART: relevant)",
            "Lower support cost",
        ),
        column("owner", "person accountable", "Ada Lovelace"),
        column("category", "free grouping, e.g. efficiency", "efficiency"),
        column(
            "outcome_volume",
            "yes: its measurements are the project's outcome volume of each month (cost per "
            "outcome)",
            "no",
            choices=vocabulary.YesNo,
        ),
    ),
    parent=PROJECTS,
    reference=column("kpi_key", "key of the KPI within its project", "HANDLE_TIME"),
    rules=_kpi_rules,
)

MEASUREMENTS = entity(
    Measurement,
    "Measurements",
    ("date", "group"),
    (
        column("date", "date of the measurement", "2025-03-31"),
        column("value", "measured value", "10.5"),
        column("note", "free text", "after the first release"),
        column(
            "group",
            "treated (using the AI, default) or control (a comparison group)",
            "treated",
            choices=vocabulary.MeasurementGroup,
        ),
    ),
    parent=KPIS,
)

BENCHMARKS = entity(
    Benchmark,
    "Benchmarks",
    ("name",),
    (
        column("name", "what is compared, e.g. industry median", "Industry median"),
        column("value", "the benchmark's value", "9"),
        column("source", "where the figure comes from", "Annual support survey"),
    ),
    parent=KPIS,
)

COSTS = entity(
    Cost,
    "Costs",
    ("key",),
    (
        column("key", "key of the cost, unique within its project", "LICENSES"),
        column("date", _OCCURS, "2025-01-01"),
        column("category", "cost category", "licensing", choices=vocabulary.CostCategory),
        column("amount", _AMOUNT, "1200.50"),
        column("recurrence", _RECURS, "monthly", choices=vocabulary.Recurrence),
        column("end_date", _ENDS, "2025-12-01"),
        column(
            "status", "planned or actual (already spent)", "planned", choices=vocabulary.CostStatus
        ),
        column("low", _LOW, "1000.00"),
        column("high", _HIGH, "1500.00"),
        column("description", "free text", "Model API subscription"),
    ),
    parent=PROJECTS,
    rules=_item_rules,
)

BENEFITS = entity(
    Benefit,
    "Benefits",
    ("key",),
    (
        column("key", "key of the benefit, unique within its project", "TIME_SAVED"),
        column("date", _OCCURS, "2025-03-01"),
        column("type", "hard (cash) or soft benefit", "hard", choices=vocabulary.BenefitType),
        column("category", "benefit category", "time_savings", choices=vocabulary.BenefitCategory),
        column("amount", _AMOUNT, "4000.00"),
        column("recurrence", _RECURS, "monthly", choices=vocabulary.Recurrence),
        column("end_date", _ENDS),
        column(
            "status",
            "expected or realized (already received)",
            "expected",
            choices=vocabulary.BenefitStatus,
        ),
        column(
            "confidence", "chance the benefit arrives, 0 to 1", "0.7", limits=vocabulary.FRACTION
        ),
        column(
            "ramp_months",
            "months to reach the full amount (0: at once)",
            "3",
            limits=vocabulary.RAMP_MONTHS,
        ),
        column("low", _LOW, "2500.00"),
        column("high", _HIGH, "5000.00"),
        column("description", "free text", "Agent hours saved"),
        column(
            "evidence",
            "what the amount rests on: measured (KPI measurements), derived (a KPI's "
            "forecast), estimated (a person's estimate), assumed (a planning assumption); "
            "default from the category",
            "estimated",
            choices=vocabulary.Evidence,
            default_by=("category", vocabulary.DEFAULT_EVIDENCE),
        ),
        column(
            "cash_class",
            "cashable (revenue, spend removed), cost_avoidance, non_cashable (e.g. hours "
            "freed that nobody redeployed) or non_financial; default from the category",
            "non_cashable",
            choices=vocabulary.CashClass,
            default_by=("category", vocabulary.DEFAULT_CASH_CLASS),
        ),
    ),
    parent=PROJECTS,
    rules=_item_rules,
)

_IMPACT = "money for a cost, months for a delay, percent for a benefit_reduction (≥ 0)"

RISKS = entity(
    Risk,
    "Risks",
    ("key",),
    (
        column("key", "key of the risk, unique within its project", "VENDOR_PRICE"),
        column("title", "what could happen", "Model vendor raises its prices"),
        column("probability", "chance the risk happens, 0 to 1", "0.3", limits=vocabulary.FRACTION),
        column(
            "impact_kind",
            "what it does when it happens: a cost, a delay of the expected benefits or a "
            "reduction of them",
            "cost",
            choices=vocabulary.RiskImpact,
        ),
        column("low", f"smallest impact: {_IMPACT}", "5000"),
        column("likely", f"most likely impact (low ≤ likely ≤ high): {_IMPACT}", "10000"),
        column("high", f"largest impact: {_IMPACT}", "20000"),
        column(
            "date",
            "when a cost would fall (default: the project's start_date); unused otherwise",
            "2025-09-01",
        ),
        column("owner", "person who watches the risk", "Grace Hopper"),
        column("mitigation", "what is done about it", "Second vendor qualified"),
        column(
            "status",
            "open (counts in the risk-adjusted figures) or closed",
            "open",
            choices=vocabulary.RiskStatus,
        ),
    ),
    parent=PROJECTS,
    rules=_risk_rules,
)

VALUE_DRIVERS = entity(
    ValueDriver,
    "Value drivers",
    ("benefit_key",),
    (
        column("benefit_key", "key of the benefit whose value it computes", "TIME_SAVED"),
        column(
            "kind",
            "time_saved, cost_avoided or revenue_uplift (docs/value.md)",
            "time_saved",
            choices=vocabulary.DriverKind,
        ),
        column(
            "volume_kpi",
            "KPI of the volume per month (tasks, units); for revenue_uplift any KPI of the "
            "project, unused",
            "TICKETS",
        ),
        column(
            "rate_kpi",
            "KPI whose change is the value: minutes per task, cost per unit, or conversion "
            "rate; its baseline is the value before",
            "HANDLE_TIME",
        ),
        column("adoption_kpi", "KPI of the share of users, 0 to 1 (time_saved; optional)"),
        column("hourly_rate", "loaded cost of one hour (time_saved)", "55.00"),
        column("revenue_base", "revenue per month the conversion applies to", "200000.00"),
        column("margin", "share of revenue kept as profit", "0.3", limits=vocabulary.FRACTION),
    ),
    parent=PROJECTS,
    rules=_driver_rules,
)

REDEPLOYMENTS = entity(
    Redeployment,
    "Redeployments",
    ("date", "kind"),
    (
        column("date", "from when the freed time counts as cash", "2025-09-01"),
        column(
            "kind",
            "headcount_avoided, overtime_cut, contractor_spend_cut, licence_reduced or "
            "volume_absorbed (without hiring)",
            "overtime_cut",
            choices=vocabulary.RedeploymentKind,
        ),
        column("hours_per_month", "hours a month turned into cash (or amount_per_month)", "120"),
        column("amount_per_month", "cash a month (or hours_per_month)", ""),
        column("owner", "person accountable", "Grace Hopper"),
        column("evidence", "what shows it happened", "Overtime budget cut in the Q3 plan"),
    ),
    parent=PROJECTS,
    rules=_redeployment_rules,
)

DECISIONS = entity(
    Decision,
    "Decisions",
    ("date", "decision"),
    (
        column("date", "date of the decision", "2025-06-30"),
        column("decision", "what was decided", "continue", choices=vocabulary.DecisionKind),
        column("rationale", "why", "Handle time falls as planned"),
        column("author", "who decided", "Steering committee"),
    ),
    parent=PROJECTS,
)


def _rule_rules(columns: Mapping[str, list]) -> RowProblems:
    problems: RowProblems = {}
    for i, (kind, pattern) in enumerate(
        zip(columns["match_type"], columns["pattern"], strict=True)
    ):
        if kind == vocabulary.MatchType.REGEX and pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                problems[i] = [("pattern", f"is not a regular expression: {exc}")]
    return merge_problems(problems, _ordered_dates(columns, "valid_from", "valid_to", False))


ALLOCATION_RULES = entity(
    AllocationRule,
    "Allocation rules",
    ("priority", "match", "pattern"),
    (
        column("priority", "lower first: the first matching priority takes a bill line", "10"),
        column(
            "match",
            "what is compared: a FOCUS column (SubAccountName, ServiceName, ResourceId...), "
            "an x_ column, tag:KEY, openai:project_id, anthropic:workspace_id, litellm:team_id "
            "or litellm:tag",
            "tag:project",
        ),
        column("pattern", "the value, wildcard pattern or regular expression", "chatbot"),
        column(
            "match_type",
            "exact (case-sensitive), glob (* and ? wildcards) or regex (a full match)",
            "exact",
            choices=vocabulary.MatchType,
        ),
        column(
            "share",
            "fraction of the matched amount (the rules with the same priority, match and "
            "pattern sum to 1)",
            "1",
            limits=vocabulary.SHARE,
        ),
        column(
            "category", "cost category of the allocated cost", "infrastructure",
            choices=vocabulary.CostCategory,
        ),
        column("valid_from", "first charge day the rule applies to (empty: open)", "2025-01-01"),
        column("valid_to", "last charge day the rule applies to (empty: open)", ""),
    ),
    parent=PROJECTS,
    rules=_rule_rules,
)  # fmt: skip

FX_RATES = entity(
    FxRate,
    "Exchange rates",
    ("date", "from", "to"),
    (
        column("date", "a day of the month the rate applies to (the first, usually)", "2025-01-01"),
        column("from", "currency converted from", "EUR"),
        column("to", "currency converted to", "USD"),
        column("rate", "1 `from` = rate `to`", "1.0842", limits=vocabulary.POSITIVE),
    ),
)

#: every entity by name, in load order
ENTITIES: dict[str, Entity] = {
    declared.name: declared
    for declared in (
        PROJECTS, KPIS, MEASUREMENTS, BENCHMARKS, COSTS, BENEFITS, DECISIONS, ALLOCATION_RULES,
        FX_RATES, VALUE_DRIVERS, REDEPLOYMENTS, RISKS,
    )
}  # fmt: skip
#: the order in which entities are loaded: each refers only to those before it
LOAD_ORDER = tuple(ENTITIES)


def schema_for(entity: str) -> Entity:
    """The entity named ``entity``; ValueError lists the entities otherwise."""
    try:
        return ENTITIES[entity.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown entity {entity!r}: one of {', '.join(ENTITIES)}") from None


def validate_row(entity: str, values: Mapping[str, object]) -> RowModel | list[Problem]:
    """Check one row (a form's values, a row of CSV text cells) with the rules of an import.

    Returns the typed row model, or its ``(column, message)`` problems. Values may be CSV
    text or already typed (``date``, ``Decimal``, ``float``...); empty optional values take
    their default.
    """
    schema = schema_for(entity)
    typed, problems = schema.check_row(values)
    if problems:
        return problems
    return schema.model.model_construct(**typed)


__all__ = [
    "ALLOCATION_RULES",
    "BENCHMARKS",
    "BENEFITS",
    "COSTS",
    "DECISIONS",
    "ENTITIES",
    "FX_RATES",
    "KPIS",
    "LOAD_ORDER",
    "MEASUREMENTS",
    "PROJECTS",
    "REDEPLOYMENTS",
    "RISKS",
    "VALUE_DRIVERS",
    "Described",
    "Entity",
    "column",
    "entity",
    "schema_for",
    "validate_row",
]
