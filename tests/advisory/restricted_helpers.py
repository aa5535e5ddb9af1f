"""Helpers for the restricted-area tests: the board seated, records written and grants given through the
real services, returning ids (never ORM objects from a closed session)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from partnership_hub.advisory import board, restricted
from partnership_hub.advisory.restricted_models import BoardDocument, BoardNote, BoardReply, BoardThread
from partnership_hub.confidentiality import AccessLogEntry
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from tests import factories

CHAIR = "survivor_advisor"
MODELS = {
    "board_note": BoardNote,
    "board_document": BoardDocument,
    "board_thread": BoardThread,
    "board_reply": BoardReply,
}


def seat_board(app, partnership, *others: str) -> None:
    """The survivor advisor chairs the board; ``others`` (keys of ``partnership.members``) sit on it."""
    factories.seat_on_board(app, partnership, CHAIR, *others, chair=CHAIR)


def add_person(app, partnership, key: str, role: Role) -> int:
    """Another person in ``partnership`` under ``key`` (e.g. a second coordinator)."""
    user = factories.create_user(app, f"{key.replace('_', ' ').title()}")
    return factories.add_member(app, partnership, user, role, key=key)


def call(app, partnership, who: str, fn, *args, **kwargs):
    """Run ``fn(ctx, *args)`` as ``who`` and commit; returns the value's id when it has one."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        value = fn(ctx, *args, **kwargs)
        db.session.commit()
        return getattr(value, "id", value)


def note(app, partnership, who: str = CHAIR, title: str = "Ground rules", body: str = "Be kind.") -> int:
    return call(app, partnership, who, restricted.create_note, {"title": title, "body": body})


def document(
    app,
    partnership,
    who: str = CHAIR,
    title: str = "Charter",
    url: str = "https://docs.example.org/c",
    note_text: str = "",
) -> int:
    return call(app, partnership, who, restricted.create_document, {"title": title, "url": url, "note": note_text})


def thread(app, partnership, who: str = CHAIR, title: str = "Training feedback", body: str = "Thoughts?") -> int:
    return call(app, partnership, who, restricted.create_thread, {"title": title, "body": body})


def reply(app, partnership, thread_id: int, who: str = CHAIR, body: str = "Agreed.") -> int:
    def _reply(ctx, data):
        found = restricted.get_thread(ctx, thread_id).record
        return restricted.add_reply(ctx, found, data)

    return call(app, partnership, who, _reply, {"body": body})


def grant(app, partnership, to: str, days: int = 30, reason: str = "Helping with the spring training") -> None:
    """The chair admits ``to`` for ``days`` days."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[CHAIR].id)
        data = {
            "membership_id": str(partnership.membership_ids[to]),
            "reason": reason,
            "ends_on": (ctx.today() + timedelta(days=days)).isoformat(),
        }
        board.grant_access(ctx, data)
        db.session.commit()


def revoke(app, partnership, of: str) -> None:
    call(app, partnership, CHAIR, board.revoke_access, {"membership_id": str(partnership.membership_ids[of])})


def count(app, partnership, model) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def reads(app, partnership, who: str | None = None) -> list[tuple[str, int, str]]:
    """(record kind, record id, how) of the access log, oldest first (``who``: one person's only)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(AccessLogEntry.record_kind, AccessLogEntry.record_id, AccessLogEntry.how).order_by(
            AccessLogEntry.id
        )
        if who is not None:
            stmt = stmt.where(AccessLogEntry.user_id == partnership.members[who].id)
        return [tuple(row) for row in db.session.execute(stmt)]
