"""The finance conventions of the contract, recomputed month by month with plain Python.

Deliberately naive (a spreadsheet's way): exact fractions for the undiscounted money, floats
for discounting, a scan and bisection for the IRR. Nothing here calls the product's code.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

STEPS = {"one_time": 0, "monthly": 1, "quarterly": 3, "annually": 12}
DEFAULT_RATE = Fraction("0.10")
DEFAULT_HORIZON = 36


def month_no(day: date) -> int:
    return day.year * 12 + day.month - 1


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def frac(text: str, default: str) -> Fraction:
    return Fraction(text or default)


@dataclass
class Project:
    key: str
    name: str
    start: int
    horizon: int
    rate: Fraction
    success: Fraction
    contingency: Fraction
    premium: Fraction
    costs: list[Fraction] = field(default_factory=list)
    hard: list[Fraction] = field(default_factory=list)
    soft: list[Fraction] = field(default_factory=list)
    risk_costs: list[Fraction] = field(default_factory=list)
    risk_hard: list[Fraction] = field(default_factory=list)
    risk_soft: list[Fraction] = field(default_factory=list)


def occurrences(row: dict[str, str], start: int, horizon: int):
    """(period, ramp factor) of every occurrence of an item inside the horizon."""
    first = month_no(date.fromisoformat(row["date"]))
    step = STEPS[row.get("recurrence") or "one_time"]
    end = month_no(date.fromisoformat(row["end_date"])) if row.get("end_date") else None
    ramp = int(row.get("ramp_months") or 0)
    j = 0
    while True:
        period = first + j - start
        if j > 0 and end is not None and first + j > end:
            return
        if period > horizon - 1:
            return
        if period >= 0:
            yield period, min(Fraction(1), Fraction(j + 1, ramp)) if ramp else Fraction(1)
        if step == 0:
            return
        j += step


def triangle_mean(row: dict[str, str], happened: bool) -> Fraction:
    """Mean amount of an item in the Monte Carlo: Triangular(low, amount, high) if pending."""
    amount = Fraction(row["amount"])
    if happened:
        return amount
    return (Fraction(row["low"] or amount) + amount + Fraction(row["high"] or amount)) / 3


def build(
    files: dict[str, str], basis: str, as_of: date, delay: int = 0, simulated: bool = False
) -> list[Project]:
    """Monthly flows of each project; ``delay`` moves expected benefits that count later.

    With ``simulated`` the risk-adjusted flows are the Monte Carlo's expectation instead:
    no contingency, and each pending amount the mean of its triangle.
    """
    projects: dict[str, Project] = {}
    for row in rows(files["projects.csv"]):
        horizon = int(row["horizon_months"] or DEFAULT_HORIZON)
        projects[row["key"]] = Project(
            key=row["key"],
            name=row["name"],
            start=month_no(date.fromisoformat(row["start_date"])),
            horizon=horizon,
            rate=frac(row["discount_rate"], str(DEFAULT_RATE)),
            success=frac(row["probability_of_success"], "1"),
            contingency=frac(row["cost_contingency"], "0"),
            premium=frac(row["risk_premium"], "0"),
            **{name: [Fraction(0)] * horizon for name in
               ("costs", "hard", "soft", "risk_costs", "risk_hard", "risk_soft")},
        )  # fmt: skip

    def counts(happened: bool, period: int, project: Project) -> bool:
        if basis == "plan":
            return not happened
        split = month_no(as_of) - project.start
        return period <= split if happened else period > split

    for row in rows(files["costs.csv"]):
        project = projects[row["project_key"]]
        happened = row["status"] == "actual"
        amount = Fraction(row["amount"])
        for period, _ in occurrences(row, project.start, project.horizon):
            if counts(happened, period, project):
                project.costs[period] += amount
                if simulated:
                    project.risk_costs[period] += triangle_mean(row, happened)
                else:
                    risk = 1 if happened else 1 + project.contingency
                    project.risk_costs[period] += amount * risk
    for row in rows(files["benefits.csv"]):
        project = projects[row["project_key"]]
        happened = row["status"] == "realized"
        amount = Fraction(row["amount"])
        confidence = frac(row["confidence"], "1")
        plain, risky = (
            (project.hard, project.risk_hard)
            if row["type"] == "hard"
            else (project.soft, project.risk_soft)
        )
        for period, factor in occurrences(row, project.start, project.horizon):
            if counts(happened, period, project):
                moved = period if happened else period + delay
                if moved > project.horizon - 1:
                    continue
                plain[moved] += amount * factor
                risk = 1 if happened else confidence * project.success
                mean = triangle_mean(row, happened) if simulated else amount
                risky[moved] += mean * factor * risk
    return list(projects.values())


def monthly(rate: Fraction | float) -> float:
    return (1 + float(rate)) ** (1 / 12) - 1


def discounted(values: list, rate: Fraction | float) -> list[float]:
    m = monthly(rate)
    return [float(v) / (1 + m) ** t for t, v in enumerate(values)]


def payback(values: list) -> int | None:
    total, negative = 0, False
    for t, value in enumerate(values):
        total += value
        if total < 0:
            negative = True
        elif negative:
            return t
    return None


def irr_roots(values: list) -> list[float]:
    """Every annual rate (monthly compounding) zeroing the NPV, by scan and bisection."""
    net = [float(v) for v in values]

    def npv(m: float) -> float:
        # Horner in x = 1 / (1 + m)
        x, total = 1 / (1 + m), 0.0
        for value in reversed(net):
            total = total * x + value
        return total

    grid = [-0.9 + i * 0.001 for i in range(1900)]  # monthly rates -90 % ... +100 %
    roots = []
    for low, high in itertools.pairwise(grid):
        f_low, f_high = npv(low), npv(high)
        if f_low == 0:
            roots.append(low)
        elif f_low * f_high < 0:
            for _ in range(200):
                middle = (low + high) / 2
                if npv(low) * npv(middle) <= 0:
                    high = middle
                else:
                    low = middle
            roots.append((low + high) / 2)
    return [(1 + m) ** 12 - 1 for m in roots]


def ratio(numerator, denominator) -> float | None:
    return None if denominator == 0 else float(Fraction(numerator) / Fraction(denominator))


def metrics(project: Project, scope: str) -> dict:
    benefits = [
        h + (s if scope == "total" else 0) for h, s in zip(project.hard, project.soft, strict=True)
    ]
    risk_benefits = [
        h + (s if scope == "total" else 0)
        for h, s in zip(project.risk_hard, project.risk_soft, strict=True)
    ]
    net = [b - c for b, c in zip(benefits, project.costs, strict=True)]
    discounted_net = discounted(net, project.rate)
    npv = sum(discounted_net)
    present_costs = sum(discounted(project.costs, project.rate))
    risk_net = [b - c for b, c in zip(risk_benefits, project.risk_costs, strict=True)]
    return {
        "costs": sum(project.costs),
        "benefits": sum(benefits),
        "npv": npv,
        "irr": irr_roots(net),
        "roi": ratio(sum(benefits) - sum(project.costs), sum(project.costs)),
        "discounted_roi": None if present_costs == 0 else npv / present_costs,
        "payback_period": payback(net),
        "discounted_payback_period": payback(discounted_net),
        "risk_adjusted_npv": sum(discounted(risk_net, project.rate + project.premium)),
        "risk_adjusted_roi": ratio(
            sum(risk_benefits) - sum(project.risk_costs), sum(project.risk_costs)
        ),
        # kept for the portfolio
        "_net": net,
        "_discounted_net": discounted_net,
        "_present_costs": present_costs,
        "_risk_costs": sum(project.risk_costs),
        "_risk_benefits": sum(risk_benefits),
    }


def portfolio(projects: list[Project], per_project: list[dict]) -> dict:
    first = min(p.start for p in projects)
    length = max(p.start - first + p.horizon for p in projects)
    net = [Fraction(0)] * length
    discounted_net = [0.0] * length
    for project, values in zip(projects, per_project, strict=True):
        for t in range(project.horizon):
            net[project.start - first + t] += values["_net"][t]
            discounted_net[project.start - first + t] += values["_discounted_net"][t]
    costs = sum(v["costs"] for v in per_project)
    benefits = sum(v["benefits"] for v in per_project)
    npv = sum(v["npv"] for v in per_project)
    risk_costs = sum(v["_risk_costs"] for v in per_project)
    return {
        "costs": costs,
        "benefits": benefits,
        "npv": npv,
        "irr": irr_roots(net),
        "roi": ratio(benefits - costs, costs),
        "discounted_roi": npv / sum(v["_present_costs"] for v in per_project),
        "payback_period": payback(net),
        "discounted_payback_period": payback(discounted_net),
        "risk_adjusted_npv": sum(v["risk_adjusted_npv"] for v in per_project),
        "risk_adjusted_roi": ratio(sum(v["_risk_benefits"] for v in per_project) - risk_costs,
                                   risk_costs),
    }  # fmt: skip


def report(
    files: dict[str, str], basis: str, as_of: date, delay: int = 0, simulated: bool = False
) -> dict:
    """{"projects": {key: {"total": M, "hard": M}}, "portfolio": {"total": M, "hard": M}}."""
    projects = build(files, basis, as_of, delay, simulated)
    result: dict = {"projects": {}, "portfolio": {}}
    per_scope = {scope: [metrics(p, scope) for p in projects] for scope in ("total", "hard")}
    for i, project in enumerate(projects):
        result["projects"][project.key] = {s: per_scope[s][i] for s in ("total", "hard")}
    for scope in ("total", "hard"):
        result["portfolio"][scope] = portfolio(projects, per_scope[scope])
    return result
