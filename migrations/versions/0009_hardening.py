"""Hardening (issue #9): invariants the database enforces under concurrency, and row-level
security without holes.

- invitations: at most one open invitation (not accepted, not revoked) per (partnership, address), a
  unique partial index. Expired open invitations count: inviting the address again renews that row.
  Duplicates that races left behind are revoked first, keeping the newest.
- outbox_messages.sender_id: who sent a message, for the per-person invitation limit; and
  ``outbox_recent_sends()``, a SECURITY DEFINER function that counts a kind of mail sent recently by
  a partnership and by a person (across partnerships) without opening anyone's mail to the request.
- memberships: the exception that lets a person see their own memberships in other partnerships
  (``app.user_id``) is a SELECT-only policy; writing still needs the bound partnership.
- outbox_messages gets row-level security (ENABLE; not FORCE, so the owner — migrations and the
  function above — is not subject to it). The app role may queue mail (INSERT) for the bound
  partnership or for no partnership (account mail) and nothing else, unless the transaction declares
  itself the delivery work (``app.outbox = 'deliver'``, set by ``notifications.services.open_outbox``
  for delivery, the sweep and the development mailbox only): then it may read and update every row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"
CURRENT_USER = "NULLIF(current_setting('app.user_id', true), '')::integer"
DELIVERY = "current_setting('app.outbox', true) = 'deliver'"
OPEN = "accepted_at IS NULL AND revoked_at IS NULL"
RECENT_SENDS = "outbox_recent_sends(text, integer, integer, timestamp with time zone)"


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgres = _on_postgres()
    # Invitations: revoke the older of any duplicate open invitations, then forbid them. The table
    # is under FORCEd row-level security, which binds even its owner: lifted for this one statement.
    if postgres:
        op.execute("ALTER TABLE invitations NO FORCE ROW LEVEL SECURITY")
    op.execute(
        f"UPDATE invitations SET revoked_at = CURRENT_TIMESTAMP WHERE {OPEN} AND id NOT IN ("  # noqa: S608
        f"SELECT max(id) FROM invitations WHERE {OPEN} GROUP BY partnership_id, email)"
    )
    if postgres:
        op.execute("ALTER TABLE invitations FORCE ROW LEVEL SECURITY")
    op.create_index(
        "uq_invitations_open_email",
        "invitations",
        ["partnership_id", "email"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )

    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("sender_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_outbox_messages_sender_id_users"), "users", ["sender_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_outbox_messages_sender_id_created_at", ["sender_id", "created_at"])

    if not postgres:
        return
    op.execute("DROP POLICY tenant_isolation ON memberships")
    op.execute(
        f"CREATE POLICY tenant_isolation ON memberships "
        f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
    )
    op.execute(f"CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = {CURRENT_USER})")

    op.execute("ALTER TABLE outbox_messages ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY outbox_queue ON outbox_messages FOR INSERT "
        f"WITH CHECK (partnership_id IS NULL OR partnership_id = {CURRENT_PARTNERSHIP} OR {DELIVERY})"
    )
    op.execute(f"CREATE POLICY outbox_delivery ON outbox_messages USING ({DELIVERY}) WITH CHECK ({DELIVERY})")

    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    op.execute(
        f"""
        CREATE FUNCTION outbox_recent_sends(
            p_kind text, p_partnership integer, p_sender integer, p_since timestamp with time zone
        )
        RETURNS TABLE (by_partnership bigint, by_sender bigint)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
            SELECT count(*) FILTER (WHERE partnership_id = p_partnership),
                   count(*) FILTER (WHERE sender_id = p_sender)
            FROM "{schema}".outbox_messages
            WHERE kind = p_kind AND created_at >= p_since
              AND (partnership_id = p_partnership OR sender_id = p_sender)
        $$
        """
    )
    # Only the app role runs it (granted by `flask provision-db`).
    op.execute(f"REVOKE ALL ON FUNCTION {RECENT_SENDS} FROM PUBLIC")


def downgrade() -> None:
    if _on_postgres():
        op.execute(f"DROP FUNCTION IF EXISTS {RECENT_SENDS}")
        op.execute("DROP POLICY IF EXISTS outbox_delivery ON outbox_messages")
        op.execute("DROP POLICY IF EXISTS outbox_queue ON outbox_messages")
        op.execute("ALTER TABLE outbox_messages DISABLE ROW LEVEL SECURITY")
        op.execute("DROP POLICY IF EXISTS own_memberships ON memberships")
        op.execute("DROP POLICY tenant_isolation ON memberships")
        op.execute(
            f"CREATE POLICY tenant_isolation ON memberships "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP} OR user_id = {CURRENT_USER}) "
            f"WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_index("ix_outbox_messages_sender_id_created_at")
        batch_op.drop_constraint(op.f("fk_outbox_messages_sender_id_users"), type_="foreignkey")
        batch_op.drop_column("sender_id")
    op.drop_index("uq_invitations_open_email", table_name="invitations")
