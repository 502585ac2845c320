"""An index on the audit trail's entity and record key, for one record's history

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the Data page reads a record's history, and a save its last change, by these columns
    op.create_index("ix_audit_log_entity_record_key", "audit_log", ["entity", "record_key"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity_record_key", table_name="audit_log")
