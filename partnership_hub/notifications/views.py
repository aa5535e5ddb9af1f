"""The development mailbox: with MAIL_BACKEND=outbox, mail is read here instead of being sent.
Registered only outside production, and only with the outbox mail backend (``init_app``)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort

from partnership_hub.notifications import services
from partnership_hub.web.htmx import render

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")


def init_app(app: Flask) -> None:
    """The area's hook in the app factory: serve the development mailbox where mail stays in the app."""
    if app.config["MAIL_BACKEND"] == "outbox" and app.config["APP_ENV"] != "production":
        app.register_blueprint(bp)


@bp.get("/")
def index():
    return render("notifications/dev_mailbox.html", messages=services.recent_messages())


@bp.get("/<int:message_id>")
def show(message_id: int):
    message = services.get_message(message_id)
    if message is None:
        abort(404)
    return render("notifications/dev_message.html", message=message)
