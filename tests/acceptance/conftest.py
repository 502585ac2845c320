"""The acceptance portfolio imported through the command line into a fresh database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from roi_tracker.cli import app
from tests.acceptance.portfolio import write_portfolio

runner = CliRunner()


def cli(*args: str):
    """Run one command the way a user would; return click's result."""
    return runner.invoke(app, list(args))


@pytest.fixture
def portfolio_url(db_url: str, tmp_path) -> str:
    paths = write_portfolio(tmp_path)
    result = cli("import", *map(str, paths), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    return db_url
