"""The dispute log (issue #12): disputes (confidential, ``leadership`` by default), their parties —
organizations and members, by composite (partnership_id, id) foreign keys, so the database refuses
a party from another partnership — and their append-only timeline. Row-level security on each new
tenant table, as 0003 does.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TENANT_TABLES = ("disputes", "dispute_organizations", "dispute_members", "dispute_entries")
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
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "personality", "priority", name="dispute_kind", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column(
            "path",
            sa.Enum(
                "informal",
                "facilitated",
                "formal",
                name="dispute_path",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "resolved",
                "escalated",
                "closed",
                name="dispute_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("handler_membership_id", sa.Integer(), nullable=True),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("resolution_notes", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "confidentiality",
            sa.Enum(
                "workspace",
                "leadership",
                "advisory",
                "private",
                name="confidentiality",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name=op.f("ck_disputes_closed_has_date")),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_disputes_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handler_membership_id"],
            ["memberships.id"],
            name=op.f("fk_disputes_handler_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_disputes_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_disputes_partnership_id_id")),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disputes_handler_membership_id"), ["handler_membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disputes_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_disputes_partnership_id_status_id", ["partnership_id", "status", "id"], unique=False)

    op.create_table(
        "dispute_organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "dispute_id"],
            ["disputes.partnership_id", "disputes.id"],
            name=op.f("fk_dispute_organizations_partnership_id_disputes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_dispute_organizations_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_dispute_organizations_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_organizations")),
        sa.UniqueConstraint(
            "dispute_id", "organization_id", name=op.f("uq_dispute_organizations_dispute_id_organization_id")
        ),
    )
    with op.batch_alter_table("dispute_organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_organizations_dispute_id"), ["dispute_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_organizations_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_organizations_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "dispute_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "dispute_id"],
            ["disputes.partnership_id", "disputes.id"],
            name=op.f("fk_dispute_members_partnership_id_disputes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_dispute_members_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_dispute_members_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_members")),
        sa.UniqueConstraint("dispute_id", "membership_id", name=op.f("uq_dispute_members_dispute_id_membership_id")),
    )
    with op.batch_alter_table("dispute_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_members_dispute_id"), ["dispute_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_members_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_members_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "dispute_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "resolved",
                "escalated",
                "closed",
                name="dispute_entry_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("what_happened <> ''", name=op.f("ck_dispute_entries_what_happened_given")),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_dispute_entries_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "dispute_id"],
            ["disputes.partnership_id", "disputes.id"],
            name=op.f("fk_dispute_entries_partnership_id_disputes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_dispute_entries_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_entries")),
    )
    with op.batch_alter_table("dispute_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_entries_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_dispute_entries_partnership_id_dispute",
            ["partnership_id", "dispute_id", "happened_on", "id"],
            unique=False,
        )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("dispute_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_entries_partnership_id_dispute")
        batch_op.drop_index(batch_op.f("ix_dispute_entries_partnership_id"))

    op.drop_table("dispute_entries")
    with op.batch_alter_table("dispute_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_members_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_members_membership_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_members_dispute_id"))

    op.drop_table("dispute_members")
    with op.batch_alter_table("dispute_organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_organizations_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_organizations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_organizations_dispute_id"))

    op.drop_table("dispute_organizations")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_disputes_partnership_id_status_id")
        batch_op.drop_index(batch_op.f("ix_disputes_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_disputes_handler_membership_id"))

    op.drop_table("disputes")
