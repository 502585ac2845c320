"""Email summary commands: digest subscribe/list/remove/preview/send, and the scheduler."""

from __future__ import annotations

import logging
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.cli.app import DatabaseUrl, QuickHelpGroup, app, command_session, settings_for
from roi_tracker.cli.options import FormatOption, OutputFormat, ProjectOption, echo_json, table
from roi_tracker.domain.vocabulary import Frequency
from roi_tracker.errors import RoiTrackerError

if TYPE_CHECKING:
    from roi_tracker.config import Settings
    from roi_tracker.reporting.delivery import SendReport
    from roi_tracker.reporting.subscriptions import SubscriptionView

__all__ = ["digest_app", "scheduler"]

digest_app = typer.Typer(
    cls=QuickHelpGroup,
    help="Email summaries: subscriptions, previews and sending.",
    no_args_is_help=True,
)
app.add_typer(digest_app, name="digest")

logger = logging.getLogger("roi_tracker.scheduler")


class Every(StrEnum):
    """The fixed schedules (a cron expression is the other kind)."""

    DAILY = Frequency.DAILY.value
    WEEKLY = Frequency.WEEKLY.value
    MONTHLY = Frequency.MONTHLY.value


@digest_app.command()
def subscribe(
    email: Annotated[str, typer.Argument(help="Recipient address.")],
    project: ProjectOption = None,
    frequency: Annotated[
        Every | None,
        typer.Option(
            "--frequency",
            help="One summary per local day, ISO week (from Monday) or calendar month.",
        ),
    ] = None,
    cron: Annotated[
        str | None, typer.Option("--cron", help="Cron expression, e.g. '0 8 * * 1'.")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA time zone of the schedule.")
    ] = "UTC",
    database_url: DatabaseUrl = None,
) -> None:
    """Add a summary subscription; prints its id."""
    if (frequency is None) == (cron is None):
        raise typer.BadParameter("give exactly one of them", param_hint="--frequency / --cron")
    # the store and the mail modules (SQLAlchemy, Jinja) load only when a command runs
    from roi_tracker.reporting import subscriptions

    with command_session(database_url) as (_, session):
        subscription = subscriptions.subscribe(
            session,
            actor=Actor.command_line(),
            email=email,
            project_key=project,
            frequency=frequency.value if frequency else None,
            cron=cron,
            timezone=timezone,
        )
        typer.echo(subscription.id)


def _subscriptions_table(views: list[SubscriptionView]) -> str:
    if not views:
        return "no subscriptions"
    rows = [
        [
            str(v.id),
            v.email,
            v.coverage,
            v.schedule,
            v.timezone,
            "yes" if v.active else "no",
            "-" if v.last_status is None else f"{v.last_period} {v.last_status}",
        ]
        for v in views
    ]
    headers = ["id", "email", "scope", "schedule", "timezone", "active", "last delivery"]
    return table(headers, rows)


@digest_app.command("list")
def list_(
    output_format: FormatOption = OutputFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscriptions with their last delivery."""
    from roi_tracker.reporting import subscriptions

    with command_session(database_url) as (_, session):
        views = subscriptions.list_subscriptions(session)
    if output_format is OutputFormat.JSON:
        echo_json([view.as_json() for view in views])
    else:
        typer.echo(_subscriptions_table(views))


@digest_app.command()
def remove(
    subscription_id: Annotated[int, typer.Argument(metavar="ID")],
    database_url: DatabaseUrl = None,
) -> None:
    """Delete a subscription and its delivery history."""
    from roi_tracker.reporting import subscriptions

    with command_session(database_url) as (_, session):
        subscriptions.remove_subscription(session, subscription_id, actor=Actor.command_line())
    typer.echo(f"removed subscription {subscription_id}")


@digest_app.command()
def preview(
    subscription_id: Annotated[int, typer.Argument(metavar="ID")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the whole message to FILE.eml.", metavar="FILE"),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Render one summary without sending it (the text part, or the message with -o)."""
    from roi_tracker.reporting import delivery
    from roi_tracker.store import get_engine

    settings = settings_for(database_url)
    message = delivery.preview(
        get_engine(settings.database_url), settings, subscription_id, now=clock.now()
    )
    if output is None:
        typer.echo(f"Subject: {message['Subject']}\n")
        typer.echo(message.get_body(("plain",)).get_content())
        return
    try:
        output.write_bytes(bytes(message))
    except OSError as exc:
        raise RoiTrackerError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}")


def _print_report(report: SendReport) -> None:
    for outcome in report.sent:
        typer.echo(
            f"sent summary {outcome.subscription_id} to {outcome.email} ({outcome.period_key})"
        )
    for outcome in report.failed:
        typer.echo(
            f"error: summary {outcome.subscription_id} to {outcome.email}: {outcome.reason}",
            err=True,
        )
    skipped = len(report.with_status("skipped"))
    postponed = len(report.with_status("postponed"))
    note = f", {skipped} taken by another sender" if skipped else ""
    if postponed:
        note += f", {postponed} postponed until the mail server answers"
    typer.echo(f"{len(report.sent)} sent, {len(report.failed)} failed{note}")


@digest_app.command()
def send(
    subscription_ids: Annotated[
        list[int] | None, typer.Argument(metavar="ID", show_default=False)
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="Send the due summaries.")] = False,
    now: Annotated[bool, typer.Option("--now", help="Send at once (all, or the IDs).")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Send the due summaries (--due) or send at once (--now [ID...])."""
    if due == now:
        raise typer.BadParameter("give exactly one of them", param_hint="--due / --now")
    if due and subscription_ids:
        raise typer.BadParameter("IDs go with --now; --due sends every due subscription")
    from roi_tracker.reporting import delivery
    from roi_tracker.store import get_engine

    settings = settings_for(database_url)
    engine = get_engine(settings.database_url)
    actor = Actor.command_line()
    if due:
        report = delivery.send_due(engine, settings, actor=actor, now=clock.now())
    else:
        report = delivery.send_now(
            engine, settings, subscription_ids or [], actor=actor, now=clock.now()
        )
    _print_report(report)
    if report.failed:
        raise typer.Exit(1)


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"


def run_due(settings: Settings) -> None:
    """One round of the scheduler; a failure is logged and the next round tries again."""
    from roi_tracker.reporting import delivery
    from roi_tracker.store import get_engine

    try:
        report = delivery.send_due(
            get_engine(settings.database_url), settings, actor=Actor.scheduler(), now=clock.now()
        )
    except RoiTrackerError as exc:
        logger.error("%s", exc)
        return
    for outcome in report.sent:
        logger.info("sent summary %s to %s (%s)", outcome.subscription_id, outcome.email,
                    outcome.period_key)  # fmt: skip
    for outcome in report.failed:
        logger.error("summary %s to %s: %s", outcome.subscription_id, outcome.email,
                     outcome.reason)  # fmt: skip
    if postponed := report.with_status("postponed"):
        logger.warning("%s summaries postponed until the mail server answers", len(postponed))
    logger.debug("round done: %s sent, %s failed", len(report.sent), len(report.failed))


@app.command()
def scheduler(
    interval: Annotated[
        int,
        typer.Option("--interval", min=1, help="Seconds between two checks for due summaries."),
    ] = 60,
    log_level: Annotated[
        LogLevel,
        typer.Option("--log-level", help="debug also logs every round that found nothing due."),
    ] = LogLevel.INFO,
    database_url: DatabaseUrl = None,
) -> None:
    """Send due summaries on its own clock until stopped (SIGTERM or Ctrl-C)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from roi_tracker.reporting.mailer import Mailer

    settings = settings_for(database_url)
    Mailer(settings)  # refuse to start without a mail server
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logger.setLevel(log_level.upper())  # this process's own messages only, never SQL
    jobs = BlockingScheduler(timezone="UTC")
    jobs.add_job(
        run_due,
        IntervalTrigger(seconds=interval),
        args=[settings],
        id="send-due",
        next_run_time=clock.now(),
        max_instances=1,
        coalesce=True,
    )

    def stop(signum: int, _frame) -> None:
        logger.info("%s received: stopping after the current round", signal.Signals(signum).name)
        jobs.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("scheduler started: checking for due summaries every %s s", interval)
    jobs.start()
    logger.info("scheduler stopped")
