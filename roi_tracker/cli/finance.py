"""Finance commands: ``report`` (metrics) and ``simulate`` (Monte Carlo)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from sqlmodel import Session

from roi_tracker.cli.app import DatabaseUrl, app, settings_for
from roi_tracker.config import Settings
from roi_tracker.errors import InvalidInput
from roi_tracker.services import finance
from roi_tracker.store import make_engine, session_scope

__all__ = ["report", "simulate"]


class BasisChoice(StrEnum):
    PLAN = "plan"
    FORECAST = "forecast"


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


ProjectOption = Annotated[
    str | None, typer.Option("--project", help="Only this project (its key).", show_default=False)
]
BasisOption = Annotated[
    BasisChoice,
    typer.Option(
        "--basis", help="plan: the plan only; forecast: actuals up to --as-of, then plan."
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date YYYY-MM-DD of the forecast split (default today).",
                 show_default=False),
]  # fmt: skip
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json.")]


def parse_date(text: str | None, option: str = "--as-of") -> date | None:
    """An ISO date from the command line; InvalidInput names the option otherwise."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _run(
    service: Callable[..., dict[str, Any]],
    database_url: str | None,
    project: str | None,
    basis: BasisChoice,
    as_of: str | None,
    **options: Any,
) -> dict[str, Any]:
    """Call a finance service with the options every finance command shares."""
    settings = settings_for(database_url)
    day = parse_date(as_of) or settings.today()
    with _session(settings) as session:
        return service(
            session, settings, project_key=project, basis=basis.value, as_of=day, **options
        )


def _print(
    result: dict[str, Any], output: OutputFormat, table: Callable[[dict[str, Any]], str]
) -> None:
    typer.echo(json.dumps(result, indent=2) if output is OutputFormat.JSON else table(result))


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def _month(value: int | None) -> str:
    return "-" if value is None else str(value)


_REPORT_COLUMNS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("costs", "Costs", _money),
    ("benefits", "Benefits", _money),
    ("npv", "NPV", _money),
    ("irr", "IRR", _percent),
    ("roi", "ROI", _percent),
    ("discounted_roi", "Disc. ROI", _percent),
    ("payback_period", "Payback", _month),
    ("discounted_payback_period", "Disc. payback", _month),
    ("risk_adjusted_npv", "Risk-adj. NPV", _money),
    ("risk_adjusted_roi", "Risk-adj. ROI", _percent),
)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table: first column left-aligned, the numbers right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


_SCOPE_TITLES = (("total", "All benefits (hard + soft)"), ("hard", "Hard benefits only"))


def _scoped_tables(
    headline: str,
    headers: list[str],
    result: dict[str, Any],
    cells: Callable[[dict[str, Any]], list[str]],
) -> str:
    """A headline, then per scope one table: a row per project and one for the portfolio."""
    parts = [headline]
    for scope, title in _SCOPE_TITLES:
        rows = [[entry["key"], *cells(entry[scope])] for entry in result["projects"]]
        rows.append(["PORTFOLIO", *cells(result["portfolio"][scope])])
        parts += ["", title, _table(["Project", *headers], rows)]
    return "\n".join(parts)


def _report_table(result: dict[str, Any]) -> str:
    return _scoped_tables(
        f"Finance report ({result['currency']}), basis {result['basis']}, as of "
        f"{result['as_of']}; payback in months from the start (month 0)",
        [header for _, header, _ in _REPORT_COLUMNS],
        result,
        lambda metrics: [fmt(metrics[name]) for name, _, fmt in _REPORT_COLUMNS],
    )


@app.command()
def report(
    project: ProjectOption = None,
    basis: BasisOption = BasisChoice.FORECAST,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Finance metrics (NPV, IRR, ROI, payback, risk-adjusted) per project and portfolio."""
    result = _run(finance.portfolio_report, database_url, project, basis, as_of)
    _print(result, output, _report_table)


def _simulation_table(result: dict[str, Any]) -> str:
    return _scoped_tables(
        f"Monte Carlo of the NPV: {result['trials']} trials, seed {result['seed']}, basis "
        f"{result['basis']} (P10: 10 % of trials fall below it)",
        ["Mean NPV", "P10", "P50", "P90", "P(NPV > 0)"],
        result,
        lambda r: [*(_money(r[n]) for n in ("mean", "p10", "p50", "p90")),
                   _percent(r["prob_positive"])],
    )  # fmt: skip


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
    result = _run(finance.simulate, database_url, project, basis, as_of, trials=trials, seed=seed)
    contract_keys = ("trials", "seed", "basis", "projects", "portfolio")
    _print({key: result[key] for key in contract_keys}, output, _simulation_table)
