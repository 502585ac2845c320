"""The finance engine's inputs: the store's projects, costs and benefits as arrays.

Amounts are in cents as float64, so sums of whole cents stay exact. The report reads plain
columns and computes on numpy only (``load_engine_inputs``): ``roi-tracker report`` loads no
pandas; the other use cases keep the rows as frames (``load_inputs``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from sqlmodel import Session

from roi_tracker.bills.fx import Rates
from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import NO_END, Basis, Grid, Items, month_index, step_months
from roi_tracker.domain.metrics import Flows, RiskParameters, build_flows
from roi_tracker.domain.risks import COST, DELAY, REDUCTION, Risks
from roi_tracker.domain.vocabulary import (
    BenefitStatus,
    BenefitType,
    CashClass,
    CostStatus,
    RiskImpact,
    RiskStatus,
)
from roi_tracker.errors import InvalidInput, NotFound
from roi_tracker.store import queries

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BASES",
    "CENTS",
    "EngineInputs",
    "Exchange",
    "PortfolioInputs",
    "Table",
    "currencies",
    "engine_inputs",
    "inputs_from_frames",
    "load_engine_inputs",
    "load_inputs",
]

BASES: tuple[Basis, ...] = ("plan", "forecast")
#: cents per currency unit
CENTS = 100.0


@dataclass(frozen=True)
class Exchange:
    """The projects' currencies (in grid order) and the rates into the reporting currency
    ``target``, for portfolios whose projects do not all count in it."""

    currencies: tuple[str, ...]
    target: str
    rates: Rates

    def factors(self, grid: Grid, moving: np.ndarray) -> np.ndarray:
        """The rate of each project and period where ``moving`` (money flows), into
        ``target``; 1 elsewhere. Shape (projects, periods) of ``grid``.

        A month after a pair's last stored rate takes that rate (forecasts run past today's
        rates); any other month without a rate raises :class:`MissingRate`.
        """
        factors = np.ones((grid.projects, grid.periods))
        for project, currency in enumerate(self.currencies):
            if currency == self.target:
                continue
            for period in np.flatnonzero(moving[project]):
                month = int(grid.start[project]) + int(period)
                factors[project, period] = float(
                    self.rates.rate(
                        currency, self.target, date(month // 12, month % 12 + 1, 1), after_last=True
                    )
                )
        return factors


@dataclass(frozen=True)
class EngineInputs:
    """Everything the finance engine needs about a set of projects, as arrays.

    ``keys`` and ``names`` are the projects in the order of the grid rows. Amounts are in
    cents.
    """

    keys: tuple[str, ...]
    names: tuple[str, ...]
    grid: Grid
    parameters: RiskParameters
    cost_items: Items
    benefit_items: Items
    benefit_is_hard: np.ndarray
    benefit_confidence: np.ndarray
    basis: Basis
    as_of: date
    benefit_is_cash: np.ndarray | None = None
    #: non-cashable time savings: what a redeployment may turn into cash
    benefit_is_non_cashable_time: np.ndarray | None = None
    #: non-cashable time savings that count as cash, cents per project and period
    redeployed: np.ndarray | None = None
    #: the open risks
    risks: Risks = field(default_factory=Risks.none)
    #: how to convert the projects' flows into the reporting currency; None: all count in it
    exchange: Exchange | None = None

    def flows(self) -> Flows:
        return build_flows(
            self.cost_items,
            self.benefit_items,
            self.benefit_is_hard,
            self.benefit_confidence,
            self.grid,
            self.parameters,
            benefit_is_cash=self.benefit_is_cash,
            redeployed=self.redeployed,
            risks=self.risks,
        )

    def in_reporting_currency(self, flows: Flows) -> Flows:
        """``flows`` (of these inputs) converted month by month into the reporting currency."""
        if self.exchange is None:
            return flows
        return flows.converted(self.exchange.factors(self.grid, flows.moving))


@dataclass(frozen=True, kw_only=True)
class PortfolioInputs(EngineInputs):
    """The engine's arrays with the rows they come from, for the views that show the rows.

    ``projects`` keeps the project rows (key, name, effective horizon and rates...) in the
    order of the grid rows; the item frames keep their rows in the order of the Items arrays.
    """

    projects: pd.DataFrame
    costs: pd.DataFrame
    benefits: pd.DataFrame
    #: the open risks' rows, in the order of ``risks``
    risk_rows: pd.DataFrame


def _check_basis(basis: str) -> Basis:
    if basis not in BASES:
        raise InvalidInput(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
    return basis


#: columns by name: a dict of lists (a read of the store) or a DataFrame
Table = Mapping[str, Any]


def _floats(column: Any, missing: float = math.nan) -> np.ndarray:
    values = np.array(column, dtype=float)  # None becomes NaN
    return np.where(np.isnan(values), missing, values)


def _equal(column: Any, value: str) -> np.ndarray:
    """Where ``column`` (a list, an array or a pandas column) holds ``value``."""
    values = column if hasattr(column, "dtype") else np.array(column, dtype=object)
    return np.asarray(values == value, dtype=bool)


def _cash_classes(benefits: Table, *classes: CashClass) -> np.ndarray:
    """Where a benefit's cash class is one of ``classes`` (none where the rows have none)."""
    column = benefits.get("cash_class")
    if column is None:
        return np.zeros(len(benefits["type"]), dtype=bool)
    found = np.zeros(len(benefits["type"]), dtype=bool)
    for cash_class in classes:
        found |= _equal(column, cash_class.value)
    return found


def _items(table: Table, project_ids: np.ndarray, happened: str) -> Items:
    # the row of each item's project; every item belongs to one of the projects
    order = np.argsort(project_ids, kind="stable")
    item_projects = np.array(table["project_id"], dtype=np.int64)
    size = len(item_projects)
    return Items(
        project=order[np.searchsorted(project_ids, item_projects, sorter=order)].astype(np.int64),
        month=month_index(table["date"]),
        end_month=month_index(table["end_date"]),
        step=step_months(table["recurrence"]),
        amount=np.array(table["amount_cents"], dtype=float),
        ramp=(
            np.array(table["ramp_months"], dtype=np.int64)
            if "ramp_months" in table
            else np.zeros(size, dtype=np.int64)
        ),
        happened=_equal(table["status"], happened),
    )


#: impact kind -> (code, hundredths stored per unit: cents, hundredths of a month, of a %)
_IMPACTS = {
    RiskImpact.COST.value: (COST, 1.0),
    RiskImpact.DELAY.value: (DELAY, 100.0),
    RiskImpact.BENEFIT_REDUCTION.value: (REDUCTION, 10_000.0),
}


def _risks(table: Table | None, project_ids: np.ndarray, start: np.ndarray) -> Risks:
    """The open risks of ``table`` (a read of ``queries.risks_query(open_only=True)``)."""
    if table is None or len(table["project_id"]) == 0:
        return Risks.none()
    order = np.argsort(project_ids, kind="stable")
    risk_projects = np.array(table["project_id"], dtype=np.int64)
    project = order[np.searchsorted(project_ids, risk_projects, sorter=order)].astype(np.int64)
    kinds = [_IMPACTS[kind] for kind in table["impact_kind"]]
    scale = np.array([unit for _, unit in kinds])
    month = month_index(table["date"])
    return Risks(
        project=project,
        kind=np.array([code for code, _ in kinds], dtype=np.int64),
        probability=_floats(table["probability"]),
        low=_floats(table["low_cents"]) / scale,
        likely=_floats(table["likely_cents"]) / scale,
        high=_floats(table["high_cents"]) / scale,
        # without a date a cost falls at the project's start
        month=np.where(month == NO_END, start[project], month),
    )


def engine_inputs(
    projects: Table,
    costs: Table,
    benefits: Table,
    settings: Settings,
    *,
    basis: Basis = "forecast",
    as_of: date,
    risks: Table | None = None,
    rates: Rates | None = None,
) -> EngineInputs:
    """The engine's arrays from the columns of the store's reads (lists or DataFrames).

    A project's missing horizon and discount rate take the defaults of ``settings``, a
    missing currency the reporting currency; every cost, benefit and risk must belong to one
    of ``projects``; ``risks`` are the open risks. ``rates`` convert projects in other
    currencies (none: no rate is known).
    """
    basis = _check_basis(basis)
    project_ids = np.array(projects["id"], dtype=np.int64)
    grid = Grid(
        start=month_index(projects["start_date"]),
        horizon=_floats(projects["horizon_months"], settings.horizon_months).astype(np.int64),
        as_of=(as_of.year * 12 + as_of.month - 1) if basis == "forecast" else None,
    )
    parameters = RiskParameters(
        discount_rate=_floats(projects["discount_rate"], settings.discount_rate),
        probability_of_success=_floats(projects["probability_of_success"]),
        cost_contingency=_floats(projects["cost_contingency"]),
        risk_premium=_floats(projects["risk_premium"]),
    )
    return EngineInputs(
        keys=tuple(projects["key"]),
        names=tuple(projects["name"]),
        grid=grid,
        parameters=parameters,
        cost_items=_items(costs, project_ids, CostStatus.ACTUAL.value),
        benefit_items=_items(benefits, project_ids, BenefitStatus.REALIZED.value),
        benefit_is_hard=_equal(benefits["type"], BenefitType.HARD.value),
        benefit_is_cash=_cash_classes(benefits, CashClass.CASHABLE, CashClass.COST_AVOIDANCE),
        benefit_is_non_cashable_time=_cash_classes(benefits, CashClass.NON_CASHABLE)
        & _equal(benefits.get("category", [None] * len(benefits["type"])), "time_savings"),
        benefit_confidence=_floats(benefits["confidence"]),
        basis=basis,
        as_of=as_of,
        risks=_risks(risks, project_ids, grid.start),
        exchange=_exchange(projects, settings, rates),
    )


def currencies(projects: Table, reporting_currency: str) -> tuple[str, ...]:
    """Each project's currency: its own, or the reporting currency where it has none."""
    column = projects.get("currency")
    if column is None:
        return (reporting_currency,) * len(projects["id"])
    return tuple(
        value.strip().upper() if isinstance(value, str) and value.strip() else reporting_currency
        for value in column
    )


def _exchange(projects: Table, settings: Settings, rates: Rates | None) -> Exchange | None:
    own = currencies(projects, settings.currency)
    if all(currency == settings.currency for currency in own):
        return None
    return Exchange(own, settings.currency, rates if rates is not None else Rates([]))


def _rates(session: Session, projects: Table, settings: Settings) -> Rates | None:
    """The stored rates, read only when some project counts in another currency."""
    if all(currency == settings.currency for currency in currencies(projects, settings.currency)):
        return None
    from roi_tracker.services.bills import stored_rates

    return stored_rates(session)


def inputs_from_frames(
    projects: pd.DataFrame,
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    settings: Settings,
    *,
    basis: Basis = "forecast",
    as_of: date,
    risks: pd.DataFrame | None = None,
    rates: Rates | None = None,
) -> PortfolioInputs:
    """Arrays for the finance engine, with their rows, from the frames of
    :mod:`roi_tracker.store.queries`.

    A project's NULL horizon and discount rate take the defaults of ``settings``; items and
    risks of projects not in ``projects`` are dropped, and so are closed risks.
    """
    projects = projects.reset_index(drop=True).copy()
    projects["horizon_months"] = (
        projects["horizon_months"].fillna(settings.horizon_months).astype("int64")
    )
    projects["discount_rate"] = projects["discount_rate"].fillna(settings.discount_rate)
    costs = costs[costs["project_id"].isin(projects["id"])].reset_index(drop=True)
    benefits = benefits[benefits["project_id"].isin(projects["id"])].reset_index(drop=True)
    if risks is None:
        import pandas as pd

        risks = pd.DataFrame(columns=["project_id", "impact_kind", "status"])
    risks = risks[
        risks["project_id"].isin(projects["id"]) & (risks["status"] == RiskStatus.OPEN.value)
    ].reset_index(drop=True)
    engine = engine_inputs(
        projects, costs, benefits, settings, basis=basis, as_of=as_of, risks=risks, rates=rates
    )
    arrays = {spec.name: getattr(engine, spec.name) for spec in fields(engine)}
    return PortfolioInputs(
        **arrays, projects=projects, costs=costs, benefits=benefits, risk_rows=risks
    )


Read = TypeVar("Read", bound=Table)


def _read(
    session: Session, project_key: str | None, read: Callable[..., Read]
) -> tuple[Read, Read, Read, Read]:
    """The projects (one, or all), their costs, their benefits and their open risks, each
    read by ``read`` (:func:`queries.read_frame` or :func:`queries.read_columns`)."""
    keys = [project_key] if project_key is not None else None
    projects = read(session, statement=queries.projects_query(keys=keys))
    ids = [int(i) for i in projects["id"]]
    if project_key is not None and not ids:
        raise NotFound(f"no project with key {project_key!r}")
    costs = read(session, statement=queries.costs_query(project_ids=ids))
    benefits = read(session, statement=queries.benefits_query(project_ids=ids))
    risks = read(session, statement=queries.risks_query(project_ids=ids, open_only=True))
    return projects, costs, benefits, risks


def with_value(
    session: Session, settings: Settings, tables: tuple[Read, Read, Read], as_of: date
) -> tuple[Read, Read, Read]:
    """The tables (lists or frames) with driven benefits valued from their KPIs, month by
    month (docs/value.md)."""
    from roi_tracker.services.finance import value

    projects, costs = tables[0], tables[1]
    benefits: Any = tables[2]
    ids = [int(i) for i in projects["id"]]
    # most portfolios value few benefits from KPIs, or none: then no row is looked at
    if not ids or not value.has_drivers(session, ids):
        return tables
    columns = list(benefits.keys()) if isinstance(benefits, dict) else list(benefits.columns)
    rows = (
        [dict(zip(columns, values, strict=True)) for values in zip(*benefits.values(), strict=True)]
        if isinstance(benefits, dict)
        else benefits.to_dict("records")
    )
    grid = {
        int(i): (int(start), int(horizon))
        for i, start, horizon in zip(
            ids,
            month_index(projects["start_date"]),
            _floats(projects["horizon_months"], settings.horizon_months),
            strict=True,
        )
    }
    driven = value.driven_benefits(
        session, project_ids=ids, projects=grid, benefits=rows, as_of=as_of
    )
    if not driven:
        return tables
    rows = value.drive_benefits(rows, driven, as_of)
    if isinstance(benefits, dict):
        valued: Any = {name: [row[name] for row in rows] for name in columns}
    else:
        valued = queries.frame_of(rows, columns)
    return projects, costs, valued


Inputs = TypeVar("Inputs", bound=EngineInputs)


def _redeployed(session: Session, engine: Inputs, ids: list[int]) -> Inputs:
    """The inputs with redeployed time savings counted as cash."""
    from roi_tracker.services.finance import value

    if not ids:
        return engine
    result: Inputs = value.with_redeployments(engine, value.redeployment_claims(session, ids), ids)
    return result


def load_inputs(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> PortfolioInputs:
    """Read the projects (one, or all) and their items from the store, as frames and arrays.

    Raises
    ------
    NotFound
        When ``project_key`` names no project.
    InvalidInput
        When ``basis`` is neither "plan" nor "forecast".
    """
    _check_basis(basis)
    projects, costs, benefits, risks = _read(session, project_key, queries.read_frame)
    frames = (projects, costs, benefits)
    if basis == "forecast":  # the plan keeps the typed amounts: docs/value.md
        frames = with_value(session, settings, frames, as_of)
    rates = _rates(session, frames[0], settings)
    inputs = inputs_from_frames(
        *frames, settings, basis=basis, as_of=as_of, risks=risks, rates=rates
    )
    return _redeployed(session, inputs, [int(i) for i in inputs.projects["id"]])


def load_engine_inputs(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    basis: Basis = "forecast",
    as_of: date,
) -> EngineInputs:
    """Read what :func:`load_inputs` reads, as arrays only (no pandas); the same errors."""
    _check_basis(basis)
    projects, costs, benefits, risks = _read(session, project_key, queries.read_columns)
    tables = (projects, costs, benefits)
    if basis == "forecast":
        tables = with_value(session, settings, tables, as_of)
    rates = _rates(session, tables[0], settings)
    inputs = engine_inputs(*tables, settings, basis=basis, as_of=as_of, risks=risks, rates=rates)
    return _redeployed(session, inputs, [int(i) for i in projects["id"]])
