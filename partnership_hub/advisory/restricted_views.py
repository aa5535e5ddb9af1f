"""Routes of the board's restricted area, registered on the advisory blueprint.

Every route asks two questions before anything else: may this role use the area at all
(``advisory.restricted``: not observers, 403 for every id alike), and is this person admitted — a seat
or the chair's grant (``board.require_admitted``: 404 otherwise, coordinators included, the same answer
as for a record that does not exist). The services ask again and load every record through the
confidentiality rule. Reads are access-logged by the layer after the request; writes are one service
call each (``submit``), which writes the audit entry.
"""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub.advisory import board, restricted
from partnership_hub.advisory.restricted_forms import DocumentForm, NoteForm, ReplyForm, ThreadForm, search_text
from partnership_hub.advisory.views import bp
from partnership_hub.formats import render_markdown
from partnership_hub.meetings import services as meetings
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import ConfirmForm


def _enter() -> board.Admission:
    """The area's door: a role that may use it at all (observers: 403), then admission (404)."""
    require("advisory.restricted")
    return board.require_admitted(g.ctx)


def _page(template: str, admission: board.Admission, *, block: str | None = None, status: int = 200, **context):
    """Render one of the area's pages with what every page needs: who is looking (to show their own
    records' buttons) and how to show a meeting's times."""
    zone = meetings.viewer_zone(g.ctx)
    return render(
        f"advisory/restricted/{template}",
        block=block,
        status=status,
        admission=admission,
        me=g.ctx.membership.id if g.ctx.membership else None,
        viewer_zone=zone,
        meeting_when=lambda meeting: meetings.when(meeting, zone),
        markdown=render_markdown,
        **context,
    )


# --- the area's home -----------------------------------------------------------------------------------


def _removal(admission: board.Admission, remove, *, message: str, done_to: str, **page):
    """A removal's two steps: GET asks (``remove.html`` with ``page``: what, title, action, back…); POST
    removes (``remove()``, one service call) and goes to ``done_to``."""
    if request.method == "POST":
        form = confirmed(ConfirmForm())
        submit(form, remove, validate=False)
        return done(message, done_to)
    return _page("remove.html", admission, form=ConfirmForm(formdata=None), **page)


@bp.get("/advisory/restricted")
def restricted_home():
    admission = _enter()
    return _page("home.html", admission, home=restricted.home(g.ctx))


# --- notes -----------------------------------------------------------------------------------------------


@bp.get("/advisory/restricted/notes")
def restricted_notes():
    admission = _enter()
    q = search_text(request.args)
    page = restricted.notes(g.ctx, q, page_number(request.args))
    return _page("notes.html", admission, block="results", page=page, q=q)


@bp.route("/advisory/restricted/notes/new", methods=["GET", "POST"])
def restricted_note_new():
    admission = _enter()
    form = NoteForm()
    if saved := submit(form, lambda: restricted.create_note(g.ctx, form.values())):
        return done(
            "The note was added. Only the board and the people its chair admitted can read it.",
            url_for("advisory.restricted_note", board_note_id=saved.value.id),
        )
    return _page("note_form.html", admission, form=form, note=None, status=form_status(form))


@bp.get("/advisory/restricted/notes/<int:board_note_id>")
def restricted_note(board_note_id: int):
    admission = _enter()
    return _page("note.html", admission, found=restricted.get_note(g.ctx, board_note_id))


@bp.route("/advisory/restricted/notes/<int:board_note_id>/edit", methods=["GET", "POST"])
def restricted_note_edit(board_note_id: int):
    admission = _enter()
    note = restricted.get_note(g.ctx, board_note_id).record
    restricted.require_may_edit(g.ctx, note.author_membership_id)
    form = NoteForm(obj=note)
    if submit(form, lambda: restricted.update_note(g.ctx, note, form.values())):
        return done("The note was saved.", url_for("advisory.restricted_note", board_note_id=note.id))
    return _page("note_form.html", admission, form=form, note=note, status=form_status(form))


@bp.route("/advisory/restricted/notes/<int:board_note_id>/delete", methods=["GET", "POST"])
def restricted_note_delete(board_note_id: int):
    admission = _enter()
    note = restricted.get_note(g.ctx, board_note_id).record
    restricted.require_may_remove(g.ctx, note.author_membership_id)
    return _removal(
        admission,
        lambda: restricted.delete_note(g.ctx, note),
        message="The note was removed.",
        done_to=url_for("advisory.restricted_notes"),
        what="note",
        title=note.title,
        action=url_for("advisory.restricted_note_delete", board_note_id=note.id),
        back=url_for("advisory.restricted_note", board_note_id=note.id),
    )


# --- documents ----------------------------------------------------------------------------------------------


@bp.get("/advisory/restricted/documents")
def restricted_documents():
    admission = _enter()
    q = search_text(request.args)
    page = restricted.documents(g.ctx, q, page_number(request.args))
    return _page("documents.html", admission, block="results", page=page, q=q)


@bp.route("/advisory/restricted/documents/new", methods=["GET", "POST"])
def restricted_document_new():
    admission = _enter()
    form = DocumentForm()
    if submit(form, lambda: restricted.create_document(g.ctx, form.values())):
        return done("The document was added to the board's list.", url_for("advisory.restricted_documents"))
    return _page("document_form.html", admission, form=form, document=None, status=form_status(form))


@bp.route("/advisory/restricted/documents/<int:board_document_id>/edit", methods=["GET", "POST"])
def restricted_document_edit(board_document_id: int):
    admission = _enter()
    document = restricted.get_document(g.ctx, board_document_id)
    restricted.require_may_edit(g.ctx, document.added_by_membership_id)
    form = DocumentForm(obj=document)
    if submit(form, lambda: restricted.update_document(g.ctx, document, form.values())):
        return done("The document was saved.", url_for("advisory.restricted_documents"))
    return _page("document_form.html", admission, form=form, document=document, status=form_status(form))


@bp.route("/advisory/restricted/documents/<int:board_document_id>/delete", methods=["GET", "POST"])
def restricted_document_delete(board_document_id: int):
    admission = _enter()
    document = restricted.get_document(g.ctx, board_document_id)
    restricted.require_may_remove(g.ctx, document.added_by_membership_id)
    return _removal(
        admission,
        lambda: restricted.delete_document(g.ctx, document),
        message="The document was taken off the board's list.",
        done_to=url_for("advisory.restricted_documents"),
        what="document",
        title=document.title,
        action=url_for("advisory.restricted_document_delete", board_document_id=document.id),
        back=url_for("advisory.restricted_documents"),
        note_after="The file itself stays wherever it is stored; only the link leaves this list.",
    )


# --- discussions ----------------------------------------------------------------------------------------------


@bp.get("/advisory/restricted/threads")
def restricted_threads():
    admission = _enter()
    q = search_text(request.args)
    page = restricted.threads(g.ctx, q, page_number(request.args))
    return _page("threads.html", admission, block="results", page=page, q=q)


@bp.route("/advisory/restricted/threads/new", methods=["GET", "POST"])
def restricted_thread_new():
    admission = _enter()
    form = ThreadForm()
    if saved := submit(form, lambda: restricted.create_thread(g.ctx, form.values())):
        return done(
            "The discussion was started.", url_for("advisory.restricted_thread", board_thread_id=saved.value.id)
        )
    return _page("thread_form.html", admission, form=form, thread=None, status=form_status(form))


def _thread_page(admission: board.Admission, found, form: ReplyForm | None = None):
    page = restricted.replies(g.ctx, found.record, page_number(request.args))
    reply_form = form or ReplyForm(formdata=None)
    return _page(
        "thread.html",
        admission,
        block="replies" if form is None else None,
        found=found,
        page=page,
        form=reply_form,
        status=form_status(reply_form),
    )


@bp.get("/advisory/restricted/threads/<int:board_thread_id>")
def restricted_thread(board_thread_id: int):
    admission = _enter()
    return _thread_page(admission, restricted.get_thread(g.ctx, board_thread_id))


@bp.post("/advisory/restricted/threads/<int:board_thread_id>/replies")
def restricted_reply_new(board_thread_id: int):
    admission = _enter()
    found = restricted.get_thread(g.ctx, board_thread_id)
    thread = found.record
    form = ReplyForm()
    if saved := submit(form, lambda: restricted.add_reply(g.ctx, thread, form.values())):
        last = restricted.last_reply_page(thread)
        target = url_for("advisory.restricted_thread", board_thread_id=thread.id, page=last if last > 1 else None)
        return done("Your reply was posted.", f"{target}#reply-{saved.value.id}")
    return _thread_page(admission, found, form)


@bp.route("/advisory/restricted/threads/<int:board_thread_id>/edit", methods=["GET", "POST"])
def restricted_thread_edit(board_thread_id: int):
    admission = _enter()
    thread = restricted.get_thread(g.ctx, board_thread_id).record
    restricted.require_may_edit(g.ctx, thread.author_membership_id)
    form = ThreadForm(obj=thread)
    if submit(form, lambda: restricted.update_thread(g.ctx, thread, form.values())):
        return done("The discussion was saved.", url_for("advisory.restricted_thread", board_thread_id=thread.id))
    return _page("thread_form.html", admission, form=form, thread=thread, status=form_status(form))


def _replies_go(count: int) -> str:
    if count == 0:
        return "It has no replies."
    return "Its reply goes with it." if count == 1 else f"Its {count} replies go with it."


@bp.route("/advisory/restricted/threads/<int:board_thread_id>/delete", methods=["GET", "POST"])
def restricted_thread_delete(board_thread_id: int):
    admission = _enter()
    thread = restricted.get_thread(g.ctx, board_thread_id).record
    restricted.require_may_remove(g.ctx, thread.author_membership_id)
    return _removal(
        admission,
        lambda: restricted.delete_thread(g.ctx, thread),
        message="The discussion and its replies were removed.",
        done_to=url_for("advisory.restricted_threads"),
        what="discussion",
        title=thread.title,
        action=url_for("advisory.restricted_thread_delete", board_thread_id=thread.id),
        back=url_for("advisory.restricted_thread", board_thread_id=thread.id),
        note_after=_replies_go(thread.reply_count),
    )


@bp.route("/advisory/restricted/replies/<int:board_reply_id>/edit", methods=["GET", "POST"])
def restricted_reply_edit(board_reply_id: int):
    admission = _enter()
    reply, thread = restricted.get_reply(g.ctx, board_reply_id)
    restricted.require_may_edit(g.ctx, reply.author_membership_id)
    form = ReplyForm(obj=reply)
    if submit(form, lambda: restricted.update_reply(g.ctx, reply, form.values())):
        target = url_for("advisory.restricted_thread", board_thread_id=thread.id)
        return done("Your reply was saved.", f"{target}#reply-{reply.id}")
    return _page("reply_form.html", admission, form=form, reply=reply, thread=thread, status=form_status(form))


@bp.route("/advisory/restricted/replies/<int:board_reply_id>/delete", methods=["GET", "POST"])
def restricted_reply_delete(board_reply_id: int):
    admission = _enter()
    reply, thread = restricted.get_reply(g.ctx, board_reply_id)
    restricted.require_may_remove(g.ctx, reply.author_membership_id)
    back = url_for("advisory.restricted_thread", board_thread_id=thread.id)
    return _removal(
        admission,
        lambda: restricted.delete_reply(g.ctx, reply, thread),
        message="The reply was removed.",
        done_to=back,
        what="reply",
        title=None,
        action=url_for("advisory.restricted_reply_delete", board_reply_id=reply.id),
        back=back,
        thread=thread,
    )


# --- the board's meetings ----------------------------------------------------------------------------------------


@bp.get("/advisory/restricted/meetings")
def restricted_meetings():
    admission = _enter()
    page = restricted.board_meetings(g.ctx, page_number(request.args))
    return _page("meetings.html", admission, block="results", page=page)
