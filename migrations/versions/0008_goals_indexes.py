"""Indexes for the goals overview, the progress report and the attention list at any size.

- objectives (goal_id, position, id): a goal's objectives in their order (replaces the index on goal_id);
- progress_updates (objective_id, recorded_on, id): the report's range and "the last value before or
  in it" are index probes per objective (replaces the index on objective_id);
- objectives (partnership_id, goal_id, last_update_at): a goal's last post (the stalled rule) is one
  index-only probe, so the report's stalled list and the attention lists judge a goal cheaply.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_objectives_goal_id_position", "objectives", ["goal_id", "position", "id"])
    op.drop_index("ix_objectives_goal_id", table_name="objectives")
    op.create_index(
        "ix_progress_updates_objective_id_recorded_on", "progress_updates", ["objective_id", "recorded_on", "id"]
    )
    op.drop_index("ix_progress_updates_objective_id", table_name="progress_updates")
    op.create_index(
        "ix_objectives_partnership_id_goal_id_last_update_at",
        "objectives",
        ["partnership_id", "goal_id", "last_update_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_objectives_partnership_id_goal_id_last_update_at", table_name="objectives")
    op.create_index("ix_progress_updates_objective_id", "progress_updates", ["objective_id"])
    op.drop_index("ix_progress_updates_objective_id_recorded_on", table_name="progress_updates")
    op.create_index("ix_objectives_goal_id", "objectives", ["goal_id"])
    op.drop_index("ix_objectives_goal_id_position", table_name="objectives")
