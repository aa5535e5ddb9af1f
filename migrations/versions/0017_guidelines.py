"""Governance guidelines: versioned documents, acknowledgements (issue #12), RLS on each new table.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TENANT_TABLES = ("guideline_documents", "guideline_versions", "guideline_acknowledgements")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"
UTC = sa.DateTime(timezone=True)


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
        "guideline_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("current_number", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("kind IN ('agreement', 'guidelines')", name=op.f("ck_guideline_documents_kind_known")),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_guideline_documents_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_documents")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_guideline_documents_partnership_id_id")),
        sa.UniqueConstraint("partnership_id", "kind", name=op.f("uq_guideline_documents_partnership_id_kind")),
    )
    with op.batch_alter_table("guideline_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guideline_documents_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "guideline_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("member_input", sa.Text(), nullable=False),
        sa.Column("meeting_every_weeks", sa.Integer(), nullable=True),
        sa.Column("meeting_notes", sa.Text(), nullable=False),
        sa.Column("dispute_resolution", sa.Text(), nullable=False),
        sa.Column("coordination_model", sa.String(length=20), nullable=True),
        sa.Column("coordination_notes", sa.Text(), nullable=False),
        sa.Column("decision_making", sa.Text(), nullable=False),
        sa.Column("created_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("published_at", UTC, nullable=True),
        sa.Column("published_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint(
            "coordination_model IS NULL OR coordination_model IN ('sole', 'shared')",
            name=op.f("ck_guideline_versions_coordination_known"),
        ),
        sa.CheckConstraint(
            "(number IS NULL) = (published_at IS NULL)", name=op.f("ck_guideline_versions_numbered_when_published")
        ),
        sa.CheckConstraint(
            "meeting_every_weeks IS NULL OR meeting_every_weeks BETWEEN 1 AND 52",
            name=op.f("ck_guideline_versions_frequency_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_guideline_versions_created_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "document_id"],
            ["guideline_documents.partnership_id", "guideline_documents.id"],
            name=op.f("fk_guideline_versions_partnership_id_guideline_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_guideline_versions_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_guideline_versions_published_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_versions")),
        sa.UniqueConstraint(
            "partnership_id",
            "document_id",
            "number",
            name=op.f("uq_guideline_versions_partnership_id_document_id_number"),
        ),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_guideline_versions_partnership_id_id")),
    )
    with op.batch_alter_table("guideline_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guideline_versions_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "uq_guideline_versions_one_draft",
            ["partnership_id", "document_id"],
            unique=True,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )

    op.create_table(
        "guideline_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", UTC, nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_guideline_acknowledgements_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["guideline_versions.partnership_id", "guideline_versions.id"],
            name=op.f("fk_guideline_acknowledgements_partnership_id_guideline_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_guideline_acknowledgements_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_acknowledgements")),
        sa.UniqueConstraint(
            "partnership_id",
            "version_id",
            "membership_id",
            name=op.f("uq_guideline_acknowledgements_partnership_id_version_id_membership_id"),
        ),
    )
    with op.batch_alter_table("guideline_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_guideline_acknowledgements_membership", ["partnership_id", "membership_id", "version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_guideline_acknowledgements_partnership_id"), ["partnership_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("guideline_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guideline_acknowledgements_partnership_id"))
        batch_op.drop_index("ix_guideline_acknowledgements_membership")
    op.drop_table("guideline_acknowledgements")
    with op.batch_alter_table("guideline_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_guideline_versions_one_draft",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_guideline_versions_partnership_id"))
    op.drop_table("guideline_versions")
    with op.batch_alter_table("guideline_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guideline_documents_partnership_id"))
    op.drop_table("guideline_documents")
