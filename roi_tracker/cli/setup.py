"""Commands that set the application up: init, serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from roi_tracker.cli.app import DatabaseUrl, app, settings_for
from roi_tracker.errors import NotConfigured


@app.command()
def init(database_url: DatabaseUrl = None) -> None:
    """Create the database, or upgrade it to the newest migration."""
    # Alembic and SQLAlchemy load only when the command runs
    from roi_tracker.store import migrate

    settings = settings_for(database_url)
    migrate.upgrade(settings.database_url)
    typer.echo(f"database ready at revision {migrate.head_revision()}")


@app.command()
def serve(
    database_url: DatabaseUrl = None,
    port: int = typer.Option(8501, help="Port the dashboard listens on."),
    address: str = typer.Option("localhost", help="Address to listen on."),
) -> None:
    """Start the dashboard (streamlit run streamlit_app.py)."""
    app_file = Path(__file__).resolve().parents[2] / "streamlit_app.py"
    if not app_file.exists():
        raise NotConfigured(f"{app_file} not found: serve runs from a source checkout")
    settings = settings_for(database_url)
    refusal = settings.refusal_to_serve(address)
    if refusal is not None:
        raise NotConfigured(refusal)
    env = dict(os.environ, ROI_TRACKER_DATABASE_URL=settings.database_url)
    command = [sys.executable, "-m", "streamlit", "run", str(app_file)]
    command += ["--server.port", str(port), "--server.address", address]
    command += hardening_options(settings.allowed_hosts)
    raise typer.Exit(subprocess.call(command, env=env))


#: the largest upload in MB, as .streamlit/config.toml sets it (a test keeps the two equal)
MAX_UPLOAD_MB = 100


def hardening_options(allowed_hosts: tuple[str, ...]) -> list[str]:
    """Streamlit options that .streamlit/config.toml also sets, given on the command line.

    Streamlit reads that file only from the working directory, so ``serve`` started from
    elsewhere would otherwise run without them; the host list adds ROI_TRACKER_PUBLIC_HOSTS.
    """
    options = ["--client.disableDataExport", "true", "--client.showErrorDetails", "none"]
    options += ["--server.enableCORS", "true", "--server.enableXsrfProtection", "true"]
    options += ["--server.maxUploadSize", str(MAX_UPLOAD_MB)]
    options += ["--server.enableStaticServing", "true"]  # the charts' plotly.js bundle
    for host in allowed_hosts:
        options += ["--server.allowedHosts", host]
    return options
