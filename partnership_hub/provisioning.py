"""PostgreSQL provisioning: the role the app connects as.

The app must not own the tables it reads (owners skip row-level security unless FORCEd, and could
drop the policies) and must not have BYPASSRLS. The schema is created by the owner role
(``DATABASE_OWNER_URL``, used by migrations); this grants the app role (``DATABASE_URL``'s user)
just enough to read and write rows.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# SECURITY DEFINER functions the app calls (migration 0009): counts without opening other rows.
APP_FUNCTIONS = ("outbox_recent_sends(text, integer, integer, timestamp with time zone)",)


def provision_app_role(owner_url: str, app_url: str) -> str | None:
    """Create/refresh the app role and its grants. Returns the role name, or None when the app
    connects as the owner itself (nothing to do) or the database is not PostgreSQL."""
    owner, app = make_url(owner_url), make_url(app_url)
    if owner.get_backend_name() != "postgresql" or not app.username or app.username == owner.username:
        return None
    role = app.username
    engine = create_engine(owner)
    quoted = engine.dialect.identifier_preparer.quote(role)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
        password_sql = ""
        if app.password:
            literal = str(app.password).replace("'", "''")
            password_sql = f" PASSWORD '{literal}'"
        verb = "ALTER" if exists else "CREATE"
        conn.execute(text(f"{verb} ROLE {quoted} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE{password_sql}"))
        current_database = conn.execute(text("SELECT current_database()")).scalar_one()
        database = engine.dialect.identifier_preparer.quote(current_database)
        for statement in (
            f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        ):
            conn.execute(text(statement))
        # Functions the migrations keep from PUBLIC (SECURITY DEFINER ones): granted by name, where they exist.
        for function in APP_FUNCTIONS:
            if conn.execute(text("SELECT to_regprocedure(:f)"), {"f": function}).scalar() is not None:
                conn.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {quoted}"))
    engine.dispose()
    return role
