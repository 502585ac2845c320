"""The closed sets of values that the CSV formats and the store accept (docs/csv-formats.md)."""

from __future__ import annotations

from enum import StrEnum


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
    FAILED = "failed"
