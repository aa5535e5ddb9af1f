"""The advisory area's restricted section (issue #13): the survivor advisory board's notes, documents by
link, discussion threads and their replies, with row-level security on each new tenant table. Notes,
documents and threads carry a confidentiality level (always ``advisory``); a reply follows its thread
(composite key, removed with it).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TENANT_TABLES = ("board_notes", "board_documents", "board_threads", "board_replies")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def _confidentiality() -> sa.Column:
    return sa.Column(
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
    )


def _tenant(table: str) -> list:
    """The columns and keys every tenant table has: its partnership, its creation time, its id."""
    return [
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f(f"fk_{table}_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _author(table: str, column: str) -> list:
    return [
        sa.Column(column, sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            [column], ["memberships.id"], name=op.f(f"fk_{table}_{column}_memberships"), ondelete="SET NULL"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "board_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _confidentiality(),
        *_author("board_notes", "author_membership_id"),
        *_tenant("board_notes"),
    )
    with op.batch_alter_table("board_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_notes_author_membership_id"), ["author_membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_board_notes_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_board_notes_partnership_id_updated_at_id", ["partnership_id", "updated_at", "id"], unique=False
        )

    op.create_table(
        "board_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _confidentiality(),
        *_author("board_documents", "added_by_membership_id"),
        *_tenant("board_documents"),
    )
    with op.batch_alter_table("board_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_documents_added_by_membership_id"), ["added_by_membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_board_documents_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_board_documents_partnership_id_created_at_id", ["partnership_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "board_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _confidentiality(),
        *_author("board_threads", "author_membership_id"),
        *_tenant("board_threads"),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_board_threads_partnership_id_id")),
    )
    with op.batch_alter_table("board_threads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_threads_author_membership_id"), ["author_membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_board_threads_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_board_threads_partnership_id_last_activity_at_id",
            ["partnership_id", "last_activity_at", "id"],
            unique=False,
        )

    op.create_table(
        "board_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        *_author("board_replies", "author_membership_id"),
        *_tenant("board_replies"),
        sa.ForeignKeyConstraint(
            ["partnership_id", "thread_id"],
            ["board_threads.partnership_id", "board_threads.id"],
            name=op.f("fk_board_replies_partnership_id_board_threads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("board_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_replies_author_membership_id"), ["author_membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_board_replies_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_board_replies_partnership_id_thread_id_created_at_id",
            ["partnership_id", "thread_id", "created_at", "id"],
            unique=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    for table, indexes in (
        ("board_replies", ("ix_board_replies_partnership_id_thread_id_created_at_id",)),
        ("board_threads", ("ix_board_threads_partnership_id_last_activity_at_id",)),
        ("board_documents", ("ix_board_documents_partnership_id_created_at_id",)),
        ("board_notes", ("ix_board_notes_partnership_id_updated_at_id",)),
    ):
        author = "added_by_membership_id" if table == "board_documents" else "author_membership_id"
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
            batch_op.drop_index(batch_op.f(f"ix_{table}_partnership_id"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_{author}"))
        op.drop_table(table)
