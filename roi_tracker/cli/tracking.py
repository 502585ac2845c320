"""Commands that track KPIs and budgets: kpis, budget."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, app, settings_for
from roi_tracker.config import Settings
from roi_tracker.domain.kpis import SMART_CRITERIA
from roi_tracker.services import tracking
from roi_tracker.store import get_engine, session_scope


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


ProjectKey = Annotated[
    str | None,
    typer.Option("--project", help="Only this project (its key).", show_default=False),
]
AsOf = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="The day to report on (YYYY-MM-DD); default today.",
        show_default=False,
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", help="table for people, json.")]


def _as_of(value: datetime | None, settings: Settings) -> date:
    return value.date() if value else settings.today()


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Left-aligned text columns, two spaces apart."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)  # fmt: skip


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _percent(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.0%}".replace("%", " %")


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


@app.command()
def kpis(
    project: ProjectKey = None,
    as_of: AsOf = None,
    format: Format = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """KPI progress, forecast, status and SMART assessment."""
    settings = settings_for(database_url)
    engine = get_engine(settings.database_url)
    with session_scope(engine) as session:
        overview = tracking.kpi_overview(
            session, as_of=_as_of(as_of, settings), project_key=project
        )
    report = tracking.kpi_report(overview)
    if format == OutputFormat.JSON:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    if not report:
        typer.echo("no KPIs")
        return
    headers = ["project", "kpi", "status", "latest", "progress", "projected", "proj. progress"]
    rows = [
        [
            item["project_key"],
            item["key"],
            item["status"],
            _number(item["latest"]),
            _percent(item["progress"]),
            _number(item["projected"]),
            _percent(item["projected_progress"]),
            " ".join(
                criterion[0].upper() if item["smart"][criterion]["ok"] else "-"
                for criterion in SMART_CRITERIA
            ),
        ]
        for item in report
    ]
    typer.echo(_table([*headers, "SMART"], rows))
    problems = [
        f"{item['project_key']}/{item['key']}: {criterion.replace('_', '-')}: {check['reason']}"
        for item in report
        for criterion, check in item["smart"].items()
        if not check["ok"]
    ]
    if problems:
        typer.echo("\nSMART criteria not met:")
        typer.echo("\n".join(f"  {line}" for line in problems))


@app.command()
def budget(
    project: ProjectKey = None,
    as_of: AsOf = None,
    format: Format = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Planned vs actual to date, burn rate, estimate at completion, thresholds crossed."""
    settings = settings_for(database_url)
    engine = get_engine(settings.database_url)
    with session_scope(engine) as session:
        overview = tracking.budget_overview(
            session,
            as_of=_as_of(as_of, settings),
            default_horizon_months=settings.horizon_months,
            project_key=project,
        )
    report = tracking.budget_report(overview, currency=settings.currency)
    if format == OutputFormat.JSON:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    if not report["projects"]:
        typer.echo("no projects")
        return
    headers = [
        "category", "planned total", "planned to date", "actual to date", "variance",
        "burn / month", "at completion", "runs out", "thresholds crossed",
    ]  # fmt: skip
    blocks = []
    for item in report["projects"]:
        rows = [
            [
                line["category"],
                _money(line["planned_total"]),
                _money(line["planned_to_date"]),
                _money(line["actual_to_date"]),
                _money(line["variance"]),
                _money(line["burn_rate"]),
                _money(line["estimate_at_completion"]),
                line["exhausted_month"] or "-",
                ", ".join(
                    f"{t['percent']} % on {t['crossed_on']}"
                    for t in line["thresholds"]
                    if t["crossed_on"]
                )
                or "-",
            ]
            for line in item["categories"]
        ]
        title = f"{item['key']}: {item['name']} ({item['currency']}, as of {report['as_of']})"
        blocks.append(f"{title}\n{_table(headers, rows)}")
    typer.echo("\n\n".join(blocks))
