"""Setup-guide answers: what a coordinator recorded against a toolkit question (the answer or a
note), with who and when. Append-only; the guide shows the newest per question.

The new tenant table gets the same row-level security as 0001.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TENANT_TABLES = ("setup_guide_answers",)
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def upgrade():
    op.create_table(
        "setup_guide_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_setup_guide_answers_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_setup_guide_answers_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_guide_answers")),
    )
    with op.batch_alter_table("setup_guide_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setup_guide_answers_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_setup_guide_answers_partnership_id_item_key_id", ["partnership_id", "item_key", "id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TENANT_TABLES:
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    with op.batch_alter_table("setup_guide_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_setup_guide_answers_partnership_id_item_key_id")
        batch_op.drop_index(batch_op.f("ix_setup_guide_answers_partnership_id"))

    op.drop_table("setup_guide_answers")
