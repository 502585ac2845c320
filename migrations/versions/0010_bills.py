"""Bills: files, lines, allocations, allocation rules and exchange rates

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bill_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=260), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_bill_files_sha256")),
    )
    op.create_table(
        "fx_rates",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("from", sa.String(length=3), nullable=False),
        sa.Column("to", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_fx_rates_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_rates")),
        sa.UniqueConstraint("date", "from", "to", name=op.f("uq_fx_rates_date_from_to")),
    )
    op.create_table(
        "allocation_rules",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=200), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.Column("match_type", sa.String(length=10), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "category IN ('development', 'data', 'infrastructure', 'licensing', 'talent', 'change_management', 'maintenance', 'other')",
            name=op.f("ck_allocation_rules_category_valid"),
        ),
        sa.CheckConstraint(
            "match_type IN ('exact', 'glob', 'regex')",
            name=op.f("ck_allocation_rules_match_type_valid"),
        ),
        sa.CheckConstraint(
            "share > 0 AND share <= 1", name=op.f("ck_allocation_rules_share_range")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
            name=op.f("ck_allocation_rules_valid_to_after_valid_from"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_allocation_rules_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_rules")),
        sa.UniqueConstraint(
            "project_id",
            "priority",
            "match",
            "pattern",
            name=op.f("uq_allocation_rules_project_id_priority_match_pattern"),
        ),
    )
    with op.batch_alter_table("allocation_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_allocation_rules_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "bill_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("billing_period", sa.Date(), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("charge_category", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("effective_cost", sa.String(length=60), nullable=False),
        sa.Column("billed_cost", sa.String(length=60), nullable=False),
        sa.Column("tokens", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["bill_files.id"],
            name=op.f("fk_bill_lines_file_id_bill_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_lines")),
    )
    with op.batch_alter_table("bill_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bill_lines_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bill_lines_billing_period"), ["billing_period"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bill_lines_file_id"), ["file_id"], unique=False)

    op.create_table(
        "bill_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("amount", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["bill_lines.id"],
            name=op.f("fk_bill_allocations_line_id_bill_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_bill_allocations_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_allocations")),
    )
    with op.batch_alter_table("bill_allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bill_allocations_line_id"), ["line_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bill_allocations_project_id"), ["project_id"], unique=False
        )
    op.create_table(
        "bill_costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("tokens", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_bill_costs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_costs")),
        sa.UniqueConstraint(
            "project_id", "month", "category", name=op.f("uq_bill_costs_project_id_month_category")
        ),
    )
    with op.batch_alter_table("bill_costs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bill_costs_project_id"), ["project_id"], unique=False)
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome_volume", sa.String(length=3), server_default="no", nullable=False)
        )
        batch_op.create_check_constraint("outcome_volume_valid", "outcome_volume IN ('yes', 'no')")


def downgrade() -> None:
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.drop_constraint("outcome_volume_valid", type_="check")
        batch_op.drop_column("outcome_volume")
    with op.batch_alter_table("bill_costs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bill_costs_project_id"))
    op.drop_table("bill_costs")
    with op.batch_alter_table("bill_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bill_allocations_project_id"))
        batch_op.drop_index(batch_op.f("ix_bill_allocations_line_id"))

    op.drop_table("bill_allocations")
    with op.batch_alter_table("bill_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bill_lines_file_id"))
        batch_op.drop_index(batch_op.f("ix_bill_lines_billing_period"))
        batch_op.drop_index(batch_op.f("ix_bill_lines_account"))

    op.drop_table("bill_lines")
    with op.batch_alter_table("allocation_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_rules_project_id"))

    op.drop_table("allocation_rules")
    op.drop_table("fx_rates")
    op.drop_table("bill_files")
