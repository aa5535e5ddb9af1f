"""Funding deadlines coming up (issue #15, "other notices"): told to the opportunity's owner and the
coordinators the confidentiality layer admits, 14 and 3 days before an application deadline (while still
to apply) or a report deadline (while the grant is held), each once, from 08:00 in the partnership's time
zone (a frozen ``now`` in Denver, across the change to daylight time), caught up after a beat that was
down but never for a deadline past, as each person chose, in a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from partnership_hub.confidentiality import Level, admitted_memberships_clause
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import notices as funding_notices
from partnership_hub.funding.pipeline_models import FundingOpportunity, FundingStatus
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.workspaces.models import Membership, Partnership, Role
from tests.budget import counting, planned_with_count
from tests.factories import add_member, create_partnership, create_user, outbox, seat_on_board
from tests.funding.pipeline_helpers import make

DENVER = "America/Denver"  # daylight time from Sunday 8 March 2026: UTC-6 (UTC-7 before)
DEADLINE = date(2026, 3, 25)
# 14 days before: Wednesday 11 March, 08:00 MDT = 14:00 UTC (08:00 MST would be 15:00: a fixed offset's mistake).
TWO_WEEKS = datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
# 3 days before: Sunday 22 March, 08:00 MDT.
THREE_DAYS = datetime(2026, 3, 22, 14, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
KIND = "funding_deadline"


def set_zone(app, partnership, zone: str = DENVER) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def prefer(app, partnership, who: str, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=partnership.membership_ids[who], **fields))
        db.session.commit()


def plan(app, partnership, now: datetime) -> int:
    """The funding planner for ``partnership`` at ``now``, committed, as the beat runs it."""
    with app.app_context():
        told = funding_notices.plan(context_for(partnership.id), now)
        db.session.commit()
        return told


def centre(app, partnership) -> list[tuple[int, str, str]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.title, Notification.url).order_by(Notification.id)
        return [tuple(row) for row in db.session.execute(stmt.where(Notification.kind == KIND))]


def mailed(app) -> list[tuple[str, str]]:
    """(recipient, deduplication key) of every funding deadline email, in order."""
    return [(m.to_address, m.dedup_key) for m in outbox(app, kind=KIND)]


def emails(partnership, *who: str) -> set[str]:
    return {partnership.members[key].email for key in who}


@pytest.fixture
def home(app, world):
    set_zone(app, world.home)
    return world.home


def opportunity(app, partnership, owner: str | None = "member", **fields) -> int:
    values = {"application_deadline": DEADLINE.isoformat()} | fields
    if owner:
        values["owner_membership_id"] = str(partnership.membership_ids[owner])
    return make(app, partnership, **values)


# --- who, once, when --------------------------------------------------------------------------------------


def test_the_owner_and_the_coordinators_are_told_once_from_eight_in_the_morning(app, home):
    opportunity_id = opportunity(app, home, title="State victim services grant", funder="State of Colorado")
    assert plan(app, home, TWO_WEEKS - MINUTE) == 0  # 07:59 MDT
    assert plan(app, home, TWO_WEEKS - timedelta(days=1)) == 0  # 15 days ahead
    assert mailed(app) == [] and centre(app, home) == []

    assert plan(app, home, TWO_WEEKS) == 2
    messages = outbox(app, kind=KIND)
    assert {m.to_address for m in messages} == emails(home, "member", "coordinator")  # not the advisor, observer
    key = f"{opportunity_id}:application:2026-03-25:14"
    assert {m.dedup_key for m in messages} == {
        f"{KIND}:{key}:{home.membership_ids[who]}" for who in ("member", "coordinator")
    }
    [mail] = [m for m in messages if m.to_address == home.members["member"].email]
    assert mail.subject == "Application deadline in 14 days: State victim services grant"
    assert "Wednesday 25 March 2026" in mail.text_body and "State of Colorado" in mail.text_body
    assert f"/p/{home.slug}/funding/opportunities/{opportunity_id}" in mail.text_body
    assert "Choose which emails you get" in mail.text_body and "Choose which emails you get" in mail.html_body
    path = f"/p/{home.slug}/funding/opportunities/{opportunity_id}"
    assert sorted(centre(app, home)) == sorted(
        (home.membership_ids[who], "Application deadline on 25 Mar 2026: State victim services grant", path)
        for who in ("member", "coordinator")
    )

    # The beat again, and every day until the three-day notice: nothing twice.
    for later in (TWO_WEEKS, TWO_WEEKS + MINUTE, TWO_WEEKS + timedelta(days=5), THREE_DAYS - MINUTE):
        assert plan(app, home, later) == 0
    assert len(mailed(app)) == 2 and len(centre(app, home)) == 2

    assert plan(app, home, THREE_DAYS) == 2  # Sunday 22 March, 08:00 MDT
    assert plan(app, home, THREE_DAYS + timedelta(hours=3)) == 0
    three = [
        m
        for m in outbox(app, kind=KIND)
        if m.dedup_key.startswith(f"{KIND}:{opportunity_id}:application:2026-03-25:3:")
    ]
    assert len(three) == 2 and three[0].subject == "Application deadline in 3 days: State victim services grant"
    # Deadline day and after: nothing more.
    assert plan(app, home, datetime(2026, 3, 25, 15, 0, tzinfo=UTC)) == 0
    assert plan(app, home, datetime(2026, 3, 26, 15, 0, tzinfo=UTC)) == 0
    assert len(mailed(app)) == 4


def test_a_beat_that_was_down_catches_up_with_what_is_still_due(app, home):
    """Down from before the two-week notice until five days before: that notice goes, saying five days. Down
    again until the day before: only the three-day notice, for it and for one recorded meanwhile (whose
    missed two-week notice never goes)."""
    late = opportunity(app, home, owner=None)
    assert plan(app, home, datetime(2026, 3, 20, 18, 0, tzinfo=UTC)) == 1  # the coordinator
    [mail] = outbox(app, kind=KIND)
    assert mail.dedup_key.startswith(f"{KIND}:{late}:application:2026-03-25:14:")
    assert mail.subject.startswith("Application deadline in 5 days")

    missed = opportunity(app, home, owner=None, application_deadline="2026-03-27")
    assert plan(app, home, datetime(2026, 3, 24, 18, 0, tzinfo=UTC)) == 2  # 25 March's 3-day, 27 March's 3-day
    keys = {m.dedup_key.rsplit(":", 1)[0] for m in outbox(app, kind=KIND)}
    assert keys == {
        f"{KIND}:{late}:application:2026-03-25:14",
        f"{KIND}:{late}:application:2026-03-25:3",
        f"{KIND}:{missed}:application:2026-03-27:3",
    }
    # A deadline already past is never told, even to someone who had nothing about it.
    opportunity(app, home, owner=None, application_deadline="2026-03-25")
    assert plan(app, home, datetime(2026, 3, 26, 18, 0, tzinfo=UTC)) == 0


def test_a_moved_deadline_is_told_again(app, home):
    opportunity_id = opportunity(app, home, owner=None)
    assert plan(app, home, TWO_WEEKS) == 1
    with app.app_context():
        bind_tenant(db.session, home.id)
        moved = FundingOpportunity.application_deadline
        db.session.execute(update(FundingOpportunity).values({moved: date(2026, 3, 26)}))
        db.session.commit()
    assert plan(app, home, TWO_WEEKS + timedelta(days=1)) == 1
    assert [key.rsplit(":", 1)[0] for _, key in mailed(app)] == [
        f"{KIND}:{opportunity_id}:application:2026-03-25:14",
        f"{KIND}:{opportunity_id}:application:2026-03-26:14",
    ]


@pytest.mark.parametrize(
    ("status", "told"),
    [
        (FundingStatus.IDEA, True),
        (FundingStatus.RESEARCHING, True),
        (FundingStatus.APPLYING, True),
        (FundingStatus.SUBMITTED, False),
        (FundingStatus.AWARDED, False),
        (FundingStatus.DECLINED, False),
        (FundingStatus.REPORTING, False),
        (FundingStatus.CLOSED, False),
    ],
)
def test_an_application_deadline_only_while_the_application_is_ahead(app, home, status, told):
    opportunity(app, home, owner=None, status=status.value)
    assert plan(app, home, TWO_WEEKS) == int(told)


@pytest.mark.parametrize(
    ("status", "told"),
    [(FundingStatus.AWARDED, True), (FundingStatus.REPORTING, True), (FundingStatus.CLOSED, False)],
)
def test_a_report_deadline_while_the_grant_is_held(app, home, status, told):
    opportunity_id = opportunity(
        app, home, status=status.value, application_deadline="2025-11-01", report_deadline=DEADLINE.isoformat()
    )
    assert plan(app, home, THREE_DAYS) == (2 if told else 0)
    if told:
        [mail, *_] = outbox(app, kind=KIND)
        assert mail.subject.startswith("Report deadline in 3 days")
        assert mail.dedup_key.startswith(f"{KIND}:{opportunity_id}:report:2026-03-25:3:")


# --- confidentiality --------------------------------------------------------------------------------------


def admitted(app, partnership, opportunity_id: int, today: date) -> set[int]:
    """The layer's own answer: everyone it admits to the opportunity (``admitted_memberships_clause``)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        record = db.session.get(FundingOpportunity, opportunity_id)
        stmt = select(Membership.id).where(admitted_memberships_clause(record, today))
        return set(db.session.scalars(stmt))


@pytest.mark.parametrize(
    ("level", "named", "board", "told"),
    [
        (Level.WORKSPACE, (), (), {"member", "coordinator"}),
        (Level.LEADERSHIP, (), (), {"coordinator"}),  # the owner is a member, not admitted
        (Level.LEADERSHIP, ("member",), (), {"member", "coordinator"}),  # ...unless named
        (Level.ADVISORY, (), ("member",), {"member"}),  # the board: its seated owner, not the coordinator
        (Level.ADVISORY, ("coordinator",), (), {"coordinator"}),
        (Level.PRIVATE, (), (), {"coordinator"}),  # the author (the coordinator who recorded it)
    ],
)
def test_only_people_admitted_to_the_opportunity_are_told(app, home, level, named, board, told):
    if board:
        seat_on_board(app, home, *board)
    access = [str(home.membership_ids[who]) for who in named]
    opportunity_id = opportunity(app, home, title="Anonymous donor", confidentiality=level.value, access=access)
    plan(app, home, TWO_WEEKS)
    assert {m.to_address for m in outbox(app, kind=KIND)} == emails(home, *told)
    candidates = {home.membership_ids["member"], home.membership_ids["coordinator"]}
    assert {home.membership_ids[who] for who in told} == candidates & admitted(
        app, home, opportunity_id, DEADLINE - timedelta(days=14)
    )
    if level != Level.WORKSPACE:  # a subject is what a locked phone shows
        assert all("Anonymous donor" not in m.subject for m in outbox(app, kind=KIND))


def test_an_expired_grant_admits_nobody(app, home):
    opportunity_id = opportunity(
        app, home, confidentiality=Level.LEADERSHIP.value, access=[str(home.membership_ids["member"])]
    )
    with app.app_context():
        from partnership_hub.confidentiality import ConfidentialGrant

        bind_tenant(db.session, home.id)
        db.session.execute(update(ConfidentialGrant).values(ends_on=date(2026, 3, 1)))
        db.session.commit()
    plan(app, home, TWO_WEEKS)
    assert {m.to_address for m in outbox(app, kind=KIND)} == emails(home, "coordinator")
    assert opportunity_id


# --- preferences ------------------------------------------------------------------------------------------


def test_each_person_is_told_as_they_chose(app, home):
    prefer(app, home, "member", email_off=KIND)  # the centre only
    prefer(app, home, "coordinator", app_off=KIND)  # email only
    opportunity(app, home)
    assert plan(app, home, TWO_WEEKS) == 2
    assert {to for to, _ in mailed(app)} == emails(home, "coordinator")
    assert [row[0] for row in centre(app, home)] == [home.membership_ids["member"]]
    # Either way each is told once: the repeated beat finds both, in the centre and in the outbox.
    with counting(app) as statements:
        assert plan(app, home, TWO_WEEKS + MINUTE) == 0
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")]


def test_someone_who_turned_both_off_is_told_nothing(app, home):
    prefer(app, home, "member", email_off=KIND, app_off=KIND)
    opportunity(app, home)
    assert plan(app, home, TWO_WEEKS) == 1
    assert {to for to, _ in mailed(app)} == emails(home, "coordinator")
    assert [row[0] for row in centre(app, home)] == [home.membership_ids["coordinator"]]


def test_the_beat_asks_the_funding_planner(app, home):
    opportunity(app, home)
    with app.app_context():
        notices.plan_every_partnership(TWO_WEEKS)
    assert {to for to, _ in mailed(app)} == emails(home, "member", "coordinator")


# --- cost -------------------------------------------------------------------------------------------------


def grow(app, partnership, size: int) -> None:
    """``size`` opportunities with deadlines over the coming weeks (every status), owned in turn by
    ``size // 10 + 1`` members, some above ``workspace``; and a second coordinator."""
    set_zone(app, partnership)
    add_member(app, partnership, create_user(app), Role.COORDINATOR, "coordinator2")
    owners = [add_member(app, partnership, create_user(app), Role.MEMBER, f"owner{n}") for n in range(size // 10 + 1)]
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        statuses = list(FundingStatus)
        levels = [Level.WORKSPACE, Level.WORKSPACE, Level.LEADERSHIP, Level.PRIVATE]
        db.session.execute(
            insert(FundingOpportunity),
            [
                {
                    "partnership_id": partnership.id,
                    "title": f"Opportunity {n}",
                    "source_type": "government_grant",
                    "status": statuses[n % len(statuses)],
                    "application_deadline": DEADLINE + timedelta(days=n % 20 - 5),
                    "report_deadline": DEADLINE + timedelta(days=n % 17),
                    "owner_membership_id": owners[n % len(owners)],
                    "author_membership_id": partnership.membership_ids["coordinator"],
                    "confidentiality": levels[n % len(levels)],
                }
                for n in range(size)
            ],
        )
        db.session.commit()


def test_planning_costs_the_same_for_a_small_and_a_large_pipeline(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 4)
    grow(app, large, 60)
    nothing_due = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    counts = {
        name: planned_with_count(app, p, funding_notices.plan, nothing_due)
        for name, p in (("small", small), ("large", large))
    }
    assert counts["small"] == counts["large"] == (0, counts["small"][1]), counts
    # The first run tells many; the repeated beat finds nobody left, at the same cost for both.
    first = {
        name: planned_with_count(app, p, funding_notices.plan, THREE_DAYS)[0]
        for name, p in (("small", small), ("large", large))
    }
    assert 0 < first["small"] < first["large"]
    again = {
        name: planned_with_count(app, p, funding_notices.plan, THREE_DAYS + MINUTE)
        for name, p in (("small", small), ("large", large))
    }
    assert again["small"] == again["large"] and again["small"][0] == 0, again
    assert again["small"][1] <= 3, again  # who is left to tell (+ on PostgreSQL: the binding, the outbox)
