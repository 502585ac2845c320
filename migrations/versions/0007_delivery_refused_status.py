"""Deliveries may be refused: a permanent SMTP refusal is given up after a few attempts

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_deliveries_status_valid"


def _allow(statuses: str) -> None:
    # batch mode: SQLite cannot alter a check constraint, it copies the table
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), f"status IN ({statuses})")


def upgrade() -> None:
    _allow("'claimed', 'sent', 'failed', 'refused'")


def downgrade() -> None:
    op.execute("UPDATE deliveries SET status = 'failed' WHERE status = 'refused'")
    _allow("'claimed', 'sent', 'failed'")
