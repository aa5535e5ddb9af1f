"""What people choose about notifications (issue #15, items 4 and 5): each person's preferences page, the
partnership's notification settings (coordinators), and the one-click unsubscribe link from an email.

- **A person's preferences** (``NotificationPreference``, one row per membership, written the first time
  they save: until then everything is the default): every notice kind the areas declare
  (``Area.notice_kinds``) that applies to their role, by email and in the app; the digest (off, daily or
  weekly: weekly for coordinators, off for everyone else, who may opt into a member digest), its weekday
  and local hour (the partnership's unless they chose), and their time zone (their account's, else the
  partnership's). ``notices.recipients`` reads a saved row as "every kind on but those listed", so a save
  writes the full lists of kinds turned off, defaults included.
- **Safe mode** for survivor advisors and board members is the advisory area's
  (``advisory.safety``): this page reads and writes it through that service, so the one rule every email
  honours (``safety.mail_rule``) stays in one place.
- **The partnership's settings** (``NotificationSettings``, coordinators): the default meeting reminder
  times and the digest's weekday and local hour.
- **Unsubscribe**: the signed token of ``notices.unsubscribe_token`` names the partnership, the person and
  the kind. Opening the link binds the session to that partnership and changes nothing (mail scanners open
  links); the one-click POST (RFC 8058) turns that kind's email off, or the digest.

Every value is checked before anything is written: a refusal (``ServiceError`` at its field) changes
nothing.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from partnership_hub import areas
from partnership_hub.accounts.models import User
from partnership_hub.advisory import safety
from partnership_hub.areas import NoticeKind
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import bind_tenant, scoped
from partnership_hub.errors import Forbidden, NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import (
    DEFAULT_DIGEST_HOUR,
    DEFAULT_DIGEST_WEEKDAY,
    DEFAULT_REMINDER_OFFSETS,
    DIGEST_CHOICES,
    DIGEST_DAILY,
    DIGEST_OFF,
    DIGEST_WEEKLY,
    NotificationPreference,
    NotificationSettings,
)
from partnership_hub.notifications.services import mail_verdict
from partnership_hub.parsing import form_flag, parse_int
from partnership_hub.workspaces.models import Membership, Partnership, Role
from partnership_hub.workspaces.services import is_time_zone

DIGEST = "digest"  # the unsubscribe token's kind for the digest
DIGEST_LABELS = {DIGEST_OFF: "No digest", DIGEST_DAILY: "Daily", DIGEST_WEEKLY: "Weekly"}
WEEKDAYS = tuple(calendar.day_name)  # Monday first, as ``datetime.weekday()`` counts
# The reminder times a coordinator may tick as the partnership's default (minutes before the start),
# largest first, as ``NotificationSettings.reminder_offsets`` stores them.
REMINDER_CHOICES: tuple[tuple[int, str], ...] = (
    (7 * 24 * 60, "1 week before"),
    (24 * 60, "1 day before"),
    (120, "2 hours before"),
    (60, "1 hour before"),
    (15, "15 minutes before"),
)
TIME_ZONE_MAX = 64
BAD_ZONE = "Enter a time zone from the list, like America/Denver, or leave it empty."


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


# --- the kinds a person may choose ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindChoice:
    """One notice kind on the preferences page, with what the person takes now."""

    kind: NoticeKind
    email: bool
    app: bool


@dataclass(frozen=True)
class KindGroup:
    """The kinds of one area, under its label."""

    label: str
    choices: tuple[KindChoice, ...]

    @property
    def id(self) -> str:
        return "kinds-" + "".join(ch if ch.isalnum() else "-" for ch in self.label.lower()).strip("-")


def applies(kind: NoticeKind, role: Role | None) -> bool:
    """Whether ``role`` may get ``kind`` at all (``NoticeKind.roles``; None: everyone)."""
    return role is not None and (kind.roles is None or role in kind.roles)


def kinds_for(role: Role | None) -> list[tuple[str, NoticeKind]]:
    """(area label, kind) for every declared kind ``role`` may get, in the kinds' order."""
    labels = {kind.key: area.label for area in areas.installed() for kind in area.notice_kinds}
    return [(labels[kind.key], kind) for kind in areas.notice_kinds() if applies(kind, role)]


def _current_off(row: NotificationPreference | None) -> tuple[set[str], set[str]]:
    """The kinds turned off now, by email and in the app (``notices.is_on``: the defaults before the first
    save, and for kinds added since)."""
    kinds = areas.notice_kinds()
    email, app = (row.email_off, row.app_off) if row is not None else (None, None)
    return (
        {k.key for k in kinds if not notices.is_on(email, k.key, k.email)},
        {k.key for k in kinds if not notices.is_on(app, k.key, k.app)},
    )


# --- reading -------------------------------------------------------------------------------------------------


def own_preference(ctx: WorkspaceContext) -> NotificationPreference | None:
    """The acting person's saved preferences, or None before they first save (one query)."""
    if ctx.membership is None:
        return None
    stmt = select(NotificationPreference).where(NotificationPreference.membership_id == ctx.membership.id)
    return db.session.scalars(scoped(stmt)).one_or_none()


def default_digest(role: Role | None) -> str:
    """Coordinators get the weekly digest unless they say otherwise; everyone else opts in."""
    return DIGEST_WEEKLY if role == Role.COORDINATOR else DIGEST_OFF


def offers_safe_mode(ctx: WorkspaceContext) -> bool:
    """Survivor advisors and board members keep safe mode (the advisory area's rule and page)."""
    return ctx.can("advisory.safety") and safety.has_page(ctx)


@dataclass(frozen=True)
class PreferencesPage:
    """Everything the preferences page shows: the saved choices or the defaults."""

    groups: tuple[KindGroup, ...]
    saved: bool
    digest: str
    digest_weekday: int | None  # None: the partnership's
    digest_hour: int | None
    time_zone: str  # "" : the default below
    partnership_weekday: int
    partnership_hour: int
    default_zone: str  # their account's, else the partnership's
    safe_mode: bool | None  # None: not theirs to set
    safe_mode_saved: bool  # they have saved contact and safety preferences

    def form_data(self) -> dict[str, Any]:
        """The form's starting values."""
        return {
            "email": [c.kind.key for g in self.groups for c in g.choices if c.email],
            "app": [c.kind.key for g in self.groups for c in g.choices if c.app],
            "digest": self.digest,
            "digest_weekday": "" if self.digest_weekday is None else str(self.digest_weekday),
            "digest_hour": "" if self.digest_hour is None else str(self.digest_hour),
            "time_zone": self.time_zone,
            "safe_mode": bool(self.safe_mode),
        }


def preferences_page(ctx: WorkspaceContext) -> PreferencesPage:
    """The person's choices as the page shows them (a fixed number of statements: their row, the
    partnership's settings, and for those who keep it, their safe mode)."""
    ctx.require("notifications.own")
    row = own_preference(ctx)
    email_off, app_off = _current_off(row)
    grouped: dict[str, list[KindChoice]] = {}
    for label, kind in kinds_for(ctx.role):
        grouped.setdefault(label, []).append(KindChoice(kind, kind.key not in email_off, kind.key not in app_off))
    partnership = notices.settings(ctx)
    safe_mode: bool | None = None
    safe_mode_saved = False
    if offers_safe_mode(ctx):
        profile = safety.own_profile(ctx)
        safe_mode, safe_mode_saved = bool(profile and profile.safe_mode), profile is not None
    account_zone = ctx.user.time_zone if ctx.user else None
    return PreferencesPage(
        groups=tuple(KindGroup(label, tuple(choices)) for label, choices in grouped.items()),
        saved=row is not None,
        digest=(row.digest if row and row.digest else default_digest(ctx.role)),
        digest_weekday=row.digest_weekday if row else None,
        digest_hour=row.digest_hour if row else None,
        time_zone=(row.time_zone or "") if row else "",
        partnership_weekday=partnership.digest_weekday,
        partnership_hour=partnership.digest_hour,
        default_zone=account_zone or ctx.partnership.time_zone,
        safe_mode=safe_mode,
        safe_mode_saved=safe_mode_saved,
    )


# --- saving ----------------------------------------------------------------------------------------------------


def _chosen_kinds(data: Mapping[str, Any], name: str, allowed: set[str]) -> set[str]:
    raw = data.get(name) or []
    values = [raw] if isinstance(raw, str) else list(raw)
    chosen = {str(value).strip() for value in values}
    if not chosen <= allowed:
        raise ServiceError("Choose from the notices listed: one of them is not offered to you.", name)
    return chosen


def _optional_number(data: Mapping[str, Any], name: str, high: int, message: str) -> int | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    number = parse_int(raw, low=0, high=high)
    if number is None:
        raise ServiceError(message, name)
    return number


def _digest(data: Mapping[str, Any], role: Role | None) -> str:
    digest = str(data.get("digest") or "").strip() or default_digest(role)
    if digest not in DIGEST_CHOICES:
        raise ServiceError("Choose no digest, daily or weekly.", "digest")
    return digest


def _time_zone(data: Mapping[str, Any]) -> str | None:
    zone = str(data.get("time_zone") or "").strip()
    if not zone:
        return None
    if len(zone) > TIME_ZONE_MAX or not is_time_zone(zone):
        raise ServiceError(BAD_ZONE, "time_zone")
    return zone


def _new_row(ctx: WorkspaceContext) -> NotificationPreference:
    """A row holding the defaults, as a first change starts from."""
    if ctx.membership is None:
        raise Forbidden("notifications.own")
    # Nothing named: every kind keeps its default (``notices.is_on``).
    row = NotificationPreference(membership_id=ctx.membership.id, email_off="", app_off="", member_digest=False)
    db.session.add(row)
    return row


def _set_digest(row: NotificationPreference, role: Role | None, digest: str) -> None:
    # None means "the default for my role", so a member made coordinator later gets the coordinators' default.
    row.digest = None if digest == default_digest(role) else digest
    # The digest of a person who is not a coordinator is the member digest ("what concerns me").
    row.member_digest = role != Role.COORDINATOR and digest != DIGEST_OFF


def _save_safe_mode(ctx: WorkspaceContext, wanted: bool) -> None:
    """Safe mode through the advisory area's own service (its checks, its audit entry)."""
    profile = safety.own_profile(ctx)
    if bool(profile and profile.safe_mode) == wanted:
        return
    values = safety.form_values(ctx, profile)
    if profile is None:
        # Before their first save every email reached them, reminders included: keep that, change only this.
        values |= {"allow_email": True, "wants_reminders": True}
    safety.save_preferences(ctx, values | {"safe_mode": wanted})


def save_preferences(ctx: WorkspaceContext, data: Mapping[str, Any]) -> NotificationPreference:
    """The person saves their notification preferences (``data``: ``email`` and ``app``, the kind keys
    ticked; ``digest``; ``digest_weekday``, ``digest_hour`` and ``time_zone``, empty for the default;
    ``safe_mode`` where they keep it). Kinds their role does not get keep what they were."""
    ctx.require("notifications.own")
    mine = {kind.key for _, kind in kinds_for(ctx.role)}
    email_on = _chosen_kinds(data, "email", mine)
    app_on = _chosen_kinds(data, "app", mine)
    digest = _digest(data, ctx.role)
    weekday = _optional_number(data, "digest_weekday", 6, "Choose a day of the week from the list.")
    hour = _optional_number(data, "digest_hour", 23, "Choose an hour from the list (00:00 to 23:00).")
    zone = _time_zone(data)
    if offers_safe_mode(ctx):
        _save_safe_mode(ctx, form_flag(data, "safe_mode"))
    row = own_preference(ctx) or _new_row(ctx)
    kinds = [kind for _, kind in kinds_for(ctx.role)]
    row.email_off = notices.saved_choices(row.email_off, kinds, email_on, email=True)
    row.app_off = notices.saved_choices(row.app_off, kinds, app_on, email=False)
    _set_digest(row, ctx.role, digest)
    row.digest_weekday, row.digest_hour, row.time_zone = weekday, hour, zone
    db.session.flush()
    return row


# --- the partnership's settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsPage:
    reminder_offsets: tuple[int, ...]
    digest_weekday: int
    digest_hour: int

    def form_data(self) -> dict[str, Any]:
        return {
            "reminder_offsets": [str(minutes) for minutes in self.reminder_offsets],
            "digest_weekday": str(self.digest_weekday),
            "digest_hour": str(self.digest_hour),
        }


def settings_page(ctx: WorkspaceContext) -> SettingsPage:
    """The partnership's notification settings (the defaults until a coordinator saves them)."""
    ctx.require("notifications.settings")
    row = notices.settings(ctx)
    return SettingsPage(tuple(notices.parse_offsets(row.reminder_offsets)), row.digest_weekday, row.digest_hour)


def _required_number(data: Mapping[str, Any], name: str, high: int, message: str) -> int:
    number = _optional_number(data, name, high, message)
    if number is None:
        raise ServiceError(message, name)
    return number


def _offsets(data: Mapping[str, Any]) -> str:
    raw = data.get("reminder_offsets") or []
    values = [raw] if isinstance(raw, str) else list(raw)
    allowed = {minutes for minutes, _ in REMINDER_CHOICES}
    chosen = set()
    for value in values:
        minutes = parse_int(value, low=1, high=max(allowed))
        if minutes not in allowed:
            raise ServiceError("Choose reminder times from the list.", "reminder_offsets")
        chosen.add(minutes)
    return " ".join(str(minutes) for minutes in sorted(chosen, reverse=True))


def save_settings(ctx: WorkspaceContext, data: Mapping[str, Any]) -> NotificationSettings:
    """A coordinator sets the partnership's default reminder times (``reminder_offsets``: minutes, from
    ``REMINDER_CHOICES``; none means no reminder unless a meeting sets its own) and the digest's weekday and
    local hour."""
    ctx.require("notifications.settings")
    offsets = _offsets(data)
    weekday = _required_number(data, "digest_weekday", 6, "Choose a day of the week from the list.")
    hour = _required_number(data, "digest_hour", 23, "Choose an hour from the list (00:00 to 23:00).")
    row = db.session.scalars(scoped(select(NotificationSettings))).one_or_none()
    created = row is None
    if row is None:
        row = NotificationSettings(
            reminder_offsets=DEFAULT_REMINDER_OFFSETS,
            digest_weekday=DEFAULT_DIGEST_WEEKDAY,
            digest_hour=DEFAULT_DIGEST_HOUR,
        )
        db.session.add(row)
    changed = [
        name
        for name, value in (("reminder_offsets", offsets), ("digest_weekday", weekday), ("digest_hour", hour))
        if getattr(row, name) != value
    ]
    row.reminder_offsets, row.digest_weekday, row.digest_hour = offsets, weekday, hour
    db.session.flush()
    if changed or created:
        audit.record(ctx, "notification_settings.updated", "notification_settings", row.id, fields=changed)
    return row


# --- one-click unsubscribe ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsubscribeLanding:
    """What an unsubscribe link stops, for whom; ``neutral`` when the person keeps safe mode (the page then
    names neither the partnership nor the kind: it may be read over a shoulder, like their email)."""

    ctx: WorkspaceContext
    kind: str
    label: str
    neutral: bool
    stopped: bool  # that email is off already

    @property
    def is_digest(self) -> bool:
        return self.kind == DIGEST


def _landing(ctx: WorkspaceContext, kind: str, row: NotificationPreference | None) -> UnsubscribeLanding:
    if kind == DIGEST:
        label = "The digest"
        chosen = (row.digest if row else None) or default_digest(ctx.role)
        stopped = chosen == DIGEST_OFF
    else:
        try:
            notice = notices.kind_of(kind)
        except LookupError:
            raise NotFound("unsubscribe link (a kind no area sends)") from None
        label = notice.label
        email_off, _ = _current_off(row)
        stopped = kind in email_off
    email = ctx.user.email if ctx.user else ""
    neutral = mail_verdict(ctx.partnership.id, email, kind) == "safe"
    return UnsubscribeLanding(ctx, kind, label, neutral, stopped)


def open_unsubscribe_link(token: str) -> UnsubscribeLanding:
    """Check an unsubscribe link and bind the session to its partnership; ``NotFound`` when it is not a
    link of ours or its person is no longer in the partnership. Nothing is written."""
    claim = notices.read_unsubscribe_token(token)
    if claim is None:
        raise NotFound("unsubscribe link")
    partnership_id, membership_id, kind = claim
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound("unsubscribe link (no such partnership)")
    bind_tenant(db.session, partnership.id)
    stmt = select(Membership, User).join(User, User.id == Membership.user_id).where(Membership.id == membership_id)
    found = db.session.execute(scoped(stmt)).one_or_none()
    if found is None:
        bind_tenant(db.session, None)
        raise NotFound("unsubscribe link (not a member)")
    membership, user = found[0], found[1]
    bind_tenant(db.session, partnership.id, user.id)
    ctx = WorkspaceContext(partnership, membership, user)
    return _landing(ctx, kind, own_preference(ctx))


def unsubscribe(token: str) -> UnsubscribeLanding:
    """Turn off what the link names (its kind's email, or the digest) for its person: the one-click POST."""
    landing = open_unsubscribe_link(token)
    ctx = landing.ctx
    row = own_preference(ctx) or _new_row(ctx)
    if landing.is_digest:
        row.digest = DIGEST_OFF
        row.member_digest = False
    else:
        row.email_off = notices.saved_choices(row.email_off, [notices.kind_of(landing.kind)], set(), email=True)
    db.session.flush()
    return _landing(ctx, landing.kind, row)
