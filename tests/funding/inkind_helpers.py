"""Making and reading in-kind offers, needs and matches in tests, through the real services."""

from __future__ import annotations

from sqlalchemy import func, select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import inkind
from partnership_hub.funding.inkind_models import InkindMatch, InkindNeed, InkindOffer
from partnership_hub.workspaces.services import context_for
from tests.factories import PartnershipRec


def offer_data(**fields) -> dict:
    """A valid offer's form values (``fields`` change some)."""
    return {
        "kind": "skills",
        "title": "Pro bono legal hours",
        "description": "T-visa applications.",
        "hours": "40",
        "quantity": "",
        "available_from": "",
        "available_until": "",
        **fields,
    }


def need_data(**fields) -> dict:
    return {"title": "Interpreters", "details": "Two Spanish interpreters for interviews.", "kind": "skills", **fields}


def make_offer(app, partnership: PartnershipRec, who: str = "coordinator", **fields) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        offer = inkind.create_offer(ctx, offer_data(**fields))
        db.session.commit()
        return offer.id


def make_need(app, partnership: PartnershipRec, who: str = "coordinator", **fields) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        need = inkind.create_need(ctx, need_data(**fields))
        db.session.commit()
        return need.id


def make_match(app, partnership: PartnershipRec, offer_id: int | str, need_id: int, **fields) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        need = inkind.get_need(ctx, need_id)
        match = inkind.match_offer(ctx, need, {"offer_id": offer_id, **fields})
        db.session.commit()
        return match.id


def _rows(app, partnership: PartnershipRec, model) -> list:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(model).order_by(model.id)))
        db.session.expunge_all()
        return found


def offers_of(app, partnership: PartnershipRec) -> list[InkindOffer]:
    return _rows(app, partnership, InkindOffer)


def needs_of(app, partnership: PartnershipRec) -> list[InkindNeed]:
    return _rows(app, partnership, InkindNeed)


def matches_of(app, partnership: PartnershipRec) -> list[InkindMatch]:
    return _rows(app, partnership, InkindMatch)


def audit_count(app, partnership: PartnershipRec) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(select(func.count(AuditEntry.id))) or 0
