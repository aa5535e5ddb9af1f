"""Governance notices (issue #15, "other notices"): a guideline version to acknowledge, information-sharing
agreements coming up for expiry or review, a trust check-in opened — each to exactly the people it concerns,
once, as each chose (email / notification centre), at the partnership's 08:00, in a fixed number of
statements whatever the size of the partnership."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.governance import checkins, guidelines
from partnership_hub.governance import notices as governance_notices
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement, SharingAgreementParty
from partnership_hub.governance.guidelines_models import GuidelineDocument
from partnership_hub.members.models import Representative
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.workspaces.models import Partnership, Role
from tests.budget import counting, planned_with_count
from tests.factories import add_member, create_organization, create_partnership, create_user, outbox

ZONE = "Europe/Berlin"  # summer time from Sunday 29 March 2026 (UTC+2; UTC+1 before)
EXPIRES = date(2026, 4, 28)  # 30 days ahead on Sunday 29 March: 08:00 there is 06:00 UTC


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` in the partnership's zone, as UTC."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(ZONE)).astimezone(UTC)


def set_zone(app, partnership, zone: str = ZONE) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def prefer(app, partnership, membership_id: int, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=membership_id, **fields))
        db.session.commit()


def centre(app, partnership, kind: str | None = None) -> list[tuple[int, str, str]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.kind, Notification.url).order_by(Notification.id)
        if kind:
            stmt = stmt.where(Notification.kind == kind)
        return [tuple(row) for row in db.session.execute(stmt)]


def plan(app, partnership, now: datetime) -> int:
    with app.app_context():
        told = governance_notices.plan(context_for(partnership.id), now)
        db.session.commit()
        return told


def recipients_of(app, kind: str) -> list[str]:
    return sorted(m.to_address for m in outbox(app, kind=kind))


def emails(partnership, *roles: str) -> list[str]:
    return sorted(partnership.members[role].email for role in roles)


# --- agreements -------------------------------------------------------------------------------------------


def agreement(app, partnership, organization_ids, **fields) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        row = SharingAgreement(
            **{
                "title": "Referral data",
                "status": AgreementStatus.ACTIVE,
                "signed_on": date(2025, 4, 1),
                "expires_on": EXPIRES,
                **fields,
            }
        )
        db.session.add(row)
        db.session.flush()
        db.session.add_all(SharingAgreementParty(agreement_id=row.id, organization_id=o) for o in organization_ids)
        db.session.commit()
        return row.id


def represent(app, partnership, organization_id: int, *roles: str) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        for role in roles:
            db.session.add(
                Representative(organization_id=organization_id, membership_id=partnership.membership_ids[role])
            )
        db.session.commit()


@pytest.fixture
def home(app, world):
    set_zone(app, world.home)
    return world.home


@pytest.fixture
def parties(app, home):
    """Two organizations: the member and the observer represent the first; nobody in the workspace the second."""
    first, second = create_organization(app, home, "Streets of Hope"), create_organization(app, home, "Legal Aid")
    represent(app, home, first, "member", "observer")
    return [first, second]


def test_an_expiring_agreement_is_told_30_and_7_days_ahead_to_coordinators_and_its_representatives(app, home, parties):
    agreement_id = agreement(app, home, parties, title="Shelter referrals")
    assert plan(app, home, at(EXPIRES - timedelta(days=31))) == 0
    assert plan(app, home, at(EXPIRES - timedelta(days=30), 7, 59)) == 0
    assert plan(app, home, at(EXPIRES - timedelta(days=30))) == 2
    # Not the survivor advisor (no party of theirs), not the observer (who represents one).
    assert recipients_of(app, "agreement_expiring") == emails(home, "coordinator", "member")
    mail = outbox(app)[0]
    assert mail.subject == "Information-sharing agreement expires in 30 days: Shelter referrals"
    assert "Tuesday 28 April 2026" in mail.text_body and f"/governance/agreements/{agreement_id}" in mail.text_body
    assert "Choose which emails you get" in mail.text_body
    url = f"/p/{home.slug}/governance/agreements/{agreement_id}"
    assert sorted(centre(app, home)) == sorted(
        (home.membership_ids[role], "agreement_expiring", url) for role in ("coordinator", "member")
    )
    # The beat again, and every day until the 7-day notice: nothing twice.
    for days in (30, 29, 8):
        assert plan(app, home, at(EXPIRES - timedelta(days=days), 12)) == 0
    assert plan(app, home, at(EXPIRES - timedelta(days=7))) == 2
    assert plan(app, home, at(EXPIRES - timedelta(days=7), 9)) == 0
    assert [m.subject.split(":")[0] for m in outbox(app)][-2:] == [
        "Information-sharing agreement expires in 7 days"
    ] * 2
    assert len(outbox(app)) == 4 and len(centre(app, home)) == 4
    assert plan(app, home, at(EXPIRES + timedelta(days=1))) == 0  # expired: nothing more


def test_a_review_date_is_told_as_well(app, home, parties):
    agreement(app, home, parties, review_on=date(2026, 4, 8), expires_on=date(2027, 4, 1))
    assert plan(app, home, at(date(2026, 3, 9))) == 2
    assert {m.subject for m in outbox(app)} == {
        "Information-sharing agreement is due for review in 30 days: Referral data"
    }


def test_an_agreement_recorded_late_gets_the_stage_it_is_in_and_no_earlier_one(app, home, parties):
    agreement(app, home, parties, title="Twenty days", expires_on=date(2026, 4, 20))
    agreement(app, home, parties, title="Five days", expires_on=date(2026, 4, 5))
    assert plan(app, home, at(date(2026, 3, 31))) == 4
    assert sorted({m.subject for m in outbox(app)}) == [
        "Information-sharing agreement expires in 20 days: Twenty days",
        "Information-sharing agreement expires in 5 days: Five days",
    ]
    assert plan(app, home, at(date(2026, 4, 1))) == 0  # Five days stays told; Twenty days waits for its 7


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.WITHDRAWN])
def test_drafts_and_withdrawn_agreements_are_not_told(app, home, parties, status):
    agreement(app, home, parties, status=status)
    assert plan(app, home, at(EXPIRES - timedelta(days=7))) == 0
    assert outbox(app) == [] and centre(app, home) == []


def test_agreement_notices_follow_each_persons_choice(app, home, parties):
    ids = home.membership_ids
    prefer(app, home, ids["coordinator"], email_off="agreement_expiring")
    prefer(app, home, ids["member"], app_off="agreement_expiring")
    agreement(app, home, parties)
    assert plan(app, home, at(EXPIRES - timedelta(days=30))) == 2
    assert recipients_of(app, "agreement_expiring") == emails(home, "member")
    assert [who for who, _, _ in centre(app, home)] == [ids["coordinator"]]
    assert plan(app, home, at(EXPIRES - timedelta(days=30), 10)) == 0
    assert len(outbox(app)) == 1 and len(centre(app, home)) == 1


def test_another_partnerships_agreements_are_not_told_here(app, home, world, parties):
    set_zone(app, world.other)
    agreement(app, world.other, [create_organization(app, world.other, "Elsewhere")])
    assert plan(app, home, at(EXPIRES - timedelta(days=30))) == 0
    assert plan(app, world.other, at(EXPIRES - timedelta(days=30))) == 1
    assert recipients_of(app, "agreement_expiring") == [world.other.members["coordinator"].email]


def grow(app, partnership, size: int) -> None:
    """``size`` agreements that call for no notice now (far from expiry, expired, withdrawn, drafts, and
    ones told already), each with parties, and a member representing a party per ten agreements."""
    organizations = [create_organization(app, partnership) for _ in range(3)]
    for n in range(size // 10):
        add_member(app, partnership, create_user(app), Role.MEMBER, key=f"rep{n}")
        represent(app, partnership, organizations[n % 3], f"rep{n}")
    expires = [date(2027, 1, 1), date(2026, 1, 1), EXPIRES, EXPIRES, EXPIRES - timedelta(days=3)]
    statuses = [AgreementStatus.ACTIVE, AgreementStatus.ACTIVE, AgreementStatus.WITHDRAWN, AgreementStatus.DRAFT]
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = [
            SharingAgreement(
                title=f"Agreement {n}",
                status=statuses[n % 4] if n % 5 != 4 else AgreementStatus.ACTIVE,
                expires_on=expires[n % 5],
            )
            for n in range(size)
        ]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(
            SharingAgreementParty(agreement_id=row.id, organization_id=organization)
            for n, row in enumerate(rows)
            for organization in organizations[: 1 + n % 3]
        )
        db.session.commit()
    plan(app, partnership, at(EXPIRES - timedelta(days=3)))  # tells the last shape's ones


def test_a_plan_costs_the_same_for_a_few_agreements_and_for_many(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership in (small, large):
        set_zone(app, partnership)
    grow(app, small, 5)
    grow(app, large, 100)
    now = at(EXPIRES - timedelta(days=3), 9)
    # Nothing new: the same few reads (agreements by expiry, by review, the open check-in; on PostgreSQL the
    # tenant binding and opening the outbox to the beat too), whatever the size.
    idle = planned_with_count(app, small, governance_notices.plan, now)
    assert idle == planned_with_count(app, large, governance_notices.plan, now) and idle[0] == 0 and idle[1] <= 5, idle
    assert planned_with_count(app, small, governance_notices.plan, at(EXPIRES - timedelta(days=3), 7)) == (
        0,
        0,
    )  # before 08:00: nothing at all


# --- trust check-ins --------------------------------------------------------------------------------------


def open_checkin(app, partnership, opens_on: date | None = None) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        opens_on = opens_on or today
        checkin = checkins.open_checkin(ctx, checkins.CheckinData(opens_on, opens_on + timedelta(days=14), 5))
        db.session.commit()
        return checkin.id


def test_opening_a_checkin_tells_everyone_asked_to_answer_at_once(app, world):
    home = world.home  # UTC, so the real today is the partnership's
    checkin_id = open_checkin(app, home)
    # Not the coordinator who opened it, not the observer (who is not asked).
    assert recipients_of(app, "checkin_opened") == emails(home, "member", "survivor_advisor")
    mail = outbox(app, kind="checkin_opened")[0]
    assert mail.subject.startswith("Trust check-in open until ") and "anonymous" in mail.text_body
    assert f"/governance/checkins/{checkin_id}/answer" in mail.text_body
    assert sorted(who for who, _, _ in centre(app, home)) == sorted(
        home.membership_ids[role] for role in ("member", "survivor_advisor")
    )
    # The beat later that day: nothing twice.
    assert plan(app, home, at_utc(utcnow().date(), 12)) == 0
    assert len(outbox(app, kind="checkin_opened")) == 2 and len(centre(app, home)) == 2


def test_a_checkin_opening_later_is_told_on_its_first_day(app, world):
    home = world.home
    first_day = utcnow().date() + timedelta(days=3)
    open_checkin(app, home, first_day)
    assert outbox(app) == []
    assert plan(app, home, at_utc(first_day - timedelta(days=1), 12)) == 0
    assert plan(app, home, at_utc(first_day, 7, 59)) == 0
    assert plan(app, home, at_utc(first_day, 8)) == 2
    assert recipients_of(app, "checkin_opened") == emails(home, "member", "survivor_advisor")
    assert plan(app, home, at_utc(first_day, 9)) == 0
    assert len(outbox(app)) == 2


def test_people_who_join_while_a_checkin_is_open_are_told_unless_they_have_answered(app, world):
    home = world.home
    open_checkin(app, home)
    late = add_member(app, home, create_user(app), Role.MEMBER, key="late")
    add_member(app, home, create_user(app), Role.MEMBER, key="quick")
    with app.app_context():
        ctx = context_for(home.id, home.members["quick"].id)
        checkin = db.session.scalars(select(checkins.TrustCheckin)).one()
        scores = dict.fromkeys(("trust", "shared_goals", "equal_voice", "disagreement"), "4")
        checkins.answer_checkin(ctx, checkin, checkins.AnswerData(scores))
        db.session.commit()
    assert plan(app, home, at_utc(utcnow().date(), 12)) == 1
    assert [who for who, _, _ in centre(app, home)][-1] == late
    assert recipients_of(app, "checkin_opened") == emails(home, "member", "survivor_advisor", "late")


def test_a_checkin_closed_before_its_first_day_is_never_told(app, world):
    home = world.home
    first_day = utcnow().date() + timedelta(days=3)
    checkin_id = open_checkin(app, home, first_day)
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        checkins.close_checkin(ctx, checkins.get_checkin(ctx, checkin_id))
        db.session.commit()
    assert plan(app, home, at_utc(first_day, 9)) == 0
    assert outbox(app) == [] and centre(app, home) == []


def test_checkin_notices_follow_each_persons_choice(app, world):
    home = world.home
    prefer(app, home, home.membership_ids["member"], email_off="checkin_opened")
    prefer(app, home, home.membership_ids["survivor_advisor"], app_off="checkin_opened")
    open_checkin(app, home)
    assert recipients_of(app, "checkin_opened") == emails(home, "survivor_advisor")
    assert [who for who, _, _ in centre(app, home)] == [home.membership_ids["member"]]


def at_utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), UTC)


# --- guidelines -------------------------------------------------------------------------------------------


def publish(app, partnership, text: str = "Members come prepared.") -> tuple[int, int]:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        draft = guidelines.start_draft(ctx, "guidelines")
        guidelines.save_draft(ctx, draft, {"member_input": text})
        version = guidelines.publish_draft(ctx, db.session.get(GuidelineDocument, draft.document_id))
        db.session.commit()
        return draft.document_id, version.id


def test_a_guideline_version_is_told_to_everyone_asked_to_acknowledge_it_as_each_chose(app, world):
    home = world.home
    ids = home.membership_ids
    prefer(app, home, ids["member"], email_off="guideline_to_acknowledge")
    document_id, version_id = publish(app, home)
    # The member: a centre entry only; the advisor: both; the observer and the publisher: nothing.
    assert recipients_of(app, "guideline_to_acknowledge") == emails(home, "survivor_advisor")
    [mail] = outbox(app)
    assert mail.dedup_key == f"guideline_to_acknowledge:version-{version_id}:{ids['survivor_advisor']}"
    assert "Choose which emails you get" in mail.text_body
    url = f"/p/{home.slug}/governance/guidelines/{document_id}"
    assert sorted(centre(app, home)) == sorted(
        (ids[role], "guideline_to_acknowledge", url) for role in ("member", "survivor_advisor")
    )
    # A next version is told again; one with the app turned off by email only.
    prefer_update(app, home, ids["member"], email_off="", app_off="guideline_to_acknowledge")
    publish(app, home, "Members come prepared and on time.")
    assert recipients_of(app, "guideline_to_acknowledge") == emails(
        home, "member", "survivor_advisor", "survivor_advisor"
    )
    assert len(centre(app, home)) == 3


def prefer_update(app, partnership, membership_id: int, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.execute(
            update(NotificationPreference).where(NotificationPreference.membership_id == membership_id).values(**fields)
        )
        db.session.commit()


def test_publishing_to_many_costs_what_publishing_to_a_few_does_when_they_take_it_in_the_app(app):
    """Finding who to tell and what they chose is one statement, and the centre's entries one more, for 3
    people or 30; only each email costs its own writes (the outbox row, the mail rule's look-up)."""
    costs = []
    for size in (3, 30):
        partnership = create_partnership(app, create_user(app), f"Size {size}")
        for n in range(size):
            key = f"m{n}"
            membership_id = add_member(app, partnership, create_user(app), Role.MEMBER, key=key)
            prefer(app, partnership, membership_id, email_off="guideline_to_acknowledge")
        with app.app_context():
            ctx = context_for(partnership.id, partnership.members["coordinator"].id)
            draft = guidelines.start_draft(ctx, "guidelines")
            guidelines.save_draft(ctx, draft, {"member_input": "Members come prepared."})
            document = db.session.get(GuidelineDocument, draft.document_id)
            with counting(app) as found:
                guidelines.publish_draft(ctx, document)
            db.session.commit()
        costs.append(len(found))
        assert len(centre(app, partnership)) == size
    assert costs[0] == costs[1], costs
