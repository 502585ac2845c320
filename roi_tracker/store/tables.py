"""Every table of the store in one module; its metadata feeds Alembic.

Natural keys (docs/csv-formats.md) are unique constraints; money columns are exact
integer cents (``Money``); the value sets and limits of ``domain.vocabulary`` are check
constraints. ``roi_tracker.entities`` pairs each table a user records with its CSV format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from roi_tracker import clock
from roi_tracker.access import Role
from roi_tracker.domain.vocabulary import (
    CURRENCY_CODE_LENGTH,
    DEFAULT_CASH_CLASS,
    DEFAULT_EVIDENCE,
    DISCOUNT_RATE,
    FRACTION,
    HORIZON_MONTHS,
    MAX_MONTHS,
    NOT_NEGATIVE,
    PERCENT,
    POSITIVE,
    RAMP_MONTHS,
    SHARE,
    BenefitCategory,
    BenefitStatus,
    BenefitType,
    CashClass,
    CostCategory,
    CostStatus,
    DecisionKind,
    DeliveryStatus,
    DriverKind,
    Evidence,
    Frequency,
    MatchType,
    MeasurementGroup,
    Range,
    Recurrence,
    RedeploymentKind,
    RiskImpact,
    RiskStatus,
    Stage,
    YesNo,
)
from roi_tracker.store.types import ExactDecimal, Money

# Named constraints make Alembic's batch mode on SQLite and downgrades reliable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: ``date`` under another name, for a column named ``date`` that may be empty (its default
#: None would shadow the type in the class body)
_Date = date


def utcnow() -> datetime:
    return clock.now()


def by_category(defaults: Mapping[str, str]) -> Callable[[Any], str]:
    """A column default read from the row's category, for an insert that leaves it out."""
    # a function of one argument: SQLAlchemy passes it the insert's context
    return lambda context: defaults[context.get_current_parameters()["category"]]


def one_of(column: str, values: type, name: str | None = None) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_valid")


def bounds(column: str, limits: Range) -> str:
    """The SQL test that ``column`` lies within ``limits``, e.g. ``x >= 0 AND x <= 1``."""
    tests = []
    if limits.low is not None:
        tests.append(f"{column} {'>' if limits.low_exclusive else '>='} {limits.low}")
    if limits.high is not None:
        tests.append(f"{column} <= {limits.high}")
    return " AND ".join(tests)


def within(column: str, limits: Range, suffix: str, nullable: bool = False) -> CheckConstraint:
    test = bounds(column, limits)
    if nullable:
        test = f"{column} IS NULL OR ({test})"
    return CheckConstraint(test, name=f"{column}_{suffix}")


def fraction(column: str) -> CheckConstraint:
    return within(column, FRACTION, "fraction")


def not_negative(column: str, limits: Range = NOT_NEGATIVE) -> CheckConstraint:
    """The lower end of ``limits`` only (the CSV rules also hold the upper end)."""
    return within(column, Range(limits.low), "not_negative")


def item_constraints(
    category: type, status: type
) -> tuple[UniqueConstraint | CheckConstraint, ...]:
    """The constraints every table of items (``Item``) has, given its categories and statuses."""
    return (
        UniqueConstraint("project_id", "key"),
        one_of("category", category),
        one_of("recurrence", Recurrence),
        one_of("status", status),
        not_negative("amount"),
        CheckConstraint(
            f"low IS NULL OR ({bounds('low', NOT_NEGATIVE)} AND low <= amount)",
            name="low_le_amount",
        ),
        CheckConstraint("high IS NULL OR high >= amount", name="high_ge_amount"),
        CheckConstraint("end_date IS NULL OR end_date >= date", name="end_after_date"),
    )


def foreign_key(target: str) -> Any:
    """A required reference whose rows go when the row they refer to is deleted.

    A new column for each table that declares it, so a base model may carry it too.
    """
    return Field(foreign_key=target, ondelete="CASCADE", index=True)


class Timestamped(SQLModel):
    # the ORM's version counter: a save that started from an older version is refused
    # (``version_id_col``, set by ``versioned``), so no change is lost silently
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"onupdate": utcnow},
    )

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Project(Timestamped, table=True):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("key"),
        one_of("stage", Stage),
        fraction("probability_of_success"),
        not_negative("cost_contingency"),
        not_negative("risk_premium"),
        within("discount_rate", DISCOUNT_RATE, "range", nullable=True),
        within("horizon_months", HORIZON_MONTHS, "range", nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    business_unit: str | None = Field(default=None, max_length=100)
    owner: str | None = Field(default=None, max_length=100)
    use_case: str | None = Field(default=None, max_length=100)
    stage: str = Field(default=Stage.IDEA.value, max_length=20)
    start_date: date
    horizon_months: int | None = None
    discount_rate: float | None = None
    probability_of_success: float = 1.0
    cost_contingency: float = 0.0
    risk_premium: float = 0.0
    currency: str | None = Field(default=None, max_length=CURRENCY_CODE_LENGTH)
    description: str | None = Field(default=None, sa_type=Text)


class Kpi(Timestamped, table=True):
    __tablename__ = "kpis"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        CheckConstraint("target <> baseline", name="target_differs_from_baseline"),
        CheckConstraint(
            "baseline_date IS NULL OR target_date > baseline_date", name="target_after_baseline"
        ),
        one_of("outcome_volume", YesNo),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    unit: str = Field(max_length=40)
    baseline: float
    target: float
    baseline_date: date | None = None
    target_date: date
    specific: str | None = Field(default=None, sa_type=Text)
    relevant_objective: str | None = Field(default=None, sa_type=Text)
    owner: str | None = Field(default=None, max_length=100)
    category: str | None = Field(default=None, max_length=100)
    # "yes": its measurements are the project's outcome volume per month (unit economics)
    outcome_volume: str = Field(
        default=YesNo.NO.value, max_length=3, sa_column_kwargs={"server_default": "no"}
    )


class Measurement(Timestamped, table=True):
    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("kpi_id", "date", "group"),
        # "group" is an SQL keyword: quoted in the check's text
        CheckConstraint(
            '"group" IN (' + ", ".join(f"'{g.value}'" for g in MeasurementGroup) + ")",
            name="group_valid",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = foreign_key("kpis.id")
    # treated: those using the AI; control: a comparison group (difference in differences)
    group: str = Field(default=MeasurementGroup.TREATED.value, max_length=10)
    date: date
    value: float
    note: str | None = Field(default=None, sa_type=Text)


class Benchmark(Timestamped, table=True):
    __tablename__ = "benchmarks"
    __table_args__ = (UniqueConstraint("kpi_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = foreign_key("kpis.id")
    name: str = Field(max_length=200)
    value: float
    source: str | None = Field(default=None, sa_type=Text)


class Item(Timestamped):
    """What a cost and a benefit share: an amount from a date on, once or recurring.

    Not a table: ``Cost`` and ``Benefit`` are, each with its own categories and statuses.
    """

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    key: str = Field(max_length=64)
    date: date
    category: str = Field(max_length=30)
    amount: Decimal = Field(sa_type=Money)
    recurrence: str = Field(default=Recurrence.ONE_TIME.value, max_length=20)
    end_date: date | None = None
    # each table sets its own default: planned costs, expected benefits
    status: str = Field(max_length=20)
    low: Decimal | None = Field(default=None, sa_type=Money)
    high: Decimal | None = Field(default=None, sa_type=Money)
    description: str | None = Field(default=None, sa_type=Text)


class Cost(Item, table=True):
    __tablename__ = "costs"
    __table_args__ = item_constraints(CostCategory, CostStatus)

    status: str = Field(default=CostStatus.PLANNED.value, max_length=20)


class Benefit(Item, table=True):
    __tablename__ = "benefits"
    __table_args__ = (
        *item_constraints(BenefitCategory, BenefitStatus),
        one_of("type", BenefitType),
        one_of("evidence", Evidence),
        one_of("cash_class", CashClass),
        fraction("confidence"),
        not_negative("ramp_months", RAMP_MONTHS),
    )

    type: str = Field(max_length=10)
    status: str = Field(default=BenefitStatus.EXPECTED.value, max_length=20)
    confidence: float = 1.0
    ramp_months: int = 0
    # when not given, the category's default (vocabulary.CATEGORY_DEFAULTS)
    evidence: str = Field(
        max_length=20, sa_column_kwargs={"default": by_category(DEFAULT_EVIDENCE)}
    )
    cash_class: str = Field(
        max_length=20, sa_column_kwargs={"default": by_category(DEFAULT_CASH_CLASS)}
    )


class ValueDriver(Timestamped, table=True):
    """How a benefit's value is computed from KPIs instead of typed amounts (docs/value.md).

    One named kind with its KPIs (keys within the benefit's project) and parameters: no
    formula is ever read from user text.
    """

    __tablename__ = "value_drivers"
    __table_args__ = (
        UniqueConstraint("project_id", "benefit_key"),
        one_of("kind", DriverKind),
        fraction("margin"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    # the benefit it drives (its key within the project)
    benefit_key: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    # tasks (or units, or visits) per month
    volume_kpi: str = Field(max_length=64)
    # minutes per task, cost per unit, or conversion rate: its baseline is the "before"
    rate_kpi: str = Field(max_length=64)
    # share of users (0 to 1); none: everyone
    adoption_kpi: str | None = Field(default=None, max_length=64)
    hourly_rate: Decimal | None = Field(default=None, sa_type=Money)
    revenue_base: Decimal | None = Field(default=None, sa_type=Money)
    margin: float | None = None


class Redeployment(Timestamped, table=True):
    """Freed time that became cash: from ``date`` on, this much of a project's non-cashable
    time savings counts as cashable (docs/value.md)."""

    __tablename__ = "redeployments"
    __table_args__ = (
        UniqueConstraint("project_id", "date", "kind"),
        one_of("kind", RedeploymentKind),
        not_negative("hours_per_month"),
        not_negative("amount_per_month"),
        CheckConstraint(
            "(hours_per_month IS NULL) <> (amount_per_month IS NULL)",
            name="hours_or_amount",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    date: date
    kind: str = Field(max_length=30)
    hours_per_month: float | None = None
    amount_per_month: Decimal | None = Field(default=None, sa_type=Money)
    owner: str | None = Field(default=None, max_length=100)
    evidence: str = Field(sa_type=Text)


class Risk(Timestamped, table=True):
    """A risk of a project: if it happens (with its probability), a cost, a delay of the
    expected benefits or a reduction of them, in a range low / likely / high."""

    __tablename__ = "risks"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        one_of("impact_kind", RiskImpact),
        one_of("status", RiskStatus),
        fraction("probability"),
        not_negative("low"),
        CheckConstraint("low <= likely AND likely <= high", name="low_likely_high_ordered"),
        # Money columns hold hundredths: 600 months is 60000, 100 % is 10000
        CheckConstraint(
            f"impact_kind <> '{RiskImpact.DELAY.value}' OR high <= {MAX_MONTHS * 100}",
            name="delay_within_months",
        ),
        CheckConstraint(
            f"impact_kind <> '{RiskImpact.BENEFIT_REDUCTION.value}' "
            f"OR high <= {int(PERCENT.high or 0) * 100}",
            name="reduction_within_percent",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    key: str = Field(max_length=64)
    title: str = Field(max_length=200)
    probability: float
    impact_kind: str = Field(max_length=20)
    # money for a cost, months for a delay, percent for a reduction: at most 2 decimals each
    low: Decimal = Field(sa_type=Money)
    likely: Decimal = Field(sa_type=Money)
    high: Decimal = Field(sa_type=Money)
    date: _Date | None = None
    owner: str | None = Field(default=None, max_length=100)
    mitigation: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default=RiskStatus.OPEN.value, max_length=20)


class Decision(Timestamped, table=True):
    """A go/no-go decision with its rationale: success is not binary and learnings are kept."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("project_id", "date", "decision"),
        one_of("decision", DecisionKind),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    date: date
    decision: str = Field(max_length=20)
    rationale: str = Field(sa_type=Text)
    author: str | None = Field(default=None, max_length=100)


class BudgetThresholdCrossing(SQLModel, table=True):
    """The first date spend crossed a share of the planned budget, recorded once per crossing.

    ``category`` is a cost category, or ``"all"`` for the project's whole budget.
    """

    __tablename__ = "budget_threshold_crossings"
    __table_args__ = (
        UniqueConstraint("project_id", "category", "threshold_percent"),
        CheckConstraint("threshold_percent > 0", name="threshold_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    category: str = Field(max_length=30)
    threshold_percent: int
    crossed_on: date
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class Subscription(Timestamped, table=True):
    """Who receives an email summary, of what scope, on which schedule."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        one_of("frequency", Frequency),
        CheckConstraint(
            "(frequency = 'cron') = (cron IS NOT NULL)", name="cron_given_with_cron_frequency"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    # NULL: the whole portfolio
    project_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    frequency: str = Field(max_length=10)
    cron: str | None = Field(default=None, max_length=100)
    timezone: str = Field(default="UTC", max_length=64)
    active: bool = True


class Delivery(SQLModel, table=True):
    """One summary for one subscription and period; the unique key is the claim against doubles."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "period_key"),
        one_of("status", DeliveryStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = foreign_key("subscriptions.id")
    period_key: str = Field(max_length=40)
    status: str = Field(max_length=10)
    attempts: int = 0
    claimed_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    message_id: str | None = Field(default=None, max_length=200)
    error: str | None = Field(default=None, sa_type=Text)
    # headline figures at sending time, so the next summary can show the change (JSON text)
    snapshot: str | None = Field(default=None, sa_type=Text)


class User(Timestamped, table=True):
    """Someone who may use the dashboard, with a role; local sign-in keeps an argon2 hash."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email"), one_of("role", Role))

    id: int | None = Field(default=None, primary_key=True)
    # stored in lower case: sign-in and OIDC match emails without regard to case
    email: str = Field(max_length=254)
    role: str = Field(max_length=10)
    # argon2id hash (PHC string); None for users who sign in through the identity provider
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_sign_in_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class AuditEntry(SQLModel, table=True):
    """One line of the audit trail: who changed what, when, from which value to which.

    Append-only: the database refuses UPDATE and DELETE on this table (triggers, migration
    0004), and the application has no code that would try.
    """

    __tablename__ = "audit_log"
    # a record's history (the Data page) and its last change (a refused save) read by these
    __table_args__ = (Index("ix_audit_log_entity_record_key", "entity", "record_key"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    # a user's email, ``cli:<os user>``, ``scheduler`` or ``local``
    actor: str = Field(max_length=260, index=True)
    action: str = Field(max_length=20)
    entity: str = Field(max_length=40)
    # the natural key of the record, e.g. ``alpha/licences`` (project key, then own key)
    record_key: str = Field(sa_type=Text)
    project_key: str | None = Field(default=None, max_length=64, index=True)
    field: str | None = Field(default=None, max_length=64)
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)
    # JSON with what a line needs beyond one field (an imported file's name, SHA-256, counts)
    detail: str | None = Field(default=None, sa_type=Text)


class AllocationRule(Timestamped, table=True):
    """Which bill lines go to which project: the first matching priority takes a line.

    The rules with the same priority, match and pattern split what they match by ``share``.
    """

    __tablename__ = "allocation_rules"
    __table_args__ = (
        UniqueConstraint("project_id", "priority", "match", "pattern"),
        one_of("match_type", MatchType),
        one_of("category", CostCategory),
        within("share", SHARE, "range"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
            name="valid_to_after_valid_from",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    priority: int
    # a FOCUS column, ``tag:KEY``, an ``x_`` column, ``openai:project_id``... (docs/bills.md)
    match: str = Field(max_length=200)
    pattern: str = Field(max_length=500)
    match_type: str = Field(default=MatchType.EXACT.value, max_length=10)
    share: float = 1.0
    category: str = Field(default=CostCategory.INFRASTRUCTURE.value, max_length=30)
    valid_from: date | None = None
    valid_to: date | None = None


# ``from`` and ``to`` are Python keywords: the columns the CSV format names can only be
# declared through the class namespace (read them with getattr(rate, "from"))
FxRate: type[Timestamped] = type(SQLModel)(
    "FxRate",
    (Timestamped,),
    {
        "__module__": __name__,
        "__doc__": "1 ``from`` = ``rate`` ``to`` in the month of ``date``.",
        "__tablename__": "fx_rates",
        "__table_args__": (
            UniqueConstraint("date", "from", "to"),
            within("rate", POSITIVE, "positive"),
        ),
        "__annotations__": {
            "id": int | None, "date": date, "from": str, "to": str, "rate": float,
        },
        "id": Field(default=None, primary_key=True),
        "from": Field(max_length=CURRENCY_CODE_LENGTH),
        "to": Field(max_length=CURRENCY_CODE_LENGTH),
    },
    table=True,
)  # fmt: skip


class BillFile(SQLModel, table=True):
    """An imported bill file: its SHA-256 (the same file twice changes nothing) and totals."""

    __tablename__ = "bill_files"
    __table_args__ = (UniqueConstraint("sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=500)
    sha256: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    rows: int
    # JSON: [{"billing_period", "currency", "effective_total", "billed_total"}] as read
    totals: str = Field(sa_type=Text)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    imported_by: str = Field(max_length=260)


class BillLineRecord(SQLModel, table=True):
    """One stored bill line: a day of an account's service, charge category, currency and
    allocation keys (``attributes``, JSON), with its exact amounts."""

    __tablename__ = "bill_lines"

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = foreign_key("bill_files.id")
    day: date
    billing_period: date = Field(index=True)
    account: str = Field(max_length=200, index=True)
    service: str = Field(max_length=200)
    charge_category: str = Field(max_length=20)
    currency: str = Field(max_length=CURRENCY_CODE_LENGTH)
    attributes: str = Field(sa_type=Text)
    effective_cost: Decimal = Field(sa_type=ExactDecimal)
    billed_cost: Decimal = Field(sa_type=ExactDecimal)
    tokens: Decimal | None = Field(default=None, sa_type=ExactDecimal)


class BillAllocation(SQLModel, table=True):
    """A part of a bill line given to a project (none: unallocated); replaced on every run."""

    __tablename__ = "bill_allocations"

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = foreign_key("bill_lines.id")
    # a deleted project's parts become unallocated: the bills still balance
    project_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    category: str | None = Field(default=None, max_length=30)
    amount: Decimal = Field(sa_type=ExactDecimal)


class BillCost(SQLModel, table=True):
    """A project's actual cost of one month and category from its allocated bill lines.

    In the project's currency, rounded to the cent; replaced whenever the bills are allocated
    again, so a rule change never doubles a cost. Read with the typed costs (``costs_query``).
    """

    __tablename__ = "bill_costs"
    __table_args__ = (UniqueConstraint("project_id", "month", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    # the cost's key where costs are listed: ``bills/2025-11/infrastructure``
    key: str = Field(max_length=64)
    month: date
    category: str = Field(max_length=30)
    amount: Decimal = Field(sa_type=Money)
    currency: str = Field(max_length=CURRENCY_CODE_LENGTH)
    # the kinds of bill it comes from, e.g. "focus, openai"
    source: str = Field(max_length=100)
    tokens: Decimal | None = Field(default=None, sa_type=ExactDecimal)


__all__ = [
    "AllocationRule",
    "AuditEntry",
    "Benchmark",
    "Benefit",
    "BillAllocation",
    "BillCost",
    "BillFile",
    "BillLineRecord",
    "BudgetThresholdCrossing",
    "Cost",
    "Decision",
    "Delivery",
    "FxRate",
    "Kpi",
    "Measurement",
    "Project",
    "Redeployment",
    "Subscription",
    "User",
    "ValueDriver",
    "utcnow",
]


class Baseline(SQLModel, table=True):
    """An approved business case: a project's plan frozen as version N, never changed after.

    ``plan`` is JSON: the project's parameters, costs, benefits and KPI targets at approval,
    and the figures computed from them (``services.baselines``).
    """

    __tablename__ = "baselines"
    __table_args__ = (
        UniqueConstraint("project_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = foreign_key("projects.id")
    version: int
    approved_by: str = Field(max_length=200)
    approved_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    # who recorded the approval (the audit trail's actor)
    recorded_by: str = Field(max_length=260)
    note: str | None = Field(default=None, sa_type=Text)
    plan: str = Field(sa_type=Text)


class BoardPackArchive(SQLModel, table=True):
    """A generated board pack: the data it was built from (JSON) and the file's SHA-256, so
    that the same workbook can be written again whatever the data became since."""

    __tablename__ = "board_packs"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    created_by: str = Field(max_length=260)
    as_of: date
    project_keys: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    data: str = Field(sa_type=Text)
