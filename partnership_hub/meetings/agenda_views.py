"""The agenda's routes (on the meetings blueprint): the whole agenda and its print view; adding,
proposing, editing and removing items; moving them (buttons and drag and drop); accepting and
declining proposals; comments; publishing; and, after the meeting, outcomes and carrying over.

Coordinators and the meeting's facilitator build the agenda; other members (not observers) propose
items and comment; everyone who may see the meeting reads its agenda. The buttons inside the agenda
post plain forms; with htmx the answer is the agenda section again (with the refusal, 422, at the
item it concerns), without it a redirect back — or, for a refusal, the agenda page with the message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from partnership_hub.meetings import agenda, services
from partnership_hub.meetings.agenda_forms import AgendaItemForm, CommentForm, ConfirmForm, MoveForm, OutcomeForm
from partnership_hub.meetings.models import AgendaItem, Meeting
from partnership_hub.meetings.views import bp
from partnership_hub.picking import chosen_ids
from partnership_hub.policies import can
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.toolkit import confirmed, done, form_status, require, submit
from partnership_hub.workspaces.services import pick_people


@bp.context_processor
def _agenda_helpers() -> dict[str, Any]:
    return {
        "agenda_started": agenda.has_started,
        "agenda_over": agenda.is_over,
        "agenda_guidance": agenda.guidance,
        "agenda_outcome_labels": agenda.OUTCOME_LABELS,
    }


def _back(meeting_id: int) -> str:
    """Where a change made from the agenda goes back to: the agenda page when it was made there."""
    if request.form.get("return_to") == "agenda":
        return url_for("meetings.agenda_page", meeting_id=meeting_id)
    return url_for("meetings.detail", meeting_id=meeting_id, _anchor="meeting-agenda")


def _section(meeting_id: int, *, status: int = 200, problem: str = "", item_id: int | None = None) -> Response:
    """The agenda as it is now: for htmx the section alone, else the agenda page (a refusal's message
    at the item it concerns, or above the list)."""
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    full = request.form.get("return_to") == "agenda" or not is_htmx()
    loaded = agenda.print_items(g.ctx, meeting) if full else agenda.load_agenda(g.ctx, meeting)
    shown = {row.item.id for row in loaded.rows}
    row_errors = {item_id: problem} if problem and item_id in shown else {}
    context: dict[str, Any] = {
        "agenda": loaded,
        "meeting": meeting,
        "full": full,
        "problem": problem if not row_errors else "",
        "row_errors": row_errors,
    }
    if is_htmx():
        return render("meetings/_agenda.html", status=status, **context)
    return render("meetings/agenda/page.html", status=status, **context)


def _refusal(form: FlaskForm) -> str:
    return " ".join([*form.form_errors, *(message for messages in form.errors.values() for message in messages)])


def _act(
    meeting_id: int,
    form: FlaskForm,
    call: Callable[[], Any],
    message: Callable[[Any], str | None],
    item_id: int | None = None,
) -> Response:
    """A one-click change inside the agenda: ONE service call; then the agenda again (htmx) or a
    redirect back; a refusal (422) is shown at the item, with the agenda as it is now."""
    confirmed(form)
    if saved := submit(form, call, validate=False):
        text = message(saved.value)
        if not is_htmx():
            return done(text, _back(meeting_id))
        if text:
            flash(text, "success")
        return _section(meeting_id)
    return _section(meeting_id, status=422, problem=_refusal(form), item_id=item_id)


def _item(agenda_item_id: int) -> tuple[AgendaItem, Meeting]:
    return agenda.get_item(g.ctx, agenda_item_id)


# --- reading --------------------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/agenda")
def agenda_page(meeting_id: int):
    """The whole agenda (the meeting page shows its first items)."""
    require("meetings.view")
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    return render("meetings/agenda/page.html", agenda=agenda.print_items(g.ctx, meeting), meeting=meeting, full=True)


@bp.get("/meetings/<int:meeting_id>/agenda/print")
def agenda_print(meeting_id: int):
    require("meetings.view")
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    return render(
        "meetings/agenda/print.html",
        agenda=agenda.print_items(g.ctx, meeting),
        meeting=meeting,
        when=services.when(meeting, services.viewer_zone(g.ctx)),
    )


# --- items ----------------------------------------------------------------------------------------


def _form_page(form: AgendaItemForm, meeting: Meeting, item: AgendaItem | None, proposing: bool) -> Response:
    current = form.presenter_membership_id.data
    form.set_choices(pick_people(g.ctx, "", chosen_ids([current] if current else []), blank="Nobody in particular"))
    return render(
        "meetings/agenda/form.html",
        form=form,
        meeting=meeting,
        item=item,
        proposing=proposing,
        guidance=agenda.guidance(),
        status=form_status(form),
    )


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
def new_agenda_item(meeting_id: int):
    """Coordinators and the facilitator add an item; other members propose one."""
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    building = can(g.ctx.membership, "meetings.agenda_edit", meeting)
    if not building:
        require("meetings.agenda_propose")
    form = AgendaItemForm()

    def save() -> AgendaItem:
        if building:
            return agenda.add_item(g.ctx, meeting, form.values())
        return agenda.propose_item(g.ctx, meeting, form.values())

    if saved := submit(form, save):
        message = (
            f"“{saved.value.title}” was added to the agenda."
            if building
            else f"Thank you: “{saved.value.title}” was proposed. The facilitator or a coordinator will accept it."
        )
        return done(message, url_for("meetings.detail", meeting_id=meeting_id, _anchor="meeting-agenda"))
    return _form_page(form, meeting, None, proposing=not building)


@bp.route("/meetings/agenda-items/<int:agenda_item_id>/edit", methods=["GET", "POST"])
def edit_agenda_item(agenda_item_id: int):
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    form = AgendaItemForm()
    if request.method == "GET":
        form.fill(agenda.item_values(item))
    if saved := submit(form, lambda: agenda.update_item(g.ctx, meeting, item, form.values())):
        return done(
            f"“{saved.value.title}” was updated.",
            url_for("meetings.detail", meeting_id=meeting.id, _anchor="meeting-agenda"),
        )
    return _form_page(form, meeting, item, proposing=False)


@bp.route("/meetings/agenda-items/<int:agenda_item_id>/remove", methods=["GET", "POST"])
def remove_agenda_item(agenda_item_id: int):
    """GET asks first; POST removes the item and its comments."""
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    form = ConfirmForm()
    title = item.title
    if submit(form, lambda: agenda.remove_item(g.ctx, meeting, item)):
        return done(
            f"“{title}” was removed from the agenda.",
            url_for("meetings.detail", meeting_id=meeting.id, _anchor="meeting-agenda"),
        )
    return render("meetings/agenda/remove.html", form=form, item=item, meeting=meeting, status=form_status(form))


@bp.post("/meetings/agenda-items/<int:agenda_item_id>/move")
def move_agenda_item(agenda_item_id: int):
    """Move an item up or down (buttons), or before another one (drag and drop). A move made on an
    agenda that has changed since is refused with the agenda as it is now (422)."""
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    form = MoveForm()
    return _act(
        meeting.id,
        form,
        lambda: agenda.move_item(
            g.ctx, meeting, item, version=form.version.data, direction=form.direction.data, before=form.before.data
        ),
        lambda moved: None,  # the list itself shows the new order
    )


@bp.post("/meetings/agenda-items/<int:agenda_item_id>/accept")
def accept_agenda_item(agenda_item_id: int):
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    return _act(
        meeting.id,
        ConfirmForm(),
        lambda: agenda.accept_item(g.ctx, meeting, item),
        lambda accepted: f"“{accepted.title}” is on the agenda now, at the end.",
        item_id=item.id,
    )


@bp.post("/meetings/agenda-items/<int:agenda_item_id>/decline")
def decline_agenda_item(agenda_item_id: int):
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    title = item.title
    return _act(
        meeting.id,
        ConfirmForm(),
        lambda: agenda.decline_item(g.ctx, meeting, item),
        lambda _: f"The proposal “{title}” was declined.",
        item_id=item.id,
    )


@bp.post("/meetings/agenda-items/<int:agenda_item_id>/outcome")
def agenda_item_outcome(agenda_item_id: int):
    """After the meeting: discussed, not reached, or not marked."""
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_edit", meeting)
    form = OutcomeForm()
    return _act(
        meeting.id,
        form,
        lambda: agenda.set_outcome(g.ctx, meeting, item, form.outcome.data),
        lambda _: None,
        item_id=item.id,
    )


# --- comments -------------------------------------------------------------------------------------


@bp.post("/meetings/agenda-items/<int:agenda_item_id>/comments")
def comment_on_agenda_item(agenda_item_id: int):
    item, meeting = _item(agenda_item_id)
    require("meetings.agenda_comment")
    form = CommentForm()
    return _act(
        meeting.id,
        form,
        lambda: agenda.add_comment(g.ctx, meeting, item, form.body.data),
        lambda _: "Your comment was added.",
        item_id=item.id,
    )


@bp.post("/meetings/agenda-comments/<int:agenda_comment_id>/delete")
def delete_agenda_comment(agenda_comment_id: int):
    comment, item, meeting = agenda.get_comment(g.ctx, agenda_comment_id)
    require("meetings.agenda_comment_delete", comment)
    return _act(
        meeting.id,
        ConfirmForm(),
        lambda: agenda.delete_comment(g.ctx, meeting, comment),
        lambda _: "Your comment was deleted.",
        item_id=item.id,
    )


# --- the whole agenda -----------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/agenda/publish")
def publish_agenda(meeting_id: int):
    """Publish the agenda: the invitees admitted to the meeting are told, by email with its summary and in
    their notification centre, as each chose."""
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    require("meetings.agenda_edit", meeting)

    def message(sent: int) -> str:
        if sent == 0:
            return "The agenda is published. Nobody new was told: everyone invited already has this version."
        return f"The agenda is published; {sent} {'person was' if sent == 1 else 'people were'} told."

    return _act(meeting.id, ConfirmForm(), lambda: agenda.publish_agenda(g.ctx, meeting), message)


@bp.post("/meetings/<int:meeting_id>/agenda/carry-over")
def carry_over_agenda(meeting_id: int):
    """Carry the items marked not reached to the next meeting of the series."""
    meeting, _ = services.get_meeting(g.ctx, meeting_id)
    require("meetings.agenda_edit", meeting)

    def message(result: tuple[Meeting, int]) -> str:
        target, count = result
        when = services.when(target, services.viewer_zone(g.ctx))
        noun = "item was" if count == 1 else "items were"
        return f"{count} {noun} carried over to the meeting on {when.start.strftime('%a %d %b %Y')}."

    return _act(meeting.id, ConfirmForm(), lambda: agenda.carry_over(g.ctx, meeting), message)
