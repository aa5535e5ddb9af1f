"""What the setup guide's facts and the home's counts need to stay cheap at any partnership size.

The facts are capped counts (the guide only asks "any?", "at least three/five?") and the home's
numbers are counted up to 1,000; these indexes make each a short index-only scan:

- memberships (partnership_id, role, user_id): counts by role (user_id: the RLS policy reads it);
- memberships (partnership_id, user_id) WHERE on_planning_team / WHERE directory_editor: the
  planning team and the directory editors (setup facts, the planning page's counts);
- invitations (partnership_id, expires_at) WHERE open: pending, unexpired invitations;
- progress_updates (partnership_id, id): "any progress posted?" as a LIMIT walk.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OPEN_INVITATION = "accepted_at IS NULL AND revoked_at IS NULL"


def upgrade() -> None:
    op.create_index("ix_memberships_partnership_id_role", "memberships", ["partnership_id", "role", "user_id"])
    op.create_index(
        "ix_memberships_planning_team",
        "memberships",
        ["partnership_id", "user_id"],
        postgresql_where=sa.text("on_planning_team"),
        sqlite_where=sa.text("on_planning_team"),
    )
    op.create_index(
        "ix_memberships_directory_editors",
        "memberships",
        ["partnership_id", "user_id"],
        postgresql_where=sa.text("directory_editor"),
        sqlite_where=sa.text("directory_editor"),
    )
    op.create_index(
        "ix_invitations_open_expires_at",
        "invitations",
        ["partnership_id", "expires_at"],
        postgresql_where=sa.text(OPEN_INVITATION),
        sqlite_where=sa.text(OPEN_INVITATION),
    )
    op.create_index("ix_progress_updates_partnership_id_id", "progress_updates", ["partnership_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_progress_updates_partnership_id_id", table_name="progress_updates")
    op.drop_index("ix_invitations_open_expires_at", table_name="invitations")
    op.drop_index("ix_memberships_directory_editors", table_name="memberships")
    op.drop_index("ix_memberships_planning_team", table_name="memberships")
    op.drop_index("ix_memberships_partnership_id_role", table_name="memberships")
