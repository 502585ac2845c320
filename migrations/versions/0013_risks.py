"""The risk register: risks of projects that move the risk-adjusted figures

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("impact_kind", sa.String(length=20), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=False),
        sa.Column("likely", sa.BigInteger(), nullable=False),
        sa.Column("high", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "impact_kind IN ('cost', 'delay', 'benefit_reduction')",
            name=op.f("ck_risks_impact_kind_valid"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_risks_status_valid")),
        sa.CheckConstraint(
            "probability >= 0 AND probability <= 1", name=op.f("ck_risks_probability_fraction")
        ),
        sa.CheckConstraint("low >= 0", name=op.f("ck_risks_low_not_negative")),
        sa.CheckConstraint(
            "low <= likely AND likely <= high", name=op.f("ck_risks_low_likely_high_ordered")
        ),
        sa.CheckConstraint(
            "impact_kind <> 'delay' OR high <= 60000", name=op.f("ck_risks_delay_within_months")
        ),
        sa.CheckConstraint(
            "impact_kind <> 'benefit_reduction' OR high <= 10000",
            name=op.f("ck_risks_reduction_within_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_risks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_risks_project_id_key")),
    )
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risks_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risks_project_id"))
    op.drop_table("risks")
