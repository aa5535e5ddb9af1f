"""Notices: the one way an area tells people something (``notify``), by email and in the notification
centre, as each person chose; and the planning beat that asks every area what has come due.

An area declares its kinds (``Area.notice_kinds``), works out who may be told (people admitted to the
record: the caller's query, never this module's), and calls ``notify`` in the transaction of the change.
``notify`` reads the recipients' choices in ONE statement, queues one email per person who takes this
kind by email (``services.queue_email``: the safe-mode rule, exactly-once queueing) and adds one entry
per person who takes it in the app, both under the same deduplication key,
``<kind>:<key>:<membership id>`` (``key`` names the subject and the occurrence: "42:2026-12-01T15:00").
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, Date, Select, String, and_, cast, exists, func, literal, or_, select

from partnership_hub import areas
from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext, context_for
from partnership_hub.db import current_partnership_id, insert_with_conflicts, scoped, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications.models import (
    DEFAULT_DIGEST_HOUR,
    DEFAULT_DIGEST_WEEKDAY,
    DEFAULT_REMINDER_OFFSETS,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxMessage,
)
from partnership_hub.notifications.services import absolute_url, queue_email
from partnership_hub.workspaces.models import Membership, Partnership, Role

log = logging.getLogger(__name__)

DEDUP_MAX = 200  # OutboxMessage.dedup_key, Notification.dedup_key
TITLE_MAX = 300  # Notification.title


@dataclass(frozen=True)
class Recipient:
    """Someone to tell, with what they chose for the kind at hand."""

    membership_id: int
    user_id: int
    email: str
    name: str
    role: Role
    zone: str  # their time zone: chosen here, else their account's, else the partnership's
    email_on: bool
    app_on: bool

    @property
    def tz(self) -> ZoneInfo:
        return zone_info(self.zone)


def zone_info(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# Notices that come due on a date (a deadline, an awareness day, an item due) go out from this local time.
SEND_AT = time(8, 0)


def last_morning(zone: tzinfo, now: datetime) -> date:
    """The latest date in ``zone`` whose ``SEND_AT`` has come: today from 08:00, yesterday before."""
    local = now.astimezone(zone)
    return local.date() if local.time() >= SEND_AT else local.date() - timedelta(days=1)


def kind_of(key: str) -> areas.NoticeKind:
    for kind in areas.notice_kinds():
        if kind.key == key:
            return kind
    raise LookupError(f"no notice kind {key!r}")


def is_on(saved: str | None, key: str, default: bool) -> bool:
    """A person's choice for one kind, from what their row keeps (``email_off`` / ``app_off``): ``key``
    turned off, ``+key`` turned on; a kind the row does not name (no row yet, or a kind added after they
    saved) keeps its default."""
    words = set((saved or "").split())
    if key in words:
        return False
    return True if f"+{key}" in words else default


def saved_choices(saved: str | None, kinds: Sequence[areas.NoticeKind], on: set[str], *, email: bool) -> str:
    """``saved`` with the choices for ``kinds`` replaced: ``key`` for each turned off, ``+key`` for each
    turned on against its default; a kind left on by default is not named, so other kinds, and kinds
    added later, keep their defaults (``is_on``)."""
    keys = {kind.key for kind in kinds}
    kept = {word for word in (saved or "").split() if word.lstrip("+") not in keys}
    for kind in kinds:
        if kind.key not in on:
            kept.add(kind.key)  # off is always said, in case the default changes
        elif not (kind.email if email else kind.app):
            kept.add(f"+{kind.key}")  # on against the default
    return " ".join(sorted(kept))


def recipients(ctx: WorkspaceContext, kind: str, membership_ids: Select[Any] | Iterable[int]) -> list[Recipient]:
    """The people among ``membership_ids`` (a SELECT of ids or a collection) who may get ``kind`` at all
    (its ``roles``), with their choices for it: ONE statement. Who is *admitted* to the record is the
    caller's question, asked in ``membership_ids``."""
    notice = kind_of(kind)
    ids = membership_ids if isinstance(membership_ids, Select) else list(membership_ids)
    stmt = (
        select(
            Membership.id,
            Membership.user_id,
            Membership.role,
            User.email,
            User.name,
            User.time_zone,
            NotificationPreference.email_off,
            NotificationPreference.app_off,
            NotificationPreference.time_zone,
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(NotificationPreference, NotificationPreference.membership_id == Membership.id)
        .where(Membership.id.in_(ids))
        .order_by(Membership.id)
    )
    found = []
    for row in db.session.execute(scoped(stmt)):
        role = Role(row[2])
        if notice.roles is not None and role not in notice.roles:
            continue
        found.append(
            Recipient(
                membership_id=row[0],
                user_id=row[1],
                email=row[3],
                name=row[4],
                role=role,
                zone=row[8] or row[5] or ctx.partnership.time_zone,
                email_on=is_on(row[6], kind, notice.email),
                app_on=is_on(row[7], kind, notice.app),
            )
        )
    return found


def path_for(endpoint: str, **values: Any) -> str:
    """A route's path (works outside a request too): what a notification centre entry links to."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def full_key(kind: str, key: str, membership_id: int) -> str:
    """The deduplication key ``notify`` gives one person's email and centre entry."""
    return f"{kind}:{key}:{membership_id}"[:DEDUP_MAX]


def notify(
    ctx: WorkspaceContext,
    kind: str,
    people: Sequence[Recipient],
    *,
    key: str,
    subject: str,
    title: str,
    endpoint: str,
    args: Mapping[str, Any] | None = None,
    template: str,
    send_at: datetime | None = None,
    valid_while: str | None = None,
    attachments: Callable[[Recipient], Sequence[Mapping[str, str]]] | None = None,
    per_recipient: Callable[[Recipient], Mapping[str, Any]] | None = None,
    sender_id: int | None = None,
    **context: Any,
) -> int:
    """Tell ``people`` (from ``recipients``): an email to each who takes ``kind`` by email, an entry in
    the notification centre of each who takes it in the app. ``key`` names the subject and the occurrence;
    with the kind and the person it makes the deduplication key, so telling twice adds nothing.

    The email template gets ``partnership``, ``recipient``, ``link`` (to ``endpoint``), ``preferences_link``
    and ``context``, plus ``per_recipient(person)`` (which may also replace ``subject``).
    ``attachments(person)``: text files for that person's email (a meeting's .ics).
    ``send_at``: not before then; the centre shows the entry from then on too.
    Returns how many people were told (by either way)."""
    slug = ctx.partnership.slug
    route_args = {"slug": slug, **(args or {})}
    path = path_for(endpoint, **route_args)
    link = current_app.config["BASE_URL"] + path
    entries: list[dict[str, Any]] = []
    told = 0
    for person in people:
        dedup_key = full_key(kind, key, person.membership_id)
        extra = dict(per_recipient(person)) if per_recipient else {}
        queued = False
        if person.email_on:
            queued = (
                queue_email(
                    kind=kind,
                    dedup_key=dedup_key,
                    to=person.email,
                    subject=extra.pop("subject", subject),
                    template=template,
                    partnership_id=ctx.partnership.id,
                    sender_id=sender_id,
                    send_at=send_at,
                    valid_while=valid_while,
                    attachments=attachments(person) if attachments else (),
                    headers=unsubscribe_headers(ctx.partnership.id, person.membership_id, kind),
                    partnership=ctx.partnership,
                    recipient=person,
                    link=link,
                    preferences_link=preferences_link(slug),
                    **context,
                    **extra,
                )
                is not None
            )
        else:
            extra.pop("subject", None)
        if person.app_on:
            entries.append(
                {
                    "partnership_id": ctx.partnership.id,
                    "membership_id": person.membership_id,
                    "kind": kind,
                    "title": title[:TITLE_MAX],
                    "url": path[:500],
                    "dedup_key": dedup_key,
                    "created_at": send_at or utcnow(),
                }
            )
        told += queued or person.app_on
    add_entries(entries)
    return told


def told_clause(kind: str, membership_id: Any, *key: Any) -> ColumnElement[bool]:
    """SQL: the person ``membership_id`` (a column) was told ``kind`` about ``key`` already, by email or in
    the centre: ``notify``'s deduplication key built in the statement, so a planner's or a publisher's
    SELECT leaves out who has it and a repeated run costs no statement per person. ``key``: the parts
    ``notify``'s ``key`` joins with ":" (values, or columns: integers, text, dates as ISO).

    On PostgreSQL only delivery work reads the outbox (row-level security, migration 0009): a planner (the
    beat is delivery work) opens it first (``services.open_outbox``); in a request only the centre's entries
    count, so someone who takes a kind by email alone is asked again and the outbox's unique key refuses
    the copy (``queue_email`` returns None)."""
    in_app, by_email = _told_ways(_dedup_key_sql(kind, membership_id, *key))
    return or_(in_app, by_email)


def _dedup_key_sql(kind: str, membership_id: Any, *key: Any) -> ColumnElement[str]:
    """``notify``'s deduplication key as a SQL expression over ``key``'s values and columns."""
    is_postgres = db.session.get_bind().dialect.name == "postgresql"
    pieces: list[Any] = []
    text = f"{kind}:"
    for part in (*key, membership_id):
        if hasattr(part, "__clause_element__"):  # a mapped attribute (``ActionItem.id``)
            part = part.__clause_element__()
        if not isinstance(part, ColumnElement):
            text += f"{part.isoformat() if isinstance(part, date) else part}:"
            continue
        if isinstance(part.type, Date):  # SQLite keeps a date as its ISO text; PostgreSQL formats it
            part = func.to_char(part, "YYYY-MM-DD") if is_postgres else cast(part, String)
        pieces += [literal(text, String), cast(part, String)]
        text = ":"
    if text != ":":
        pieces.append(literal(text.removesuffix(":"), String))
    dedup_key = pieces[0]
    for piece in pieces[1:]:
        dedup_key = dedup_key + piece
    return dedup_key


def untold_clause(kind: str, membership_id: Any, *key: Any) -> ColumnElement[bool]:
    """SQL: not ``told_clause`` — written as two NOT EXISTS joined by AND (not NOT of an OR), which
    PostgreSQL turns into anti-joins that probe the unique keys' indexes; under an OR it can only run
    them as subplans, and chose hashed ones that read the whole outbox for every planning statement."""
    in_app, by_email = _told_ways(_dedup_key_sql(kind, membership_id, *key))
    return and_(~in_app, ~by_email)


def _told_ways(dedup_key: ColumnElement[str]) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """EXISTS a centre entry, EXISTS an outbox message under ``dedup_key``. The outbox is read only in
    the bound partnership's mail (opened to delivery work, it holds every partnership's), so a scan, if
    the planner chooses one, is of one partnership's mail."""
    # Correlated explicitly: the columns may belong to a SELECT further out than the one this sits in.
    in_app = exists().where(Notification.dedup_key == dedup_key).correlate_except(Notification)
    own_mail = OutboxMessage.dedup_key == dedup_key
    partnership_id = current_partnership_id(db.session())
    if partnership_id is not None:
        own_mail = and_(own_mail, OutboxMessage.partnership_id == partnership_id)
    by_email = exists().where(own_mail).correlate_except(OutboxMessage)
    return in_app, by_email


def add_entries(entries: Sequence[Mapping[str, Any]]) -> None:
    """Notification centre entries, in ONE statement; one whose key is there already is left alone."""
    if not entries:
        return
    stmt = insert_with_conflicts(db.session, Notification).on_conflict_do_nothing(
        index_elements=["partnership_id", "dedup_key"]
    )
    db.session.execute(stmt, list(entries))


# --- the partnership's defaults and a person's choices ------------------------------------------------


def settings(ctx: WorkspaceContext) -> NotificationSettings:
    """The partnership's notification settings (a new, unsaved row with the defaults when it has none)."""
    row = db.session.scalars(scoped(select(NotificationSettings))).one_or_none()
    return row or NotificationSettings(
        reminder_offsets=DEFAULT_REMINDER_OFFSETS,
        digest_weekday=DEFAULT_DIGEST_WEEKDAY,
        digest_hour=DEFAULT_DIGEST_HOUR,
    )


def parse_offsets(value: str | None) -> list[int]:
    """Reminder offsets ("1440 60": minutes before the start), largest first, without repeats."""
    return sorted({int(part) for part in (value or "").split() if part.isdigit()}, reverse=True)


# --- one-click unsubscribe (RFC 8058) and the preferences link ----------------------------------------

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(partnership_id: int, membership_id: int, kind: str) -> str:
    """A signed, unguessable token for "stop sending me ``kind``" (``kind`` "digest": the digest)."""
    return str(_serializer().dumps([partnership_id, membership_id, kind]))


def read_unsubscribe_token(token: str) -> tuple[int, int, str] | None:
    try:
        partnership_id, membership_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(partnership_id, int) or not isinstance(membership_id, int) or not isinstance(kind, str):
        return None
    return partnership_id, membership_id, kind


def unsubscribe_url(partnership_id: int, membership_id: int, kind: str) -> str:
    return absolute_url("notification_links.unsubscribe", token=unsubscribe_token(partnership_id, membership_id, kind))


def unsubscribe_headers(partnership_id: int, membership_id: int, kind: str) -> dict[str, str]:
    """List-Unsubscribe with one-click (List-Unsubscribe-Post, RFC 8058) for this person and kind."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(partnership_id, membership_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def preferences_link(slug: str) -> str:
    return absolute_url("notifications.preferences", slug=slug)


# --- the planning beat --------------------------------------------------------------------------------


def plan_every_partnership(now: datetime | None = None) -> int:
    """The planning beat's work: each partnership in turn (bound explicitly, committed on its own, so one
    partnership's failure does not hold up the others), every area's ``notice_planner``. Returns how many
    notices the planners queued."""
    now = now or utcnow()
    return plan_partnerships(all_partnership_ids(), now)


def all_partnership_ids() -> list[int]:
    """Every partnership's id, for the planning beat (which may share them out among workers)."""
    found = list(db.session.scalars(select(Partnership.id).order_by(Partnership.id)))
    db.session.rollback()
    return found


def plan_partnerships(partnership_ids: Sequence[int], now: datetime) -> int:
    """``plan_every_partnership`` for these partnerships only (a share of the beat's work, in a task)."""
    planners = [areas.resolve(area.notice_planner) for area in areas.installed() if area.notice_planner]
    total = 0
    for partnership_id in partnership_ids:
        for planner in planners:
            try:
                total += int(planner(context_for(partnership_id), now) or 0)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("planning notices (%s) for partnership %s failed", planner.__name__, partnership_id)
    return total
