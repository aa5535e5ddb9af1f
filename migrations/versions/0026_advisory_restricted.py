"""The advisory area's restricted section (issue #13). (Being built: the section fills in its tables and the
row-level security policy of each new tenant table.)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
