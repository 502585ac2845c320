"""Finance commands: ``report`` (metrics) and ``simulate`` (Monte Carlo)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from roi_tracker.cli.app import DatabaseUrl, app, command_session
from roi_tracker.cli.options import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    as_of_day,
    echo_json,
    echo_result,
    money,
    or_dash,
    percent,
    table,
)

if TYPE_CHECKING:
    from roi_tracker.services.bills import UnitEconomics
    from roi_tracker.services.finance import FiscalYearReport, PortfolioReport, Simulation
    from roi_tracker.services.result import Result

__all__ = ["report", "simulate"]

Outcome = TypeVar("Outcome", bound="Result")


class BasisChoice(StrEnum):
    PLAN = "plan"
    FORECAST = "forecast"


BasisOption = Annotated[
    BasisChoice,
    typer.Option(
        "--basis", help="plan: the plan only; forecast: actuals up to --as-of, then plan."
    ),
]


def _run(
    service: Callable[..., Outcome],
    database_url: str | None,
    project: str | None,
    basis: BasisChoice,
    as_of: str | None,
    **options: Any,
) -> Outcome:
    """Call a finance service with the options every finance command shares."""
    with command_session(database_url) as (settings, session):
        day = as_of_day(as_of, settings)
        return service(
            session, settings, project_key=project, basis=basis.value, as_of=day, **options
        )


_REPORT_COLUMNS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("costs", "Costs", money),
    ("benefits", "Benefits", money),
    ("npv", "NPV", money),
    ("irr", "IRR", percent),
    ("roi", "ROI", percent),
    ("discounted_roi", "Disc. ROI", percent),
    ("payback_period", "Payback", or_dash),
    ("discounted_payback_period", "Disc. payback", or_dash),
    ("risk_adjusted_npv", "Risk-adj. NPV", money),
    ("risk_adjusted_roi", "Risk-adj. ROI", percent),
)

_SCOPE_TITLES = (("total", "All benefits (hard + soft)"), ("hard", "Hard benefits only"))
_CASH_TITLE = ("cash", "Cash benefits only (cashable + cost avoidance)")


def _label(entry: Any, result: PortfolioReport | Simulation) -> str:
    """A project's key, with its currency where it is not the report's."""
    own = getattr(entry, "currency", "")
    if own and own != getattr(result, "currency", own):
        return f"{entry.key} ({own})"
    return str(entry.key)


def _scoped_tables(
    headline: str,
    headers: list[str],
    result: PortfolioReport | Simulation,
    cells: Callable[[Any], list[str]],
) -> str:
    """A headline, then per scope one table: a row per project and one for the portfolio."""
    parts = [headline]
    # the report has the cash scope; the simulation draws hard and total only
    scopes = (*_SCOPE_TITLES, _CASH_TITLE) if hasattr(result.portfolio, "cash") else _SCOPE_TITLES
    for scope, title in scopes:
        # the scope's field: Metrics for the report, Distribution for the simulation
        rows = [[_label(entry, result), *cells(getattr(entry, scope))] for entry in result.projects]
        rows.append(["PORTFOLIO", *cells(getattr(result.portfolio, scope))])
        # the project keys left-aligned, the numbers right-aligned
        parts += ["", title, table(["Project", *headers], rows, align="<" + ">" * len(headers))]
    return "\n".join(parts)


def _report_table(result: PortfolioReport) -> str:
    return _scoped_tables(
        f"Finance report ({result.currency}), basis {result.basis}, as of "
        f"{result.as_of}; payback in months from the start (month 0)",
        [header for _, header, _ in _REPORT_COLUMNS],
        result,
        lambda metrics: [fmt(getattr(metrics, name)) for name, _, fmt in _REPORT_COLUMNS],
    )


@app.command()
def report(
    project: ProjectOption = None,
    basis: BasisOption = BasisChoice.FORECAST,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TABLE,
    against_baseline: Annotated[
        bool,
        typer.Option(
            "--against-baseline",
            help="The variance against each project's latest approved baseline instead.",
        ),
    ] = False,
    by_fiscal_year: Annotated[
        bool,
        typer.Option(
            "--by-fiscal-year",
            help="Costs, benefits and net flow per fiscal year (ROI_TRACKER_FISCAL_YEAR_"
            "START_MONTH) instead.",
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Finance metrics (NPV, IRR, ROI, payback, risk-adjusted) per project and portfolio."""
    if against_baseline and by_fiscal_year:
        raise typer.BadParameter("--against-baseline and --by-fiscal-year exclude each other")
    if by_fiscal_year:
        from roi_tracker.services import finance

        years = _run(finance.fiscal_year_report, database_url, project, basis, as_of)
        echo_result(years, output, _fiscal_year_table)
        return
    if against_baseline:
        from roi_tracker.cli.baseline import variance_table
        from roi_tracker.services import baselines

        with command_session(database_url) as (settings, session):
            variance = baselines.variance(
                session, settings, project_key=project, as_of=as_of_day(as_of, settings)
            )
        echo_result(variance, output, variance_table)
        return
    # the finance engine (pandas, numpy, SQLAlchemy) loads only when a command runs
    from roi_tracker.services import finance
    from roi_tracker.services.bills import unit_economics

    result = _run(finance.portfolio_report, database_url, project, basis, as_of)
    with command_session(database_url) as (settings, session):
        outcomes = unit_economics(
            session, reporting_currency=settings.currency, project_key=project
        )
    if output is OutputFormat.JSON:
        shown = result.model_dump(mode="json")
        if outcomes:
            shown["unit_economics"] = [o.model_dump(mode="json") for o in outcomes]
        echo_json(shown)
        return
    typer.echo(_report_table(result))
    for outcome in outcomes:
        typer.echo(_unit_economics_table(outcome))


def _fiscal_year_table(result: FiscalYearReport) -> str:
    parts = [
        f"By fiscal year ({result.currency}; the fiscal year starts in month "
        f"{result.fiscal_year_start_month}), basis {result.basis}, as of {result.as_of}"
    ]
    rows = [
        [entry.key, y.fiscal_year, money(y.costs), money(y.benefits), money(y.net)]
        for entry in result.projects
        for y in entry.fiscal_years
    ]
    rows += [
        ["PORTFOLIO", y.fiscal_year, money(y.costs), money(y.benefits), money(y.net)]
        for y in result.portfolio
    ]
    headers = ["Project", "Fiscal year", "Costs", "Benefits", "Net flow"]
    parts += ["", table(headers, rows, align="<<>>>")]
    return "\n".join(parts)


def _unit_economics_table(outcome: UnitEconomics) -> str:
    rows = [
        (m.month, or_dash(m.allocated_cost), or_dash(m.volume), or_dash(m.cost_per_outcome),
         or_dash(m.tokens_per_outcome))
        for m in outcome.months
    ]  # fmt: skip
    heading = (
        f"\nCost per outcome of {outcome.project_key} ({outcome.currency} from bills per "
        f"{outcome.unit} of KPI {outcome.kpi_key})"
    )
    headers = ["Month", "Cost from bills", "Volume", "Cost / outcome", "Tokens / outcome"]
    return heading + "\n" + table(headers, rows, "<>>>>")


def _simulation_table(result: Simulation) -> str:
    return _scoped_tables(
        f"Monte Carlo of the NPV: {result.trials} trials, seed {result.seed}, basis "
        f"{result.basis} (P10: 10 % of trials fall below it)",
        ["Mean NPV", "P10", "P50", "P90", "P(NPV > 0)"],
        result,
        lambda r: [*(money(v) for v in (r.mean, r.p10, r.p50, r.p90)), percent(r.prob_positive)],
    )


@app.command()
def simulate(
    project: ProjectOption = None,
    basis: BasisOption = BasisChoice.FORECAST,
    as_of: AsOfOption = None,
    trials: Annotated[int, typer.Option("--trials", min=1, help="Number of trials.")] = 10_000,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", min=0, help="Seed; the same seed gives the same numbers.", show_default=False
        ),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Monte Carlo of the NPV: mean, P10, P50, P90, probability of a positive NPV."""
    from roi_tracker.services import finance

    result = _run(finance.simulate, database_url, project, basis, as_of, trials=trials, seed=seed)
    echo_result(result, output, _simulation_table)
