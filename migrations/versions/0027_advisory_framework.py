"""The advisory area's framework section (issue #13): the partnership's confidentiality practices, each
member organization's mandatory-reporting duties and the federal rules checklist, with row-level
security on each new tenant table. Reporting rows point at their organization with a composite
(partnership_id, organization_id) key, so the database refuses an organization of another partnership.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TENANT_TABLES = ("confidentiality_frameworks", "organization_reporting", "federal_rule_reviews")
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
        "confidentiality_frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent", sa.Text(), nullable=False),
        sa.Column("privacy", sa.Text(), nullable=False),
        sa.Column("retention", sa.Text(), nullable=False),
        sa.Column("other", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_confidentiality_frameworks_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_confidentiality_frameworks_updated_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidentiality_frameworks")),
        sa.UniqueConstraint("partnership_id", name=op.f("uq_confidentiality_frameworks_partnership_id")),
    )
    with op.batch_alter_table("confidentiality_frameworks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_confidentiality_frameworks_partnership_id"), ["partnership_id"], unique=False
        )

    op.create_table(
        "organization_reporting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "is_mandatory_reporter",
            sa.Enum(
                "yes", "no", "unsure", name="reporter_status", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("reports_for", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_organization_reporting_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_organization_reporting_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_organization_reporting_updated_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_reporting")),
        sa.UniqueConstraint(
            "partnership_id", "organization_id", name=op.f("uq_organization_reporting_partnership_id_organization_id")
        ),
    )
    with op.batch_alter_table("organization_reporting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_reporting_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "federal_rule_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_key", sa.String(length=60), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "addressed",
                "not_applicable",
                name="rule_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("reviewed_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_federal_rule_reviews_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_federal_rule_reviews_reviewed_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federal_rule_reviews")),
        sa.UniqueConstraint("partnership_id", "rule_key", name=op.f("uq_federal_rule_reviews_partnership_id_rule_key")),
    )
    with op.batch_alter_table("federal_rule_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_federal_rule_reviews_partnership_id"), ["partnership_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("federal_rule_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_federal_rule_reviews_partnership_id"))

    op.drop_table("federal_rule_reviews")
    with op.batch_alter_table("organization_reporting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_reporting_partnership_id"))

    op.drop_table("organization_reporting")
    with op.batch_alter_table("confidentiality_frameworks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_confidentiality_frameworks_partnership_id"))

    op.drop_table("confidentiality_frameworks")
