"""Budget threshold crossings, recorded once per crossing so alerts are never sent twice

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_threshold_crossings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("threshold_percent", sa.Integer(), nullable=False),
        sa.Column("crossed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "threshold_percent > 0", name=op.f("ck_budget_threshold_crossings_threshold_positive")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_budget_threshold_crossings_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_threshold_crossings")),
        sa.UniqueConstraint(
            "project_id",
            "category",
            "threshold_percent",
            name=op.f("uq_budget_threshold_crossings_project_id_category_threshold_percent"),
        ),
    )
    with op.batch_alter_table("budget_threshold_crossings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_threshold_crossings_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("budget_threshold_crossings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_threshold_crossings_project_id"))
    op.drop_table("budget_threshold_crossings")
