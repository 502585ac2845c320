"""Initial schema: projects, KPIs, measurements, benchmarks, costs, benefits, decisions

Revision ID: 0001
Revises: None
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("business_unit", sa.String(length=100), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("use_case", sa.String(length=100), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("horizon_months", sa.Integer(), nullable=True),
        sa.Column("discount_rate", sa.Float(), nullable=True),
        sa.Column("probability_of_success", sa.Float(), nullable=False),
        sa.Column("cost_contingency", sa.Float(), nullable=False),
        sa.Column("risk_premium", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "stage IN ('idea', 'pilot', 'production', 'scaled', 'retired')",
            name=op.f("ck_projects_stage_valid"),
        ),
        sa.CheckConstraint(
            "cost_contingency >= 0", name=op.f("ck_projects_cost_contingency_not_negative")
        ),
        sa.CheckConstraint(
            "discount_rate IS NULL OR (discount_rate > -1 AND discount_rate <= 1)",
            name=op.f("ck_projects_discount_rate_range"),
        ),
        sa.CheckConstraint(
            "horizon_months IS NULL OR (horizon_months >= 1 AND horizon_months <= 600)",
            name=op.f("ck_projects_horizon_months_range"),
        ),
        sa.CheckConstraint(
            "probability_of_success >= 0 AND probability_of_success <= 1",
            name=op.f("ck_projects_probability_of_success_fraction"),
        ),
        sa.CheckConstraint("risk_premium >= 0", name=op.f("ck_projects_risk_premium_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("key", name=op.f("uq_projects_key")),
    )

    op.create_table(
        "benefits",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("recurrence", sa.String(length=20), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("ramp_months", sa.Integer(), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=True),
        sa.Column("high", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "category IN ('time_savings', 'productivity', 'cost_savings', 'revenue', 'employee_satisfaction', 'brand', 'customer_experience', 'valuation', 'other')",
            name=op.f("ck_benefits_category_valid"),
        ),
        sa.CheckConstraint(
            "recurrence IN ('one_time', 'monthly', 'quarterly', 'annually')",
            name=op.f("ck_benefits_recurrence_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('expected', 'realized')", name=op.f("ck_benefits_status_valid")
        ),
        sa.CheckConstraint("type IN ('hard', 'soft')", name=op.f("ck_benefits_type_valid")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_benefits_amount_not_negative")),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_benefits_confidence_fraction")
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= date", name=op.f("ck_benefits_end_after_date")
        ),
        sa.CheckConstraint(
            "high IS NULL OR high >= amount", name=op.f("ck_benefits_high_ge_amount")
        ),
        sa.CheckConstraint(
            "low IS NULL OR (low >= 0 AND low <= amount)", name=op.f("ck_benefits_low_le_amount")
        ),
        sa.CheckConstraint("ramp_months >= 0", name=op.f("ck_benefits_ramp_months_not_negative")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_benefits_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefits")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_benefits_project_id_key")),
    )
    with op.batch_alter_table("benefits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefits_project_id"), ["project_id"], unique=False)

    op.create_table(
        "costs",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("recurrence", sa.String(length=20), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=True),
        sa.Column("high", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "category IN ('development', 'data', 'infrastructure', 'licensing', 'talent', 'change_management', 'maintenance', 'other')",
            name=op.f("ck_costs_category_valid"),
        ),
        sa.CheckConstraint(
            "recurrence IN ('one_time', 'monthly', 'quarterly', 'annually')",
            name=op.f("ck_costs_recurrence_valid"),
        ),
        sa.CheckConstraint("status IN ('planned', 'actual')", name=op.f("ck_costs_status_valid")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_costs_amount_not_negative")),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= date", name=op.f("ck_costs_end_after_date")
        ),
        sa.CheckConstraint("high IS NULL OR high >= amount", name=op.f("ck_costs_high_ge_amount")),
        sa.CheckConstraint(
            "low IS NULL OR (low >= 0 AND low <= amount)", name=op.f("ck_costs_low_le_amount")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_costs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_costs")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_costs_project_id_key")),
    )
    with op.batch_alter_table("costs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_costs_project_id"), ["project_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "decision IN ('continue', 'pivot', 'scale', 'stop')",
            name=op.f("ck_decisions_decision_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_decisions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint(
            "project_id", "date", "decision", name=op.f("uq_decisions_project_id_date_decision")
        ),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_project_id"), ["project_id"], unique=False)

    op.create_table(
        "kpis",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("specific", sa.Text(), nullable=True),
        sa.Column("relevant_objective", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "baseline_date IS NULL OR target_date > baseline_date",
            name=op.f("ck_kpis_target_after_baseline"),
        ),
        sa.CheckConstraint("target <> baseline", name=op.f("ck_kpis_target_differs_from_baseline")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_kpis_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_kpis_project_id_key")),
    )
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpis_project_id"), ["project_id"], unique=False)

    op.create_table(
        "benchmarks",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_benchmarks_kpi_id_kpis"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmarks")),
        sa.UniqueConstraint("kpi_id", "name", name=op.f("uq_benchmarks_kpi_id_name")),
    )
    with op.batch_alter_table("benchmarks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benchmarks_kpi_id"), ["kpi_id"], unique=False)

    op.create_table(
        "measurements",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_measurements_kpi_id_kpis"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint("kpi_id", "date", name=op.f("uq_measurements_kpi_id_date")),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurements_kpi_id"), ["kpi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_kpi_id"))
    op.drop_table("measurements")
    with op.batch_alter_table("benchmarks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmarks_kpi_id"))
    op.drop_table("benchmarks")
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpis_project_id"))
    op.drop_table("kpis")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_project_id"))
    op.drop_table("decisions")
    with op.batch_alter_table("costs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_costs_project_id"))
    op.drop_table("costs")
    with op.batch_alter_table("benefits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefits_project_id"))
    op.drop_table("benefits")
    op.drop_table("projects")
