"""Routes for people's notifications: their notification centre, preferences and the partnership's settings
(``bp``, in the workspace), and the one-click unsubscribe link from an email (``links_bp``, outside it: the
signed token names the partnership and the person, RFC 8058).

Opening an entry of the centre is a POST (it marks the entry read) that redirects to its record. The
header's count is read with the membership (``centre.unread_badge``); the header polls ``badge`` every
minute, which answers 204 while the count is what the page shows, so screen readers hear only changes.

The unsubscribe link is exempt from CSRF, and only it: a mail client's one-click POST carries neither a
CSRF token nor a session. Its signed token is what it trusts; opening it (GET) changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request, url_for

from partnership_hub.errors import NotFound
from partnership_hub.extensions import csrf, db
from partnership_hub.notifications import centre, preferences
from partnership_hub.notifications.forms import ButtonForm, PreferencesForm, SettingsForm
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.security import no_store
from partnership_hub.web.tenancy import membership_badge, workspace_blueprint
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import COMMON_TIME_ZONES

bp = workspace_blueprint("notifications", __name__)
links_bp = Blueprint("notification_links", __name__, url_prefix="/notifications")


@bp.app_template_global("unread_notifications")
def unread_notifications() -> str:
    """The header's count ("", "3", "99+"), read with the membership: no statement of its own."""
    return centre.badge_label(membership_badge(centre.BADGE))


# --- the notification centre ----------------------------------------------------------------------------


def _centre_url() -> str:
    number = page_number(request.args)
    return url_for("notifications.centre", page=number) if number > 1 else url_for("notifications.centre")


@bp.get("/notifications", endpoint="centre")
def centre_page():
    require("notifications.own")
    page = centre.entries_page(g.ctx, page_number(request.args))
    return render("notifications/centre.html", page=page)


@bp.get("/notifications/badge")
def badge():
    """The header's count, for its poll: 204 (nothing to swap) while it is what the page shows."""
    require("notifications.own")
    if is_htmx() and request.args.get("shown") == unread_notifications():
        return Response(status=204)
    return render("notifications/_unread.html")


@bp.post("/notifications/<int:notification_id>/open")
def open_entry(notification_id: int):
    require("notifications.own")
    confirmed(ButtonForm())
    to = centre.open_entry(g.ctx, notification_id)
    db.session.commit()
    return done(None, to or url_for("notifications.centre"))


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int):
    require("notifications.own")
    confirmed(ButtonForm())
    centre.mark_read(g.ctx, notification_id)
    db.session.commit()
    return done(None, _centre_url())


@bp.post("/notifications/read-all")
def mark_all_read():
    require("notifications.own")
    confirmed(ButtonForm())
    count = centre.mark_all_read(g.ctx)
    db.session.commit()
    said = f"{count} notification{'s' if count != 1 else ''} marked as read." if count else "Nothing was unread."
    return done(said, url_for("notifications.centre"), category="success" if count else "info")


# --- preferences and the partnership's settings ---------------------------------------------------------


@bp.route("/notifications/preferences", methods=["GET", "POST"], endpoint="preferences")
def preferences_page():
    require("notifications.own")
    state = preferences.preferences_page(g.ctx)
    form = PreferencesForm(data=state.form_data()) if request.method == "GET" else PreferencesForm()
    form.offer_defaults(state.partnership_weekday, state.partnership_hour, state.default_zone)
    if submit(form, lambda: preferences.save_preferences(g.ctx, form.values())):
        return done("Your notification preferences are saved.", url_for("notifications.preferences"))
    return render(
        "notifications/preferences.html",
        form=form,
        state=state,
        time_zones=COMMON_TIME_ZONES,
        status=form_status(form),
    )


@bp.route("/notifications/settings", methods=["GET", "POST"], endpoint="settings")
def settings_page():
    require("notifications.settings")
    state = preferences.settings_page(g.ctx)
    form = SettingsForm(data=state.form_data()) if request.method == "GET" else SettingsForm()
    if submit(form, lambda: preferences.save_settings(g.ctx, form.values())):
        return done("The partnership's notification settings are saved.", url_for("notifications.settings"))
    return render("notifications/settings.html", form=form, status=form_status(form))


# --- the one-click unsubscribe link -----------------------------------------------------------------------


@links_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@no_store
def unsubscribe(token: str):
    """GET: what the link stops, with a button. POST (the button, or a mail client's one-click): stop it."""
    try:
        if request.method == "POST":
            landing = preferences.unsubscribe(token)
            db.session.commit()
            return render("notifications/unsubscribe.html", landing=landing, done=True)
        landing = preferences.open_unsubscribe_link(token)
    except NotFound:
        db.session.rollback()
        return render("notifications/unsubscribe.html", landing=None, done=False, status=404)
    return render("notifications/unsubscribe.html", landing=landing, done=False)


csrf.exempt(unsubscribe)
