"""Routes of the awareness area: the coming days and a year's calendar, the partnership's own days,
which toolkit days it observes, its lead time, and campaign plans with their tasks."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub import picking, toolkit
from partnership_hub.awareness import campaigns, days
from partnership_hub.awareness.forms import DayForm, LeadDaysForm, ObserveForm, PlanForm, TaskForm
from partnership_hub.awareness.rules import RuleKind
from partnership_hub.parsing import parse_ids, query_text
from partnership_hub.web.htmx import render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import (
    confirmed,
    done,
    form_status,
    page_number,
    picker_request,
    picker_response,
    require,
    submit,
)
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.forms import ConfirmForm

bp = workspace_blueprint("awareness", __name__)

YEAR_MIN, YEAR_MAX = 2000, 2200


def _year(raw: object, default: int) -> int:
    text = str(raw or "").strip()
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else default
    return year if YEAR_MIN <= year <= YEAR_MAX else default


@bp.get("/awareness")
def index():
    """What is coming up in the next twelve months, with the lead time and any plans."""
    require("awareness.view")
    today = g.ctx.today()
    observed = days.observed_days(g.ctx)
    coming = days.upcoming(g.ctx, observed, today)
    plans = campaigns.plans_by_day(g.ctx, today.year, today.year + 1)
    return render(
        "awareness/index.html",
        observed=observed,
        coming=coming,
        plans=plans,
        today=today,
        lead_form=LeadDaysForm(formdata=None, lead_days=str(observed.lead_days)),
        observe_form=ObserveForm(formdata=None),
    )


@bp.get("/awareness/calendar")
def year_view():
    """Any year's observed days, month by month, with that year's plans."""
    require("awareness.view")
    today = g.ctx.today()
    year = _year(request.args.get("year"), today.year)
    observed = days.observed_days(g.ctx)
    return render(
        "awareness/year.html",
        year=year,
        months=days.year_calendar(observed, year),
        plans=campaigns.plans_by_day(g.ctx, year),
        today=today,
    )


# --- the partnership's own days, the toolkit days it observes, its lead time ---------------------------------


def _day_form_page(form: DayForm, day=None):
    observed = days.observed_days(g.ctx)
    form.base.choices = [("", "Choose a day"), *days.base_choices(observed, day)]
    return render("awareness/day_form.html", form=form, day=day, status=form_status(form))


@bp.route("/awareness/days/new", methods=["GET", "POST"])
def day_new():
    require("awareness.manage")
    form = DayForm()
    if request.method == "GET":
        form.kind.data = RuleKind.FIXED.value
    if saved := submit(form, lambda: days.create_day(g.ctx, form.values())):
        return done(f"“{saved.value.name}” is on the calendar.", url_for("awareness.index"))
    return _day_form_page(form)


@bp.route("/awareness/days/<int:awareness_day_id>/edit", methods=["GET", "POST"])
def day_edit(awareness_day_id: int):
    require("awareness.manage")
    day = days.get_day(g.ctx, awareness_day_id)
    form = DayForm(obj=day)
    if request.method == "GET":
        form.kind.data = day.kind.value
        for name in ("month", "day", "weekday", "nth"):
            value = getattr(day, name)
            getattr(form, name).data = "" if value is None else str(value)
        form.on_date.data = day.on_date.isoformat() if day.on_date else ""
        form.offset_days.data = str(abs(day.offset_days)) if day.offset_days else ""
        form.direction.data = "before" if day.offset_days < 0 else "after"
        custom_base = f"custom:{day.base_day_id}" if day.base_day_id else ""
        form.base.data = f"toolkit:{day.base_key}" if day.base_key else custom_base
    if submit(form, lambda: days.update_day(g.ctx, day, form.values())):
        return done("The day was updated.", url_for("awareness.index"))
    return _day_form_page(form, day)


@bp.post("/awareness/days/<int:awareness_day_id>/delete")
def day_delete(awareness_day_id: int):
    require("awareness.manage")
    day = days.get_day(g.ctx, awareness_day_id)
    form = confirmed(ConfirmForm())
    if submit(form, lambda: days.delete_day(g.ctx, day), validate=False):
        return done("The day was removed from the calendar.", url_for("awareness.index"))
    return _day_form_page(DayForm(obj=day), day)


@bp.post("/awareness/observe")
def observe():
    """Hide a toolkit day the partnership does not observe, or observe it again."""
    require("awareness.manage")
    form = confirmed(ObserveForm())
    if saved := submit(form, lambda: days.set_observed(g.ctx, form.values()), validate=False):
        label = days.BUILTIN[form.key.data].label
        message = f"{label} is back on the calendar." if saved.value else f"{label} is hidden from the calendar."
        return done(message, url_for("awareness.index"))
    return done(None, url_for("awareness.index"))


@bp.post("/awareness/lead-days")
def lead_days():
    require("awareness.manage")
    form = LeadDaysForm()
    if saved := submit(form, lambda: days.set_lead_days(g.ctx, form.values())):
        return done(f"Days now show as coming up {saved.value} days ahead.", url_for("awareness.index"))
    today = g.ctx.today()
    observed = days.observed_days(g.ctx)
    return render(
        "awareness/index.html",
        observed=observed,
        coming=days.upcoming(g.ctx, observed, today),
        plans=campaigns.plans_by_day(g.ctx, today.year, today.year + 1),
        today=today,
        lead_form=form,
        observe_form=ObserveForm(formdata=None),
        status=form_status(form),
    )


# --- campaign plans ------------------------------------------------------------------------------------


@bp.get("/awareness/campaigns")
def plans():
    require("awareness.view")
    raw_year = query_text(request.args, "year")
    year = _year(raw_year, 0) if raw_year else None
    page = campaigns.plans_page(g.ctx, year or None, page_number(request.args))
    observed = days.observed_days(g.ctx)
    return render("awareness/plans.html", page=page, year=year, labels=observed.by_ref(), block="results")


def _plan_form_page(form: PlanForm, plan=None):
    observed = days.observed_days(g.ctx)
    form.day.choices = [("", "Choose a day")] + [(day.ref, day.label) for day in observed.days]
    chosen_owner = parse_ids([form.owner_membership_id.data])
    chosen_opportunity = parse_ids([form.funding_opportunity_id.data])
    picks = picking.pick_together({"owner": workspaces.people_spec(g.ctx, chosen_owner, "Nobody yet")})
    form.owner_membership_id.choices = picks["owner"].choices()
    form.funding_opportunity_id.choices = campaigns.pick_opportunities(g.ctx, "", chosen_opportunity).choices()
    day = observed.by_ref().get(form.day.data or "")
    return render(
        "awareness/plan_form.html",
        form=form,
        plan=plan,
        giving_tuesday=day is not None and day.key == "giving_tuesday",
        note=toolkit.GIVING_TUESDAY_NOTE,
        status=form_status(form),
    )


@bp.route("/awareness/campaigns/new", methods=["GET", "POST"])
def plan_new():
    require("campaigns.plan")
    form = PlanForm()
    if request.method == "GET":
        today = g.ctx.today()
        form.day.data = query_text(request.args, "day")
        form.year.data = str(_year(request.args.get("year"), today.year))
        form.owner_membership_id.data = str(g.ctx.membership.id) if g.ctx.membership else ""
    if saved := submit(form, lambda: campaigns.create_plan(g.ctx, form.values())):
        to = url_for("awareness.plan", campaign_plan_id=saved.value.id)
        return done("The campaign plan was made. Add its tasks below.", to)
    return _plan_form_page(form)


def _plan_page(plan, task_form: TaskForm | None = None):
    observed = days.observed_days(g.ctx)
    day = campaigns.day_of(plan, observed)
    task = task_form or TaskForm(formdata=None)
    pick = picking.pick_together(
        {"who": workspaces.people_spec(g.ctx, parse_ids([task.assignee_membership_id.data]), "Nobody yet")}
    )
    task.assignee_membership_id.choices = pick["who"].choices()
    return render(
        "awareness/plan.html",
        page=campaigns.plan_page(g.ctx, plan),
        day=day,
        falls_on=campaigns.when_in_year(day, plan.year),
        may_edit=campaigns.may_edit(g.ctx, plan),
        task_form=task,
        delete_form=ConfirmForm(formdata=None),
        note=toolkit.GIVING_TUESDAY_NOTE if day is not None and day.key == "giving_tuesday" else None,
        today=g.ctx.today(),
        status=form_status(task),
    )


@bp.get("/awareness/campaigns/<int:campaign_plan_id>")
def plan(campaign_plan_id: int):
    require("awareness.view")
    return _plan_page(campaigns.get_plan(g.ctx, campaign_plan_id))


@bp.route("/awareness/campaigns/<int:campaign_plan_id>/edit", methods=["GET", "POST"])
def plan_edit(campaign_plan_id: int):
    require("campaigns.plan")
    found = campaigns.get_plan(g.ctx, campaign_plan_id)
    if not campaigns.may_edit(g.ctx, found):
        require("awareness.manage")  # coordinators and the owner; others 403
    form = PlanForm(obj=found)
    if request.method == "GET":
        form.day.data = f"toolkit:{found.day_key}" if found.day_key else f"custom:{found.awareness_day_id}"
        form.year.data = str(found.year)
        form.owner_membership_id.data = str(found.owner_membership_id or "")
        form.funding_opportunity_id.data = str(found.funding_opportunity_id or "")
    if submit(form, lambda: campaigns.update_plan(g.ctx, found, form.values())):
        return done("The campaign plan was updated.", url_for("awareness.plan", campaign_plan_id=found.id))
    return _plan_form_page(form, found)


@bp.post("/awareness/campaigns/<int:campaign_plan_id>/tasks")
def plan_task(campaign_plan_id: int):
    require("campaigns.plan")
    found = campaigns.get_plan(g.ctx, campaign_plan_id)
    if not campaigns.may_edit(g.ctx, found):
        require("awareness.manage")
    form = TaskForm()
    if submit(form, lambda: campaigns.add_task(g.ctx, found, form.values())):
        to = url_for("awareness.plan", campaign_plan_id=found.id)
        return done("The task was added to the plan and to the action plan.", to)
    return _plan_page(found, form)


@bp.post("/awareness/campaigns/<int:campaign_plan_id>/delete")
def plan_delete(campaign_plan_id: int):
    require("awareness.manage")
    found = campaigns.get_plan(g.ctx, campaign_plan_id)
    form = confirmed(ConfirmForm())
    submit(form, lambda: campaigns.delete_plan(g.ctx, found), validate=False)
    return done("The plan was removed; its tasks stay on the action plan.", url_for("awareness.plans"))


@bp.get("/awareness/pick/funding")
def pick_funding():
    """The funding picker's options for what has been typed (opportunities the viewer may see)."""
    require("campaigns.plan")
    query, chosen = picker_request()
    return picker_response(campaigns.pick_opportunities(g.ctx, query, chosen))
