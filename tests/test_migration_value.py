"""Migration 0012: existing benefits take their category's evidence and cash class, existing
measurements the treated group; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from roi_tracker.store import make_engine, migrate


def _existing_rows_are_migrated(url: str) -> None:
    migrate.upgrade(url, "0011")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO projects (key, name, stage, start_date, probability_of_success,"
                    " cost_contingency, risk_premium, created_at, updated_at) VALUES"
                    " ('p', 'P', 'pilot', '2025-01-01', 1, 0, 0,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            for key, category in (("t", "time_savings"), ("r", "revenue"), ("b", "brand")):
                connection.execute(
                    text(
                        "INSERT INTO benefits (project_id, key, date, type, category, amount,"
                        " recurrence, status, confidence, ramp_months, created_at, updated_at)"
                        f" SELECT id, '{key}', '2025-02-01', 'hard', '{category}', 100,"
                        " 'monthly', 'expected', 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
                        " FROM projects"
                    )
                )
            connection.execute(
                text(
                    "INSERT INTO kpis (project_id, key, name, unit, baseline, target, target_date,"
                    " created_at, updated_at) SELECT id, 'k', 'K', 'min', 12, 8, '2025-12-31',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM projects"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO measurements (kpi_id, date, value, created_at, updated_at)"
                    " SELECT id, '2025-03-31', 10, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM kpis"
                )
            )
        migrate.upgrade(url)
        with engine.connect() as connection:
            benefits = connection.execute(
                text("SELECT key, evidence, cash_class FROM benefits ORDER BY key")
            ).all()
            groups = connection.execute(text('SELECT "group" FROM measurements')).scalars().all()
        assert [tuple(row) for row in benefits] == [
            ("b", "assumed", "non_financial"),
            ("r", "estimated", "cashable"),
            ("t", "estimated", "non_cashable"),
        ]
        assert groups == ["treated"]
        migrate.downgrade(url, "0011")
    finally:
        engine.dispose()


def test_sqlite_migration_fills_the_category_defaults(tmp_path):
    _existing_rows_are_migrated(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_postgres_migration_fills_the_category_defaults(postgres_url):
    _existing_rows_are_migrated(postgres_url)
