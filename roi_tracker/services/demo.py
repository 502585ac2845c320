"""The demo portfolio: one TOML story per project in ``roi_tracker/demo/``, dated relative to today.

A story names its fields like the CSV formats and writes every date as months from the
project's start; the start is a whole number of months before the current month, so loading
twice in the same month writes nothing. Every row goes through the rules of a CSV import
before anything is written: a bad value is reported as ``file: field: message``. Rows are
upserted on their natural key; rows of a demo project that its story no longer holds (for
example last month's measurements once the calendar moved on) are deleted, so the demo follows
the calendar without leaving stale rows behind.
"""

from __future__ import annotations

import random
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, SQLModel

from roi_tracker.access import Actor, Permission, require
from roi_tracker.domain.vocabulary import MeasurementGroup
from roi_tracker.entities import validate_row
from roi_tracker.errors import ValidationFailed
from roi_tracker.services.records import children_counts
from roi_tracker.store import audit
from roi_tracker.store.queries import upsert
from roi_tracker.store.tables import (
    Benchmark,
    Benefit,
    Cost,
    Decision,
    Kpi,
    Measurement,
    Project,
    Redeployment,
    Risk,
    ValueDriver,
)
from roi_tracker.store.types import CENTS

__all__ = [
    "DECISION_DAY",
    "STORIES",
    "Story",
    "demo_keys",
    "demo_start_date",
    "demo_stories",
    "load_demo",
    "month_date",
]

#: the folder of the stories, one ``*.toml`` file per project, loaded in file-name order
STORIES: Traversable = resources.files("roi_tracker") / "demo"
#: decisions are dated mid-month, after the month's measurements were discussed
DECISION_DAY = 15
#: ``until`` value: the item recurs up to and including the current month
NOW = "now"

Row = dict[str, Any]

#: the sides of a cost or benefit line: (suffix of the row's key, status of the row)
SIDES: dict[str, dict[str, tuple[str, str]]] = {
    "costs": {
        "planned": ("", "planned"),
        "replanned": ("-replan", "planned"),
        "actual": ("-actual", "actual"),
    },
    "benefits": {
        "expected": ("", "expected"),
        "replanned": ("-replan", "expected"),
        "realized": ("-realized", "realized"),
    },
}
#: how the measurements of a KPI are drawn when ``measured`` leaves a setting out
MEASURED_DEFAULTS: dict[str, int | float | None] = {
    "from_month": 1,
    "noise": 0.04,
    "decimals": 1,
    "floor": None,
    "ceiling": None,
}
#: row columns a story does not write: the loader fills in the parents' keys, the dates (from
#: the story's months) and the status (from the side)
DERIVED = frozenset(
    {"project_key", "kpi_key", "start_date", "date", "end_date", "status"}
    | {"baseline_date", "target_date"}
)


def _validated(entity: str, values: Mapping[str, object]) -> tuple[Row, list[tuple[str, str]]]:
    """One row checked like a CSV row of ``entity``: its typed values, or ``(column, message)``s.

    The demo's one use of the import rules: the same check as an imported row or a form.
    """
    checked = validate_row(entity, values)
    if isinstance(checked, list):
        return {}, checked
    return checked.model_dump(), []


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_date(start: date, month: int) -> date:
    """The first day of period ``month`` of a project that starts on ``start``."""
    return _add_months(start, month)


@dataclass(frozen=True)
class Story:
    """One project's story as read from its file; its rows depend on the day it is loaded."""

    source: str
    key: str
    started_months_ago: int
    content: dict[str, Any] = field(repr=False, compare=False)


def demo_start_date(story: Story, today: date) -> date:
    """The first day of the month ``story.started_months_ago`` before today's month."""
    return _add_months(today.replace(day=1), -story.started_months_ago)


def demo_stories(folder: Traversable = STORIES) -> list[Story]:
    """The stories of ``folder``; ValidationFailed lists what makes a file unreadable."""
    problems: list[str] = []
    stories: list[Story] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            content = tomllib.loads(entry.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{entry}: {exc}")
            continue
        reader = _Reader(str(entry))
        started = reader.whole(content, "started_months_ago", "", required=True, minimum=0)
        if reader.problems:
            problems += reader.problems
        else:
            stories.append(Story(str(entry), str(content.get("key")), started, content))
    if problems:
        raise ValidationFailed(problems, "the demo stories cannot be read")
    return stories


def demo_keys(folder: Traversable = STORIES) -> list[str]:
    """The keys of the demo projects."""
    return [story.key for story in demo_stories(folder)]


# ---- from a story to checked rows -----------------------------------------------------------


@dataclass
class _KpiRows:
    kpi: Row
    measurements: list[Row]
    benchmarks: list[Row]


@dataclass
class _ProjectRows:
    project: Row
    costs: list[Row]
    benefits: list[Row]
    decisions: list[Row]
    kpis: list[_KpiRows]
    value_drivers: list[Row] = field(default_factory=list)
    redeployments: list[Row] = field(default_factory=list)
    risks: list[Row] = field(default_factory=list)


class _Reader:
    """Turns one story into checked rows, collecting ``file: field: message`` problems.

    A part whose own fields (months, measurement settings) are wrong is reported and skipped;
    every row that can be built goes through :func:`_validated`, so all problems show at once.
    """

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []
        self.reported: set[str] = set()

    def problem(self, where: str, name: str, message: str) -> None:
        path = ".".join(filter(None, (where, name)))
        line = f"{self.source}: {path}: {message}"
        if line not in self.problems:  # a line's shared field is checked with each side
            self.problems.append(line)
            self.reported.add(path)

    def fields(self, table: Mapping[str, Any], where: str, own: tuple[str, ...]) -> Row:
        """The row fields of ``table``: all but the story's ``own``; derived ones are refused.

        A TOML boolean is the text a CSV cell would hold (``true``), so the rules treat it
        alike; a list or a table is no cell at all.
        """
        fields = {}
        for name, value in table.items():
            if name in own:
                continue
            if name in DERIVED:
                self.problem(
                    where, name, "is not written in a story: dates are months from the start"
                )
            elif isinstance(value, list | dict):
                self.problem(where, name, "is not a single value")
            else:
                fields[name] = str(value).lower() if isinstance(value, bool) else value
        return fields

    def row(
        self, entity: str, values: Row, where: str, names: Mapping[str, str] | None = None
    ) -> Row | None:
        """``values`` as a checked row; a problem names the story's field, not the column."""
        row, problems = _validated(entity, values)
        for column, message in problems:
            name = (names or {}).get(column, column)
            # a field refused before the check (a list, say) is reported once, not as missing
            if ".".join(filter(None, (where, name))) not in self.reported:
                self.problem(where, name, message)
        return None if problems else row

    def whole(
        self,
        table: Mapping[str, Any],
        name: str,
        where: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        now: bool = False,
    ) -> Any:
        """A whole number (or ``"now"``) of the story itself, such as a month."""
        value = table.get(name)
        if value is None:
            if required:
                self.problem(where, name, "is required")
        elif now and value == NOW:
            pass
        elif not isinstance(value, int) or isinstance(value, bool):
            expected = 'a whole number or "now"' if now else "a whole number"
            self.problem(where, name, f"{value!r} is not {expected}")
        elif minimum is not None and value < minimum:
            self.problem(where, name, f"{value} is out of range: must be at least {minimum}")
        return value

    def number(
        self, table: Mapping[str, Any], name: str, where: str, *, minimum: float | None = None
    ) -> Any:
        """A number of the story itself, such as a measurement setting."""
        value = table.get(name)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.problem(where, name, f"{value!r} is not a number")
        elif minimum is not None and value < minimum:
            self.problem(where, name, f"{value} is out of range: must be at least {minimum:g}")
        return value

    def tables(self, content: Mapping[str, Any], name: str, where: str = "") -> list[dict]:
        """The array of tables ``name`` (``[[name]]``); a problem if it is something else."""
        value = content.get(name, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.problem(where, name, f"is not a list of tables ([[{name}]])")
            return []
        return value

    def unique(self, keys: list[tuple[tuple, str, str]], columns: str) -> None:
        """Report a natural key written twice, as the CSV import does.

        ``keys`` holds each row's natural key, where it is and how to name its table.
        """
        seen: dict[tuple, str] = {}
        for natural, where, table in keys:
            if natural in seen:
                self.problem(where, "", f"duplicate key: {seen[natural]} has the same {columns}")
            seen.setdefault(natural, table)

    # -- the parts of a story ----------------------------------------------------------------

    def project_rows(self, story: Story, start: date) -> _ProjectRows | None:
        content = story.content
        now = story.started_months_ago
        own = (
            "started_months_ago", "measured_until", "costs", "benefits", "kpis", "decisions",
            "value_drivers", "redeployments", "risks",
        )  # fmt: skip
        project = self.row(
            "projects",
            {**self.fields(content, "", own), "start_date": start},
            "",
            {"start_date": "started_months_ago"},
        )
        before = len(self.problems)
        measured_until = self.whole(content, "measured_until", "", minimum=0)
        bad = len(self.problems) > before
        last_measured = now if measured_until is None or bad else measured_until
        costs = self.item_rows(story.key, content, "costs", start, now)
        benefits = self.item_rows(story.key, content, "benefits", start, now)
        decisions = self.decision_rows(story.key, content, start)
        drivers = [
            self.row("value_drivers", {**self.fields(d, f"value_drivers[{i}]", ()),
                                        "project_key": story.key}, f"value_drivers[{i}]")
            for i, d in enumerate(self.tables(content, "value_drivers"), 1)
        ]  # fmt: skip
        redeployments = [
            self.redeployment_row(story.key, i, r, start)
            for i, r in enumerate(self.tables(content, "redeployments"), 1)
        ]
        risks = self.risk_rows(story.key, content, start)
        kpis = [
            self.kpi_rows(story.key, i, kpi, start, last_measured)
            for i, kpi in enumerate(self.tables(content, "kpis"), 1)
        ]
        self.unique(
            [
                ((k.kpi["key"],), f"kpis[{k.kpi['key']}]", f"[[kpis]] number {i}")
                for i, k in enumerate(kpis, 1)
                if k
            ],
            "key",
        )
        if self.problems or project is None:
            return None
        return _ProjectRows(
            project, costs, benefits, decisions, [k for k in kpis if k],
            [d for d in drivers if d], [r for r in redeployments if r], risks,
        )  # fmt: skip

    def redeployment_row(self, project_key: str, index: int, table: Row, start: date) -> Row | None:
        """A redeployment dated by its ``month`` (the first day of that month)."""
        where = f"redeployments[{index}]"
        month = self.whole(table, "month", where, required=True)
        values = self.fields(table, where, ("month",))
        if not isinstance(month, int):
            return None
        values |= {"project_key": project_key, "date": month_date(start, month)}
        return self.row("redeployments", values, where, {"date": "month"})

    def item_rows(
        self, project_key: str, content: Mapping[str, Any], entity: str, start: date, now: int
    ) -> list[Row]:
        """The rows of the cost (or benefit) lines: one per side, the plan before actuals.

        A line's fields are shared by its sides; a side's own fields take precedence.
        """
        sides = SIDES[entity]
        rows: list[Row] = []
        keys: list[tuple[tuple, str, str]] = []
        for i, line in enumerate(self.tables(content, entity), 1):
            line_key = line.get("key")
            where = f"{entity}[{line_key if isinstance(line_key, str) else i}]"
            shared = self.fields(line, where, ("key", *sides))
            written = [name for name in sides if name in line]
            if not written:
                self.problem(where, "", f"has none of the sides {', '.join(sides)}")
            for name in written:
                suffix, status = sides[name]
                side = line[name]
                if not isinstance(side, dict):
                    self.problem(where, name, "is not a table")
                    continue
                before = len(self.problems)
                month = self.whole(side, "month", f"{where}.{name}", required=True)
                until = self.whole(side, "until", f"{where}.{name}", now=True)
                values = self.fields(side, f"{where}.{name}", ("key", "month", "until"))
                if len(self.problems) > before:
                    continue
                last = now if until == NOW else until
                # a problem names the side's field, or the line's when the side has none
                names = {column: f"{name}.{column}" for column in (*values, "key")}
                names |= {"date": f"{name}.month", "end_date": f"{name}.until"}
                values = {
                    **shared,
                    **values,
                    "project_key": project_key,
                    "key": side.get("key", None if line_key is None else f"{line_key}{suffix}"),
                    "date": month_date(start, month),
                    "end_date": None if last is None else month_date(start, last),
                    "status": status,
                }
                row = self.row(entity, values, where, names)
                if row is not None:
                    rows.append(row)
                    keys.append(((row["key"],), f"{where}.{name}", f"[[{entity}]] number {i}"))
        self.unique(keys, "key")
        return rows

    def decision_rows(self, project_key: str, content: Mapping[str, Any], start: date) -> list[Row]:
        rows: list[Row] = []
        keys: list[tuple[tuple, str, str]] = []
        for i, decision in enumerate(self.tables(content, "decisions"), 1):
            where = f"decisions[{i}]"
            month = self.whole(decision, "month", where, required=True)
            values = self.fields(decision, where, ("month",))
            if not isinstance(month, int) or isinstance(month, bool):
                continue
            day = month_date(start, month) + timedelta(days=DECISION_DAY - 1)
            values = {**values, "project_key": project_key, "date": day}
            row = self.row("decisions", values, where, {"date": "month"})
            if row is not None:
                rows.append(row)
                keys.append(((row["date"], row["decision"]), where, f"[[decisions]] number {i}"))
        self.unique(keys, "month and decision")
        return rows

    def risk_rows(self, project_key: str, content: Mapping[str, Any], start: date) -> list[Row]:
        """The ``[[risks]]``: the columns of risks.csv, ``month`` (optional) for the date."""
        rows: list[Row] = []
        keys: list[tuple[tuple, str, str]] = []
        for i, risk in enumerate(self.tables(content, "risks"), 1):
            where = f"risks[{i}]"
            before = len(self.problems)
            month = self.whole(risk, "month", where, minimum=0)
            values = {**self.fields(risk, where, ("month", "status")), "project_key": project_key}
            if len(self.problems) > before:
                continue
            # a risk's status is written, not derived from a side as an item's is
            if "status" in risk:
                values["status"] = risk["status"]
            if month is not None:
                values["date"] = month_date(start, month)
            row = self.row("risks", values, where, {"date": "month"})
            if row is not None:
                rows.append(row)
                keys.append(((row["key"],), where, f"[[risks]] number {i}"))
        self.unique(keys, "key")
        return rows

    def kpi_rows(
        self, project_key: str, index: int, kpi: Row, start: date, last_measured: int
    ) -> _KpiRows | None:
        key = kpi.get("key")
        where = f"kpis[{key if isinstance(key, str) else index}]"
        before = len(self.problems)
        target_month = self.whole(kpi, "target_month", where, required=True)
        values = self.fields(kpi, where, ("target_month", "measured", "benchmarks"))
        measured = kpi.get("measured")
        if not isinstance(measured, dict):
            self.problem(where, "measured", "is required: a table such as { reach = 1.0 }")
        benchmarks: list[tuple[Row, str, str]] = []
        for i, benchmark in enumerate(self.tables(kpi, "benchmarks", where), 1):
            at = f"{where}.benchmarks[{i}]"
            values_b = {**self.fields(benchmark, at, ()), "project_key": project_key}
            row = self.row("benchmarks", {**values_b, "kpi_key": key}, at)
            if row is not None:
                benchmarks.append((row, at, f"[[kpis.benchmarks]] number {i}"))
        self.unique([((row["name"],), at, table) for row, at, table in benchmarks], "name")
        if len(self.problems) > before:
            return None
        assert isinstance(measured, dict)
        values = {
            **values,
            "project_key": project_key,
            "baseline_date": start,
            "target_date": month_date(start, target_month),
        }
        names = {"target_date": "target_month", "baseline_date": "started_months_ago"}
        row = self.row("kpis", values, where, names)
        if row is None:
            return None
        measurements: list[Row] = []
        at = f"{where}.measured"
        control = measured.get("control")
        series = [(MeasurementGroup.TREATED.value, at, self.series(
            row, {k: v for k, v in measured.items() if k != "control"}, at, target_month,
            last_measured))]  # fmt: skip
        if control is not None:
            at_control = f"{at}.control"
            if isinstance(control, dict):
                control = {"from_month": measured.get("from_month", 1), **control}
                series.append((MeasurementGroup.CONTROL.value, at_control, self.series(
                    row, control, at_control, target_month, last_measured, "control")))  # fmt: skip
            else:
                self.problem(at, "control", "is not a table such as { reach = 0.1 }")
        for group, where_group, points in series:
            for month, value in points:
                checked = self.row(
                    "measurements",
                    {
                        "project_key": project_key,
                        "kpi_key": key,
                        "date": month_date(start, month),
                        "value": value,
                        "group": group,
                    },
                    f"{where_group}[month {month}]",
                    {"date": "month"},
                )
                if checked is not None:
                    measurements.append(checked)
        return _KpiRows(row, measurements, [row for row, _, _ in benchmarks])

    def series(
        self,
        kpi: Row,
        measured: Mapping[str, Any],
        where: str,
        target_month: int,
        last: int,
        stream: str = "",
    ) -> list[tuple[int, float]]:
        """(month, value) pairs: a straight path to ``reach`` of the planned change, plus noise.

        The path reaches ``baseline + reach * (target - baseline)`` at the target month and
        stays there; the noise comes from a generator seeded with the KPI's keys, so it is the
        same on every load.
        """
        before = len(self.problems)
        for name in sorted(set(measured) - {"reach", *MEASURED_DEFAULTS}):
            self.problem(where, name, "unknown setting of the measurements")
        settings = {**MEASURED_DEFAULTS, **measured}
        first = self.whole(settings, "from_month", where)
        decimals = self.whole(settings, "decimals", where, minimum=0)
        reach = self.number(settings, "reach", where)
        noise = self.number(settings, "noise", where, minimum=0)
        floor = self.number(settings, "floor", where)
        ceiling = self.number(settings, "ceiling", where)
        if reach is None:
            self.problem(where, "reach", "is required")
        if len(self.problems) > before:
            return []
        # the treated group keeps the stream it always had; a control group draws its own
        rng = random.Random("/".join(filter(None, (kpi["project_key"], kpi["key"], stream))))
        change = kpi["target"] - kpi["baseline"]
        values = []
        for month in range(first, last + 1):
            # months before the start (negative) are the baseline plus noise
            share = min(1.0, max(0.0, month / target_month))
            value = kpi["baseline"] + change * reach * share
            value += rng.gauss(0.0, noise * abs(change))
            if floor is not None:
                value = max(floor, value)
            if ceiling is not None:
                value = min(ceiling, value)
            values.append((month, round(value, decimals)))
        return values


def _checked_stories(folder: Traversable, today: date) -> list[_ProjectRows]:
    """Every story's rows as of ``today``; ValidationFailed lists every problem of every file."""
    problems: list[str] = []
    found: list[_ProjectRows] = []
    sources: dict[str, str] = {}
    for story in demo_stories(folder):
        reader = _Reader(story.source)
        if story.key in sources:
            reader.problem("", "key", f"duplicate key: {sources[story.key]} has the same key")
        sources.setdefault(story.key, story.source)
        rows = reader.project_rows(story, demo_start_date(story, today))
        problems += reader.problems
        if rows is not None:
            found.append(rows)
    if problems:
        raise ValidationFailed(problems, "the demo was not loaded: its stories have problems")
    return found


# ---- writing ---------------------------------------------------------------------------------


def load_demo(
    session: Session,
    *,
    actor: Actor,
    today: date,
    reset: bool = False,
    stories: Traversable = STORIES,
) -> dict[str, int]:
    """Load (or refresh) the demo portfolio; return the rows created, updated, unchanged, deleted.

    Needs an administrator. Every story is checked before anything is written. ``reset``
    first deletes every project with everything attached to it (portfolio-wide email
    subscriptions are kept: they are settings, not demo data). The audit trail gets one line
    per project created, updated or deleted, with the counts of its rows in ``detail``.
    """
    require(actor, Permission.LOAD_DEMO)
    projects = _checked_stories(stories, today)
    counts: Counter[str] = Counter(created=0, updated=0, unchanged=0, deleted=0)
    lines: list[tuple[audit.AuditAction, str, dict[str, Any]]] = []
    if reset:
        for pid, key in session.execute(select(Project.id, Project.key)).all():
            lines.append((audit.AuditAction.DELETE, key, children_counts(session, pid)))
        counts["deleted"] += session.execute(delete(Project)).rowcount
        session.expunge_all()
    for rows in projects:
        written: Counter[str] = Counter(created=0, updated=0, unchanged=0, deleted=0)
        project_created = _write_project(session, rows, written)
        counts.update(written)
        if project_created:
            lines.append((audit.AuditAction.CREATE, rows.project["key"], dict(written)))
        elif written["created"] or written["updated"] or written["deleted"]:
            lines.append((audit.AuditAction.UPDATE, rows.project["key"], dict(written)))
    session.flush()
    for action, key, detail in lines:
        audit.append(
            session,
            actor=actor,
            action=action,
            entity="projects",
            record_key=key,
            project_key=key,
            detail={"source": "demo", **detail},
        )
    return dict(counts)


#: the columns of each row that name its parent rather than hold a value
_PARENT_KEYS = ("project_key", "kpi_key")


def _put(
    session: Session,
    model: type[SQLModel],
    counts: Counter,
    parent: dict[str, int],
    natural: tuple[str, ...],
    row: Row,
) -> int:
    """Upsert ``row`` on its parent and ``natural`` columns; the stored row's id."""
    values = {k: v for k, v in row.items() if k not in natural and k not in _PARENT_KEYS}
    natural_key = {**parent, **{column: row[column] for column in natural}}
    stored, outcome = upsert(session, model, natural_key=natural_key, values=values)
    counts[outcome] += 1
    return stored.id  # type: ignore[attr-defined]


def _prune(
    session: Session, model: Any, parent_column: Any, parent_id: int, kept: list[int]
) -> int:
    statement = delete(model).where(parent_column == parent_id, model.id.not_in(kept))
    return session.execute(statement).rowcount


#: the money columns of the rows a story writes (a risk's impact range too: money, months or
#: percent, each with two places)
_MONEY = (
    "amount", "low", "likely", "high", "hourly_rate", "revenue_base", "amount_per_month",
)  # fmt: skip


def _in_cents(row: Row) -> Row:
    """Amounts with two places, as the store reads them back."""
    money = {k: row[k].quantize(CENTS) for k in _MONEY if row.get(k) is not None}
    return {**row, **money}


def _write_project(session: Session, rows: _ProjectRows, counts: Counter) -> bool:
    """Write one project's rows, counting them; True if the project itself was created."""
    created_before = counts["created"]
    pid = _put(session, Project, counts, {}, ("key",), rows.project)
    project_created = counts["created"] > created_before
    owner = {"project_id": pid}
    kept_costs = [
        _put(session, Cost, counts, owner, ("key",), _in_cents(row)) for row in rows.costs
    ]
    kept_benefits = [
        _put(session, Benefit, counts, owner, ("key",), _in_cents(row)) for row in rows.benefits
    ]
    kept_decisions = [
        _put(session, Decision, counts, owner, ("date", "decision"), row) for row in rows.decisions
    ]
    kept_kpis = [_write_kpi(session, kpi, pid, counts) for kpi in rows.kpis]
    kept_drivers = [
        _put(session, ValueDriver, counts, owner, ("benefit_key",), _in_cents(row))
        for row in rows.value_drivers
    ]
    kept_redeployments = [
        _put(session, Redeployment, counts, owner, ("date", "kind"), _in_cents(row))
        for row in rows.redeployments
    ]
    kept_risks = [
        _put(session, Risk, counts, owner, ("key",), _in_cents(row)) for row in rows.risks
    ]
    counts["deleted"] += (
        _prune(session, Cost, Cost.project_id, pid, kept_costs)
        + _prune(session, Benefit, Benefit.project_id, pid, kept_benefits)
        + _prune(session, Decision, Decision.project_id, pid, kept_decisions)
        + _prune(session, Kpi, Kpi.project_id, pid, kept_kpis)
        + _prune(session, Risk, Risk.project_id, pid, kept_risks)
        + _prune(session, ValueDriver, ValueDriver.project_id, pid, kept_drivers)
        + _prune(session, Redeployment, Redeployment.project_id, pid, kept_redeployments)
    )
    return project_created


def _write_kpi(session: Session, rows: _KpiRows, pid: int, counts: Counter) -> int:
    kpi_id = _put(session, Kpi, counts, {"project_id": pid}, ("key",), rows.kpi)
    owner = {"kpi_id": kpi_id}
    kept_measurements = [
        _put(session, Measurement, counts, owner, ("date", "group"), row)
        for row in rows.measurements
    ]
    kept_benchmarks = [
        _put(session, Benchmark, counts, owner, ("name",), row) for row in rows.benchmarks
    ]
    counts["deleted"] += _prune(
        session, Measurement, Measurement.kpi_id, kpi_id, kept_measurements
    ) + _prune(session, Benchmark, Benchmark.kpi_id, kpi_id, kept_benchmarks)
    return kpi_id
