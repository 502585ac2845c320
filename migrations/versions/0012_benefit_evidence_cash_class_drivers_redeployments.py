"""Benefits' evidence and cash class, measurement groups, value drivers, redeployments

Existing benefits take their category's default evidence and cash class; existing
measurements belong to the treated group.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the defaults of roi_tracker.domain.vocabulary.CATEGORY_DEFAULTS when this revision was
# written (a migration keeps its own copy: later changes to the defaults must not alter it)
CATEGORY_DEFAULTS = {
    "time_savings": ("estimated", "non_cashable"),
    "productivity": ("estimated", "non_cashable"),
    "cost_savings": ("estimated", "cashable"),
    "revenue": ("estimated", "cashable"),
    "employee_satisfaction": ("assumed", "non_financial"),
    "brand": ("assumed", "non_financial"),
    "customer_experience": ("assumed", "non_financial"),
    "valuation": ("assumed", "non_financial"),
    "other": ("assumed", "non_cashable"),
}
EVIDENCE = ("measured", "derived", "estimated", "assumed")
CASH_CLASSES = ("cashable", "cost_avoidance", "non_cashable", "non_financial")
REDEPLOYMENT_KINDS = (
    "headcount_avoided", "overtime_cut", "contractor_spend_cut", "licence_reduced",
    "volume_absorbed",
)  # fmt: skip
DRIVER_KINDS = ("time_saved", "cost_avoided", "revenue_uplift")


def _one_of(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _case(position: int) -> str:
    whens = " ".join(
        f"WHEN '{category}' THEN '{pair[position]}'" for category, pair in CATEGORY_DEFAULTS.items()
    )
    return f"CASE category {whens} END"


def upgrade() -> None:
    with op.batch_alter_table("benefits") as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cash_class", sa.String(length=20), nullable=True))
    op.execute(f"UPDATE benefits SET evidence = {_case(0)}, cash_class = {_case(1)}")
    with op.batch_alter_table("benefits") as batch_op:
        batch_op.alter_column("evidence", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("cash_class", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_benefits_evidence_valid"), _one_of("evidence", EVIDENCE)
        )
        batch_op.create_check_constraint(
            op.f("ck_benefits_cash_class_valid"), _one_of("cash_class", CASH_CLASSES)
        )

    with op.batch_alter_table("measurements") as batch_op:
        batch_op.add_column(sa.Column("group", sa.String(length=10), nullable=True))
    op.execute("UPDATE measurements SET \"group\" = 'treated'")
    with op.batch_alter_table("measurements") as batch_op:
        batch_op.alter_column("group", existing_type=sa.String(length=10), nullable=False)
        batch_op.drop_constraint(op.f("uq_measurements_kpi_id_date"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_measurements_kpi_id_date_group"), ["kpi_id", "date", "group"]
        )
        batch_op.create_check_constraint(
            op.f("ck_measurements_group_valid"), "\"group\" IN ('treated', 'control')"
        )

    op.create_table(
        "value_drivers",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("benefit_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("volume_kpi", sa.String(length=64), nullable=False),
        sa.Column("rate_kpi", sa.String(length=64), nullable=False),
        sa.Column("adoption_kpi", sa.String(length=64), nullable=True),
        sa.Column("hourly_rate", sa.BigInteger(), nullable=True),
        sa.Column("revenue_base", sa.BigInteger(), nullable=True),
        sa.Column("margin", sa.Float(), nullable=True),
        sa.CheckConstraint(_one_of("kind", DRIVER_KINDS), name=op.f("ck_value_drivers_kind_valid")),
        sa.CheckConstraint(
            "margin >= 0 AND margin <= 1", name=op.f("ck_value_drivers_margin_fraction")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_value_drivers_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_drivers")),
        sa.UniqueConstraint(
            "project_id", "benefit_key", name=op.f("uq_value_drivers_project_id_benefit_key")
        ),
    )
    op.create_index(op.f("ix_value_drivers_project_id"), "value_drivers", ["project_id"])

    op.create_table(
        "redeployments",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("hours_per_month", sa.Float(), nullable=True),
        sa.Column("amount_per_month", sa.BigInteger(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.CheckConstraint(
            _one_of("kind", REDEPLOYMENT_KINDS), name=op.f("ck_redeployments_kind_valid")
        ),
        sa.CheckConstraint(
            "hours_per_month >= 0", name=op.f("ck_redeployments_hours_per_month_not_negative")
        ),
        sa.CheckConstraint(
            "amount_per_month >= 0", name=op.f("ck_redeployments_amount_per_month_not_negative")
        ),
        sa.CheckConstraint(
            "(hours_per_month IS NULL) <> (amount_per_month IS NULL)",
            name=op.f("ck_redeployments_hours_or_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_redeployments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redeployments")),
        sa.UniqueConstraint(
            "project_id", "date", "kind", name=op.f("uq_redeployments_project_id_date_kind")
        ),
    )
    op.create_index(op.f("ix_redeployments_project_id"), "redeployments", ["project_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_redeployments_project_id"), table_name="redeployments")
    op.drop_table("redeployments")
    op.drop_index(op.f("ix_value_drivers_project_id"), table_name="value_drivers")
    op.drop_table("value_drivers")
    # control measurements have no place in the older schema
    op.execute("DELETE FROM measurements WHERE \"group\" <> 'treated'")
    with op.batch_alter_table("measurements") as batch_op:
        batch_op.drop_constraint(op.f("ck_measurements_group_valid"), type_="check")
        batch_op.drop_constraint(op.f("uq_measurements_kpi_id_date_group"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_measurements_kpi_id_date"), ["kpi_id", "date"])
        batch_op.drop_column("group")
    with op.batch_alter_table("benefits") as batch_op:
        batch_op.drop_constraint(op.f("ck_benefits_cash_class_valid"), type_="check")
        batch_op.drop_constraint(op.f("ck_benefits_evidence_valid"), type_="check")
        batch_op.drop_column("cash_class")
        batch_op.drop_column("evidence")
