"""The home's "Your work" and a getting-started card that can be put away (issue #10).

- ``ix_action_items_your_work`` on action_items (partnership_id, assignee_membership_id, status,
  due_date, id): one person's unfinished items soonest due first, a LIMIT walk per status, and their
  capped count, whatever the size of the action plan.
- ``memberships.getting_started_dismissed``: a coordinator put the home's "Getting started" card away.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEX = "ix_action_items_your_work"


def upgrade() -> None:
    op.create_index(INDEX, "action_items", ["partnership_id", "assignee_membership_id", "status", "due_date", "id"])
    # A plain ADD COLUMN (SQLite too): a batch copy of memberships would drop its triggers (0010).
    op.add_column(
        "memberships", sa.Column("getting_started_dismissed", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    op.drop_column("memberships", "getting_started_dismissed")
    op.drop_index(INDEX, table_name="action_items")
