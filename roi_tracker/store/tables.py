"""Every table of the store in one module; its metadata feeds Alembic.

Natural keys (docs/csv-formats.md) are unique constraints; money columns are exact
integer cents (``Money``); the value sets and limits of ``domain.vocabulary`` are check
constraints. ``roi_tracker.entities`` pairs each table a user records with its CSV format.
"""

from __future__ import annotations

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
    DISCOUNT_RATE,
    FRACTION,
    HORIZON_MONTHS,
    MAX_MONTHS,
    NOT_NEGATIVE,
    PERCENT,
    RAMP_MONTHS,
    BenefitCategory,
    BenefitStatus,
    BenefitType,
    CostCategory,
    CostStatus,
    DecisionKind,
    DeliveryStatus,
    Frequency,
    Range,
    Recurrence,
    RiskImpact,
    RiskStatus,
    Stage,
)
from roi_tracker.store.types import Money

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


class Measurement(Timestamped, table=True):
    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("kpi_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = foreign_key("kpis.id")
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
        fraction("confidence"),
        not_negative("ramp_months", RAMP_MONTHS),
    )

    type: str = Field(max_length=10)
    status: str = Field(default=BenefitStatus.EXPECTED.value, max_length=20)
    confidence: float = 1.0
    ramp_months: int = 0


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


__all__ = [
    "AuditEntry",
    "Benchmark",
    "Benefit",
    "BudgetThresholdCrossing",
    "Cost",
    "Decision",
    "Delivery",
    "Kpi",
    "Measurement",
    "Project",
    "Subscription",
    "User",
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
