"""The funding area's in-kind resources section (issue #14): offers, needs and the matches coordinators
make between them, with row-level security on each new tenant table.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

TENANT_TABLES = ("inkind_offers", "inkind_needs", "inkind_matches")
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
        "inkind_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("quantity", sa.String(length=200), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_until", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "available",
                "matched",
                "in_use",
                "used_up",
                "withdrawn",
                name="inkind_offer_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("used_by_organization_id", sa.Integer(), nullable=True),
        sa.Column("offered_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "available_from IS NULL OR available_until IS NULL OR available_from <= available_until",
            name=op.f("ck_inkind_offers_available_in_order"),
        ),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name=op.f("ck_inkind_offers_hours_not_negative")),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_inkind_offers_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_inkind_offers_offered_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_inkind_offers_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "used_by_organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_inkind_offers_used_by_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_inkind_offers_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inkind_offers")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_inkind_offers_partnership_id_id")),
    )
    with op.batch_alter_table("inkind_offers", schema=None) as batch_op:
        batch_op.create_index("ix_inkind_offers_kind", ["partnership_id", "kind", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inkind_offers_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_inkind_offers_status", ["partnership_id", "status", "id"], unique=False)

    op.create_table(
        "inkind_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "met",
                "closed",
                name="inkind_need_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("posted_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_inkind_needs_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_inkind_needs_posted_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inkind_needs")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_inkind_needs_partnership_id_id")),
    )
    with op.batch_alter_table("inkind_needs", schema=None) as batch_op:
        batch_op.create_index("ix_inkind_needs_kind", ["partnership_id", "kind", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inkind_needs_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_inkind_needs_status", ["partnership_id", "status", "id"], unique=False)

    op.create_table(
        "inkind_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("matched_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["matched_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_inkind_matches_matched_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "need_id"],
            ["inkind_needs.partnership_id", "inkind_needs.id"],
            name=op.f("fk_inkind_matches_partnership_id_inkind_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "offer_id"],
            ["inkind_offers.partnership_id", "inkind_offers.id"],
            name=op.f("fk_inkind_matches_partnership_id_inkind_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_inkind_matches_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inkind_matches")),
        sa.UniqueConstraint("offer_id", "need_id", name=op.f("uq_inkind_matches_offer_id_need_id")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_inkind_matches_partnership_id_id")),
    )
    with op.batch_alter_table("inkind_matches", schema=None) as batch_op:
        batch_op.create_index("ix_inkind_matches_need", ["partnership_id", "need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inkind_matches_partnership_id"), ["partnership_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("inkind_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inkind_matches_partnership_id"))
        batch_op.drop_index("ix_inkind_matches_need")

    op.drop_table("inkind_matches")
    with op.batch_alter_table("inkind_needs", schema=None) as batch_op:
        batch_op.drop_index("ix_inkind_needs_status")
        batch_op.drop_index(batch_op.f("ix_inkind_needs_partnership_id"))
        batch_op.drop_index("ix_inkind_needs_kind")

    op.drop_table("inkind_needs")
    with op.batch_alter_table("inkind_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_inkind_offers_status")
        batch_op.drop_index(batch_op.f("ix_inkind_offers_partnership_id"))
        batch_op.drop_index("ix_inkind_offers_kind")

    op.drop_table("inkind_offers")
