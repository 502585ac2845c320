"""The ``demo`` command: loads the demo portfolio."""

from __future__ import annotations

import typer

from roi_tracker.cli.app import DatabaseUrl, app, settings_for


@app.command()
def demo(
    reset: bool = typer.Option(
        False, "--reset", help="Delete every project first, then load the demo afresh."
    ),
    database_url: DatabaseUrl = None,
) -> None:
    """Load the demo portfolio (running it twice changes nothing); audited as cli:<user>."""
    # the store and the demo data load only when the command runs
    from roi_tracker.access import Actor
    from roi_tracker.services.demo import load_demo
    from roi_tracker.store import make_engine, migrate, session_scope

    settings = settings_for(database_url)
    url = settings.database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            counts = load_demo(
                session, actor=Actor.command_line(), today=settings.today(), reset=reset
            )
    finally:
        engine.dispose()
    typer.echo(
        "demo portfolio loaded: {created} rows created, {updated} updated, "
        "{unchanged} unchanged, {deleted} deleted".format(**counts)
    )
