"""Routes for people's notifications: their preferences and notification centre (``bp``, in the
workspace), and the one-click unsubscribe link from an email (``links_bp``, outside it: the signed token
names the partnership and the person, RFC 8058)."""

from __future__ import annotations

from flask import Blueprint

from partnership_hub.web.htmx import render
from partnership_hub.web.security import no_store
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import require

bp = workspace_blueprint("notifications", __name__)
links_bp = Blueprint("notification_links", __name__, url_prefix="/notifications")


@bp.get("/notifications/preferences")
def preferences():
    require("notifications.own")
    return render("notifications/preferences.html")


@links_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@no_store
def unsubscribe(token: str):
    return render("notifications/unsubscribe.html", done=False)
