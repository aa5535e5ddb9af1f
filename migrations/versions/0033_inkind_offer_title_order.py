"""The in-kind offer picker at any size: an index of the offers in the picker's order.

The match form's offer picker lists the matchable offers by ``lower(title)``, then id, at most a page
of them. With no index in that order the database read and sorted every offer of the partnership for
the first 21 (1.3 ms at 2,000 offers, growing with them); (partnership_id, lower(title), id) makes it a
LIMIT walk that stops after a page (0.06 ms). PostgreSQL only, like the goals' title index (0005):
SQLite cannot reflect an expression index back, and the embedded default's partnerships are small.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

INDEX = "ix_inkind_offers_partnership_id_lower_title"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # see funding/inkind.py
        op.create_index(INDEX, "inkind_offers", ["partnership_id", sa.text("lower(title)"), "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="inkind_offers")
