"""How long the outbox and the notification centre keep what they hold, and the job that prunes them
(``prune``, the beat's ``notifications.prune_retention``, every six hours).

**What goes.** Outbox messages in a final state — ``sent``, ``failed`` (given up for good) or
``superseded`` — once ``OUTBOX_RETENTION_DAYS`` (30) have passed since they got there (``sent_at``; the
row's ``created_at`` when it has no such time: a failed or superseded one). Nothing pending is ever
touched: due, retrying, queued ahead (``send_at``) or in flight, all of those are ``pending``. Centre
entries once ``NOTIFICATIONS_READ_RETENTION_DAYS`` (90) have passed since they appeared, if read; unread
ones after ``NOTIFICATIONS_UNREAD_RETENTION_DAYS`` (365) — a person away for a season still finds what
they missed, and a year of unread entries is a list nobody reads.

**The deduplication record.** An outbox row and a centre entry are also how ``notify`` knows a person was
told (``notices.told_clause``: the key ``<kind>:<key>:<membership id>`` in either): deleting both would let
a planner that asks again tell them again. So nothing is deleted while a planner may still ask about it.
Every planner asks only within a bounded time after it first could have queued a notice — it asks about a
date or an instant, and stops once that has passed — and ``LOOKBACK`` says, per kind, how long after
queueing that can be; a row is kept at least that long whatever the settings say
(``kept_for``). Kinds told by the change that calls for them (a meeting moved, minutes published: a key per
event, never asked again later) and account mail (verification, resets, invitations: keys with a token or
a send count; the invitation limits count the last hour) keep ``DEFAULT_LOOKBACK``.
``tests/notifications/test_retention.py`` checks each bound against its planner's own constants, that every
notice kind has one, and runs every planner day by day for longer than the longest, pruning as it goes,
to show nobody is told twice.

**Cost.** Deletes go ``BATCH`` rows a statement, each committed on its own (no long lock, no long
transaction), until nothing is left or ``TIME_BUDGET`` has passed (the rest goes next time). The outbox is
pruned across partnerships as the delivery work reads it (``services.open_outbox``); the centre, a tenant
table under forced row-level security, one partnership at a time, as the planning beat does. A run with
nothing to delete costs one DELETE for the outbox and one per partnership for the centre.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, true

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications.models import Notification, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

FINAL = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SUPERSEDED)
BATCH = 5000  # rows per DELETE
TIME_BUDGET = 60.0  # seconds per run; what is left waits for the next (six hours later)

# How long after a notice of each kind is queued its planner may still ask whether it was told: an upper
# bound, with a day or two to spare for time zones (a partnership's "today" is the UTC date ± 1).
LOOKBACK: dict[str, timedelta] = {
    # awareness/notices.py: the lead-time notice from ``lead_days`` (at most 120) before the day until the
    # day begins; the day-of notice until the day — a month-long observance's month — is over.
    "awareness_upcoming": timedelta(days=120 + 3),
    "awareness_today": timedelta(days=31 + 3),
    # governance/notices.py: a check-in is told while it is open, at most ``checkins.LONGEST_DAYS`` (92);
    # agreements at 30 and 7 days before a date, each stage until the next (or the date).
    "checkin_opened": timedelta(days=92 + 3),
    "agreement_expiring": timedelta(days=30 + 3),
    # funding/notices.py: 14 and 3 days before a deadline, until the deadline.
    "funding_deadline": timedelta(days=14 + 3),
    # actions/notices.py: due within 3 days and overdue up to 3 days, around anyone's today.
    "action_due_soon": timedelta(days=3 + 3 + 3),
    "action_overdue": timedelta(days=3 + 3 + 3),
    # meetings/reminders.py: at most a week (the largest offset) before the start, never once it has started.
    "meeting_reminder": timedelta(days=7 + 3),
    # digest.py: within the current day or ISO week (``digest_sent_for`` guards it too).
    "digest": timedelta(days=7 + 3),
    # Told by the change that calls for them, under a key of that change (a version, a sequence, an answer):
    # asked again only by a retried request, which ``DEFAULT_LOOKBACK`` covers.
    "meeting_changed": timedelta(0),
    "meeting_cancelled": timedelta(0),
    "agenda_published": timedelta(0),
    "minutes_published": timedelta(0),
    "guideline_to_acknowledge": timedelta(0),
    "advisory_request": timedelta(0),
    "advisory_request_answered": timedelta(0),
}
DEFAULT_LOOKBACK = timedelta(days=2)  # any other kind (account mail, invitations: their limits count an hour)


def kept_for(kind: str, configured: timedelta) -> timedelta:
    """How long a row of ``kind`` is kept: the setting, but never less than its planner's ``LOOKBACK`` nor
    than ``DEFAULT_LOOKBACK`` (a setting of 0 or below deletes nothing the moment it is sent)."""
    return max(configured, LOOKBACK.get(kind, DEFAULT_LOOKBACK), DEFAULT_LOOKBACK)


def _older_than(kind: Any, since: Any, configured: timedelta, now: datetime) -> ColumnElement[bool]:
    """SQL: ``since`` (a time column) is older than what ``kind`` (its column) keeps, as ``kept_for`` says:
    one comparison for the kinds that keep the setting, one per longer period for the kinds that need it."""
    default = kept_for("", configured)
    longer: dict[timedelta, list[str]] = defaultdict(list)
    for name in LOOKBACK:
        if (kept := kept_for(name, configured)) > default:
            longer[kept].append(name)
    listed = [name for names in longer.values() for name in names]
    clauses = [and_(kind.not_in(listed) if listed else true(), since < now - default)]
    clauses += [and_(kind.in_(names), since < now - kept) for kept, names in sorted(longer.items())]
    return or_(*clauses)


@dataclass(frozen=True)
class Pruned:
    """What a run deleted; ``finished`` False when the time budget ran out first."""

    outbox: int
    notifications: int
    finished: bool


def _days(name: str) -> timedelta:
    return timedelta(days=int(current_app.config[name]))


def outbox_prunable(now: datetime) -> ColumnElement[bool]:
    """SQL: an outbox message that may go at ``now`` (final, and older than ``kept_for`` its kind)."""
    reached = func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)
    return and_(
        OutboxMessage.status.in_(FINAL),
        _older_than(OutboxMessage.kind, reached, _days("OUTBOX_RETENTION_DAYS"), now),
    )


def entry_prunable(now: datetime) -> ColumnElement[bool]:
    """SQL: a centre entry that may go at ``now`` (read or not, older than ``kept_for`` its kind)."""
    kind, appeared = Notification.kind, Notification.created_at
    return or_(
        and_(
            Notification.read_at.is_not(None),
            _older_than(kind, appeared, _days("NOTIFICATIONS_READ_RETENTION_DAYS"), now),
        ),
        _older_than(kind, appeared, _days("NOTIFICATIONS_UNREAD_RETENTION_DAYS"), now),
    )


def _delete_in_batches(
    model: type[OutboxMessage] | type[Notification],
    where: ColumnElement[bool],
    deadline: float,
    before: Callable[[], None] | None = None,
) -> tuple[int, bool]:
    """DELETE ``model`` rows matching ``where``, ``BATCH`` a statement, each committed; ``before()`` runs at
    the start of each transaction. Returns (rows deleted, finished before ``deadline``)."""
    total = 0
    while True:
        if before is not None:
            before()
        ids = select(model.id).where(where).limit(BATCH).scalar_subquery()
        result = db.session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
        db.session.commit()
        deleted = int(result.rowcount or 0)  # type: ignore[attr-defined]  # a DELETE's CursorResult
        total += deleted
        if deleted < BATCH:
            return total, True
        if time.monotonic() >= deadline:
            return total, False


def prune_outbox(now: datetime, deadline: float) -> tuple[int, bool]:
    """Delete the outbox messages ``outbox_prunable`` at ``now``, across partnerships (delivery work)."""
    from partnership_hub.notifications.services import open_outbox

    return _delete_in_batches(OutboxMessage, outbox_prunable(now), deadline, before=open_outbox)


def prune_centre(partnership_ids: Iterable[int], now: datetime, deadline: float) -> tuple[int, bool]:
    """Delete the centre entries ``entry_prunable`` at ``now``, one partnership at a time (bound, as the
    planning beat binds: row-level security shows only the bound partnership's)."""
    total = 0
    try:
        for partnership_id in partnership_ids:
            if time.monotonic() >= deadline:
                return total, False
            bind_tenant(db.session, partnership_id)
            deleted, finished = _delete_in_batches(Notification, entry_prunable(now), deadline)
            total += deleted
            if not finished:
                return total, False
    finally:
        bind_tenant(db.session, None)
    return total, True


def prune(now: datetime | None = None, budget: float = TIME_BUDGET) -> Pruned:
    """The retention job: delete what the outbox and the notification centre no longer need to keep (see
    the module docstring). Safe to repeat and to run twice at once; a second run deletes nothing."""
    from partnership_hub.notifications.notices import all_partnership_ids

    now = now or utcnow()
    deadline = time.monotonic() + budget
    outbox, finished = prune_outbox(now, deadline)
    entries = 0
    if finished:
        entries, finished = prune_centre(all_partnership_ids(), now, deadline)
    if outbox or entries or not finished:
        log.info(
            "retention: %s outbox messages and %s notification centre entries deleted%s",
            outbox,
            entries,
            "" if finished else "; the rest waits for the next run",
        )
    return Pruned(outbox, entries, finished)
