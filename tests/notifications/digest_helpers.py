"""Helpers for the digest tests (tests/notifications/test_digest*.py): records written straight through the
ORM in the home partnership (the digest reads them; the areas' own tests prove their services), the
planner run at a chosen instant, and the digests it queued read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal, GoalStatus, Horizon
from partnership_hub.meetings.models import Meeting, MeetingKind
from partnership_hub.notifications import digest
from partnership_hub.notifications.models import NotificationPreference
from tests.factories import outbox


def a_tuesday_ahead() -> datetime:
    """09:00 UTC on a Tuesday 1–7 days from now: after the default weekly digest's Monday 08:00, with
    records written now inside the week the digest looks back on."""
    today = utcnow().date()
    days = (1 - today.weekday()) % 7 or 7
    return datetime.combine(today + timedelta(days=days), time(9), UTC)


def add(app, partnership, *records):
    """Write ``records`` in ``partnership``; returns their ids."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add_all(records)
        db.session.flush()
        ids = [record.id for record in records]
        db.session.commit()
        return ids[0] if len(ids) == 1 else ids


def meeting(title: str, starts_at: datetime, level: Level = Level.WORKSPACE, author: int | None = None, **values):
    return Meeting(
        title=title,
        kind=MeetingKind.FULL_PARTNERSHIP,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        time_zone="UTC",
        confidentiality=level,
        author_membership_id=author,
        **values,
    )


def goal(title: str, last_activity_at: datetime, level: Level = Level.WORKSPACE, **values):
    values.setdefault("status", GoalStatus.ACTIVE)
    return Goal(
        title=title,
        horizon=Horizon.SHORT,
        confidentiality=level,
        last_activity_at=last_activity_at,
        **values,
    )


def action(title: str, due: date, **values):
    return ActionItem(title=title, due_date=due, **values)


def audit(actor_id: int, action_name: str, target_type: str, target_id: int, at: datetime, **details):
    return AuditEntry(
        actor_id=actor_id,
        action=action_name,
        target_type=target_type,
        target_id=target_id,
        details=details,
        created_at=at,
    )


def prefer(app, partnership, membership_id: int, **values) -> None:
    """Set someone's notification preferences (a row made if they have none)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        row = db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.membership_id == membership_id)
        ).one_or_none()
        if row is None:
            row = NotificationPreference(membership_id=membership_id, email_off="", app_off="")
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def plan(app, partnership, now: datetime) -> int:
    """Run the digest planner for ``partnership`` at ``now`` and commit, as the beat does."""
    with app.app_context():
        queued = digest.plan(context_for(partnership.id), now)
        db.session.commit()
        return queued


def due(app, partnership, now: datetime) -> list[tuple[int, str]]:
    """(membership id, period) of everyone due at ``now``."""
    with app.app_context():
        readers = digest.due_readers(context_for(partnership.id), now)
        found = [(reader.membership_id, reader.period.key) for reader in readers]
        db.session.rollback()
        return found


def digests(app, to: str | None = None):
    return outbox(app, kind="digest", to=to)


def sent_for(app, partnership, membership_id: int) -> str | None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(
            select(NotificationPreference.digest_sent_for).where(NotificationPreference.membership_id == membership_id)
        )
