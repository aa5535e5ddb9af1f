"""Indexes for bounded, counted pages (People, invitations, the action plan): each matches a
page's filter and order so the first page and its capped count read a bounded number of rows.

- invitations (partnership_id, created_at, id) WHERE open: the open invitations newest first;
- action_items (partnership_id, due_date, id) WHERE goal_id IS NULL: the plan's unlinked items;
- goals (partnership_id, lower(title), id): the plan walks the goals by title, each goal's items
  through the index on action_items.goal_id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN_INVITATION = "accepted_at IS NULL AND revoked_at IS NULL"
UNLINKED = "goal_id IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_invitations_open_created_at",
        "invitations",
        ["partnership_id", "created_at", "id"],
        postgresql_where=sa.text(OPEN_INVITATION),
        sqlite_where=sa.text(OPEN_INVITATION),
    )
    op.create_index(
        "ix_action_items_unlinked_due_date",
        "action_items",
        ["partnership_id", "due_date", "id"],
        postgresql_where=sa.text(UNLINKED),
        sqlite_where=sa.text(UNLINKED),
    )
    if op.get_bind().dialect.name == "postgresql":  # SQLite cannot reflect it back (see actions/models.py)
        op.create_index(
            "ix_goals_partnership_id_lower_title", "goals", ["partnership_id", sa.text("lower(title)"), "id"]
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_goals_partnership_id_lower_title", table_name="goals")
    op.drop_index("ix_action_items_unlinked_due_date", table_name="action_items")
    op.drop_index("ix_invitations_open_created_at", table_name="invitations")
