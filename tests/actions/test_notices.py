"""Action items due soon and overdue (issue #15, "other notices"): told to the assignee who may see the item,
once per item and due date, from 08:00 in their time zone (a frozen ``now`` across zones and a DST change),
never for items done or cancelled, as each person chose (email / notification centre), and planned in a
fixed number of statements whatever the size of the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from partnership_hub.accounts.models import User
from partnership_hub.actions import notices as action_notices
from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.confidentiality import ConfidentialGrant, is_granted, may_see
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.workspaces.models import Membership, Partnership, Role
from tests.actions.conftest import add_goal, add_items
from tests.budget import planned_with_count
from tests.factories import add_member, create_partnership, create_user, outbox, seat_on_board

DENVER = "America/Denver"  # daylight time from Sunday 8 March 2026 (UTC-7; UTC-6 before)
# Due Wednesday 11 March 2026: "due soon" from Sunday 8 March (the day clocks change), 08:00 MDT = 14:00 UTC
# (08:00 MST, an hour later in UTC, would be the mistake of a fixed offset).
DUE = date(2026, 3, 11)
SOON_AT = datetime(2026, 3, 8, 14, 0, tzinfo=UTC)
# "Overdue" on Thursday 12 March, 08:00 MDT.
OVERDUE_AT = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def set_zone(app, partnership, zone: str = DENVER) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def set_user_zone(app, user_id: int, zone: str) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(time_zone=zone))
        db.session.commit()


def prefer(app, partnership, membership_id: int, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=membership_id, **fields))
        db.session.commit()


def plan(app, partnership, now: datetime) -> int:
    """The planner for ``partnership`` at ``now``, committed, as the beat runs it."""
    with app.app_context():
        told = action_notices.plan(context_for(partnership.id), now)
        db.session.commit()
        return told


def centre(app, partnership, kind: str | None = None) -> list[tuple[int, str, str]]:
    """The partnership's notification centre entries: (membership id, kind, url)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.kind, Notification.url).order_by(Notification.id)
        if kind:
            stmt = stmt.where(Notification.kind == kind)
        return [tuple(row) for row in db.session.execute(stmt)]


@pytest.fixture
def home(app, world):
    set_zone(app, world.home)
    return world.home


def item(app, partnership, who: str = "member", due: date = DUE, **fields) -> int:
    [item_id] = add_items(
        app, partnership, {"assignee_membership_id": partnership.membership_ids[who], "due_date": due, **fields}
    )
    return item_id


# --- who, once, when ---------------------------------------------------------------------------------


def test_due_soon_goes_to_the_assignee_once_from_eight_in_the_morning_after_a_dst_change(app, home):
    item_id = item(app, home, title="Draft the referral protocol")
    assert plan(app, home, SOON_AT - MINUTE) == 0  # 07:59 MDT
    assert plan(app, home, SOON_AT - timedelta(days=1)) == 0  # four days ahead: not yet "soon"
    assert outbox(app) == [] and centre(app, home) == []

    assert plan(app, home, SOON_AT) == 1
    [mail] = outbox(app)
    assert mail.kind == "action_due_soon" and mail.to_address == home.members["member"].email
    assert mail.subject == "Due in 3 days: Draft the referral protocol"
    assert f"/p/{home.slug}/actions/{item_id}" in mail.text_body and "Wednesday 11 March 2026" in mail.text_body
    assert "Choose which emails you get" in mail.text_body and "List-Unsubscribe" in (mail.headers or "")
    assert mail.dedup_key == f"action_due_soon:{item_id}:2026-03-11:{home.membership_ids['member']}"
    assert centre(app, home) == [
        (home.membership_ids["member"], "action_due_soon", f"/p/{home.slug}/actions/{item_id}")
    ]

    # The beat again, and the next days until the due date: nothing twice.
    for later in (SOON_AT, SOON_AT + MINUTE, SOON_AT + timedelta(days=1), SOON_AT + timedelta(days=3)):
        assert plan(app, home, later) == 0
    assert len(outbox(app)) == 1 and len(centre(app, home)) == 1


def test_a_new_due_date_is_told_again(app, home):
    item_id = item(app, home)
    assert plan(app, home, SOON_AT) == 1
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.execute(update(ActionItem).where(ActionItem.id == item_id).values(due_date=DUE + timedelta(days=1)))
        db.session.commit()
    assert plan(app, home, SOON_AT + timedelta(days=1)) == 1
    assert [m.subject for m in outbox(app)] == ["Due in 3 days: Action 0", "Due in 3 days: Action 0"]
    assert len({m.dedup_key for m in outbox(app)}) == 2


def test_an_item_given_a_near_date_is_told_at_once_and_one_due_today_says_so(app, home):
    item(app, home, due=date(2026, 3, 9))
    item(app, home, who="coordinator", due=date(2026, 3, 8))
    assert plan(app, home, SOON_AT + timedelta(hours=6)) == 2
    subjects = {m.to_address: m.subject for m in outbox(app)}
    assert subjects == {
        home.members["member"].email: "Due tomorrow: Action 0",
        home.members["coordinator"].email: "Due today: Action 0",
    }


def test_overdue_once_the_morning_after_the_due_date(app, home):
    item_id = item(app, home)
    plan(app, home, SOON_AT)  # the "due soon" notice
    assert plan(app, home, datetime(2026, 3, 11, 20, 0, tzinfo=UTC)) == 0  # its due day: not overdue yet
    assert plan(app, home, OVERDUE_AT - MINUTE) == 0
    assert plan(app, home, OVERDUE_AT) == 1
    assert plan(app, home, OVERDUE_AT + timedelta(days=1)) == 0
    [overdue] = outbox(app, kind="action_overdue")
    assert overdue.subject == "Overdue: Action 0" and "was due on Wednesday 11 March 2026" in overdue.text_body
    assert overdue.dedup_key == f"action_overdue:{item_id}:2026-03-11:{home.membership_ids['member']}"
    assert [kind for _, kind, _ in centre(app, home)] == ["action_due_soon", "action_overdue"]


def test_a_beat_that_was_down_catches_up_but_long_overdue_items_are_left_alone(app, home):
    recent = item(app, home, due=date(2026, 3, 10))  # due two days before OVERDUE_AT's day
    item(app, home, due=date(2026, 3, 1))  # long overdue, never told: not now either
    assert plan(app, home, OVERDUE_AT) == 1
    [mail] = outbox(app)
    assert mail.kind == "action_overdue" and mail.dedup_key.startswith(f"action_overdue:{recent}:")


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.CANCELLED])
def test_nothing_for_finished_items_or_items_assigned_to_nobody(app, home, status):
    item(app, home, status=status)
    add_items(app, home, {"due_date": DUE})  # unassigned
    assert plan(app, home, SOON_AT) == 0 and plan(app, home, OVERDUE_AT) == 0
    assert outbox(app) == [] and centre(app, home) == []


def test_eight_in_the_morning_is_the_assignees_own(app, home):
    """The member keeps Tokyo time (their account), the coordinator the partnership's Denver time: at
    23:00 UTC on 8 March it is 08:00 on 9 March in Tokyo — three days before their item's due date — while
    in Denver it is still the afternoon of 8 March, four days before the coordinator's."""
    set_user_zone(app, home.members["member"].id, "Asia/Tokyo")
    due = date(2026, 3, 12)
    item(app, home, due=due, title="Tokyo")
    item(app, home, who="coordinator", due=due, title="Denver")
    tokyo_eight = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    assert plan(app, home, tokyo_eight - MINUTE) == 0
    assert plan(app, home, tokyo_eight) == 1
    assert [m.to_address for m in outbox(app)] == [home.members["member"].email]
    # Their chosen zone on the preferences page overrides the account's: Honolulu's 08:00 on 9 March.
    prefer(app, home, home.membership_ids["coordinator"], time_zone="Pacific/Honolulu")
    assert plan(app, home, datetime(2026, 3, 9, 17, 59, tzinfo=UTC)) == 0
    assert plan(app, home, datetime(2026, 3, 9, 18, 0, tzinfo=UTC)) == 1
    assert outbox(app)[-1].to_address == home.members["coordinator"].email


# --- what each person chose --------------------------------------------------------------------------


def test_email_off_means_a_centre_entry_only_and_app_off_an_email_only(app, home):
    ids = home.membership_ids
    prefer(app, home, ids["member"], email_off="action_overdue action_due_soon")
    prefer(app, home, ids["coordinator"], app_off="action_due_soon")
    item(app, home, title="Member's")
    item(app, home, who="coordinator", title="Coordinator's")
    assert plan(app, home, SOON_AT) == 2
    assert [m.to_address for m in outbox(app)] == [home.members["coordinator"].email]
    assert [(who, kind) for who, kind, _ in centre(app, home)] == [(ids["member"], "action_due_soon")]
    # Told either way means told: the next beat adds nothing.
    assert plan(app, home, SOON_AT + MINUTE) == 0
    assert len(outbox(app)) == 1 and len(centre(app, home)) == 1


def test_both_off_tells_nobody_and_costs_nothing_more(app, home):
    prefer(app, home, home.membership_ids["member"], email_off="action_due_soon", app_off="action_due_soon")
    item(app, home)
    assert plan(app, home, SOON_AT) == 0
    assert outbox(app) == [] and centre(app, home) == []


# --- only items the assignee may see -----------------------------------------------------------------


def test_only_assignees_who_may_see_the_item_are_told_as_the_confidentiality_rule_says(app, home):
    """Items under a goal at every level, with and without a grant, assigned to each role: told exactly when
    ``confidentiality.may_see`` admits the assignee to the goal (the SQL form ``admits`` agrees with it),
    observers never."""
    seat_on_board(app, home, "survivor_advisor", chair="survivor_advisor")
    ids = home.membership_ids
    roles = ("coordinator", "member", "survivor_advisor", "observer")
    expected: set[tuple[int, int]] = set()
    goals: list[int] = []
    for level in ("workspace", "leadership", "advisory", "private"):
        for granted in (False, True):
            goal_id = add_goal(app, home, f"{level} {granted}", level, author_membership_id=ids["coordinator"])
            goals.append(goal_id)
            if granted:
                with app.app_context():
                    bind_tenant(db.session, home.id)
                    db.session.add(
                        ConfidentialGrant(record_kind="goal", record_id=goal_id, membership_id=ids["member"])
                    )
                    db.session.commit()
            for role in roles:
                [item_id] = add_items(
                    app, home, {"goal_id": goal_id, "assignee_membership_id": ids[role], "due_date": DUE}
                )
                with app.app_context():
                    context_for(home.id)
                    membership = db.session.get(Membership, ids[role])
                    goal = db.session.get(Goal, goal_id)
                    admitted = may_see(membership, goal, granted=is_granted(goal, membership, date(2026, 3, 8)))
                if admitted and membership.role != Role.OBSERVER:
                    expected.add((item_id, ids[role]))
    plan(app, home, SOON_AT)
    with app.app_context():
        bind_tenant(db.session, home.id)
        told = {
            (int(key.split(":")[1]), membership_id)
            for membership_id, key in db.session.execute(select(Notification.membership_id, Notification.dedup_key))
        }
    assert told == expected
    # Sanity: the rule admits some and refuses some of each level above workspace.
    assert len(expected) == 3 + 1 + 1 + 1 + 3 + 2 + 2 + 2


def test_an_item_from_an_advisory_board_meeting_is_told_only_to_an_assignee_admitted_to_the_meeting(app, home):
    from tests.meetings.conftest import schedule

    seat_on_board(app, home, "survivor_advisor", chair="survivor_advisor")
    meeting_id = schedule(
        app,
        home,
        now=datetime(2026, 3, 1, tzinfo=UTC),
        who="survivor_advisor",
        kind="advisory_board",
        date="2026-03-05",
    )
    for who in ("member", "survivor_advisor"):
        item(app, home, who=who, meeting_id=meeting_id)
    assert plan(app, home, SOON_AT) == 1
    assert [m.to_address for m in outbox(app)] == [home.members["survivor_advisor"].email]


def test_another_partnerships_items_are_its_own(app, home, world):
    set_zone(app, world.other)
    add_items(app, world.other, {"assignee_membership_id": world.other.membership_ids["coordinator"], "due_date": DUE})
    item(app, home)
    assert plan(app, home, SOON_AT) == 1
    assert [m.to_address for m in outbox(app)] == [home.members["member"].email]
    assert plan(app, world.other, SOON_AT) == 1
    assert outbox(app)[-1].to_address == world.other.members["coordinator"].email


def test_the_beat_runs_the_planner(app, home):
    item(app, home)
    with app.app_context():
        notices.plan_every_partnership(SOON_AT)  # every area's planner (the digest's too)
    assert [m.to_address for m in outbox(app, kind="action_due_soon")] == [home.members["member"].email]


# --- cost -------------------------------------------------------------------------------------------


def grow(app, partnership, size: int) -> None:
    """``size`` items that call for no notice now: done, unassigned, long overdue, far ahead, under a goal
    their assignee may not see, and items due soon that were told already (by email only: the coordinator
    keeps these notices out of the centre, so only the outbox says they were told)."""
    member = add_member(app, partnership, create_user(app), Role.MEMBER)
    secret = add_goal(app, partnership, "Leadership only", "leadership")
    coordinator = partnership.membership_ids["coordinator"]
    prefer(app, partnership, coordinator, app_off="action_due_soon")
    shapes = [
        {"assignee_membership_id": member, "due_date": DUE, "status": ActionStatus.DONE},
        {"due_date": DUE},
        {"assignee_membership_id": member, "due_date": date(2026, 1, 1)},
        {"assignee_membership_id": coordinator, "due_date": date(2026, 6, 1)},
        {"assignee_membership_id": member, "due_date": DUE, "goal_id": secret},
        {"assignee_membership_id": coordinator, "due_date": DUE},
    ]
    add_items(app, partnership, *(shapes[n % len(shapes)] for n in range(size)))
    plan(app, partnership, SOON_AT)  # tells the last shape's items


def test_a_plan_costs_the_same_for_a_small_and_a_large_action_plan(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership in (small, large):
        set_zone(app, partnership)
    grow(app, small, 6)
    grow(app, large, 600)
    # Nothing new: the one read (and, on PostgreSQL, the tenant binding and opening the outbox to the beat),
    # whatever the size.
    idle = planned_with_count(app, small, action_notices.plan, SOON_AT + MINUTE)
    assert (
        idle == planned_with_count(app, large, action_notices.plan, SOON_AT + MINUTE) and idle[0] == 0 and idle[1] <= 3
    ), idle
    # One item newly due in each: the same statements (the read, the choices, one notice's writes).
    for partnership in (small, large):
        add_items(
            app, partnership, {"assignee_membership_id": partnership.membership_ids["coordinator"], "due_date": DUE}
        )
    small_cost, large_cost = (
        planned_with_count(app, small, action_notices.plan, SOON_AT + MINUTE),
        planned_with_count(app, large, action_notices.plan, SOON_AT + MINUTE),
    )
    assert small_cost == large_cost and small_cost[0] == 1, (small_cost, large_cost)
