"""The development mailbox: with MAIL_BACKEND=outbox, mail is read here instead of being sent.
Registered only outside production, and only with the outbox mail backend (``init_app``).

The mailbox holds every invitation, verification and password-reset link, so it shows all mail
only to requests from the machine the app runs on (``from_loopback``); from anywhere else a person
must sign in and sees only the mail addressed to them."""

from __future__ import annotations

from flask import Blueprint, Flask, abort
from flask_login import current_user
from sqlalchemy import func, select

from partnership_hub.extensions import db, login_manager
from partnership_hub.notifications import services
from partnership_hub.notifications.models import OutboxMessage
from partnership_hub.web.htmx import render
from partnership_hub.web.security import from_loopback, no_store

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")


def init_app(app: Flask) -> None:
    """The area's hook in the app factory: the operators' ``flask outbox-status``, and the development
    mailbox where mail stays in the app."""
    from partnership_hub.notifications.cli import outbox_status

    app.cli.add_command(outbox_status)
    if app.config["MAIL_BACKEND"] == "outbox" and app.config["APP_ENV"] != "production":
        app.register_blueprint(bp)


@bp.before_request
def _local_or_signed_in():
    if not from_loopback() and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _reader() -> str | None:
    """Whose mail this request may read: None for everyone's (from this machine), else an address."""
    return None if from_loopback() else current_user.email.strip().lower()


def _messages_to(address: str, limit: int = 100) -> list[OutboxMessage]:
    # Belongs in notifications/services.py as ``recent_messages(to=...)`` (another helper's file).
    services.open_outbox()
    stmt = select(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address)
    stmt = stmt.order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


@bp.get("/")
@no_store
def index():
    reader = _reader()
    messages = services.recent_messages() if reader is None else _messages_to(reader)
    return render("notifications/dev_mailbox.html", messages=messages, reader=reader)


@bp.get("/<int:message_id>")
@no_store
def show(message_id: int):
    message = services.get_message(message_id)
    reader = _reader()
    if message is None or (reader is not None and message.to_address.strip().lower() != reader):
        abort(404)  # someone else's mail is not there for this reader
    return render("notifications/dev_message.html", message=message)
