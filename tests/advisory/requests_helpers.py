"""Helpers for the requests tests: a board of two advisors, requests filed and answered through the real
services, and what the database holds afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from partnership_hub.advisory import requests as participation
from partnership_hub.advisory.requests_models import ParticipationRequest, RequestDelivery
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership, Role
from tests import factories

SECOND = "advisor2"  # a second survivor advisor, on the board beside the world's


def board(app, world, *extra: str) -> None:
    """Seat the world's survivor advisor (chair) and a second advisor on the board, and anyone in ``extra``."""
    if SECOND not in world.home.members:
        factories.add_member(app, world.home, factories.create_user(app, "Sam Second"), Role.SURVIVOR_ADVISOR, SECOND)
    factories.seat_on_board(app, world.home, "survivor_advisor", SECOND, *extra, chair="survivor_advisor")


def set_zone(app, partnership, zone: str) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def form(**overrides) -> dict:
    """A valid request: a panel, two hours, in a fortnight, 150 USD, one advisor."""
    return {
        "kind": "panel",
        "title": "Panel for the awareness month",
        "ask": "Speak at the library panel about what helped.",
        "hours": "2",
        "needed_on": (date.today() + timedelta(days=14)).isoformat(),
        "pay_basis": "amount",
        "pay_amount": "150",
        "pay_currency": "USD",
        "advisors_wanted": "1",
    } | overrides


def call(app, world, who: str, fn, *args, **kwargs):
    """Run ``fn(ctx, *args, **kwargs)`` as ``who`` of the home partnership and commit; returns its value's id
    (or the value when it has none)."""
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members[who].id)
        value = fn(ctx, *args, **kwargs)
        db.session.commit()
        return getattr(value, "id", value)


def file(app, world, who: str = "member", now: datetime | None = None, **overrides) -> int:
    return call(app, world, who, participation.file_request, form(**overrides), now=now)


def set_limit(app, world, who: str, limit: int) -> None:
    call(app, world, who, participation.set_limit, {"monthly_limit": str(limit)})


def answer(app, world, who: str, request_id: int, answer: str = "accept", note: str = "") -> None:
    def run(ctx):
        delivery = db.session.scalars(
            select(RequestDelivery).where(
                RequestDelivery.request_id == request_id, RequestDelivery.membership_id == ctx.membership.id
            )
        ).one()
        return participation.answer_request(ctx, delivery, {"answer": answer, "note": note})

    call(app, world, who, run)


def delivery_id(app, world, who: str, request_id: int) -> int:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return db.session.scalars(
            select(RequestDelivery.id).where(
                RequestDelivery.request_id == request_id,
                RequestDelivery.membership_id == world.home.membership_ids[who],
            )
        ).one()


def requests_of(app, partnership) -> list[ParticipationRequest]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(ParticipationRequest).order_by(ParticipationRequest.id)))
        db.session.expunge_all()
        return found


def deliveries_of(app, partnership, request_id: int | None = None) -> dict[int, str]:
    """membership id → delivery status, for one request (or every delivery)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(RequestDelivery.membership_id, RequestDelivery.status)
        if request_id is not None:
            stmt = stmt.where(RequestDelivery.request_id == request_id)
        return {membership_id: status.value for membership_id, status in db.session.execute(stmt)}


def count_deliveries(app, partnership) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return len(list(db.session.scalars(select(RequestDelivery.id))))
