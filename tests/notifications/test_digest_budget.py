"""Digests are built with a fixed number of statements per partnership: the same for a partnership with ten
times the data and for ten people due instead of one (tests/budget.py counts them). Queueing then costs
what ``queue_email`` costs per message, and nothing per record."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from partnership_hub.confidentiality import ConfidentialGrant, Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding.pipeline_models import FundingOpportunity, FundingStatus
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement
from partnership_hub.governance.disputes_models import Dispute, DisputeKind
from partnership_hub.meetings.models import AgendaItem, AgendaItemStatus, MeetingInvitee, Rsvp
from partnership_hub.members.models import Organization
from partnership_hub.notifications import digest, services
from partnership_hub.workspaces.models import Invitation, Role
from tests.budget import counting
from tests.factories import add_member, create_partnership, create_user
from tests.notifications.digest_helpers import a_tuesday_ahead, action, audit, goal, meeting, prefer

_seq = itertools.count(1)


def seed(app, partnership, scale: int, now) -> None:
    """``scale`` of everything a digest shows: meetings with agendas and answers, stalled goals with
    overdue items, items from meetings, disputes, agreements, deadlines, invitations, organizations,
    changes and grants."""
    coordinator = partnership.membership_ids["coordinator"]
    user = partnership.members["coordinator"].id
    today = now.date()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        for k in range(scale):
            n = next(_seq)
            level = Level.LEADERSHIP if k % 2 else Level.WORKSPACE
            first = meeting(f"Meeting {n}", now + timedelta(days=1, hours=k), level)
            stalled = goal(f"Goal {n}", now - timedelta(days=90), level)
            db.session.add_all([first, stalled])
            db.session.flush()
            meeting_id, goal_id = first.id, stalled.id
            db.session.add_all(
                [
                    *(AgendaItem(meeting_id=meeting_id, position=p, title=f"Item {n}.{p}") for p in range(3)),
                    AgendaItem(meeting_id=meeting_id, position=9, title="Proposal", status=AgendaItemStatus.PROPOSED),
                    MeetingInvitee(meeting_id=meeting_id, membership_id=coordinator, rsvp=Rsvp.YES),
                    action(
                        f"Overdue {n}", today - timedelta(days=3), goal_id=goal_id, assignee_membership_id=coordinator
                    ),
                    action(f"Due {n}", today + timedelta(days=2), goal_id=goal_id),
                    action(f"From meeting {n}", today + timedelta(days=1), meeting_id=meeting_id),
                    Dispute(title=f"Dispute {n}", kind=DisputeKind.PRIORITY, opened_on=today),
                    SharingAgreement(
                        title=f"Agreement {n}",
                        status=AgreementStatus.ACTIVE,
                        signed_on=today - timedelta(days=300),
                        expires_on=today + timedelta(days=20),
                    ),
                    FundingOpportunity(
                        title=f"Grant {n}",
                        source_type="government_grants",
                        status=FundingStatus.APPLYING,
                        application_deadline=today + timedelta(days=5),
                        confidentiality=level,
                    ),
                    Invitation(
                        email=f"invitee{n}@example.org",
                        role=Role.MEMBER,
                        token_hash=f"{n:064d}",
                        expires_at=now + timedelta(days=5),
                        last_sent_at=now - timedelta(days=1),
                    ),
                    Organization(name=f"Organization {n}", name_key=f"organization {n}"),
                    ConfidentialGrant(record_kind="goal", record_id=goal_id, membership_id=coordinator),
                    *(
                        audit(user, "agenda.item_updated", "meeting", meeting_id, now - timedelta(hours=3, minutes=m))
                        for m in (0, 2, 50)
                    ),
                    audit(user, "progress.posted", "objective", 1, now - timedelta(hours=2), goal_id=goal_id),
                ]
            )
        db.session.commit()


def add_readers(app, partnership, count: int) -> None:
    """``count`` more people due a digest: coordinators and members who opted in, half each."""
    for k in range(count):
        role = Role.COORDINATOR if k % 2 else Role.MEMBER
        membership_id = add_member(app, partnership, create_user(app), role, key=f"reader{next(_seq)}")
        if role == Role.MEMBER:
            prefer(app, partnership, membership_id, digest="weekly", member_digest=True)


@contextmanager
def counting_mine(app):
    """The statements the planner's own session runs (its connection's): not those of a delivery a
    test's in-process worker may run meanwhile on a connection of its own."""
    mine = db.session.connection()
    with counting_connections(app) as statements:
        yield statements
    # The binding's settings (PostgreSQL) are re-sent after each savepoint; they follow the transaction's
    # history, not the work asked, so this count leaves them out.
    statements[:] = [
        statement
        for connection, statement in statements
        if connection is mine and not statement.startswith("SELECT set_config")
    ]


@contextmanager
def counting_connections(app):
    found: list = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        found.append((conn, statement))

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield found
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def measure(app, partnership, now) -> tuple[int, int, int]:
    """(statements of ``prepare``, digests built, statements ``plan`` adds to it: the queueing), each
    rolled back."""
    with app.app_context():
        ctx = context_for(partnership.id)
        with counting(app) as statements:
            built = digest.prepare(ctx, now)
        db.session.rollback()
        ctx = context_for(partnership.id)
        with counting_mine(app) as planned:
            digest.plan(ctx, now)
        db.session.rollback()
        ctx = context_for(partnership.id)
        with counting_mine(app) as prepared:
            digest.prepare(ctx, now)
        db.session.rollback()
    return len(statements), len(built), len(planned) - len(prepared)


def test_statements_do_not_grow_with_the_data_or_the_people_due(app):
    now = a_tuesday_ahead()
    small = create_partnership(app, create_user(app), "Small partnership")
    large = create_partnership(app, create_user(app), "Large partnership")
    seed(app, small, 1, now)
    seed(app, large, 10, now)
    one = {"small": measure(app, small, now), "large": measure(app, large, now)}
    assert one["small"][1] == one["large"][1] == 1  # the coordinator's digest, built
    add_readers(app, small, 9)
    add_readers(app, large, 9)
    ten = {"small": measure(app, small, now), "large": measure(app, large, now)}
    assert ten["small"][1] == ten["large"][1] == 10
    built = {size: counts[0] for size, counts in (one | {f"{k} x10": v for k, v in ten.items()}).items()}
    assert len(set(built.values())) == 1, built
    # Queueing costs what ``queue_email`` costs for as many messages of any kind, nothing per record.
    for size, (_, count, queueing) in ten.items():
        assert queueing == bare_queueing(app, {"small": small, "large": large}[size], now, count), size


def bare_queueing(app, partnership, now, count: int) -> int:
    """The statements of ``count`` plain ``queue_email`` calls, in a transaction in the state the planner
    leaves it in before it queues (the binding applied, the readers read)."""
    with app.app_context():
        ctx = context_for(partnership.id)
        digest.due_readers(ctx, now)
        with counting_mine(app) as statements:
            for k in range(count):
                services.queue_email(
                    kind="test",
                    dedup_key=f"bare:{k}",
                    to=f"someone{k}@example.org",
                    subject="Hello",
                    template="safe_update",
                    partnership_id=partnership.id,
                    link="http://localhost/",
                )
        db.session.rollback()
    return len(statements)


def test_nobody_due_costs_one_statement(app, world):
    now = a_tuesday_ahead()
    with app.app_context():
        ctx = context_for(world.home.id)
        with counting(app) as statements:
            assert digest.prepare(ctx, now - timedelta(days=1, hours=2)) == []  # Monday 07:00: not yet
        db.session.rollback()
    own = [statement for statement in statements if not statement.startswith("SELECT set_config")]
    assert len(own) == 1, statements  # (on PostgreSQL, the binding's settings ride first)
