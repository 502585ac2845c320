"""What the benefits rest on: the waterfall from realized cash to what is still expected, and
how a driven benefit is valued month by month (docs/value.md)."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from roi_tracker.config import Settings
from roi_tracker.domain.cashflows import spread
from roi_tracker.domain.vocabulary import BenefitStatus, CashClass, DriverKind, Evidence
from roi_tracker.errors import NotFound
from roi_tracker.services.finance import value
from roi_tracker.services.finance.inputs import CENTS, load_inputs
from roi_tracker.services.finance.models import (
    Attribution,
    DriverExplanation,
    Waterfall,
    WaterfallStep,
)
from roi_tracker.store import queries
from roi_tracker.store.tables import ValueDriver

__all__ = ["DRIVER_FORMULAS", "WATERFALL_STEPS", "explain_driver", "explain_drivers", "waterfall"]

#: (step, label): realized benefits by cash class, then everything still expected
WATERFALL_STEPS = (
    (CashClass.CASHABLE.value, "Realized cashable"),
    (CashClass.COST_AVOIDANCE.value, "Cost avoidance"),
    (CashClass.NON_CASHABLE.value, "Non-cashable"),
    (CashClass.NON_FINANCIAL.value, "Non-financial"),
    ("expected", "Still expected"),
)
#: the evidence label of redeployed time savings counted as cash
REDEPLOYED = "redeployed"

DRIVER_FORMULAS = {
    DriverKind.TIME_SAVED.value: "volume × (baseline − measured minutes per task) / 60 × "
    "hourly rate × adoption",
    DriverKind.COST_AVOIDED.value: "volume × (baseline − measured unit cost)",
    DriverKind.REVENUE_UPLIFT.value: "revenue base × (measured − baseline conversion) / "
    "baseline conversion × margin",
}


def waterfall(
    session: Session,
    settings: Settings,
    *,
    project_key: str | None = None,
    project_keys: tuple[str, ...] | None = None,
    as_of: date,
) -> Waterfall:
    """The benefits over the horizon (forecast basis as of ``as_of``) of one project, some
    (``project_keys``) or all, as a waterfall: realized
    cashable → cost avoidance → non-cashable → non-financial → still expected, each step with
    the amounts per evidence. Redeployed time savings up to as-of move from non-cashable to
    cashable (evidence "redeployed")."""
    inputs = load_inputs(session, settings, project_key=project_key, as_of=as_of)
    chosen = np.ones(inputs.grid.projects, dtype=bool)
    if project_keys is not None:
        chosen = inputs.projects["key"].isin(list(project_keys)).to_numpy()
    frame = inputs.benefits
    realized = (frame["status"] == BenefitStatus.REALIZED.value).to_numpy()
    step = np.where(realized, frame["cash_class"].to_numpy(dtype=object), "expected")
    labels = [f"{s}|{e}" for s, e in zip(step, frame["evidence"], strict=True)]
    codes, names = (np.zeros(0, dtype=np.int64), np.array([], dtype=object))
    if labels:
        import pandas as pd

        codes, names = pd.factorize(pd.Series(labels, dtype=object))
    amounts: dict[str, dict[str, float]] = {name: {} for name, _ in WATERFALL_STEPS}
    # in the reporting currency: each chosen project's months at their rates
    rates = np.ones((inputs.grid.projects, inputs.grid.periods))
    if inputs.exchange is not None:
        moving = spread(inputs.benefit_items, inputs.grid) != 0
        if inputs.redeployed is not None:
            moving |= inputs.redeployed != 0
        rates = inputs.exchange.factors(inputs.grid, moving & chosen[:, np.newaxis])
    if len(names):
        flows = np.asarray(spread(inputs.benefit_items, inputs.grid, groups=codes,
                                  n_groups=len(names))) * rates  # fmt: skip
        for name, total in zip(names, flows[:, chosen].sum(axis=(1, 2)), strict=True):
            where, evidence = str(name).split("|")
            amounts[where][evidence] = amounts[where].get(evidence, 0.0) + float(total)
    if inputs.redeployed is not None and inputs.grid.as_of is not None:
        passed = (
            np.arange(inputs.grid.periods)[np.newaxis, :]
            <= (inputs.grid.as_of - inputs.grid.start)[:, np.newaxis]
        )
        moved = float((inputs.redeployed * rates * passed)[chosen].sum())
        if moved:
            amounts[CashClass.CASHABLE.value][REDEPLOYED] = moved
            non_cashable = amounts[CashClass.NON_CASHABLE.value]
            # taken from the non-cashable time savings, those of the weakest evidence first
            for evidence in reversed([e.value for e in Evidence]):
                taken = min(moved, non_cashable.get(evidence, 0.0))
                if taken:
                    non_cashable[evidence] -= taken
                    moved -= taken
    steps = [
        WaterfallStep(
            step=name,
            label=label,
            amount=round(sum(amounts[name].values()) / CENTS, 2),
            evidence={e: round(v / CENTS, 2) for e, v in sorted(amounts[name].items()) if v},
        )
        for name, label in WATERFALL_STEPS
    ]
    return Waterfall(currency=settings.currency, as_of=as_of, steps=steps)


def explain_driver(
    session: Session, settings: Settings, *, project_key: str, benefit_key: str, as_of: date
) -> DriverExplanation:
    """The month-by-month inputs and value of a driven benefit (currency units)."""
    import pandas as pd

    project = queries.get_project(session, key=project_key)
    assert project.id is not None
    driver = session.execute(
        select(ValueDriver).where(
            col(ValueDriver.project_id) == project.id, col(ValueDriver.benefit_key) == benefit_key
        )
    ).scalar_one_or_none()
    if driver is None:
        raise NotFound(f"benefit {benefit_key!r} of project {project_key!r} has no value driver")
    benefits = queries.benefits_frame(session, project_ids=[project.id]).to_dict("records")
    horizon = project.horizon_months or settings.horizon_months
    start = project.start_date.year * 12 + project.start_date.month - 1
    driven = value.driven_benefits(
        session, project_ids=[project.id], projects={project.id: (start, horizon)},
        benefits=benefits, as_of=as_of,
    )  # fmt: skip
    computed = driven.get((project.id, benefit_key))
    if computed is None:
        raise NotFound(f"project {project_key!r} has no benefit {benefit_key!r}")
    rows = value.drive_benefits(
        [b for b in benefits if b["key"] == benefit_key], {computed_key(computed): computed}, as_of
    )
    adoption = computed.adoption
    table = pd.DataFrame(
        {
            "month": [r["date"] for r in rows],
            "volume": computed.volume.values,
            "rate": computed.rate.values,
            "baseline": computed.rate.baseline,
            "adoption": np.nan if adoption is None else adoption.values,
            "change": computed.result.change,
            "value": [r["amount_cents"] / CENTS for r in rows],
            "evidence": [r["evidence"] for r in rows],
        }
    )
    attribution = None
    did = computed.attribution
    if did is not None:
        attribution = Attribution(
            effect=did.effect, low=did.low, high=did.high, level=did.level, method=did.method,
            seed=did.seed, treated_before=did.means[0], treated_after=did.means[1],
            control_before=did.means[2], control_after=did.means[3],
            confidence=computed.confidence if computed.confidence is not None else 1.0,
        )  # fmt: skip
    return DriverExplanation(
        project_key=project_key,
        benefit_key=benefit_key,
        kind=driver.kind,
        formula=DRIVER_FORMULAS[driver.kind],
        attribution=attribution,
        table=table,
    )


def explain_drivers(
    session: Session, settings: Settings, *, project_key: str, as_of: date
) -> list[DriverExplanation]:
    """:func:`explain_driver` of every driven benefit of a project, by benefit key."""
    project = queries.get_project(session, key=project_key)
    keys = session.execute(
        select(col(ValueDriver.benefit_key))
        .where(col(ValueDriver.project_id) == project.id)
        .order_by(col(ValueDriver.benefit_key))
    ).scalars()
    explained = []
    for benefit_key in keys:
        try:
            explained.append(
                explain_driver(
                    session, settings, project_key=project_key, benefit_key=benefit_key, as_of=as_of
                )
            )
        except NotFound:
            continue  # a driver whose benefit is not recorded: nothing to value
    return explained


def computed_key(computed: value.DrivenBenefit) -> tuple[int, str]:
    return (computed.project_id, computed.benefit_key)
