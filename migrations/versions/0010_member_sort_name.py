"""Member lists by name at any partnership size (issue #8): ``memberships.sort_name``.

Lists of members ordered by name sorted EVERY member of the partnership by ``lower(users.name)`` before
taking a page (``users`` is shared by every partnership: no index orders one partnership's members by
it). ``memberships.sort_name`` holds that key on the membership, with indexes that make the first
page a LIMIT scan:

- (partnership_id, sort_name, id): the planning team, the people pickers;
- (partnership_id, role, sort_name, id): one role's members (a picker of members, a filtered People page);
- (partnership_id, sort_name, id) WHERE on_planning_team OR directory_editor: the planning page's people;
- (partnership_id, (role <> 'coordinator'), sort_name, id), PostgreSQL only: the People page,
  coordinators first.

It is derived from ``users.name`` and kept true by the database, whatever path writes:

- a new membership takes its person's ``lower(name)`` (PostgreSQL: BEFORE INSERT; SQLite: AFTER INSERT);
- renaming a person updates ``sort_name`` in every partnership they belong to (AFTER UPDATE OF name ON
  users). On PostgreSQL memberships are under FORCEd row-level security and a rename happens outside
  any partnership (the account page), so the trigger calls ``sync_member_sort_name()``, a SECURITY
  DEFINER function owned by the schema owner; the policy ``sort_name_sync`` lets that role (and only
  from inside a trigger) read and update memberships for it. The app role gets no new right.

Existing rows are backfilled.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


PLANNING = "on_planning_team OR directory_editor"


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgres = _on_postgres()
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(length=120), server_default="", nullable=False))
    # Backfill. memberships is under FORCEd row-level security, which binds even its owner: lifted for
    # this one statement.
    if postgres:
        op.execute("ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE memberships SET sort_name = (SELECT lower(users.name) FROM users WHERE users.id = memberships.user_id)"
    )
    if postgres:
        op.execute("ALTER TABLE memberships FORCE ROW LEVEL SECURITY")
    op.create_index("ix_memberships_partnership_id_sort_name", "memberships", ["partnership_id", "sort_name", "id"])
    op.create_index(
        "ix_memberships_partnership_id_role_sort_name", "memberships", ["partnership_id", "role", "sort_name", "id"]
    )
    op.create_index(
        "ix_memberships_planning_people",
        "memberships",
        ["partnership_id", "sort_name", "id"],
        postgresql_where=sa.text(PLANNING),
        sqlite_where=sa.text(PLANNING),
    )
    if not postgres:
        op.execute(
            "CREATE TRIGGER memberships_sort_name_on_insert AFTER INSERT ON memberships BEGIN "
            "UPDATE memberships SET sort_name = (SELECT lower(name) FROM users WHERE id = NEW.user_id) "
            "WHERE id = NEW.id; END"
        )
        op.execute(
            "CREATE TRIGGER users_name_to_memberships AFTER UPDATE OF name ON users "
            "WHEN NEW.name IS NOT OLD.name BEGIN "
            "UPDATE memberships SET sort_name = lower(NEW.name) WHERE user_id = NEW.id; END"
        )
        return

    op.create_index(
        "ix_memberships_people_order",
        "memberships",
        ["partnership_id", sa.text("(role <> 'coordinator')"), "sort_name", "id"],
    )
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    # A new membership: as whoever inserts it (the app role reads users).
    op.execute(
        f"""
        CREATE FUNCTION member_sort_name() RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
            NEW.sort_name := coalesce((SELECT lower(u.name) FROM "{schema}".users u WHERE u.id = NEW.user_id), '');
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER memberships_sort_name BEFORE INSERT OR UPDATE OF user_id ON memberships "
        "FOR EACH ROW EXECUTE FUNCTION member_sort_name()"
    )
    # A rename: every partnership of the person, whatever partnership (if any) the request is bound to.
    op.execute(
        f"""
        CREATE FUNCTION sync_member_sort_name() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
            UPDATE "{schema}".memberships SET sort_name = lower(NEW.name)
            WHERE user_id = NEW.id AND sort_name IS DISTINCT FROM lower(NEW.name);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION sync_member_sort_name() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER users_name_to_memberships AFTER UPDATE OF name ON users FOR EACH ROW "
        "WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION sync_member_sort_name()"
    )
    # The function runs as the owner (this role), whom the FORCEd policies bind too: it may read and
    # update memberships, but only from inside a trigger (so connecting as the owner opens nothing).
    owner = op.get_bind().execute(sa.text("SELECT quote_ident(current_user)")).scalar_one()
    op.execute(f"CREATE POLICY sort_name_sync_read ON memberships FOR SELECT TO {owner} USING (pg_trigger_depth() > 0)")
    op.execute(
        f"CREATE POLICY sort_name_sync ON memberships FOR UPDATE TO {owner} "
        f"USING (pg_trigger_depth() > 0) WITH CHECK (pg_trigger_depth() > 0)"
    )


def downgrade() -> None:
    if _on_postgres():
        op.execute("DROP POLICY IF EXISTS sort_name_sync ON memberships")
        op.execute("DROP POLICY IF EXISTS sort_name_sync_read ON memberships")
        op.execute("DROP TRIGGER IF EXISTS users_name_to_memberships ON users")
        op.execute("DROP FUNCTION IF EXISTS sync_member_sort_name()")
        op.execute("DROP TRIGGER IF EXISTS memberships_sort_name ON memberships")
        op.execute("DROP FUNCTION IF EXISTS member_sort_name()")
        op.drop_index("ix_memberships_people_order", table_name="memberships")
    else:
        op.execute("DROP TRIGGER IF EXISTS users_name_to_memberships")
        op.execute("DROP TRIGGER IF EXISTS memberships_sort_name_on_insert")
    op.drop_index("ix_memberships_planning_people", table_name="memberships")
    op.drop_index("ix_memberships_partnership_id_role_sort_name", table_name="memberships")
    op.drop_index("ix_memberships_partnership_id_sort_name", table_name="memberships")
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_column("sort_name")
