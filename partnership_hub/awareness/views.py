"""Routes of the awareness area: the coming days and a year's calendar, the partnership's own days,
which toolkit days it observes, its lead time, and campaign plans with their tasks."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub import picking, toolkit
from partnership_hub.awareness import campaigns, days, queries
from partnership_hub.awareness.forms import DayForm, LeadDaysForm, ObserveForm, PlanForm, TaskForm
from partnership_hub.awareness.rules import RuleKind
from partnership_hub.parsing import parse_id, parse_ids, parse_int, query_text
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
GIVING_TUESDAY = "toolkit:giving_tuesday"


def _year(raw: object, default: int) -> int:
    text = str(raw or "").strip()
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else default
    return year if YEAR_MIN <= year <= YEAR_MAX else default


def _index_page(*, coming: int = 1, own_query: str = "", own: int = 1, lead_form: LeadDaysForm | None = None, **kwargs):
    """The index: a page of the coming days with their plans, the toolkit days, a page of the
    partnership's own days (searched), the lead time. The same statements for 10 days or 500."""
    today = g.ctx.today()
    observed = queries.observed_rules(g.ctx)
    coming_page = queries.coming_page(observed, today, coming)
    shown = [(item.day.ref, item.when.start.year) for item in coming_page.items]
    toolkit_shown, toolkit_hidden = queries.toolkit_entries(observed.hidden_keys)
    return render(
        "awareness/index.html",
        coming=coming_page,
        plans=campaigns.plans_for(g.ctx, shown),
        toolkit_days=toolkit_shown,
        hidden_days=toolkit_hidden,
        own_days=queries.own_days_page(g.ctx, own_query, own),
        own_query=own_query,
        lead_days=observed.lead_days,
        today=today,
        lead_form=lead_form or LeadDaysForm(formdata=None, lead_days=str(observed.lead_days)),
        observe_form=ObserveForm(formdata=None),
        **kwargs,
    )


@bp.get("/awareness")
def index():
    """A page of what is coming up in the next twelve months (an htmx page link gets just that list),
    the days the partnership observes, its lead time."""
    require("awareness.view")
    return _index_page(coming=page_number(request.args), block="coming")


@bp.get("/awareness/days")
def own_days():
    """The index with the partnership's own days searched as you type, a page at a time (an htmx
    search or page link gets just that list)."""
    require("awareness.view")
    query = query_text(request.args, "q", limit=picking.QUERY_MAX)
    return _index_page(own_query=query, own=page_number(request.args), block="own_days")


@bp.get("/awareness/calendar")
def year_view():
    """A year's observed days a month at a time: the twelve months with how many days each holds, and
    one page of the month shown (this month by default in this year, else January) with its plans."""
    require("awareness.view")
    today = g.ctx.today()
    year = _year(request.args.get("year"), today.year)
    month = parse_int(request.args.get("month"), low=1, high=12) or (today.month if year == today.year else 1)
    observed = queries.observed_rules(g.ctx)
    shown = queries.year_month(
        observed, year, month, page_number(request.args), query_text(request.args, "show", limit=40)
    )
    return render(
        "awareness/year.html",
        year=year,
        shown=shown,
        plans=campaigns.plans_for(g.ctx, [(day.ref, year) for day, _ in shown.page.items]),
        today=today,
    )


# --- the partnership's own days, the toolkit days it observes, its lead time ---------------------------------


def _day_form_page(form: DayForm, day=None):
    pick = queries.pick_days(g.ctx, "", form.base.data or "", counts_from=True, excluding=day.id if day else None)
    form.base.choices = pick.choices()
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
    return _index_page(lead_form=form, status=form_status(form))


# --- campaign plans ------------------------------------------------------------------------------------


@bp.get("/awareness/campaigns")
def plans():
    require("awareness.view")
    raw_year = query_text(request.args, "year")
    year = _year(raw_year, 0) if raw_year else None
    page = campaigns.plans_page(g.ctx, year or None, page_number(request.args))
    return render("awareness/plans.html", page=page, year=year, block="results")


def _plan_form_page(form: PlanForm, plan=None):
    if plan is None:  # a plan's day is chosen when it is made
        form.day.choices = queries.pick_days(g.ctx, "", form.day.data or "").choices()
    chosen_owner = parse_ids([form.owner_membership_id.data])
    chosen_opportunity = parse_ids([form.funding_opportunity_id.data])
    picks = picking.pick_together({"owner": workspaces.people_spec(g.ctx, chosen_owner, "Nobody yet")})
    form.owner_membership_id.choices = picks["owner"].choices()
    form.funding_opportunity_id.choices = campaigns.pick_opportunities(g.ctx, "", chosen_opportunity).choices()
    day_ref = campaigns.day_ref(plan) if plan is not None else form.day.data
    return render(
        "awareness/plan_form.html",
        form=form,
        plan=plan,
        giving_tuesday=day_ref == GIVING_TUESDAY,
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
    day = queries.day_entry(g.ctx, campaigns.day_ref(plan))
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
        form.day.data = campaigns.day_ref(found)
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


def _day_picker_request() -> tuple[str, str]:
    """What a day picker's search asks for: (the search text, the day chosen now, a ref like
    "custom:7" — the ``picker`` macro sends the select's value under the field's name)."""
    query, _ = picker_request()
    return query, query_text(request.args, request.args.get("field", ""), limit=40)


@bp.get("/awareness/pick/counts-from")
def pick_counts_from():
    """The day form's "counts from" options for what has been typed (``excluding``: the day edited)."""
    require("awareness.manage")
    query, chosen = _day_picker_request()
    excluding = parse_id(request.args.get("excluding"))
    return picker_response(queries.pick_days(g.ctx, query, chosen, counts_from=True, excluding=excluding))


@bp.get("/awareness/pick/days")
def pick_days():
    """The campaign plan form's day options for what has been typed (the days the partnership observes)."""
    require("campaigns.plan")
    query, chosen = _day_picker_request()
    return picker_response(queries.pick_days(g.ctx, query, chosen))


@bp.get("/awareness/pick/funding")
def pick_funding():
    """The funding picker's options for what has been typed (opportunities the viewer may see)."""
    require("campaigns.plan")
    query, chosen = picker_request()
    return picker_response(campaigns.pick_opportunities(g.ctx, query, chosen))
