"""The advisory area's consent section (issue #13): story and image consents and the places their material
is used, with row-level security on each new tenant table. A consent's status (active, expired,
withdrawn) is derived when read, never stored.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

TENANT_TABLES = ("story_consents", "consent_uses")
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
        "story_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("shares_story", sa.Boolean(), nullable=False),
        sa.Column("shares_image", sa.Boolean(), nullable=False),
        sa.Column("shares_name", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "shares_story OR shares_image OR shares_name", name=op.f("ck_story_consents_shares_something")
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_story_consents_period")),
        sa.CheckConstraint(
            "withdrawal_note = '' OR withdrawn_at IS NOT NULL", name=op.f("ck_story_consents_note_on_withdrawal")
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_story_consents_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_story_consents_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_story_consents_recorded_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_consents")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_story_consents_partnership_id_id")),
    )
    with op.batch_alter_table("story_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_consents_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_story_consents_partnership_id_membership", ["partnership_id", "membership_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_story_consents_partnership_id_status",
            ["partnership_id", "withdrawn_at", "ends_on", "id"],
            unique=False,
        )

    op.create_table(
        "consent_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("uses_story", sa.Boolean(), nullable=False),
        sa.Column("uses_image", sa.Boolean(), nullable=False),
        sa.Column("uses_name", sa.Boolean(), nullable=False),
        sa.Column("added_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("uses_story OR uses_image OR uses_name", name=op.f("ck_consent_uses_uses_something")),
        sa.ForeignKeyConstraint(
            ["added_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_consent_uses_added_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "consent_id"],
            ["story_consents.partnership_id", "story_consents.id"],
            name=op.f("fk_consent_uses_partnership_id_story_consents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_consent_uses_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_uses")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_consent_uses_partnership_id_id")),
    )
    with op.batch_alter_table("consent_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_uses_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_consent_uses_partnership_id_consent", ["partnership_id", "consent_id", "id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("consent_uses", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_uses_partnership_id_consent")
        batch_op.drop_index(batch_op.f("ix_consent_uses_partnership_id"))

    op.drop_table("consent_uses")
    with op.batch_alter_table("story_consents", schema=None) as batch_op:
        batch_op.drop_index("ix_story_consents_partnership_id_status")
        batch_op.drop_index("ix_story_consents_partnership_id_membership")
        batch_op.drop_index(batch_op.f("ix_story_consents_partnership_id"))

    op.drop_table("story_consents")
