"""Bills in the store: import files, allocate their lines to projects, reconcile, explain.

An import reads every file first (all or nothing: one unreadable cell and nothing is
written), skips a file already imported (same SHA-256), lets a newer export of the same
billing account and period (day, for the providers' own reports) replace the older lines,
then allocates every stored line again by the current rules. Allocation writes each
project's monthly actual costs from bills (``bill_costs``), converted into its currency.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, insert, select, tuple_
from sqlmodel import Session, col

from roi_tracker.access import Actor, Permission, require
from roi_tracker.bills import (
    Allocation,
    BillLine,
    BillProblem,
    LineKey,
    ReadBill,
    Rule,
    allocate,
    balances,
    check_rules,
    decimal_text,
)
from roi_tracker.bills.allocation import DEFAULT_CATEGORY
from roi_tracker.bills.fx import Rates
from roi_tracker.bills.lines import PRECISION
from roi_tracker.domain.vocabulary import MatchType
from roi_tracker.errors import ValidationFailed
from roi_tracker.store import audit
from roi_tracker.store.tables import (
    AllocationRule,
    BillAllocation,
    BillCost,
    BillFile,
    BillLineRecord,
    FxRate,
    Kpi,
    Measurement,
    Project,
)

CENTS = Decimal("0.01")
INSERT_BATCH = 10_000

__all__ = [
    "BillCostRow",
    "BillImport",
    "Contributor",
    "FileImport",
    "OutcomeMonth",
    "Reconciliation",
    "UnitEconomics",
    "allocate_bills",
    "bill_costs",
    "follow_change",
    "import_bills",
    "reconcile",
    "unallocated_contributors",
    "unit_economics",
]


# ---- results, as the command line prints them ----------------------------------------------


class FileImport(BaseModel):
    file: str
    sha256: str
    kind: str
    rows: int
    lines: int
    status: str  # imported, unchanged (already imported), checked (dry run)
    replaced_lines: int = 0
    periods: list[dict[str, str]] = []


class BillImport(BaseModel):
    dry_run: bool
    files: list[FileImport]
    allocated_lines: int = 0


class PeriodReconciliation(BaseModel):
    billing_period: str
    currency: str
    effective_total: str
    billed_total: str
    allocated: dict[str, str]
    unallocated: str


class FileReconciliation(BaseModel):
    file: str
    sha256: str
    kind: str
    periods: list[PeriodReconciliation]


class Reconciliation(BaseModel):
    files: list[FileReconciliation]


class Contributor(BaseModel):
    billing_period: str
    currency: str
    account: str
    service: str
    sub_account: str
    amount: str


# ---- import ----------------------------------------------------------------------------------


Source = tuple[str, Path | bytes]


@dataclass
class _Read:
    name: str
    sha256: str
    bill: ReadBill


def _sha256(source: Path | bytes) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with source.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_bills(
    session: Session,
    sources: Sequence[Source],
    *,
    actor: Actor,
    reporting_currency: str,
    dry_run: bool = False,
) -> BillImport:
    """Import bill files (name, path or bytes); nothing is written if any cannot be read."""
    from roi_tracker.bills import read_bill  # loads pyarrow: only when bills are read

    require(actor, Permission.EDIT_DATA)
    read, problems = [], []
    for name, source in sources:
        try:
            read.append(_Read(name, _sha256(source), read_bill(source, name)))
        except BillProblem as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationFailed(problems, f"{len(problems)} problem(s) found; nothing was imported")
    known = set(session.scalars(select(col(BillFile.sha256))).all())
    outcomes = []
    for file in read:
        outcome = FileImport(
            file=Path(file.name).name, sha256=file.sha256, kind=file.bill.kind.value,
            rows=file.bill.rows, lines=len(file.bill.lines),
            status="checked" if dry_run else "imported",
            periods=[_total_json(total) for total in file.bill.totals],
        )  # fmt: skip
        if file.sha256 in known:
            outcome.status = "unchanged"
        elif not dry_run:
            outcome.replaced_lines = _store(session, file, actor)
        known.add(file.sha256)
        outcomes.append(outcome)
    result = BillImport(dry_run=dry_run, files=outcomes)
    if not dry_run and any(o.status == "imported" for o in outcomes):
        result.allocated_lines = allocate_bills(session, reporting_currency=reporting_currency)
    return result


def _total_json(total: Any) -> dict[str, str]:
    return {
        "billing_period": f"{total.billing_period:%Y-%m}",
        "currency": total.currency,
        "effective_total": decimal_text(total.effective),
        "billed_total": decimal_text(total.billed),
    }


def _store(session: Session, file: _Read, actor: Actor) -> int:
    """Insert the file and its lines; delete the older lines the file replaces."""
    bill = file.bill
    replaced = _replace_older(session, bill)
    record = BillFile(
        name=Path(file.name).name, sha256=file.sha256, kind=bill.kind.value, rows=bill.rows,
        totals=json.dumps([_total_json(t) for t in bill.totals]), imported_by=actor.name,
    )  # fmt: skip
    session.add(record)
    session.flush()
    rows = [
        {
            "file_id": record.id,
            "day": line.key.day,
            "billing_period": line.key.billing_period,
            "account": line.key.account,
            "service": line.key.service,
            "charge_category": line.key.charge_category,
            "currency": line.key.currency,
            "attributes": line.key.attributes_json,
            "effective_cost": line.effective_cost,
            "billed_cost": line.billed_cost,
            "tokens": line.tokens,
        }
        for line in bill.lines
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(BillLineRecord), rows[start : start + INSERT_BATCH])
    audit.append(
        session, actor=actor, action=audit.AuditAction.IMPORT, entity="bill_files",
        record_key=Path(file.name).name,
        detail={
            "sha256": file.sha256, "kind": bill.kind.value, "rows": bill.rows,
            "lines": len(bill.lines), "replaced_lines": replaced,
            "totals": [_total_json(t) for t in bill.totals],
        },
    )  # fmt: skip
    return replaced


def _replace_older(session: Session, bill: ReadBill) -> int:
    """Delete stored lines of the same kind, account and period (or day) as the new file's."""
    same_kind = select(col(BillFile.id)).where(col(BillFile.kind) == bill.kind.value)
    if bill.replaces == "day":
        column = col(BillLineRecord.day)
        keys = {(line.key.account, line.key.day) for line in bill.lines}
    else:
        column = col(BillLineRecord.billing_period)
        keys = {(line.key.account, line.key.billing_period) for line in bill.lines}
    replaced = 0
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        result = session.execute(
            delete(BillLineRecord).where(
                col(BillLineRecord.file_id).in_(same_kind),
                tuple_(col(BillLineRecord.account), column).in_(chunk),
            )
        )
        replaced += getattr(result, "rowcount", 0) or 0
    return replaced


# ---- allocation --------------------------------------------------------------------------------


def stored_rules(session: Session) -> list[Rule]:
    rows = session.execute(
        select(AllocationRule, col(Project.key))
        .join(Project, col(Project.id) == col(AllocationRule.project_id))
        .order_by(col(AllocationRule.priority), col(AllocationRule.id))
    ).all()
    return [
        Rule(
            priority=rule.priority, match=rule.match, pattern=rule.pattern, project_key=key,
            match_type=MatchType(rule.match_type), share=Decimal(repr(rule.share)),
            category=rule.category, valid_from=rule.valid_from, valid_to=rule.valid_to,
        )
        for rule, key in rows
    ]  # fmt: skip


def _stored_lines(session: Session) -> tuple[list[int], list[int], list[BillLine]]:
    """The ids, file ids and lines of every stored bill line."""
    ids, files, lines = [], [], []
    attributes: dict[str, tuple[tuple[str, Any], ...]] = {}
    for row in session.execute(select(BillLineRecord).order_by(col(BillLineRecord.id))).scalars():
        found = attributes.get(row.attributes)
        if found is None:
            values = json.loads(row.attributes)
            found = attributes[row.attributes] = tuple(
                (k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(values.items())
            )
        key = LineKey(
            day=row.day, billing_period=row.billing_period, account=row.account,
            service=row.service, charge_category=row.charge_category, currency=row.currency,
            attributes=found,
        )  # fmt: skip
        ids.append(row.id)
        files.append(row.file_id)
        lines.append(BillLine(key, row.effective_cost, row.billed_cost, row.tokens))
    return ids, files, lines


def stored_rates(session: Session) -> Rates:
    """The exchange rates of ``fx_rates``."""
    fx = FxRate.__table__.c  # type: ignore[attr-defined]
    return Rates(session.execute(select(fx.date, fx["from"], fx.to, fx.rate)).all())


def allocate_bills(session: Session, *, reporting_currency: str) -> int:
    """Allocate every stored bill line by the current rules again; returns the line count.

    Replaces the stored allocations and the projects' monthly costs from bills. Raises
    ValidationFailed when the rules are inconsistent, InvalidInput (MissingRate) when a
    bill's currency cannot be converted into a project's currency for a month.
    """
    rules = stored_rules(session)
    problems = check_rules(rules)
    if problems:
        raise ValidationFailed(problems, "the allocation rules are inconsistent; nothing changed")
    ids, files, lines = _stored_lines(session)
    parts = allocate(lines, rules)
    kinds = dict(session.execute(select(col(BillFile.id), col(BillFile.kind))).all())
    projects = {
        key: (project_id, (currency or reporting_currency).upper())
        for project_id, key, currency in session.execute(
            select(col(Project.id), col(Project.key), col(Project.currency))
        )
    }
    costs = _monthly_costs(lines, [kinds[f] for f in files], parts, projects, stored_rates(session))
    session.execute(delete(BillAllocation))
    session.execute(delete(BillCost))
    rows = [
        {
            "line_id": ids[part.line],
            "project_id": None if part.project_key is None else projects[part.project_key][0],
            "category": part.category,
            "amount": part.amount,
        }
        for part in parts
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(BillAllocation), rows[start : start + INSERT_BATCH])
    if costs:
        session.execute(insert(BillCost), costs)
    return len(lines)


def _monthly_costs(
    lines: Sequence[BillLine],
    kinds: Sequence[str],
    parts: Sequence[Allocation],
    projects: dict[str, tuple[int, str]],
    rates: Rates,
) -> list[dict[str, Any]]:
    """Each project's cost per month and category, in its currency, rounded to the cent."""
    sums: dict[tuple[str, date, str], Decimal] = defaultdict(Decimal)
    tokens: dict[tuple[str, date, str], Decimal] = defaultdict(Decimal)
    sources: dict[tuple[str, date, str], set[str]] = defaultdict(set)
    with localcontext(prec=PRECISION):
        for part in parts:
            if part.project_key is None:
                continue
            line = lines[part.line]
            month = line.key.day.replace(day=1)
            key = (part.project_key, month, part.category or DEFAULT_CATEGORY)
            target = projects[part.project_key][1]
            sums[key] += rates.convert(part.amount, line.key.currency, target, month)
            if line.tokens and line.effective_cost:
                tokens[key] += line.tokens * part.amount / line.effective_cost
            sources[key].add(kinds[part.line])
    return [
        {
            "project_id": projects[project_key][0], "month": month, "category": category,
            "key": f"bills/{month:%Y-%m}/{category}",
            "amount": amount.quantize(CENTS, rounding=ROUND_HALF_EVEN),
            "currency": projects[project_key][1],
            "source": "bills: " + ", ".join(sorted(sources[project_key, month, category])),
            "tokens": tokens.get((project_key, month, category)),
        }
        for (project_key, month, category), amount in sorted(sums.items())
    ]  # fmt: skip


#: the entities the allocation depends on: a change to one allocates the bills again
ALLOCATION_INPUTS = frozenset({"projects", "allocation_rules", "fx_rates"})


def follow_change(session: Session, entities: Sequence[str]) -> None:
    """Allocate the stored bills again if ``entities`` changed what their allocation uses."""
    if not ALLOCATION_INPUTS.intersection(entities):
        return
    if session.execute(select(col(BillLineRecord.id)).limit(1)).first() is None:
        return
    from roi_tracker.config import get_settings

    allocate_bills(session, reporting_currency=get_settings().currency)


# ---- reconciliation and the unallocated ----------------------------------------------------


def reconcile(session: Session) -> Reconciliation:
    """Per file, currency and billing period: total, allocated by project, unallocated."""
    ids, files, lines = _stored_lines(session)
    index = {line_id: i for i, line_id in enumerate(ids)}
    project_keys = dict(session.execute(select(col(Project.id), col(Project.key))).all())
    by_file: dict[int, list[int]] = defaultdict(list)
    for i, file_id in enumerate(files):
        by_file[file_id].append(i)
    parts_by_file: dict[int, list[tuple[int, str | None, Decimal]]] = defaultdict(list)
    for line_id, project_id, amount in session.execute(
        select(
            col(BillAllocation.line_id), col(BillAllocation.project_id), col(BillAllocation.amount)
        )
    ):
        i = index[line_id]
        key = None if project_id is None else project_keys[project_id]
        parts_by_file[files[i]].append((i, key, amount))
    result = []
    for record in session.scalars(select(BillFile).order_by(col(BillFile.id))):
        file_id = int(record.id or 0)
        members = by_file.get(file_id, [])
        if not members:
            continue  # every line replaced by a newer export
        position = {i: n for n, i in enumerate(members)}
        parts = [
            Allocation(position[i], key, None, amount) for i, key, amount in parts_by_file[file_id]
        ]
        periods = [
            PeriodReconciliation(
                billing_period=f"{b.billing_period:%Y-%m}", currency=b.currency,
                effective_total=decimal_text(b.effective_total),
                billed_total=decimal_text(b.billed_total),
                allocated={k: decimal_text(v) for k, v in sorted(b.allocated.items())},
                unallocated=decimal_text(b.unallocated),
            )
            for b in balances([lines[i] for i in members], parts)
        ]  # fmt: skip
        result.append(
            FileReconciliation(
                file=record.name, sha256=record.sha256, kind=record.kind, periods=periods
            )
        )
    return Reconciliation(files=result)


def unallocated_contributors(session: Session, *, top: int = 10) -> list[Contributor]:
    """The biggest unallocated amounts by period, currency, account, service and sub account."""
    sums: dict[tuple[str, str, str, str, str], Decimal] = defaultdict(Decimal)
    statement = (
        select(
            col(BillLineRecord.billing_period), col(BillLineRecord.currency),
            col(BillLineRecord.account), col(BillLineRecord.service),
            col(BillLineRecord.attributes), col(BillAllocation.amount),
        )
        .join(BillAllocation, col(BillAllocation.line_id) == col(BillLineRecord.id))
        .where(col(BillAllocation.project_id).is_(None))
    )  # fmt: skip
    with localcontext(prec=PRECISION):
        for period, currency, account, service, attributes, amount in session.execute(statement):
            values = json.loads(attributes)
            sub = values.get("SubAccountName") or values.get("SubAccountId") or ""
            for name in ("openai:project_id", "anthropic:workspace_id", "litellm:team_id"):
                sub = sub or values.get(name) or ""
            sums[(f"{period:%Y-%m}", currency, account, service, str(sub))] += amount
    ranked = sorted(sums.items(), key=lambda item: abs(item[1]), reverse=True)[:top]
    return [
        Contributor(
            billing_period=period, currency=currency, account=account, service=service,
            sub_account=sub, amount=decimal_text(amount),
        )
        for (period, currency, account, service, sub), amount in ranked
    ]  # fmt: skip


class BillCostRow(BaseModel):
    """A project's actual cost of one month and category from bills, with its source."""

    project_key: str
    month: str
    category: str
    amount: str
    currency: str
    source: str


def bill_costs(session: Session, *, project_key: str | None = None) -> list[BillCostRow]:
    """The costs from bills of every project (or one), by project, month and category."""
    statement = (
        select(BillCost, col(Project.key))
        .join(Project, col(Project.id) == col(BillCost.project_id))
        .order_by(col(Project.key), col(BillCost.month), col(BillCost.category))
    )
    if project_key is not None:
        statement = statement.where(col(Project.key) == project_key)
    return [
        BillCostRow(
            project_key=key, month=f"{cost.month:%Y-%m}", category=cost.category,
            amount=format(cost.amount, "f"), currency=cost.currency, source=cost.source,
        )
        for cost, key in session.execute(statement).all()
    ]  # fmt: skip


# ---- unit economics --------------------------------------------------------------------------


class OutcomeMonth(BaseModel):
    month: str
    allocated_cost: str | None
    volume: float | None
    cost_per_outcome: str | None
    tokens: str | None
    tokens_per_outcome: str | None


class UnitEconomics(BaseModel):
    """Cost (and tokens) per outcome by month of a project with an outcome-volume KPI."""

    project_key: str
    kpi_key: str
    unit: str
    currency: str
    months: list[OutcomeMonth]


def unit_economics(
    session: Session, *, reporting_currency: str, project_key: str | None = None
) -> list[UnitEconomics]:
    """Per project with a KPI marked ``outcome_volume``: its costs from bills of each month ÷
    the volume measured in that month (the sum of the month's measurements)."""
    statement = (
        select(col(Project.id), col(Project.key), col(Project.currency), col(Kpi.id),
               col(Kpi.key), col(Kpi.unit))
        .join(Kpi, col(Kpi.project_id) == col(Project.id))
        .where(col(Kpi.outcome_volume) == "yes")
        .order_by(col(Project.key), col(Kpi.key))
    )  # fmt: skip
    if project_key is not None:
        statement = statement.where(col(Project.key) == project_key)
    chosen: dict[int, tuple[str, str | None, int, str, str]] = {}
    for project_id, key, currency, kpi_id, kpi_key, unit in session.execute(statement):
        chosen.setdefault(project_id, (key, currency, kpi_id, kpi_key, unit))  # the first KPI
    if not chosen:
        return []
    volumes: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    kpi_projects = {kpi_id: project_id for project_id, (_, _, kpi_id, _, _) in chosen.items()}
    for kpi_id, day, value in session.execute(
        select(col(Measurement.kpi_id), col(Measurement.date), col(Measurement.value)).where(
            col(Measurement.kpi_id).in_(list(kpi_projects))
        )
    ):
        volumes[kpi_projects[kpi_id]][day.replace(day=1)] += value
    costs: dict[int, dict[date, list[Decimal]]] = defaultdict(dict)
    for project_id, month, amount, tokens in session.execute(
        select(col(BillCost.project_id), col(BillCost.month), col(BillCost.amount),
               col(BillCost.tokens)).where(col(BillCost.project_id).in_(list(chosen)))
    ):  # fmt: skip
        found = costs[project_id].setdefault(month, [Decimal(0), Decimal(0)])
        found[0] += amount
        found[1] += tokens or 0
    result = []
    for project_id, (key, currency, _, kpi_key, unit) in chosen.items():
        months = sorted(set(volumes[project_id]) | set(costs[project_id]))
        rows = [_outcome_month(m, costs[project_id].get(m), volumes[project_id].get(m))
                for m in months]  # fmt: skip
        result.append(UnitEconomics(project_key=key, kpi_key=kpi_key, unit=unit,
                                    currency=(currency or reporting_currency).upper(),
                                    months=rows))  # fmt: skip
    return result


def _outcome_month(month: date, cost: list[Decimal] | None, volume: float | None) -> OutcomeMonth:
    amount, tokens = cost if cost is not None else (None, None)
    per_outcome = per_token = None
    if volume and amount is not None:
        per_outcome = decimal_text((amount / Decimal(repr(volume))).quantize(Decimal("0.0001")))
        if tokens:
            per_token = decimal_text((tokens / Decimal(repr(volume))).quantize(Decimal("0.01")))
    return OutcomeMonth(
        month=f"{month:%Y-%m}",
        allocated_cost=None if amount is None else decimal_text(amount),
        volume=volume,
        cost_per_outcome=per_outcome,
        tokens=decimal_text(tokens) if tokens else None,
        tokens_per_outcome=per_token,
    )
