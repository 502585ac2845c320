"""Commands that track KPIs and budgets: kpis, budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roi_tracker.cli.app import DatabaseUrl, app, command_session
from roi_tracker.cli.options import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    as_of_day,
    echo_result,
    money,
    number,
    or_dash,
    percent,
    table,
)

if TYPE_CHECKING:
    from roi_tracker.services.tracking import BudgetReport, KpiReport


def _kpis_table(report: KpiReport) -> str:
    if not report.root:
        return "no KPIs"
    headers = ["project", "kpi", "status", "latest", "progress", "projected", "proj. progress"]
    rows = [
        [
            item.project_key,
            item.key,
            item.status,
            number(item.latest),
            percent(item.progress, digits=0),
            number(item.projected),
            percent(item.projected_progress, digits=0),
            " ".join(
                criterion[0].upper() if check.ok else "-"
                for criterion, check in item.smart.checks()
            ),
        ]
        for item in report.root
    ]
    text = table([*headers, "SMART"], rows)
    problems = [
        f"{item.project_key}/{item.key}: {criterion.replace('_', '-')}: {check.reason}"
        for item in report.root
        for criterion, check in item.smart.checks()
        if not check.ok
    ]
    if problems:
        text += "\n\nSMART criteria not met:\n" + "\n".join(f"  {line}" for line in problems)
    return text


@app.command()
def kpis(
    project: ProjectOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """KPI progress, forecast, status and SMART assessment."""
    # pandas and SQLAlchemy load only when the command runs
    from roi_tracker.services import tracking

    with command_session(database_url) as (settings, session):
        overview = tracking.kpi_overview(
            session, as_of=as_of_day(as_of, settings), project_key=project
        )
    echo_result(tracking.kpi_report(overview), format, _kpis_table, ensure_ascii=False)


def _budget_table(report: BudgetReport) -> str:
    if not report.projects:
        return "no projects"
    headers = [
        "category", "planned total", "planned to date", "actual to date", "variance",
        "burn / month", "at completion", "runs out", "thresholds crossed",
    ]  # fmt: skip
    blocks = []
    for item in report.projects:
        rows = [
            [
                line.category,
                money(line.planned_total),
                money(line.planned_to_date),
                money(line.actual_to_date),
                money(line.variance),
                money(line.burn_rate),
                money(line.estimate_at_completion),
                or_dash(line.exhausted_month),
                ", ".join(
                    f"{t.percent} % on {t.crossed_on}" for t in line.thresholds if t.crossed_on
                )
                or "-",
            ]
            for line in item.categories
        ]
        title = f"{item.key}: {item.name} ({item.currency}, as of {report.as_of})"
        quarters = table(
            ["fiscal quarter", "planned", "actual"],
            [[q.quarter, money(q.planned), money(q.actual)] for q in item.fiscal_quarters],
        )
        blocks.append(f"{title}\n{table(headers, rows)}\n\nBy fiscal quarter\n{quarters}")
    return "\n\n".join(blocks)


@app.command()
def budget(
    project: ProjectOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Planned vs actual to date, burn rate, estimate at completion, thresholds crossed."""
    from roi_tracker.services import tracking

    with command_session(database_url) as (settings, session):
        overview = tracking.budget_overview(
            session,
            as_of=as_of_day(as_of, settings),
            default_horizon_months=settings.horizon_months,
            project_key=project,
            fiscal_year_start_month=settings.fiscal_year_start_month,
        )
    report = tracking.budget_report(overview, currency=settings.currency)
    echo_result(report, format, _budget_table, ensure_ascii=False)
