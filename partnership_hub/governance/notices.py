"""Governance notices: information-sharing agreements coming up for expiry or review
(``agreement_expiring``) and a trust check-in opened (``checkin_opened``). ``plan`` is the area's
``notice_planner`` (the notifications beat, every five minutes); ``checkin_opened`` is also called by
``checkins.open_checkin`` when a check-in opens at once. A guideline version to acknowledge
(``guideline_to_acknowledge``) is told by ``guidelines.publish_draft`` itself.

- Agreements: ``AGREEMENT_DAYS`` (30 and 7) days before an active agreement's expiry date and before its
  review date, to the coordinators and to the members who represent one of its parties (they may change
  it: ``policies.may_change_agreement``). Agreements are workspace records (everyone may read them), so
  nobody told is shown more than they may see. Dates are the partnership's calendar, as the agreement's
  "expired" is; told from ``notices.SEND_AT`` (08:00) there. Each stage once per agreement, date and person: an
  agreement first recorded 20 days before it expires gets the 30-day notice (saying 20 days), and one the
  beat missed by a week gets only the 7-day one.
- Check-ins: everyone asked to answer (everyone but observers; not the coordinator who opened it) is told
  once per check-in: at once when it opens on the day it is opened, else on its first day from
  ``notices.SEND_AT`` — and someone who joins while it is open, on the next beat. Nobody who has answered.

Every plan is a fixed number of statements per partnership (a bounded read per kind of record, of the
people not told yet: ``notices.told_clause``; their choices; then each notice's own writes).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, exists, literal, or_, select, true

from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement, SharingAgreementParty
from partnership_hub.governance.checkins import _open_today
from partnership_hub.governance.checkins_models import CheckinParticipation, TrustCheckin
from partnership_hub.members.models import Representative
from partnership_hub.notifications import notices
from partnership_hub.notifications.services import open_outbox
from partnership_hub.workspaces.models import Membership, Role

AGREEMENT_EXPIRING = "agreement_expiring"
CHECKIN_OPENED = "checkin_opened"
AGREEMENT_DAYS = (30, 7)  # days before the date
BATCH = 500  # (agreement, person) pairs or people read per plan; the rest wait for the next beat
# The dates an agreement is told about, and how its email says it.
AGREEMENT_EVENTS = {"expires": "expires", "review": "is due for review"}


def plan(ctx: WorkspaceContext, now: datetime) -> int:
    """The area's ``notice_planner``: agreements coming up, a check-in that opened today. Returns how
    many people were told."""
    today = ctx.today(now)
    if notices.last_morning(ctx.zone, now) != today:  # before 08:00
        return 0
    # The beat is delivery work: ``told_clause`` reads the outbox too (on PostgreSQL only delivery work may),
    # so someone who takes a notice by email alone is not read again.
    open_outbox()
    return _plan_agreements(ctx, today) + _plan_checkin(ctx, today)


# --- agreements ---------------------------------------------------------------------------------


def _responsible() -> Any:
    """SQL over ``Membership`` and ``SharingAgreement``: a coordinator, or a member who represents one of
    the agreement's parties (who may change it). Never an observer."""
    represents = exists().where(
        SharingAgreementParty.agreement_id == SharingAgreement.id,
        Representative.organization_id == SharingAgreementParty.organization_id,
        Representative.membership_id == Membership.id,
    )
    return and_(Membership.role != Role.OBSERVER, or_(Membership.role == Role.COORDINATOR, represents))


def _agreement_pairs(event: str, column: Any, today: date) -> list[Any]:
    """(agreement, date, stage, person) for the active agreements whose ``column`` date is within the
    longest stage, each with the people responsible for it who have not been told its stage: ONE
    statement, at most ``BATCH`` rows, soonest first."""
    stages = sorted(AGREEMENT_DAYS)
    stage = case(*[(column <= literal(today + timedelta(days=days), Date), literal(days)) for days in stages])
    stmt = (
        select(SharingAgreement.id, SharingAgreement.title, column.label("on"), stage.label("stage"), Membership.id)
        .join(Membership, _responsible())
        .where(
            SharingAgreement.status == AgreementStatus.ACTIVE,
            column.between(today, today + timedelta(days=stages[-1])),
            notices.untold_clause(AGREEMENT_EXPIRING, Membership.id, SharingAgreement.id, event, column, stage),
        )
        .order_by(column, SharingAgreement.id, Membership.id)
        .limit(BATCH)
    )
    return list(db.session.execute(scoped(stmt)))


def _plan_agreements(ctx: WorkspaceContext, today: date) -> int:
    found = {event: _agreement_pairs(event, column, today) for event, column in _agreement_dates().items()}
    membership_ids = {row[4] for rows in found.values() for row in rows}
    if not membership_ids:
        return 0
    people = {p.membership_id: p for p in notices.recipients(ctx, AGREEMENT_EXPIRING, sorted(membership_ids))}
    # One notice per agreement, date and stage, to its people together.
    grouped: dict[tuple[str, int, str, date, int], list[notices.Recipient]] = defaultdict(list)
    for event, rows in found.items():
        for agreement_id, title, on, stage, membership_id in rows:
            if (person := people.get(membership_id)) is not None:
                grouped[(event, agreement_id, title, on, int(stage))].append(person)
    told = 0
    for (event, agreement_id, title, on, stage), group in grouped.items():
        days = (on - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        said = AGREEMENT_EVENTS[event]
        told += notices.notify(
            ctx,
            AGREEMENT_EXPIRING,
            group,
            key=f"{agreement_id}:{event}:{on.isoformat()}:{stage}",
            subject=f"Information-sharing agreement {said} {when}: {title}",
            title=f"“{title}” {said} {when}",
            endpoint="governance.agreement",
            args={"sharing_agreement_id": agreement_id},
            template="agreement_expiring",
            agreement_title=title,
            event=event,
            said=said,
            on=on,
            when=when,
        )
    return told


def _agreement_dates() -> dict[str, Any]:
    return {"expires": SharingAgreement.expires_on, "review": SharingAgreement.review_on}


# --- trust check-ins ----------------------------------------------------------------------------


def _asked(checkin_id: Any, not_the_opener: Any) -> Any:
    """SQL over ``Membership``: asked to answer the check-in ``checkin_id`` (a value or a column): everyone
    but observers and the coordinator who opened it (``not_the_opener``), not answered yet, not told yet."""
    answered = exists().where(
        CheckinParticipation.checkin_id == checkin_id, CheckinParticipation.membership_id == Membership.id
    )
    return and_(
        Membership.role != Role.OBSERVER,
        not_the_opener,
        ~answered,
        notices.untold_clause(CHECKIN_OPENED, Membership.id, checkin_id),
    )


def checkin_opened(ctx: WorkspaceContext, checkin: TrustCheckin, today: date) -> int:
    """Tell everyone asked to answer ``checkin`` that it is open, if it opens ``today`` (a check-in that
    opens later is told on its first day by ``plan``). Returns how many people were told."""
    if checkin.opens_on > today:
        return 0
    opener = checkin.opened_by_membership_id
    asked = select(Membership.id).where(_asked(checkin.id, true() if opener is None else Membership.id != opener))
    return _tell_checkin(ctx, checkin.id, checkin.closes_on, notices.recipients(ctx, CHECKIN_OPENED, asked))


def _plan_checkin(ctx: WorkspaceContext, today: date) -> int:
    """The check-in open today (there is at most one), to the people asked who have not been told: ONE
    statement, at most ``BATCH`` people."""
    stmt = (
        select(TrustCheckin.id, TrustCheckin.closes_on, Membership.id)
        .join(Membership, true())
        .where(
            _open_today(today),
            _asked(
                TrustCheckin.id,
                or_(
                    TrustCheckin.opened_by_membership_id.is_(None),
                    Membership.id != TrustCheckin.opened_by_membership_id,
                ),
            ),
        )
        .order_by(TrustCheckin.id, Membership.id)
        .limit(BATCH)
    )
    rows = db.session.execute(scoped(stmt)).all()
    if not rows:
        return 0
    checkin_id, closes_on = rows[0][0], rows[0][1]
    ids = [row[2] for row in rows if row[0] == checkin_id]
    return _tell_checkin(ctx, checkin_id, closes_on, notices.recipients(ctx, CHECKIN_OPENED, ids))


def _tell_checkin(ctx: WorkspaceContext, checkin_id: int, closes_on: date, people: list[notices.Recipient]) -> int:
    until = closes_on.strftime("%d %B %Y")
    return notices.notify(
        ctx,
        CHECKIN_OPENED,
        people,
        key=str(checkin_id),
        subject=f"Trust check-in open until {until}",
        title=f"Trust check-in open until {until}: four statements, anonymous",
        endpoint="governance.answer_checkin",
        args={"trust_checkin_id": checkin_id},
        template="checkin_opened",
        closes_on=closes_on,
    )
