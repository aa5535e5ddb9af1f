"""The notification centre (issue #15, item 6): each person's entries (``Notification``, written by
``notices.notify``), newest first, a page at a time; opening one marks it read, and so does "Mark all as
read"; and the unread count in the header.

An entry queued ahead with a reminder (``created_at`` in the future) stays hidden until its time. Nobody
reads or changes another person's entries: every statement here names the acting membership, and an id
that is not theirs is a 404 (``NotFound``), the same answer as an id that does not exist.

The header's count costs no statement: it is a capped scalar subquery (``unread_badge``) that the tenancy
resolver folds into the statement loading the membership (``Area.membership_badges``); the header polls
``badge_label`` every minute through a small fragment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update

from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import Forbidden, NotFound
from partnership_hub.extensions import db
from partnership_hub.notifications.models import Notification
from partnership_hub.notifications.notices import add_entries, path_for
from partnership_hub.pagination import Page, paginate
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership

PAGE_SIZE = 25
PAGE_COUNT_CAP = 500  # the centre's total reads at most this far past the page ("1–25 of 500+")
UNREAD_CAP = 99  # the header shows 1..99, then "99+"
BADGE = "notifications.unread"  # the name of the header's count (``Area.membership_badges``)


def _membership_id(ctx: WorkspaceContext) -> int:
    if ctx.membership is None:
        raise Forbidden("notifications.own")
    return ctx.membership.id


def _visible(membership_id: Any, now: Any) -> list[ColumnElement[bool]]:
    """One person's entries whose time has come (an entry queued ahead shows from ``created_at``)."""
    return [Notification.membership_id == membership_id, Notification.created_at <= now]


# --- the header's count -----------------------------------------------------------------------------------


def unread_badge(membership_id: Any, now: Any) -> Any:
    """``Area.membership_badges``: the person's unread entries whose time (``now``) has come, counted up to
    one past ``UNREAD_CAP`` (a LIMITed walk of the partial unread index), as a scalar subquery correlated
    with the membership id column of the statement it is folded into."""
    unread = select(Notification.id).where(*_visible(membership_id, now), Notification.read_at.is_(None))
    # A SELECT in a FROM clause is not correlated by itself: without this it would read the memberships
    # table again and count the whole partnership's entries.
    unread = unread.correlate_except(Notification).limit(UNREAD_CAP + 1)
    return select(func.count()).select_from(unread.subquery()).scalar_subquery()


def badge_label(count: int | None) -> str:
    """The count as the header shows it: "" for none, "1".."99", then "99+"."""
    if not count:
        return ""
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


# --- the list ---------------------------------------------------------------------------------------------


def entries_page(ctx: WorkspaceContext, page: int, now: datetime | None = None) -> Page[Notification]:
    """One page of the person's entries, newest first, with a capped total (ONE statement)."""
    now = now or utcnow()
    stmt = (
        select(Notification)
        .where(*_visible(_membership_id(ctx), now))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(scoped(stmt), page, PAGE_SIZE, cap=PAGE_COUNT_CAP)


def own_entry(ctx: WorkspaceContext, notification_id: int, now: datetime | None = None) -> Notification:
    """One of the person's own entries whose time has come, or ``NotFound``."""
    now = now or utcnow()
    stmt = select(Notification).where(Notification.id == notification_id, *_visible(_membership_id(ctx), now))
    entry = db.session.scalars(scoped(stmt)).one_or_none()
    if entry is None:
        raise NotFound(f"Notification {notification_id}")
    return entry


def is_local_path(url: str) -> bool:
    """A path inside the app ("/p/..."), never another site ("//evil.example", "https://...")."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url and "\n" not in url


def open_entry(ctx: WorkspaceContext, notification_id: int, now: datetime | None = None) -> str:
    """Mark one of the person's entries read and return where it leads (its record's path; the centre's
    own when an entry holds anything else)."""
    now = now or utcnow()
    entry = mark_read(ctx, notification_id, now)
    return entry.url if is_local_path(entry.url) else ""


def mark_read(ctx: WorkspaceContext, notification_id: int, now: datetime | None = None) -> Notification:
    """Mark one of the person's entries read (once: the first time it was read stays)."""
    now = now or utcnow()
    entry = own_entry(ctx, notification_id, now)
    if entry.read_at is None:
        entry.read_at = now
        db.session.flush()
    return entry


def mark_all_read(ctx: WorkspaceContext, now: datetime | None = None) -> int:
    """Mark every unread entry of the person read (those whose time has come: a reminder queued ahead
    stays unread until it shows). ONE statement; returns how many changed."""
    now = now or utcnow()
    stmt = (
        update(Notification)
        .where(*_visible(_membership_id(ctx), now), Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    result: Any = db.session.execute(scoped(stmt))
    return int(result.rowcount or 0)


# --- demo and test seeds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoEntry:
    """A demo centre entry: what it says, the page it opens (and the action that page needs), its age."""

    kind: str
    title: str
    endpoint: str
    action: str
    hours_ago: int
    read: bool = False


DEMO_ENTRIES = (
    DemoEntry(
        "agenda_published",
        "The agenda of the next partnership meeting is published",
        "meetings.index",
        "meetings.view",
        2,
    ),
    DemoEntry("action_due_soon", "An action item of yours is due this week", "actions.index", "actions.view", 5),
    DemoEntry(
        "guideline_to_acknowledge",
        "A guideline has a new version to acknowledge",
        "governance.guidelines_index",
        "guidelines.view",
        26,
    ),
    DemoEntry(
        "checkin_opened",
        "A trust check-in is open: say how the partnership is doing",
        "governance.checkins_index",
        "checkins.view",
        50,
        read=True,
    ),
    DemoEntry(
        "minutes_published",
        "The minutes of the last partnership meeting are published",
        "meetings.index",
        "meetings.view",
        75,
        read=True,
    ),
    DemoEntry(
        "awareness_upcoming",
        "An awareness day the partnership observes is two weeks away",
        "awareness.index",
        "awareness.view",
        120,
        read=True,
    ),
)


def _entries_for(
    ctx: WorkspaceContext, memberships: list[Membership], entries: tuple[DemoEntry, ...], prefix: str
) -> list[dict[str, Any]]:
    """Centre rows for ``entries``, for each of ``memberships`` who may open the entry's page."""
    now = utcnow()
    rows = []
    for membership in memberships:
        for number, entry in enumerate(entries):
            if not can(membership, entry.action):
                continue
            created = now - timedelta(hours=entry.hours_ago)
            rows.append(
                {
                    "partnership_id": ctx.partnership.id,
                    "membership_id": membership.id,
                    "kind": entry.kind,
                    "title": entry.title,
                    "url": path_for(entry.endpoint, slug=ctx.partnership.slug),
                    "dedup_key": f"{prefix}:{number}:{membership.id}",
                    "created_at": created,
                    "read_at": created + timedelta(hours=1) if entry.read else None,
                }
            )
    return rows


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """A few entries in every demo person's centre (what they may open), three of them unread."""
    memberships = list(db.session.scalars(scoped(select(Membership).order_by(Membership.id))))
    add_entries(_entries_for(ctx, memberships, DEMO_ENTRIES, "demo"))


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """An entry in the coordinator's centre (``notification_id``), for the route walk."""
    if ctx.membership is not None:
        add_entries(_entries_for(ctx, [ctx.membership], DEMO_ENTRIES[:1], "seeded"))
