"""Approved baselines and archived board packs: the database refuses to change them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> what the refusal says; rows still go when their project is deleted
FROZEN = {
    "baselines": "an approved baseline cannot be changed: approve a new version",
    "board_packs": "an archived board pack cannot be changed",
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, refusal in FROZEN.items():
        if sqlite:
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
            )
            continue
        op.execute(
            f"CREATE FUNCTION {table}_refuse_update() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_update()"
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in FROZEN:
        if sqlite:
            op.execute(f"DROP TRIGGER {table}_no_update")
        else:
            op.execute(f"DROP TRIGGER {table}_no_update ON {table}")
            op.execute(f"DROP FUNCTION {table}_refuse_update()")
