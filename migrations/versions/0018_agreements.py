"""Information-sharing agreements between member organizations (issue #12), RLS on each new table.

"Expired" is never stored (a check refuses it): an active agreement past its expiry date is expired
when read. Parties point at the agreement and at the organization with composite
(partnership_id, id) foreign keys, so the database refuses a party from another partnership.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TENANT_TABLES = ("sharing_agreements", "sharing_agreement_parties")
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
        "sharing_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("shared_scope", sa.Text(), nullable=False),
        sa.Column("not_shared", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("signatories", sa.Text(), nullable=False),
        sa.Column("document_links", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "active",
                "expired",
                "withdrawn",
                name="agreement_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status <> 'expired'", name=op.f("ck_sharing_agreements_expired_is_derived")),
        sa.CheckConstraint(
            "review_on IS NULL OR expires_on IS NULL OR review_on <= expires_on",
            name=op.f("ck_sharing_agreements_review_first"),
        ),
        sa.CheckConstraint(
            "signed_on IS NULL OR expires_on IS NULL OR signed_on <= expires_on",
            name=op.f("ck_sharing_agreements_signed_first"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_sharing_agreements_created_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_sharing_agreements_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreements")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_sharing_agreements_partnership_id_id")),
    )
    with op.batch_alter_table("sharing_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sharing_agreements_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_sharing_agreements_status_expires_on", ["partnership_id", "status", "expires_on", "id"], unique=False
        )

    op.create_table(
        "sharing_agreement_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "agreement_id"],
            ["sharing_agreements.partnership_id", "sharing_agreements.id"],
            name=op.f("fk_sharing_agreement_parties_partnership_id_sharing_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_sharing_agreement_parties_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_sharing_agreement_parties_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreement_parties")),
        sa.UniqueConstraint(
            "agreement_id", "organization_id", name=op.f("uq_sharing_agreement_parties_agreement_id_organization_id")
        ),
    )
    with op.batch_alter_table("sharing_agreement_parties", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sharing_agreement_parties_organization",
            ["partnership_id", "organization_id", "agreement_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_sharing_agreement_parties_partnership_id"), ["partnership_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    op.drop_table("sharing_agreement_parties")
    op.drop_table("sharing_agreements")
