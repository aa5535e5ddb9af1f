"""Awareness days: the toolkit's (reference data) and the partnership's own, which of them it observes,
when they fall, and what is coming up.

Every read here loads the partnership's own days and hidden toolkit keys in ONE statement
(``observed_days``; at most ``CUSTOM_MAX`` own days, so a page's work is bounded) and computes dates
in Python with ``rules.py`` (python-dateutil; ``rules.occurrence`` is memoised per rule and year): a
calendar page costs the same statements for 10 days or 200.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, literal, null, select, union_all

from partnership_hub import toolkit
from partnership_hub.audit import services as audit
from partnership_hub.awareness.models import (
    DEFAULT_LEAD_DAYS,
    AwarenessDay,
    AwarenessHiddenDay,
    AwarenessSettings,
    CampaignPlan,
)
from partnership_hub.awareness.rules import (
    DayRule,
    Occurrence,
    RuleKind,
    builtin_rule,
    check,
    describe,
    occurrences_between,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.parsing import form_text, parse_date, parse_id, parse_int

CUSTOM_MAX = 500  # a partnership's own days (the calendar computes every observed day's dates)
NAME_MAX = max_length(AwarenessDay.__table__.c.name)
TEXT_MAX = 2000
UPCOMING_DAYS = 365
BUILTIN = {day.key: day for day in toolkit.AWARENESS_DAYS}


# --- what the partnership observes ------------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    """One observed (or hidden) day: a toolkit day (``key``) or one of the partnership's own (``day_id``)."""

    ref: str  # "toolkit:<key>" or "custom:<id>" — how forms and campaign plans name it
    label: str
    rule: DayRule
    when: str  # the rule in words
    description: str = ""
    key: str | None = None
    day_id: int | None = None
    hidden: bool = False

    @property
    def builtin(self) -> bool:
        return self.key is not None


@dataclass(frozen=True)
class Observed:
    days: list[DayEntry]  # observed, toolkit days first in the brief's order, then the partnership's by name
    hidden: list[DayEntry]  # toolkit days the partnership does not observe
    lead_days: int


def _rule_of(row: Any, custom: dict[int, Any]) -> DayRule:
    kind = RuleKind(row.kind)
    if kind == RuleKind.OFFSET:
        if row.base_key:
            base = builtin_rule(BUILTIN[row.base_key]) if row.base_key in BUILTIN else None
        else:
            parent = custom.get(row.base_day_id)
            base = _rule_of(parent, {}) if parent is not None else None
        return DayRule(RuleKind.OFFSET, base=base, offset_days=row.offset_days)
    return DayRule(kind, month=row.month, day=row.day, weekday=row.weekday, nth=row.nth, on=row.on_date)


def _base_label(row: Any, custom: dict[int, Any]) -> str:
    if row.base_key and row.base_key in BUILTIN:
        return BUILTIN[row.base_key].label
    parent = custom.get(row.base_day_id)
    return parent.name if parent is not None else ""


def observed_days(ctx: WorkspaceContext) -> Observed:
    """The days the partnership observes, the toolkit days it hides, and its lead time: ONE statement."""
    own = select(
        AwarenessDay.id,
        AwarenessDay.name,
        AwarenessDay.description,
        AwarenessDay.kind,
        AwarenessDay.month,
        AwarenessDay.day,
        AwarenessDay.weekday,
        AwarenessDay.nth,
        AwarenessDay.on_date,
        AwarenessDay.base_key,
        AwarenessDay.base_day_id,
        AwarenessDay.offset_days,
        literal("day").label("row_kind"),
    ).limit(CUSTOM_MAX)
    hidden = select(
        null(), AwarenessHiddenDay.day_key, null(), null(), null(), null(), null(), null(), null(), null(), null(),
        literal(0), literal("hidden"),
    )  # fmt: skip
    lead = select(
        null(), null(), null(), null(), AwarenessSettings.lead_days, null(), null(), null(), null(), null(), null(),
        literal(0), literal("settings"),
    )  # fmt: skip
    # SQLite takes no LIMIT on a bare member of a UNION: the limited part goes in as a subquery.
    rows = db.session.execute(union_all(scoped(own).subquery().select(), scoped(hidden), scoped(lead))).all()
    custom = {row.id: row for row in rows if row.row_kind == "day"}
    hidden_keys = {row.name for row in rows if row.row_kind == "hidden"}
    lead_days = next((row.month for row in rows if row.row_kind == "settings"), None) or DEFAULT_LEAD_DAYS
    shown: list[DayEntry] = []
    hidden_days: list[DayEntry] = []
    for day in toolkit.AWARENESS_DAYS:
        rule = builtin_rule(day)
        when = day.when or describe(rule)
        entry = DayEntry(f"toolkit:{day.key}", day.label, rule, when, key=day.key, hidden=day.key in hidden_keys)
        (hidden_days if entry.hidden else shown).append(entry)
    for row in sorted(custom.values(), key=lambda r: (r.name.lower(), r.id)):
        rule = _rule_of(row, custom)
        when = describe(rule, _base_label(row, custom))
        shown.append(DayEntry(f"custom:{row.id}", row.name, rule, when, description=row.description, day_id=row.id))
    return Observed(shown, hidden_days, lead_days)


# --- when they fall --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    day: DayEntry
    when: Occurrence
    days_away: int  # 0 while it is running
    plan_from: date  # its start less the partnership's lead time

    @property
    def in_lead_time(self) -> bool:
        return self.days_away <= (self.when.start - self.plan_from).days


def upcoming(ctx: WorkspaceContext, observed: Observed, today: date, horizon: int = UPCOMING_DAYS) -> list[Upcoming]:
    """Every observed day still running or starting within ``horizon`` days, soonest first."""
    found = []
    for day in observed.days:
        for hit in occurrences_between(day.rule, today, today + timedelta(days=horizon)):
            days_away = max((hit.start - today).days, 0)
            found.append(Upcoming(day, hit, days_away, hit.start - timedelta(days=observed.lead_days)))
    return sorted(found, key=lambda u: (u.when.start, u.day.label))


# --- the personal calendar feed (meetings loops over the areas; the month view reads queries.py) ------


def feed_events(ctx: WorkspaceContext, first: date, last: date) -> list[Any]:
    """All-day events for the personal calendar feed: (uid part, summary, start, end exclusive)."""
    from partnership_hub.areas import FeedEvent

    return [
        FeedEvent(f"awareness-{day.ref.replace(':', '-')}-{hit.start.isoformat()}", day.label, hit.start, hit.end)
        for day in observed_days(ctx).days
        for hit in occurrences_between(day.rule, first, last)
    ]


# --- the partnership's own days -----------------------------------------------------------------------


def get_day(ctx: WorkspaceContext, awareness_day_id: int) -> AwarenessDay:
    return get_scoped(db.session, AwarenessDay, awareness_day_id)


def _int_field(data: dict[str, Any], name: str, low: int, high: int, message: str) -> int | None:
    raw = str(data.get(name) or "").strip()
    if not raw:
        return None
    value = parse_int(raw.lstrip("-"), low=0, high=10_000)
    if value is None:
        raise ServiceError(message, name)
    value = -value if raw.startswith("-") else value
    if not low <= value <= high:
        raise ServiceError(message, name)
    return value


def _rule_values(ctx: WorkspaceContext, data: dict[str, Any], editing: AwarenessDay | None) -> dict[str, Any]:
    raw_kind = str(data.get("kind") or "")
    if raw_kind not in RuleKind.__members__.values():
        raise ServiceError("Choose how the date is set.", "kind")
    kind = RuleKind(raw_kind)
    values: dict[str, Any] = dict.fromkeys(("month", "day", "weekday", "nth", "on_date", "base_key", "base_day_id"))
    values["offset_days"] = 0
    base_rule = None
    if kind in (RuleKind.FIXED, RuleKind.NTH_WEEKDAY, RuleKind.MONTH):
        values["month"] = _int_field(data, "month", 1, 12, "Choose a month.")
    if kind == RuleKind.FIXED:
        values["day"] = _int_field(data, "day", 1, 31, "Enter the day of the month, from 1 to 31.")
    if kind == RuleKind.NTH_WEEKDAY:
        values["weekday"] = _int_field(data, "weekday", 0, 6, "Choose a weekday.")
        values["nth"] = _int_field(data, "nth", -1, 5, "Choose which one: first to fifth, or last.")
    if kind == RuleKind.ONE_OFF:
        raw = data.get("on_date")
        values["on_date"] = parse_date(raw) if raw else None
        if values["on_date"] is None:
            raise ServiceError("Enter the date like 2027-03-31.", "on_date")
    if kind == RuleKind.OFFSET:
        offset = _int_field(data, "offset_days", -180, 180, "Enter a number of days from 1 to 180.")
        direction = -1 if str(data.get("direction") or "after") == "before" else 1
        values["offset_days"] = abs(offset or 0) * direction
        ref = str(data.get("base") or "")
        if ref.startswith("toolkit:") and ref.removeprefix("toolkit:") in BUILTIN:
            values["base_key"] = ref.removeprefix("toolkit:")
            base_rule = builtin_rule(BUILTIN[values["base_key"]])
        elif ref.startswith("custom:") and (base_id := parse_id(ref.removeprefix("custom:"))) is not None:
            parent = db.session.scalars(scoped(select(AwarenessDay).where(AwarenessDay.id == base_id))).one_or_none()
            if parent is None or (editing is not None and parent.id == editing.id):
                raise ServiceError("Choose another day to count from.", "base")
            if parent.kind == RuleKind.OFFSET:
                raise ServiceError("Count from a day with a date of its own, not from another offset.", "base")
            values["base_day_id"] = parent.id
            base_rule = _rule_of(parent, {})
        else:
            raise ServiceError("Choose the day it counts from.", "base")
    rule = DayRule(
        kind,
        month=values["month"],
        day=values["day"],
        weekday=values["weekday"],
        nth=values["nth"],
        on=values["on_date"],
        base=base_rule,
        offset_days=values["offset_days"],
    )
    check(rule)  # refuses what can never produce a date, at the field at fault
    # The form's field for a one-off date is "on_date"; rules.check names it "on".
    return values | {"kind": kind}


def _day_values(ctx: WorkspaceContext, data: dict[str, Any], editing: AwarenessDay | None) -> dict[str, Any]:
    name = form_text(data, "name", NAME_MAX, "Give the day a name.")
    description = form_text(data, "description", TEXT_MAX)
    try:
        values = _rule_values(ctx, data, editing)
    except ServiceError as error:
        if error.field == "on":
            raise ServiceError(str(error), "on_date") from None
        raise
    # A day others count from must keep a date of its own.
    if editing is not None and values["kind"] == RuleKind.OFFSET:
        counted_from = select(AwarenessDay.id).where(AwarenessDay.base_day_id == editing.id).limit(1)
        if db.session.scalars(scoped(counted_from)).first() is not None:
            raise ServiceError("Other days count from this one, so it needs a date of its own.", "kind")
    return values | {"name": name, "description": description}


def create_day(ctx: WorkspaceContext, data: dict[str, Any]) -> AwarenessDay:
    """Add a day the partnership observes (a fixed date, a weekday of a month, a month, a one-off date,
    or an offset from another day); a rule that can never produce a date is refused at its field."""
    values = _day_values(ctx, data, None)
    count = db.session.scalar(scoped(select(func.count(AwarenessDay.id))))
    if (count or 0) >= CUSTOM_MAX:
        raise ServiceError(f"A partnership can keep {CUSTOM_MAX} days of its own; remove one first.", "name")
    day = AwarenessDay(**values, created_by_membership_id=ctx.membership.id if ctx.membership else None)
    db.session.add(day)
    db.session.flush()
    audit.record(ctx, "awareness_day.created", "awareness_day", day.id)
    return day


def update_day(ctx: WorkspaceContext, day: AwarenessDay, data: dict[str, Any]) -> AwarenessDay:
    """Change a day's name, description or rule."""
    for name, value in _day_values(ctx, data, day).items():
        setattr(day, name, value)
    db.session.flush()
    audit.record(ctx, "awareness_day.updated", "awareness_day", day.id)
    return day


def delete_day(ctx: WorkspaceContext, day: AwarenessDay) -> None:
    """Remove one of the partnership's own days (not one others count from; its campaign plans go too)."""
    counted_from = select(AwarenessDay.id).where(AwarenessDay.base_day_id == day.id).limit(1)
    if db.session.scalars(scoped(counted_from)).first() is not None:
        raise ServiceError("Other days count from this one; change or remove them first.", "day")
    plans = select(CampaignPlan.id).where(CampaignPlan.awareness_day_id == day.id)
    from partnership_hub.awareness import campaigns

    for plan_id in db.session.scalars(scoped(plans)).all():
        campaigns.delete_plan(ctx, get_scoped(db.session, CampaignPlan, plan_id))
    audit.record(ctx, "awareness_day.deleted", "awareness_day", day.id)
    db.session.delete(day)
    db.session.flush()


def set_observed(ctx: WorkspaceContext, data: dict[str, Any]) -> bool:
    """Observe a toolkit day again, or hide it (its campaign plans stay). Returns whether it is observed."""
    key = str(data.get("key") or "")
    if key not in BUILTIN:
        raise ServiceError("Choose one of the toolkit's days.", "key")
    observe = str(data.get("observe") or "") == "1"
    db.session.execute(delete(AwarenessHiddenDay).where(AwarenessHiddenDay.day_key == key))
    if not observe:
        db.session.add(AwarenessHiddenDay(day_key=key))
    db.session.flush()
    audit.record(ctx, "awareness_day.observed" if observe else "awareness_day.hidden", "awareness_day", None, key=key)
    return observe


def set_lead_days(ctx: WorkspaceContext, data: dict[str, Any]) -> int:
    """How many days ahead a day shows as coming up and is announced (1-120)."""
    lead = _int_field(data, "lead_days", 1, 120, "Enter a number of days from 1 to 120.")
    if lead is None:
        raise ServiceError("Enter a number of days from 1 to 120.", "lead_days")
    settings = db.session.scalars(scoped(select(AwarenessSettings))).one_or_none() or AwarenessSettings()
    settings.lead_days = lead
    db.session.add(settings)
    db.session.flush()
    audit.record(ctx, "awareness_settings.updated", "awareness_settings", settings.id)
    return lead


# --- facts, seeds ------------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's awareness question: campaign plans made (capped)."""
    plans = select(CampaignPlan.id).limit(100).subquery()
    return {"campaign_plans": select(func.count()).select_from(plans).scalar_subquery()}
