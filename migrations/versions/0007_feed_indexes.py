"""Indexes for the activity feed and its filters at any partnership size.

Each matches one read of a log newest first, ``(created_at, id)`` being the keyset order, so a page
is a LIMIT down an index whatever the size of the log: the whole feed, one kind of record (an area's
filter reads each of its kinds this way), one person's doings (the person filter, and the person
picker's "has done something here" check), and the access log. The first carries ``actor_id`` so
the person picker's "people active lately" is an index-only read of the newest entries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


AUDIT = "audit_entries"
ACCESS = "access_log"


def upgrade() -> None:
    op.drop_index("ix_audit_entries_partnership_id_created_at", table_name=AUDIT)
    op.create_index(
        "ix_audit_entries_partnership_id_created_at_id",
        AUDIT,
        ["partnership_id", "created_at", "id"],
        postgresql_include=["actor_id"],
    )
    op.create_index(
        "ix_audit_entries_partnership_id_target_type", AUDIT, ["partnership_id", "target_type", "created_at", "id"]
    )
    op.create_index(
        "ix_audit_entries_partnership_id_actor_id", AUDIT, ["partnership_id", "actor_id", "created_at", "id"]
    )
    op.drop_index("ix_access_log_partnership_id_created_at", table_name=ACCESS)
    op.create_index("ix_access_log_partnership_id_created_at_id", ACCESS, ["partnership_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_access_log_partnership_id_created_at_id", table_name=ACCESS)
    op.create_index("ix_access_log_partnership_id_created_at", ACCESS, ["partnership_id", "created_at"])
    op.drop_index("ix_audit_entries_partnership_id_actor_id", table_name=AUDIT)
    op.drop_index("ix_audit_entries_partnership_id_target_type", table_name=AUDIT)
    op.drop_index("ix_audit_entries_partnership_id_created_at_id", table_name=AUDIT)
    op.create_index("ix_audit_entries_partnership_id_created_at", AUDIT, ["partnership_id", "created_at"])
