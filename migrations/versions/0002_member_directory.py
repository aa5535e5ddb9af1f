"""Partnership profile and the member directory: organizations, sectors, representatives, linked
networks, orientation, the community resource map and setup-guide marks.

Every new tenant table gets the same row-level security as 0001. Links between tenant records use
composite foreign keys on (partnership_id, id), so a link across partnerships is refused by the
database as well as by the app.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "custom_sectors",
    "organizations",
    "organization_sectors",
    "representatives",
    "linked_networks",
    "orientation_items",
    "orientation_completions",
    "community_resources",
    "setup_guide_marks",
)
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
    # Composite foreign keys below point at (partnership_id, id) of memberships: make it unique first.
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_planning_team", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("directory_editor", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_unique_constraint(batch_op.f("uq_memberships_partnership_id_id"), ["partnership_id", "id"])

    op.create_table(
        "community_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_name", sa.String(length=160), nullable=False),
        sa.Column("service_type", sa.String(length=30), nullable=False),
        sa.Column("area_served", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("trafficking_specific", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_community_resources_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_resources")),
    )
    with op.batch_alter_table("community_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_resources_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "custom_sectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("parent_key", sa.String(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_custom_sectors_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_sectors")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_custom_sectors_partnership_id_id")),
        sa.UniqueConstraint("partnership_id", "name_key", name=op.f("uq_custom_sectors_partnership_id_name_key")),
    )
    with op.batch_alter_table("custom_sectors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_sectors_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "linked_networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("relationship_notes", sa.Text(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_linked_networks_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linked_networks")),
    )
    with op.batch_alter_table("linked_networks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linked_networks_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_key", sa.String(length=160), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("service_area", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("prevention", sa.Boolean(), nullable=False),
        sa.Column("protection", sa.Boolean(), nullable=False),
        sa.Column("prosecution", sa.Boolean(), nullable=False),
        sa.Column("partnership", sa.Boolean(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_organizations_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_organizations_partnership_id_id")),
        sa.UniqueConstraint("partnership_id", "name_key", name=op.f("uq_organizations_partnership_id_name_key")),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "orientation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_orientation_items_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation_items")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_orientation_items_partnership_id_id")),
    )
    with op.batch_alter_table("orientation_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orientation_items_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "setup_guide_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=60), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_setup_guide_marks_marked_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_setup_guide_marks_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_guide_marks")),
        sa.UniqueConstraint("partnership_id", "item_key", name=op.f("uq_setup_guide_marks_partnership_id_item_key")),
    )
    with op.batch_alter_table("setup_guide_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setup_guide_marks_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "organization_sectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("sector_key", sa.String(length=60), nullable=True),
        sa.Column("custom_sector_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(sector_key IS NULL) <> (custom_sector_id IS NULL)", name=op.f("ck_organization_sectors_one_sector")
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "custom_sector_id"],
            ["custom_sectors.partnership_id", "custom_sectors.id"],
            name=op.f("fk_organization_sectors_partnership_id_custom_sectors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_organization_sectors_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_organization_sectors_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_sectors")),
        sa.UniqueConstraint(
            "organization_id", "custom_sector_id", name=op.f("uq_organization_sectors_organization_id_custom_sector_id")
        ),
        sa.UniqueConstraint(
            "organization_id", "sector_key", name=op.f("uq_organization_sectors_organization_id_sector_key")
        ),
    )
    with op.batch_alter_table("organization_sectors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_sectors_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_organization_sectors_partnership_id_sector_key", ["partnership_id", "sector_key"], unique=False
        )

    op.create_table(
        "orientation_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("orientation_item_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_orientation_completions_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "orientation_item_id"],
            ["orientation_items.partnership_id", "orientation_items.id"],
            name=op.f("fk_orientation_completions_partnership_id_orientation_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_orientation_completions_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation_completions")),
        sa.UniqueConstraint(
            "orientation_item_id",
            "membership_id",
            name=op.f("uq_orientation_completions_orientation_item_id_membership_id"),
        ),
    )
    with op.batch_alter_table("orientation_completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orientation_completions_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_orientation_completions_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "representatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("membership_id IS NOT NULL OR name <> ''", name=op.f("ck_representatives_named")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_representatives_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_representatives_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_representatives_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representatives")),
    )
    with op.batch_alter_table("representatives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_representatives_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_representatives_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_representatives_partnership_id"), ["partnership_id"], unique=False)

    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("definition", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("vision", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("mission", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("region", sa.String(length=160), server_default="", nullable=False))
        batch_op.add_column(sa.Column("functions", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column("coordination_model", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("stage", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("public_profile", sa.Boolean(), server_default=sa.false(), nullable=False))

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade():
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_column("public_profile")
        batch_op.drop_column("stage")
        batch_op.drop_column("coordination_model")
        batch_op.drop_column("functions")
        batch_op.drop_column("region")
        batch_op.drop_column("mission")
        batch_op.drop_column("vision")
        batch_op.drop_column("definition")

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_memberships_partnership_id_id"), type_="unique")
        batch_op.drop_column("directory_editor")
        batch_op.drop_column("on_planning_team")

    with op.batch_alter_table("representatives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_representatives_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_representatives_organization_id"))
        batch_op.drop_index(batch_op.f("ix_representatives_membership_id"))

    op.drop_table("representatives")
    with op.batch_alter_table("orientation_completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orientation_completions_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_orientation_completions_membership_id"))

    op.drop_table("orientation_completions")
    with op.batch_alter_table("organization_sectors", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_sectors_partnership_id_sector_key")
        batch_op.drop_index(batch_op.f("ix_organization_sectors_partnership_id"))

    op.drop_table("organization_sectors")
    with op.batch_alter_table("setup_guide_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_setup_guide_marks_partnership_id"))

    op.drop_table("setup_guide_marks")
    with op.batch_alter_table("orientation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orientation_items_partnership_id"))

    op.drop_table("orientation_items")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_partnership_id"))

    op.drop_table("organizations")
    with op.batch_alter_table("linked_networks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linked_networks_partnership_id"))

    op.drop_table("linked_networks")
    with op.batch_alter_table("custom_sectors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_sectors_partnership_id"))

    op.drop_table("custom_sectors")
    with op.batch_alter_table("community_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_resources_partnership_id"))

    op.drop_table("community_resources")
