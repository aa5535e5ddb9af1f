"""What the meetings area adds to the digests (``Area.digest``): the meetings of the coming period, each
with its agenda (published or not), its answers and, for each reader invited, their own answer; and the
recent changes to meetings, merged per person (``notifications.digest``). Three statements whatever the
number of meetings and readers: the meetings (answers counted in correlated subqueries), the first agenda
items of each, and the readers' own invitations."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, or_, select

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    InviteScope,
    Meeting,
    MeetingInvitee,
    MeetingStatus,
    Rsvp,
)
from partnership_hub.notifications.digest import EVERYONE, DigestBuild

SECTION = "meetings"
MEETINGS_MAX = 100  # meetings in one partnership's digests (the coming week's, and those changed lately)
AGENDA_SHOWN = 8  # agenda items listed under a meeting ("and N more")
ANSWER_LABELS = {Rsvp.YES: "Yes", Rsvp.NO: "No", Rsvp.MAYBE: "Maybe"}

# What a change to a meeting says in a digest; actions not listed are left out (an RSVP is counted, not told).
_AGENDA = "changed the agenda"
PHRASES = {
    "meeting.scheduled": "scheduled the meeting",
    "meeting.updated": "changed the meeting",
    "meeting.cancelled": "cancelled the meeting",
    "meeting.invitations_changed": "changed who is invited",
    "meeting.attendance_recorded": "recorded attendance",
    "meeting.minutes_saved": "wrote the minutes",
    "meeting.minutes_approved": "approved the minutes",
    "meeting.minutes_published": "published the minutes",
    "meeting.decision_recorded": "recorded a decision",
    "agenda.item_added": _AGENDA,
    "agenda.item_proposed": "proposed an agenda item",
    "agenda.item_updated": _AGENDA,
    "agenda.item_removed": _AGENDA,
    "agenda.item_moved": _AGENDA,
    "agenda.item_accepted": _AGENDA,
    "agenda.item_declined": _AGENDA,
    "agenda.outcome_set": _AGENDA,
    "agenda.carried_over": _AGENDA,
    "agenda.comment_added": "commented on the agenda",
    "agenda.published": "published the agenda",
}


def _answers(value: Rsvp) -> Any:
    return (
        select(func.count(MeetingInvitee.id))
        .where(MeetingInvitee.meeting_id == Meeting.id, MeetingInvitee.rsvp == value)
        .correlate(Meeting)
        .scalar_subquery()
    )


def contribute(build: DigestBuild) -> None:
    """Meetings starting in the coming period (scheduled) and meetings changed in the period."""
    build.section(SECTION, "Meetings", order=10)
    changed: dict[int, list[Any]] = defaultdict(list)
    for change in build.changes():
        if change.target_type == "meeting" and change.target_id is not None and change.action in PHRASES:
            changed[change.target_id].append(change)
    upcoming = and_(
        Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= build.now, Meeting.starts_at < build.until
    )
    stmt = (
        select(
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            Meeting.status,
            Meeting.confidentiality,
            Meeting.author_membership_id,
            Meeting.invite_scope,
            Meeting.agenda_published_at,
            Meeting.location,
            *(_answers(value).label(value.value) for value in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE, Rsvp.NONE)),
        )
        .where(or_(upcoming, Meeting.id.in_(sorted(changed))))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MEETINGS_MAX)
    )
    meetings = db.session.execute(scoped(stmt)).all()
    ids = [row.id for row in meetings]
    agendas = _agendas(ids)
    invited: dict[int, dict[int, Rsvp]] = defaultdict(dict)
    mine = select(MeetingInvitee.meeting_id, MeetingInvitee.membership_id, MeetingInvitee.rsvp).where(
        MeetingInvitee.meeting_id.in_(ids), MeetingInvitee.membership_id.in_(build.reader_ids)
    )
    for meeting_id, membership_id, rsvp in db.session.execute(scoped(mine)).tuples():
        if membership_id is not None:
            invited[meeting_id][membership_id] = Rsvp(rsvp)
    for row in meetings:
        _add_meeting(build, row, agendas.get(row.id, {}), invited[row.id], changed.get(row.id, []))


def _agendas(ids: list[int]) -> dict[int, dict[AgendaItemStatus, tuple[list[str], int]]]:
    """meeting id -> status -> (the first ``AGENDA_SHOWN`` titles in order, how many there are): ONE
    statement (a window per meeting and status)."""
    per = (AgendaItem.meeting_id, AgendaItem.status)
    numbered = (
        select(
            AgendaItem.meeting_id,
            AgendaItem.status,
            AgendaItem.title,
            func.row_number().over(partition_by=per, order_by=(AgendaItem.position, AgendaItem.id)).label("n"),
            func.count(AgendaItem.id).over(partition_by=per).label("total"),
        )
        .where(AgendaItem.meeting_id.in_(ids))
        .subquery()
    )
    stmt = (
        select(numbered.c.meeting_id, numbered.c.status, numbered.c.title, numbered.c.total)
        .where(numbered.c.n <= AGENDA_SHOWN)
        .order_by(numbered.c.meeting_id, numbered.c.status, numbered.c.n)
    )
    found: dict[int, dict[AgendaItemStatus, tuple[list[str], int]]] = defaultdict(dict)
    for meeting_id, status, title, total in db.session.execute(scoped(stmt)).tuples():
        titles, _ = found[meeting_id].setdefault(AgendaItemStatus(status), ([], total))
        titles.append(title)
    return found


def _add_meeting(
    build: DigestBuild,
    row: Any,
    agenda: dict[AgendaItemStatus, tuple[list[str], int]],
    invited: dict[int, Rsvp],
    changes: list[Any],
) -> None:
    link = build.link("meetings.detail", meeting_id=row.id)
    upcoming = row.status == MeetingStatus.SCHEDULED and build.now <= row.starts_at < build.until
    everyone = InviteScope(row.invite_scope) == InviteScope.ALL
    group = build.group(
        ("meeting", row.id),
        SECTION,
        title=row.title,
        link=link,
        at=row.starts_at,
        detail=row.location,
        flag="Cancelled" if row.status == MeetingStatus.CANCELLED else "",
        seen=(build.seen(Meeting, row.id, row.confidentiality, row.author_membership_id),),
        concerns=EVERYONE if everyone else frozenset(invited),
        in_period=True,
        counts_as_meeting=upcoming,
    )
    for change in changes:
        group.change(change.actor_user_id, PHRASES[change.action], change.at)
    if not upcoming:
        return
    titles, total = agenda.get(AgendaItemStatus.ACCEPTED, ([], 0))
    if row.agenda_published_at is None:
        group.line("Agenda not published yet", link=link, concerns=(), needs_you=bool(titles))
    for number, title in enumerate(titles, start=1):
        group.line(f"{number}. {title}")
    if total > len(titles):
        group.line(
            f"and {total - len(titles)} more agenda items", link=build.link("meetings.agenda_page", meeting_id=row.id)
        )
    if not titles:
        group.line("No agenda items yet", link=link, concerns=())
    _, proposed = agenda.get(AgendaItemStatus.PROPOSED, ([], 0))
    if proposed:
        plural = "s" if proposed != 1 else ""
        group.line(f"{proposed} proposed agenda item{plural} to review", link=link, concerns=(), needs_you=True)
    answers = [f"{row.yes} yes", f"{row.no} no", f"{row.maybe} maybe"]
    if not everyone:
        answers.append(f"{row.none} not answered")
    group.line("Answers: " + ", ".join(answers), concerns=())
    attendance = build.link("meetings.detail", anchor="attendance", meeting_id=row.id)
    for reader in build.readers:
        if not everyone and reader.membership_id not in invited:
            continue
        answer = invited.get(reader.membership_id, Rsvp.NONE)
        label = ANSWER_LABELS.get(answer)
        group.line(
            f"Your answer: {label}" if label else "You have not answered yet",
            link=attendance,
            concerns=(reader.membership_id,),
            coordinators=False,
            needs_you=label is None,
        )
