"""Command-line tools: provisioning the database role, the demo seed and the embedded server (areas add
their own through ``Area.init_app``, e.g. ``flask outbox-status``)."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app


def attach_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` (once). Only the processes that migrate call this: ``flask db …``
    (through ``MigrationCommands``), the tests' and the bench's schema builders. A web worker never
    imports Flask-Migrate, Alembic, Mako or the Pygments lexers Mako pulls in (about 110 modules)."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        from partnership_hub.config import PROJECT_ROOT
        from partnership_hub.extensions import db

        Migrate(app, db, directory=str(PROJECT_ROOT / "migrations"))


class MigrationCommands(click.Group):
    """``flask db …``: Flask-Migrate's commands, loaded when the group is used."""

    def __init__(self, app: Flask) -> None:
        super().__init__("db", help="Database migrations (Flask-Migrate): upgrade, downgrade, migrate, ...")
        self._app = app

    def _commands(self) -> click.Group:
        attach_migrations(self._app)
        from flask_migrate.cli import db as commands

        return commands

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        # Asked for when `flask db …` is parsed: the group's own options (--directory, -x) and the
        # callback that keeps them for the subcommands become Flask-Migrate's.
        commands = self._commands()
        self.callback = commands.callback
        return commands.get_params(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get_command(ctx, cmd_name)


def register(app: Flask) -> None:
    app.cli.add_command(MigrationCommands(app))

    @app.cli.command("provision-db")
    def provision_db() -> None:
        """Create/refresh the PostgreSQL role the app connects as (run after `flask db upgrade`)."""
        from partnership_hub.provisioning import provision_app_role

        role = provision_app_role(
            current_app.config["DATABASE_OWNER_URL"], current_app.config["SQLALCHEMY_DATABASE_URI"]
        )
        click.echo(f"App role {role!r} provisioned." if role else "Nothing to provision (same role or not PostgreSQL).")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo partnership (once) and print how to sign in, as each of its roles."""
        from partnership_hub.demo import DEMO_DOMAIN, DEMO_PASSWORD, PEOPLE, seed
        from partnership_hub.workspaces.models import ROLE_LABELS

        created, coordinator_email = seed()
        logins = "".join(
            f"\n    {ROLE_LABELS[role].lower():<18} {local}@{DEMO_DOMAIN}" for _name, local, role in PEOPLE
        )
        click.echo(
            ("Demo partnership created." if created else "Demo partnership already there.")
            + f"\n  Sign in at {current_app.config['BASE_URL']}/login"
            + f"\n  email:    {coordinator_email}\n  password: {DEMO_PASSWORD}"
            + f"\n  Every role has a demo login (same password):{logins}"
        )

    @app.cli.command("serve")
    @click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"))
    @click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int)
    def serve(host: str, port: int) -> None:
        """Run the embedded mode: web server plus the in-process scheduler (development use)."""
        from werkzeug.serving import run_simple

        from partnership_hub.web.security import warn_about_development_mode
        from worker.embedded import EmbeddedScheduler
        from worker.schedule import BEAT_SCHEDULE

        warn_about_development_mode(app.config, bind_host=host)  # only here is the address known
        scheduler = EmbeddedScheduler(app, BEAT_SCHEDULE)
        scheduler.start()
        mailbox = f"  (mail: http://{host}:{port}/dev/mail)" if "dev_mail.index" in app.view_functions else ""
        click.echo(f"Partnership Hub on http://{host}:{port}{mailbox}")
        run_simple(host, port, app, threaded=True, use_reloader=False)
