"""Routes of the governance area's guidelines section (registered on the area's blueprint): the two
documents, a document's current version with the acknowledgement, the draft (coordinators), publishing,
the history, any version, the changes between two versions and who has not acknowledged yet.

No route edits a published version: the draft page edits the document's draft only."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub import toolkit
from partnership_hub.errors import NotFound
from partnership_hub.governance import guidelines
from partnership_hub.governance.guidelines_forms import ButtonForm, DraftForm, StartDraftForm
from partnership_hub.governance.views import bp
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit


@bp.context_processor
def _guideline_helpers() -> dict:
    return {
        "guideline_sections": guidelines.sections,
        "frequency_label": guidelines.frequency_label,
        "kind_labels": guidelines.KIND_LABELS,
        "coordination_descriptions": {choice.key: choice.description for choice in toolkit.COORDINATION_MODELS},
    }


@bp.get("/governance/guidelines")
def guidelines_index():
    require("guidelines.view")
    return render("governance/guidelines/index.html", states=guidelines.documents(g.ctx), form=StartDraftForm())


@bp.post("/governance/guidelines/start")
def guideline_start():
    require("guidelines.draft")
    form = StartDraftForm()
    if saved := submit(form, lambda: guidelines.start_draft(g.ctx, form.kind.data)):
        return done(None, url_for("governance.guideline_draft", guideline_document_id=saved.value.document_id))
    return render(
        "governance/guidelines/index.html", status=form_status(form), states=guidelines.documents(g.ctx), form=form
    )


@bp.get("/governance/guidelines/<int:guideline_document_id>")
def guideline_document(guideline_document_id: int):
    require("guidelines.view")
    state = guidelines.get_document(g.ctx, guideline_document_id)
    return render("governance/guidelines/document.html", state=state, form=ButtonForm(), start_form=StartDraftForm())


@bp.post("/governance/guidelines/<int:guideline_document_id>/acknowledge")
def guideline_acknowledge(guideline_document_id: int):
    state = guidelines.get_document(g.ctx, guideline_document_id, counts=False)
    require("guidelines.acknowledge")
    form = confirmed(ButtonForm())
    here = url_for("governance.guideline_document", guideline_document_id=guideline_document_id)
    if saved := submit(form, lambda: guidelines.acknowledge(g.ctx, state), validate=False):
        number = state.current.number if state.current else ""
        message = (
            f"You acknowledged version {number} of the {state.label.lower()}."
            if saved.value
            else f"You had already acknowledged version {number}."
        )
        return done(message, here)
    state = guidelines.get_document(g.ctx, guideline_document_id)
    return render(
        "governance/guidelines/document.html",
        status=form_status(form),
        state=state,
        form=form,
        start_form=StartDraftForm(),
    )


def _draft_of(guideline_document_id: int) -> guidelines.DocumentState:
    state = guidelines.get_document(g.ctx, guideline_document_id, counts=False)
    require("guidelines.draft")
    if state.draft is None:
        raise NotFound("no draft")
    return state


def _draft_page(state: guidelines.DocumentState, form: DraftForm, publish_form: ButtonForm | None = None):
    publish_form = publish_form or ButtonForm(formdata=None)
    status = max(form_status(form), form_status(publish_form))
    return render("governance/guidelines/draft.html", status=status, state=state, form=form, publish_form=publish_form)


@bp.route("/governance/guidelines/<int:guideline_document_id>/draft", methods=["GET", "POST"])
def guideline_draft(guideline_document_id: int):
    """The document's draft (never a published version). Without one, a GET (an old link, a bookmark)
    goes to the document, where a new draft is started."""
    if request.method == "GET":
        state = guidelines.get_document(g.ctx, guideline_document_id, counts=False)
        require("guidelines.draft")
        if state.draft is None:
            here = url_for("governance.guideline_document", guideline_document_id=guideline_document_id)
            return done("There is no draft of this document now; start one here.", here)
    state = _draft_of(guideline_document_id)
    draft = state.draft
    assert draft is not None
    form = DraftForm(obj=draft)
    if request.method == "GET":
        form.meeting_every_weeks.data = "" if draft.meeting_every_weeks is None else str(draft.meeting_every_weeks)
        form.coordination_model.data = draft.coordination_model or ""
    if submit(form, lambda: guidelines.save_draft(g.ctx, draft, form.values())):
        here = url_for("governance.guideline_draft", guideline_document_id=guideline_document_id)
        return done("The draft was saved. Publish it when it is ready.", here)
    return _draft_page(state, form)


@bp.post("/governance/guidelines/<int:guideline_document_id>/publish")
def guideline_publish(guideline_document_id: int):
    state = _draft_of(guideline_document_id)
    require("guidelines.publish")
    assert state.document is not None and state.draft is not None
    document, draft = state.document, state.draft
    publish_form = ButtonForm()
    if saved := submit(publish_form, lambda: guidelines.publish_draft(g.ctx, document)):
        return done(
            f"Version {saved.value.number} of the {state.label.lower()} is published. Members are asked to "
            "acknowledge it.",
            url_for("governance.guideline_document", guideline_document_id=guideline_document_id),
        )
    state = _draft_of(guideline_document_id)
    form = DraftForm(formdata=None, obj=state.draft)
    form.meeting_every_weeks.data = "" if draft.meeting_every_weeks is None else str(draft.meeting_every_weeks)
    return _draft_page(state, form, publish_form)


@bp.get("/governance/guidelines/<int:guideline_document_id>/history")
def guideline_history(guideline_document_id: int):
    require("guidelines.view")
    state = guidelines.get_document(g.ctx, guideline_document_id, counts=False)
    assert state.document is not None
    page = guidelines.history(g.ctx, state.document, page_number(request.args))
    return render("governance/guidelines/history.html", state=state, page=page)


@bp.get("/governance/guidelines/versions/<int:guideline_version_id>")
def guideline_version(guideline_version_id: int):
    require("guidelines.view")
    version, document = guidelines.get_version(g.ctx, guideline_version_id)
    return render("governance/guidelines/version.html", version=version, document=document)


@bp.get("/governance/guidelines/<int:guideline_document_id>/changes")
def guideline_changes(guideline_document_id: int):
    """What changed between two published versions: ``from`` and ``to`` (numbers). By default, from the
    version the viewer acknowledged (or the one before) to the current one."""
    require("guidelines.view")
    state = guidelines.get_document(g.ctx, guideline_document_id, counts=False)
    assert state.document is not None
    highest = state.document.current_number or 0
    to = guidelines.parse_number(request.args.get("to"), highest) or highest
    default_from = state.my_number if state.my_number and state.my_number < to else max(to - 1, 0)
    start = guidelines.parse_number(request.args.get("from"), highest)
    start = default_from if start is None else start
    found = guidelines.versions_by_number(g.ctx, state.document, *{n for n in (start, to) if n})
    new = found.get(to)
    diff = guidelines.diff_versions(found.get(start), new) if new is not None else []
    return render(
        "governance/guidelines/changes.html",
        state=state,
        start=start,
        to=to,
        old=found.get(start),
        new=new,
        diff=diff,
        highest=highest,
    )


@bp.get("/governance/guidelines/<int:guideline_document_id>/pending")
def guideline_pending(guideline_document_id: int):
    """Who has not acknowledged the current version (coordinators)."""
    require("guidelines.pending")
    state = guidelines.get_document(g.ctx, guideline_document_id)
    page = guidelines.pending_members(g.ctx, state.current, page_number(request.args)) if state.current else None
    return render("governance/guidelines/pending.html", state=state, page=page)
