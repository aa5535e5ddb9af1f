"""Partnership Hub: hosted workspaces for anti-human-trafficking partnerships."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from flask import Flask, g

from partnership_hub.config import PROJECT_ROOT, load_config

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """The application factory: configuration from the environment, then ``config`` overrides."""
    settings = load_config()
    settings.update(config or {})
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=settings["INSTANCE_DIR"],
    )
    app.config.update(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic logs each of its plugins at INFO whenever it is imported (`flask db upgrade` in
    # `make run`), burying the demo's sign-in banner; its warnings still show.
    logging.getLogger("alembic").setLevel(logging.WARNING)

    register_extensions(app)
    # Every <int:...> route argument is an id: ASCII digits within PostgreSQL's integer, or a 404
    # before any loader runs (parsing.py).
    from partnership_hub.parsing import IdConverter

    app.url_map.converters["int"] = IdConverter
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_partnership_menu(app)
    register_cli(app)
    if not app.testing:
        from partnership_hub.web.security import warn_about_development_mode

        warn_about_development_mode(app.config)
    return app


def register_extensions(app: Flask) -> None:
    from partnership_hub import security
    from partnership_hub.extensions import csrf, db, limiter, login_manager
    from partnership_hub.tasks import init_celery
    from partnership_hub.web.security import register_security_headers, trust_proxies

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.configure_hasher(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
    )
    init_celery(app)
    register_security_headers(app)
    trust_proxies(app)

    # Every area's models are imported so metadata (and migrations) see all tables.
    from partnership_hub import areas

    areas.import_models()


def register_blueprints(app: Flask) -> None:
    """The web tier's own blueprint, then every installed area's (``areas.py``)."""
    from partnership_hub import areas
    from partnership_hub.web.health import bp as health_bp
    from partnership_hub.web.tenancy import add_slug_default

    app.register_blueprint(health_bp)
    for area in areas.installed():
        for reference in area.blueprints:
            app.register_blueprint(areas.resolve(reference))
        if area.init_app:
            areas.resolve(area.init_app)(app)
    app.url_defaults(add_slug_default)


def register_errorhandlers(app: Flask) -> None:
    from partnership_hub.web.errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from partnership_hub.policies import can
    from partnership_hub.web import navigation
    from partnership_hub.web.htmx import is_htmx
    from partnership_hub.workspaces.models import ROLE_DESCRIPTIONS, ROLE_LABELS, Role

    @app.context_processor
    def _workspace_helpers():
        ctx = g.get("ctx")
        membership = ctx.membership if ctx else None
        return {
            "workspace": ctx,
            "can": lambda action, record=None: can(membership, action, record),
            "nav_items": navigation.items_for(membership) if membership else [],
            "nav_href": navigation.href,
            "roles": list(Role),
            "role_labels": ROLE_LABELS,
            "role_descriptions": ROLE_DESCRIPTIONS,
            "dev_mailbox": "dev_mail.index" in app.view_functions,
            "is_htmx": is_htmx,
        }

    @app.template_filter("local_time")
    def _local_time(value, fmt: str = "%d %b %Y, %H:%M"):
        if value is None:
            return ""
        ctx = g.get("ctx")
        zone = ZoneInfo(ctx.partnership.time_zone) if ctx else ZoneInfo("UTC")
        local = value.astimezone(zone)
        return local.strftime(fmt) + ("" if ctx else " UTC")

    @app.template_filter("local_date")
    def _local_date(value):
        if value is not None and not hasattr(value, "astimezone"):  # a calendar date: no zone to apply
            return value.strftime("%d %b %Y")
        return _local_time(value, "%d %b %Y").removesuffix(" UTC")

    from partnership_hub.money import format_money

    app.add_template_filter(format_money, "money")  # {{ amount|money(currency) }} → "USD 1,250.00"


def register_partnership_menu(app: Flask) -> None:
    """The layout's partnership switcher, fetched when its menu first opens (so pages don't query it)."""
    from flask import redirect, request, url_for
    from flask_login import current_user, login_required

    from partnership_hub.web.htmx import is_htmx, render
    from partnership_hub.workspaces.services import memberships_of

    @login_required
    def partnership_menu():
        if not is_htmx():  # a plain visit gets the full list
            return redirect(url_for("workspaces.home", all=1))
        return render(
            "base.html", "partnership_menu", switcher=memberships_of(current_user), here=request.args.get("here")
        )

    app.add_url_rule("/partnerships/menu", "partnership_menu", partnership_menu)


def register_cli(app: Flask) -> None:
    from partnership_hub.cli import register

    register(app)
