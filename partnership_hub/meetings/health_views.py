"""Meeting health: how often the partnership meets against how often it means to, attendance, who has
not come lately and whether survivor advisors are invited to what concerns them. Coordinators and the
planning team read it; coordinators set the intended frequency."""

from __future__ import annotations

from flask import g, url_for

from partnership_hub.meetings import health
from partnership_hub.meetings.health_forms import FrequencyForm
from partnership_hub.meetings.views import bp
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import done, form_status, require, submit


def _health_page(form: FrequencyForm | None = None):
    weeks = g.ctx.partnership.meetings_every_weeks
    form = form or FrequencyForm(formdata=None, meetings_every_weeks="" if weeks is None else str(weeks))
    return render(
        "meetings/health/index.html",
        status=form_status(form),
        health=health.meeting_health(g.ctx),
        form=form,
        settings=health,
    )


@bp.get("/meetings/health")
def health_page():
    require("meetings.health")
    return _health_page()


@bp.post("/meetings/health/frequency")
def set_frequency():
    require("meetings.set_frequency")
    form = FrequencyForm()
    if saved := submit(form, lambda: health.set_meeting_frequency(g.ctx, form.meetings_every_weeks.data)):
        weeks = saved.value
        if weeks is None:
            message = "The intended meeting frequency is cleared."
        else:
            message = (
                "The partnership means to meet every week."
                if weeks == 1
                else f"The partnership means to meet every {weeks} weeks."
            )
        return done(message, url_for("meetings.health_page"))
    return _health_page(form)
