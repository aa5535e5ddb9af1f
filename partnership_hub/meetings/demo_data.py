"""Demo meetings for the Front Range partnership: the monthly full partnership meeting (second Tuesday,
10:00, three past occurrences and the coming ones), a one-off planning team meeting next week and a
survivor advisory board meeting (advisory level). Dates are relative to the day the demo is seeded.

The past occurrences have attendance recorded, whole-meeting and per-item minutes (Markdown), decisions
and, on the latest, two action items from the meeting; the next occurrence has a published agenda of
five items and some RSVPs. Those rows are written with the models directly (the sections' services
check things a seed does not need, such as who may record what and when)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import services
from partnership_hub.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaOutcome,
    Decision,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MinutesRevision,
    Rsvp,
)
from partnership_hub.members.models import Organization


def second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def _months_back(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: a recurring monthly meeting with its history and next agenda, a
    planning team meeting and an advisory board meeting; the partnership means to meet every 4 weeks."""
    today = ctx.today()
    ids = _membership_ids(ctx, people)
    # Three second Tuesdays before today: the series starts at the earliest.
    year, month = _months_back(today, 3)
    first = second_tuesday(year, month)
    if second_tuesday(today.year, today.month) < today:  # this month's is past too: start a month later
        year, month = _months_back(today, 2)
        first = second_tuesday(year, month)
    monthly = services.schedule_meeting(
        ctx,
        services.ScheduleRequest(
            "Full partnership meeting",
            MeetingKind.FULL_PARTNERSHIP,
            first,
            time(10, 0),
            time(11, 30),
            location="Denver Central Library, Conference Room B",
            online_url="https://meet.example.org/front-range-partnership",
            facilitator_membership_id=ids.get("luis.ortega"),
            note_taker_membership_id=ids.get("priya.raman"),
            repeat="monthly_by_weekday",
        ).data(),
    )
    services.schedule_meeting(
        ctx,
        services.ScheduleRequest(
            "Planning team: spring training",
            MeetingKind.PLANNING_TEAM,
            today + timedelta(days=6),
            time(14, 0),
            time(15, 0),
            online_url="https://meet.example.org/front-range-planning",
            facilitator_membership_id=ids.get("coordinator"),
            note_taker_membership_id=ids.get("marcus.bell"),
        ).data(),
    )
    board = services.schedule_meeting(
        ctx,
        services.ScheduleRequest(
            "Survivor advisory board",
            MeetingKind.ADVISORY_BOARD,  # advisory level by default
            today + timedelta(days=9),
            time(17, 30),
            time(19, 0),
            location="Voices of Freedom Colorado, community room",
            facilitator_membership_id=ids.get("amara.okafor"),
        ).data(),
    )
    _add_agenda(
        board,
        [
            ("Survivor engagement in the spring training", AgendaItemKind.DISCUSSION, 30, "amara.okafor"),
            ("Compensation for advisors' time", AgendaItemKind.DECISION, 20, "jordan.reyes"),
        ],
        ids,
        published=True,
    )
    # The board's own people: the coordinators are not on it (the advisory area seats it).
    _add_invitees(board, {"amara.okafor": Rsvp.YES, "jordan.reyes": Rsvp.YES, "noor.haddad": Rsvp.MAYBE}, ids, {})
    ctx.partnership.meetings_every_weeks = 4
    _monthly_history(ctx, monthly.series_id, ids)


def _monthly_history(ctx: WorkspaceContext, series_id: int | None, ids: dict[str, int]) -> None:
    """The monthly series' past: attendance, minutes, decisions, action items; and its next agenda."""
    now = utcnow()
    occurrences = list(
        db.session.scalars(scoped(select(Meeting).where(Meeting.series_id == series_id).order_by(Meeting.starts_at)))
    )
    past = [meeting for meeting in occurrences if meeting.starts_at < now]
    upcoming = [meeting for meeting in occurrences if meeting.starts_at >= now]
    organizations = dict(db.session.execute(scoped(select(Organization.name, Organization.id))).tuples().all())
    orgs = {
        "priya.raman": organizations.get("Front Range Safe Harbor"),
        "marcus.bell": organizations.get("Denver Metro Police – Human Trafficking Unit"),
    }
    came = [
        {"coordinator": True, "luis.ortega": True, "priya.raman": True, "marcus.bell": False, "amara.okafor": True},
        {"coordinator": True, "luis.ortega": True, "priya.raman": False, "marcus.bell": True, "amara.okafor": False},
        {"coordinator": True, "luis.ortega": True, "priya.raman": True, "marcus.bell": True, "amara.okafor": True},
    ]
    for number, meeting in enumerate(past[-3:]):
        attended = came[number % len(came)]
        _add_invitees(
            meeting,
            {key: Rsvp.YES if present else Rsvp.NO for key, present in attended.items()},
            ids,
            orgs,
            attended=attended,
        )
        items = _add_agenda(
            meeting,
            [
                ("Welcome and introductions", AgendaItemKind.INFORMATION, 10, "luis.ortega"),
                ("Referral protocol: where we are", AgendaItemKind.DISCUSSION, 30, "priya.raman"),
                ("Spring training dates", AgendaItemKind.DECISION, 20, "coordinator"),
            ],
            ids,
            published=True,
            minutes=[
                "Everyone introduced themselves; two new members from the **county health department** joined.",
                "Safe Harbor shared the draft protocol.\n\n- Law enforcement asked for a 24-hour contact\n"
                "- Advocates asked that survivors choose who calls them back",
                "The group weighed April against May; most organizations can release staff in April.",
            ],
        )
        meeting.agenda_published_at = meeting.starts_at - timedelta(days=7)
        meeting.minutes_md = (
            f"## {meeting.title}\n\nFacilitated by Luis; minutes by Priya. "
            "We went through the whole agenda and finished on time.\n\n"
            "**Next steps** are in the action plan."
        )
        _revision(meeting, None, meeting.minutes_md, ids.get("priya.raman"), meeting.ends_at + timedelta(days=1))
        meeting.minutes_published_at = meeting.ends_at + timedelta(days=2)
        if meeting is not past[-1]:  # approved at the next meeting
            meeting.minutes_approved_at = meeting.ends_at + timedelta(days=28)
            meeting.minutes_approved_by_membership_id = ids.get("coordinator")
        decision = Decision(
            meeting_id=meeting.id,
            agenda_item_id=items[2].id,
            text="Hold the spring training in April, hosted by Safe Harbor.",
            recorded_by_membership_id=ids.get("priya.raman"),
            created_at=meeting.ends_at,
        )
        db.session.add(decision)
    if past:
        latest = past[-1]
        latest_items = list(
            db.session.scalars(
                scoped(select(AgendaItem).where(AgendaItem.meeting_id == latest.id).order_by("position"))
            )
        )
        db.session.add_all(
            [
                Decision(
                    meeting_id=latest.id,
                    agenda_item_id=latest_items[1].id if len(latest_items) > 1 else None,
                    text="Adopt the referral protocol's 24-hour contact rule, with survivors choosing the caller.",
                    recorded_by_membership_id=ids.get("priya.raman"),
                    created_at=latest.ends_at,
                ),
                ActionItem(
                    title="Circulate the revised referral protocol",
                    description="From the full partnership meeting: send the revised draft to every member.",
                    meeting_id=latest.id,
                    agenda_item_id=latest_items[1].id if len(latest_items) > 1 else None,
                    assignee_membership_id=ids.get("priya.raman"),
                    due_date=ctx.today() + timedelta(days=5),
                ),
                ActionItem(
                    title="Book the training venue for April",
                    description="From the full partnership meeting: hold two dates with Safe Harbor.",
                    meeting_id=latest.id,
                    agenda_item_id=latest_items[2].id if len(latest_items) > 2 else None,
                    assignee_membership_id=ids.get("marcus.bell"),
                    due_date=ctx.today() + timedelta(days=12),
                ),
            ]
        )
    if upcoming:
        following = upcoming[0]
        _add_agenda(
            following,
            [
                ("Approve last meeting's minutes", AgendaItemKind.DECISION, 5, "luis.ortega"),
                ("Referral protocol: the revised draft", AgendaItemKind.DISCUSSION, 25, "priya.raman"),
                ("Survivor engagement: the advisory board's advice", AgendaItemKind.DISCUSSION, 20, "amara.okafor"),
                ("Spring training: venue and speakers", AgendaItemKind.DECISION, 20, "marcus.bell"),
                ("Announcements from member organizations", AgendaItemKind.INFORMATION, 10, "coordinator"),
            ],
            ids,
            published=True,
        )
        following.agenda_published_at = now
        _add_invitees(
            following, {"coordinator": Rsvp.YES, "priya.raman": Rsvp.YES, "marcus.bell": Rsvp.MAYBE}, ids, orgs
        )


def _add_agenda(
    meeting: Meeting,
    rows: list[tuple[str, AgendaItemKind, int, str]],
    ids: dict[str, int],
    *,
    published: bool,
    minutes: list[str] | None = None,
) -> list[AgendaItem]:
    items = [
        AgendaItem(
            meeting_id=meeting.id,
            position=position,
            title=title,
            kind=kind,
            minutes_allotted=allotted,
            presenter_membership_id=ids.get(presenter),
            outcome=AgendaOutcome.DISCUSSED if minutes else None,
            minutes_md=(minutes or [""] * len(rows))[position - 1],
        )
        for position, (title, kind, allotted, presenter) in enumerate(rows, start=1)
    ]
    db.session.add_all(items)
    db.session.flush()
    for item in items:
        if item.minutes_md:
            _revision(meeting, item.id, item.minutes_md, ids.get("priya.raman"), meeting.ends_at)
    if published and meeting.agenda_published_at is None:
        meeting.agenda_published_at = utcnow()
    return items


def _revision(meeting: Meeting, item_id: int | None, body: str, author: int | None, at: datetime) -> None:
    db.session.add(
        MinutesRevision(
            meeting_id=meeting.id, agenda_item_id=item_id, body_md=body, author_membership_id=author, created_at=at
        )
    )


def _add_invitees(
    meeting: Meeting,
    answers: dict[str, Rsvp],
    ids: dict[str, int],
    orgs: dict[str, int | None],
    attended: dict[str, bool] | None = None,
) -> None:
    db.session.add_all(
        MeetingInvitee(
            meeting_id=meeting.id,
            membership_id=ids[key],
            organization_id=orgs.get(key) if attended is not None else None,
            rsvp=rsvp,
            rsvp_at=meeting.starts_at - timedelta(days=3),
            attended=None if attended is None else attended.get(key, False),
        )
        for key, rsvp in answers.items()
        if key in ids
    )


def _membership_ids(ctx: WorkspaceContext, people: dict) -> dict[str, int]:
    from partnership_hub.workspaces.models import Membership

    by_user = {user.id: local for local, user in people.items()}
    rows = db.session.execute(scoped(select(Membership.user_id, Membership.id))).tuples().all()
    return {by_user[user_id]: membership_id for user_id, membership_id in rows if user_id in by_user}
