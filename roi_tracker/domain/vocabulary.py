"""The values that the CSV formats, the store and the settings accept (docs/csv-formats.md).

The closed sets of text values, and the limits of numbers and codes: each is defined once
here, and the tables' check constraints, the CSV columns and the settings all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Range:
    """The numbers a value may take, from ``low`` to ``high``; a missing end is open."""

    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False

    def __contains__(self, value: float | Decimal) -> bool:
        if self.low is not None and (
            value < self.low or (self.low_exclusive and value == self.low)
        ):
            return False
        return self.high is None or not value > self.high

    def text(self) -> str:
        """The range in words, as error messages and docs/csv-formats.md give it."""
        low = "" if self.low is None else f"{self.low:g}"
        high = "" if self.high is None else f"{self.high:g}"
        if low and high:
            return f"between {low} and {high}" + (" (exclusive below)" * self.low_exclusive)
        if low:
            return f"{'above' if self.low_exclusive else 'at least'} {low}"
        return f"at most {high}"


#: the longest horizon or ramp-up, in months (50 years)
MAX_MONTHS = 600
HORIZON_MONTHS = Range(1, MAX_MONTHS)
RAMP_MONTHS = Range(0, MAX_MONTHS)
#: probabilities, confidence, and the default discount rate
FRACTION = Range(0, 1)
#: a project's annual discount rate: -100 % would discount everything to nothing
DISCOUNT_RATE = Range(-1, 1, low_exclusive=True)
#: shares added on top (cost contingency, risk premium)
NOT_NEGATIVE = Range(0)
#: ISO 4217 currency codes: USD, EUR...
CURRENCY_CODE_LENGTH = 3
#: the longest free text (a description, note or rationale) where the table sets no length:
#: a few pages, far beyond any real note, far below what would slow a page, an email or a
#: database
MAX_TEXT_LENGTH = 10_000
#: the dates a record may hold: what the forms' date pickers offer, and any plausible plan
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
#: an allocation rule's share of what it matches
SHARE = Range(0, 1, low_exclusive=True)
#: an exchange rate
POSITIVE = Range(0, low_exclusive=True)


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class MatchType(StrEnum):
    """How an allocation rule's pattern is compared with a bill line's value."""

    EXACT = "exact"  # equal, case-sensitive
    GLOB = "glob"  # * ? [..] wildcards
    REGEX = "regex"  # a regular expression matching the whole value


class Stage(StrEnum):
    IDEA = "idea"
    PILOT = "pilot"
    PRODUCTION = "production"
    SCALED = "scaled"
    RETIRED = "retired"


class Recurrence(StrEnum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


#: months between two occurrences; 0 means the item happens once
RECURRENCE_STEP_MONTHS = {
    Recurrence.ONE_TIME: 0,
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.ANNUALLY: 12,
}


class CostStatus(StrEnum):
    PLANNED = "planned"
    ACTUAL = "actual"


class BenefitStatus(StrEnum):
    EXPECTED = "expected"
    REALIZED = "realized"


class BenefitType(StrEnum):
    HARD = "hard"
    SOFT = "soft"


class CostCategory(StrEnum):
    DEVELOPMENT = "development"
    DATA = "data"
    INFRASTRUCTURE = "infrastructure"
    LICENSING = "licensing"
    TALENT = "talent"
    CHANGE_MANAGEMENT = "change_management"
    MAINTENANCE = "maintenance"
    OTHER = "other"


class BenefitCategory(StrEnum):
    TIME_SAVINGS = "time_savings"
    PRODUCTIVITY = "productivity"
    COST_SAVINGS = "cost_savings"
    REVENUE = "revenue"
    EMPLOYEE_SATISFACTION = "employee_satisfaction"
    BRAND = "brand"
    CUSTOMER_EXPERIENCE = "customer_experience"
    VALUATION = "valuation"
    OTHER = "other"


class Evidence(StrEnum):
    """What a benefit's amount rests on, strongest first."""

    MEASURED = "measured"  # computed from KPI measurements
    DERIVED = "derived"  # from a KPI's forecast
    ESTIMATED = "estimated"  # a person's estimate
    ASSUMED = "assumed"  # a planning assumption


class CashClass(StrEnum):
    """Whether a benefit reaches the books as cash."""

    CASHABLE = "cashable"  # revenue gained, spend removed
    COST_AVOIDANCE = "cost_avoidance"  # spend that would have come and will not
    NON_CASHABLE = "non_cashable"  # e.g. hours freed that nobody redeployed
    NON_FINANCIAL = "non_financial"


#: the cash classes of the benefit scope ``cash``
CASH_CLASSES = frozenset({CashClass.CASHABLE, CashClass.COST_AVOIDANCE})

#: a benefit's evidence and cash class when none is given, by its category
CATEGORY_DEFAULTS: dict[BenefitCategory, tuple[Evidence, CashClass]] = {
    BenefitCategory.TIME_SAVINGS: (Evidence.ESTIMATED, CashClass.NON_CASHABLE),
    BenefitCategory.PRODUCTIVITY: (Evidence.ESTIMATED, CashClass.NON_CASHABLE),
    BenefitCategory.COST_SAVINGS: (Evidence.ESTIMATED, CashClass.CASHABLE),
    BenefitCategory.REVENUE: (Evidence.ESTIMATED, CashClass.CASHABLE),
    BenefitCategory.EMPLOYEE_SATISFACTION: (Evidence.ASSUMED, CashClass.NON_FINANCIAL),
    BenefitCategory.BRAND: (Evidence.ASSUMED, CashClass.NON_FINANCIAL),
    BenefitCategory.CUSTOMER_EXPERIENCE: (Evidence.ASSUMED, CashClass.NON_FINANCIAL),
    BenefitCategory.VALUATION: (Evidence.ASSUMED, CashClass.NON_FINANCIAL),
    BenefitCategory.OTHER: (Evidence.ASSUMED, CashClass.NON_CASHABLE),
}
DEFAULT_EVIDENCE = {category.value: ev.value for category, (ev, _) in CATEGORY_DEFAULTS.items()}
DEFAULT_CASH_CLASS = {category.value: cc.value for category, (_, cc) in CATEGORY_DEFAULTS.items()}


class MeasurementGroup(StrEnum):
    """Who a measurement is of: those using the AI (treated) or a comparison group."""

    TREATED = "treated"
    CONTROL = "control"


class RedeploymentKind(StrEnum):
    """How freed time became cash."""

    HEADCOUNT_AVOIDED = "headcount_avoided"
    OVERTIME_CUT = "overtime_cut"
    CONTRACTOR_SPEND_CUT = "contractor_spend_cut"
    LICENCE_REDUCED = "licence_reduced"
    VOLUME_ABSORBED = "volume_absorbed"


class DriverKind(StrEnum):
    """The named ways a benefit's value is computed from KPIs (docs/value.md)."""

    TIME_SAVED = "time_saved"
    COST_AVOIDED = "cost_avoided"
    REVENUE_UPLIFT = "revenue_uplift"


class RiskImpact(StrEnum):
    """What a risk does when it happens: a cost, a delay of the expected benefits (months),
    or a reduction of the expected benefits (percent)."""

    COST = "cost"
    DELAY = "delay"
    BENEFIT_REDUCTION = "benefit_reduction"


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


#: a benefit reduction in percent
PERCENT = Range(0, 100)


class DecisionKind(StrEnum):
    CONTINUE = "continue"
    PIVOT = "pivot"
    SCALE = "scale"
    STOP = "stop"


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CRON = "cron"


class DeliveryStatus(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"  # retried by the next run
    REFUSED = "refused"  # refused permanently (5xx) too often: not retried for this period
