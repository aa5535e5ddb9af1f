"""The advisory area's compensation section (issue #13). (Being built: the section fills in its tables and the
row-level security policy of each new tenant table.)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
