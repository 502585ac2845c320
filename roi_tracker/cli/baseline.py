"""``roi-tracker baseline``: approve a project's business case as a baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from roi_tracker.cli.app import DatabaseUrl, QuickHelpGroup, app, command_session
from roi_tracker.cli.options import money, or_dash, table

if TYPE_CHECKING:
    from roi_tracker.services.baselines import VarianceReport

__all__ = ["baseline_app", "variance_table"]

baseline_app = typer.Typer(
    cls=QuickHelpGroup,
    help="Approved baselines: the business case as approved, to compare against.",
    no_args_is_help=True,
)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command()
def approve(
    project: Annotated[str, typer.Argument(help="The project's key.")],
    by: Annotated[str, typer.Option("--by", help="Who approved the business case.")],
    note: Annotated[
        str | None, typer.Option("--note", help="A note kept with the approval.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Freeze the project's plan as its next baseline version (earlier ones stay as they are)."""
    from roi_tracker.access import Actor
    from roi_tracker.services import baselines

    with command_session(database_url) as (settings, session):
        info = baselines.approve(
            session, settings, project_key=project, approved_by=by, note=note,
            actor=Actor.command_line(),
        )  # fmt: skip
    typer.echo(
        f"approved {info.project_key} baseline version {info.version} by {info.approved_by} "
        f"at {info.approved_at:%Y-%m-%d %H:%M} UTC"
    )


FIGURE_TITLES = (
    ("npv", "NPV"), ("costs", "Costs"), ("benefits", "Benefits"),
    ("payback_period", "Payback (month)"), ("risk_adjusted_npv", "Risk-adjusted NPV"),
)  # fmt: skip


def variance_table(report: VarianceReport) -> str:
    """The variance of each project against its latest baseline, for people."""
    blocks = [f"Against the latest approved baseline ({report.currency}), as of {report.as_of}"]
    for project in report.projects:
        if project.baseline is None:
            blocks.append(f"{project.key}: no approved baseline")
            continue
        b = project.baseline
        title = (
            f"{project.key}: baseline version {b.version}, approved by {b.approved_by} on "
            f"{b.approved_at:%Y-%m-%d}"
        )
        fmt = {name: (or_dash if name == "payback_period" else money) for name, _ in FIGURE_TITLES}
        rows = [
            [label, *(fmt[name](getattr(project.figures[name], part))
                      for part in ("baseline", "current", "change"))]
            for name, label in FIGURE_TITLES
        ]  # fmt: skip
        parts = [title, table(["", "baseline", "current", "change"], rows, align="<>>>")]
        if project.lines:
            lines = [
                [line.entity, line.key, line.change.replace("_", " "), ", ".join(line.fields)
                 or "-", money(line.baseline), money(line.current)]
                for line in project.lines
            ]  # fmt: skip
            parts.append(table(["line", "key", "change", "fields", "baseline", "current"], lines))
        else:
            parts.append("no plan line moved")
        blocks.append("\n".join(parts))
    return "\n\n".join(blocks)
