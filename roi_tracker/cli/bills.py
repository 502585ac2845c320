"""Bill commands: bills import, bills allocate, bills reconcile, bills unallocated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, QuickHelpGroup, app, command_session, settings_for
from roi_tracker.cli.options import FormatOption, OutputFormat, echo_result, table

if TYPE_CHECKING:
    from roi_tracker.services.bills import BillImport, Reconciliation

__all__ = ["bills_app"]

bills_app = typer.Typer(
    cls=QuickHelpGroup,
    help="Costs from the bills: import FOCUS, OpenAI, Anthropic and LiteLLM files; allocate.",
    no_args_is_help=True,
)
app.add_typer(bills_app, name="bills")


@bills_app.command("import")
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="Bill files: FOCUS CSV/CSV.gz/Parquet, JSON, CSV.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and check the files, write nothing.")
    ] = False,
    output: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Import bill files, then allocate every bill line by the rules again."""
    from roi_tracker.access import Actor
    from roi_tracker.services.bills import import_bills
    from roi_tracker.store import get_engine, migrate, session_scope

    settings = settings_for(database_url)
    migrate.create_if_new(settings.database_url)
    with session_scope(get_engine(settings.database_url)) as session:
        result = import_bills(
            session,
            [(str(path), path) for path in paths],
            actor=Actor.command_line(),
            reporting_currency=settings.currency,
            dry_run=dry_run,
        )
    echo_result(result, output, _import_table)


def _import_table(result: BillImport) -> str:
    rows = [
        (f.file, f.kind, f.status, f.rows, f.lines, f.replaced_lines, _periods(f.periods))
        for f in result.files
    ]
    text = table(["file", "kind", "status", "rows", "lines", "replaced", "totals"], rows, "<<<>>>")
    if result.dry_run:
        return text + "\n(dry run: nothing was written)"
    return text + f"\n{result.allocated_lines} bill lines allocated"


def _periods(periods: list[dict[str, str]]) -> str:
    return "; ".join(
        f"{p['billing_period']} {p['effective_total']} {p['currency']}" for p in periods
    )


@bills_app.command("allocate")
def allocate(database_url: DatabaseUrl = None) -> None:
    """Allocate every stored bill line by the current rules again (after editing rules or rates)."""
    from roi_tracker.access import Actor, Permission, require
    from roi_tracker.services.bills import allocate_bills

    require(Actor.command_line(), Permission.EDIT_DATA)
    with command_session(database_url) as (settings, session):
        count = allocate_bills(session, reporting_currency=settings.currency)
    typer.echo(f"{count} bill lines allocated")


@bills_app.command("reconcile")
def reconcile(output: FormatOption = OutputFormat.TABLE, database_url: DatabaseUrl = None) -> None:
    """Per file, currency and billing period: total, allocated by project, unallocated."""
    from roi_tracker.services.bills import reconcile as reconcile_bills

    with command_session(database_url) as (_, session):
        result = reconcile_bills(session)
    echo_result(result, output, _reconcile_table)


def _reconcile_table(result: Reconciliation) -> str:
    rows = []
    for file in result.files:
        for period in file.periods:
            allocated = ", ".join(f"{k} {v}" for k, v in period.allocated.items()) or "-"
            rows.append(
                (
                    file.file, period.billing_period, period.currency, period.effective_total,
                    allocated, period.unallocated,
                )
            )  # fmt: skip
    headers = ["file", "period", "currency", "total", "allocated", "unallocated"]
    return table(headers, rows, "<<<><>")


@bills_app.command("unallocated")
def unallocated(
    top: Annotated[int, typer.Option("--top", help="How many contributors to list.")] = 10,
    output: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """The biggest contributors to the unallocated cost, by period, account and service."""
    from roi_tracker.cli.options import echo_json
    from roi_tracker.services.bills import unallocated_contributors

    with command_session(database_url) as (_, session):
        found = unallocated_contributors(session, top=top)
    if output is OutputFormat.JSON:
        echo_json([c.model_dump(mode="json") for c in found])
        return
    rows = [(c.billing_period, c.currency, c.account, c.service, c.sub_account, c.amount)
            for c in found]  # fmt: skip
    typer.echo(table(["period", "currency", "account", "service", "sub account", "amount"],
                     rows, "<<<<<>"))  # fmt: skip
