"""The advisory area's consent section (issue #13). (Being built: the section fills in its tables and the
row-level security policy of each new tenant table.)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
