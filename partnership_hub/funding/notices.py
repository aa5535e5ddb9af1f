"""Funding deadlines coming up (``funding_deadline``): the planning beat tells an opportunity's owner and
the coordinators — only those the confidentiality layer admits to it — ``OFFSETS`` days before a
deadline, each once, from ``notices.SEND_AT`` in the partnership's time zone (deadlines are the partnership's
dates). An application deadline counts while the application is still ahead (idea, researching,
applying: ``pipeline.OPEN``), a report deadline while the grant is held (awarded, reporting:
``pipeline.FUNDED``); nothing goes for a submitted, declined or closed opportunity.

A beat that was down catches up: the notice due now (the nearest offset whose morning has come) goes
out, an earlier one that was missed meanwhile does not, and nothing goes for a deadline already past.
A moved deadline is a new one (its date is in the deduplication key). Planning costs a fixed number of
statements per partnership, whatever the pipeline's size: ONE select of who is still to be told (index
ranges of the deadline indexes; only people the layer admits, ``admitted_clause``; people told already
left out by ``notices.told_clause``; capped at ``PAIRS_MAX``, the rest on the next beat), and only when
someone is, their choices (one more) and the notices' own writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, String, and_, case, literal, or_, select, union_all

from partnership_hub.confidentiality import Level, visibility_clause
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.funding.pipeline import FUNDED, OPEN
from partnership_hub.funding.pipeline_models import STATUS_LABELS, FundingOpportunity, FundingStatus
from partnership_hub.notifications import notices
from partnership_hub.notifications.services import open_outbox
from partnership_hub.workspaces.models import Membership, Role

KIND = "funding_deadline"
OFFSETS = (14, 3)  # days before a deadline, one notice each
PAIRS_MAX = 1000  # (deadline, person) pairs told per run; any beyond go on the next beat
APPLICATION, REPORT = "application", "report"
DEADLINES = {
    APPLICATION: (FundingOpportunity.application_deadline, OPEN),
    REPORT: (FundingOpportunity.report_deadline, FUNDED),
}
LABELS = {APPLICATION: "Application deadline", REPORT: "Report deadline"}


@dataclass(frozen=True)
class _EachMember:
    """Stands for "the membership of the outer query's row" where the confidentiality layer asks about one
    person: ``visibility_clause`` reads the role in Python and puts the id in its SQL, so with the id
    column (and one role at a time) it is the layer's own rule over (opportunity, membership) pairs."""

    role: Role
    id: Any  # Membership.id


def admitted_clause(roles: Iterable[Role], today: date) -> ColumnElement[bool]:
    """SQL over ``FundingOpportunity`` and ``Membership``: the membership has one of ``roles`` and may see
    the opportunity (``confidentiality.visibility_clause``, for each role)."""
    return or_(
        *(
            and_(
                Membership.role == role,
                visibility_clause(FundingOpportunity, cast(Membership, _EachMember(role, Membership.id)), today),
            )
            for role in sorted(roles)
        )
    )


def _pending(ctx: WorkspaceContext, now: datetime) -> list[Any]:
    """Every notice due now that its person has not had, with what it says: the owner and every
    coordinator admitted to each opportunity with a deadline from today to ``max(OFFSETS)`` days after the
    last morning. ONE statement (a ``UNION ALL`` of an index range per kind of deadline)."""
    today, morning = ctx.today(now), notices.last_morning(ctx.zone, now)
    roles = [Role(role) for role in notices.kind_of(KIND).roles or Role]
    parts = []
    for which, (deadline, statuses) in DEADLINES.items():
        # The nearest offset whose morning has come: 3 from the morning three days before, else 14.
        offset = case(*((deadline <= morning + timedelta(days=days), days) for days in sorted(OFFSETS)))
        stmt = (
            select(
                FundingOpportunity.id.label("opportunity_id"),
                FundingOpportunity.title,
                FundingOpportunity.funder,
                FundingOpportunity.status,
                FundingOpportunity.confidentiality,
                literal(which, String).label("which"),
                deadline.label("deadline"),
                offset.label("offset"),
                Membership.id.label("membership_id"),
            )
            .join(
                Membership,
                or_(Membership.id == FundingOpportunity.owner_membership_id, Membership.role == Role.COORDINATOR),
            )
            .where(
                FundingOpportunity.status.in_(statuses),
                deadline >= today,
                deadline <= morning + timedelta(days=max(OFFSETS)),
                admitted_clause(roles, today),
                notices.untold_clause(KIND, Membership.id, FundingOpportunity.id, which, deadline, offset),
            )
        )
        parts.append(scoped(stmt))
    everything = union_all(*parts).subquery()
    stmt = select(everything).order_by(everything.c.deadline, everything.c.opportunity_id, everything.c.membership_id)
    return list(db.session.execute(stmt.limit(PAIRS_MAX)))


def plan(ctx: WorkspaceContext, now: datetime) -> int:
    """The funding area's ``notice_planner``: tell the owner and the coordinators admitted to each
    opportunity of the deadline notices due now. Returns how many people were told."""
    # The beat is delivery work: ``told_clause`` reads the outbox too (row-level security on PostgreSQL
    # shows it only to delivery work), so someone who takes the notice by email alone is not asked again.
    open_outbox()
    pending = _pending(ctx, now)
    if not pending:
        return 0
    people = {p.membership_id: p for p in notices.recipients(ctx, KIND, sorted({r.membership_id for r in pending}))}
    groups: dict[tuple[Any, ...], list[notices.Recipient]] = defaultdict(list)
    for row in pending:
        if (person := people.get(row.membership_id)) is not None:
            groups[tuple(row)[:-1]].append(person)
    today = ctx.today(now)
    return sum(_tell(ctx, Deadline(*key), group, today) for key, group in groups.items())


@dataclass(frozen=True)
class Deadline:
    """One notice: an opportunity's deadline at one offset (the columns of ``_pending`` but the person)."""

    opportunity_id: int
    title: str
    funder: str
    status: FundingStatus
    confidentiality: Level
    which: str
    on: date
    offset: int


def _in_days(days: int) -> str:
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def _tell(ctx: WorkspaceContext, deadline: Deadline, people: list[notices.Recipient], today: date) -> int:
    label = LABELS[deadline.which]
    when = _in_days((deadline.on - today).days)
    # The title goes in the subject only when everyone in the workspace may read it: a subject is what a
    # locked phone shows.
    if deadline.confidentiality == Level.WORKSPACE:
        subject = f"{label} {when}: {deadline.title}"
    else:
        subject = f"{label} {when} ({deadline.on:%-d %b %Y})"
    return notices.notify(
        ctx,
        KIND,
        people,
        key=f"{deadline.opportunity_id}:{deadline.which}:{deadline.on.isoformat()}:{deadline.offset}",
        subject=subject,
        title=f"{label} on {deadline.on:%-d %b %Y}: {deadline.title}",
        endpoint="funding.opportunity",
        args={"funding_opportunity_id": deadline.opportunity_id},
        template="funding_deadline",
        opportunity_title=deadline.title,
        funder=deadline.funder,
        status_label=STATUS_LABELS[deadline.status],
        deadline_label=label,
        deadline=deadline.on,
        when=when,
    )
