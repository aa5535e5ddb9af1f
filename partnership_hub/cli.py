"""Command-line tools: provisioning the database role, the demo seed and the embedded server (areas add
their own through ``Area.init_app``, e.g. ``flask outbox-status``)."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app


def register(app: Flask) -> None:
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
