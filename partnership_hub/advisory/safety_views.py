"""Routes of the advisory area's safety section, registered on the area's blueprint: a person's own
contact and safety preferences (survivor advisors and board members; everyone else 403)."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub.advisory import safety
from partnership_hub.advisory.safety_forms import SafetyForm
from partnership_hub.advisory.views import bp
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import done, form_status, require, submit


@bp.route("/advisory/safety", methods=["GET", "POST"])
def safety_preferences():
    require("advisory.safety")
    safety.require_page(g.ctx)
    profile = safety.own_profile(g.ctx)
    form = SafetyForm(data=safety.form_values(g.ctx, profile)) if request.method == "GET" else SafetyForm()
    if submit(form, lambda: safety.save_preferences(g.ctx, form.values())):
        return done("Your contact and safety preferences are saved.", url_for("advisory.safety_preferences"))
    return render(
        "advisory/safety/preferences.html",
        form=form,
        saved=profile is not None,
        channel_fields=(form.allow_email, form.allow_phone, form.allow_text),
        status=form_status(form),
    )
