"""The advisory area's safety section (issue #13): each advisor's contact and safety preferences
(``advisor_profiles``, one per membership by a composite (partnership_id, membership_id) foreign key),
with row-level security on the new tenant table.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TENANT_TABLES = ("advisor_profiles",)
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def upgrade() -> None:
    op.create_table(
        "advisor_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=120), nullable=False),
        sa.Column("allow_email", sa.Boolean(), nullable=False),
        sa.Column("allow_phone", sa.Boolean(), nullable=False),
        sa.Column("allow_text", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("safe_times", sa.String(length=500), nullable=False),
        sa.Column("no_voicemail", sa.Boolean(), nullable=False),
        sa.Column("safe_contact", sa.String(length=500), nullable=False),
        sa.Column("safe_mode", sa.Boolean(), nullable=False),
        sa.Column("wants_reminders", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "allow_phone OR allow_text OR phone = ''", name=op.f("ck_advisor_profiles_phone_when_allowed")
        ),
        sa.CheckConstraint("allow_email OR NOT wants_reminders", name=op.f("ck_advisor_profiles_reminders_by_email")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_advisor_profiles_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_advisor_profiles_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisor_profiles")),
        sa.UniqueConstraint(
            "partnership_id", "membership_id", name=op.f("uq_advisor_profiles_partnership_id_membership_id")
        ),
    )
    with op.batch_alter_table("advisor_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advisor_profiles_partnership_id"), ["partnership_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("advisor_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisor_profiles_partnership_id"))

    op.drop_table("advisor_profiles")
