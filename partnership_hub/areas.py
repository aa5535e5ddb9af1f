"""The area registry: what each installed area contributes, declared in one place per area.

An area is a package ``partnership_hub/<name>/`` whose ``area.py`` defines ``AREA = Area(...)``.
The app factory, Celery and beat, the role matrix, the navigation, the audit labels and activity
feed, the setup guide, the workspace home, ``flask seed-demo`` and the route-walking test all loop
over ``installed()``; none of them names an area. Adding an area is: its folder, one line in
``INSTALLED_AREAS``, and its migration.

Heavy things (blueprints, task modules, loaders) are named as ``"module:attribute"`` strings and
imported only when used, so reading the registry never imports views or services (no cycles).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, Integer, Text, cast, null, type_coerce

if TYPE_CHECKING:
    from partnership_hub.workspaces.models import Role

# The installed areas, in dependency order (demo data and test seeds run in this order).
INSTALLED_AREAS: tuple[str, ...] = (
    "accounts",
    "workspaces",
    "members",
    "resources",
    "goals",
    "actions",
    "meetings",
    "governance",
    "advisory",
    "funding",
    "awareness",
    "setup",
    "audit",
    "notifications",
)

# Identity and tenancy: the shared layer (context, policies, web/tenancy) is built on these two
# areas' models and services; every other area is reached only through the registry.
CORE_AREAS = frozenset({"accounts", "workspaces"})

Facts = dict[str, Any]


@dataclass(frozen=True)
class NavEntry:
    """A workspace navigation entry. ``also`` lists the other endpoints (or ``"prefix*"``) whose pages
    belong to it: every workspace page is claimed by exactly one entry, which the layout marks current.

    ``group`` is the navigation section it sits in (``"Work"``, ``"Partnership"``...); an area that
    brings a section of its own (governance, the advisory board) names it. Sections come in the order
    of their first entry; a section with one entry the viewer may see is shown as that entry alone."""

    endpoint: str
    label: str
    action: str = "workspace.view"
    order: int = 100
    also: tuple[str, ...] = ()
    group: str = ""

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        if endpoint == self.endpoint:
            return True
        return any(endpoint.startswith(p[:-1]) if p.endswith("*") else endpoint == p for p in self.also)


@dataclass(frozen=True)
class FeedTarget:
    """How the activity feed names and links the record an audit entry is about (its target_type).

    ``model`` (``"module:Class"``) lets the feed look up the record's current ``title_attr`` and
    link to ``endpoint`` with the id as ``id_arg``. Who may see entries about it: a model that opts
    into the confidentiality layer is filtered by its rule; ``visible_ids`` (``"module:function"``)
    covers records whose visibility comes from another record (an objective or action item under a
    goal). It is called with the viewer's membership and the date, and returns a SELECT of ids, or None
    when this viewer may see every record of the kind (the feed then adds no rule). The feed's rule is
    built once per permission shape and kept, so the date is ``VIEWER_TODAY`` there: any date rule
    (a grant's end, the board) must use it, never a date of its own, which would stay the day it was built."""

    noun: str
    endpoint: str | None = None
    id_arg: str | None = None
    model: str | None = None
    title_attr: str = "title"
    visible_ids: str | None = None


@dataclass(frozen=True)
class SetupCheck:
    """Where a setup-guide question is answered and, where the data can show it, a check on facts."""

    endpoint: str | None
    check: Callable[[Facts], bool] | None = None
    done_text: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A panel on the workspace home.

    ``scalars(ctx)`` returns named scalar subqueries; every panel's are evaluated together in ONE
    round trip. ``load(ctx, values)`` turns them (and at most a query of its own) into the panel's
    template context, or None to leave the panel out."""

    key: str
    template: str
    load: str
    section: str = "partnership"  # "your_work" comes first, then "partnership"
    order: int = 100
    action: str = "workspace.view"
    scalars: str | None = None


@dataclass(frozen=True)
class WorkItem:
    """One thing on someone's "Your work" list: what it is, where it lives (``endpoint`` and its
    ``args``, for ``url_for``), when it is due and whether that has passed."""

    title: str
    endpoint: str
    args: Mapping[str, Any] = field(default_factory=dict)
    kind: str = ""  # what it is, where a list mixes kinds ("Objective")
    due: date | None = None
    overdue: bool = False
    note: str = ""  # a short word on its state ("In progress", "Under “<goal>”")
    # A second link after the item, to act on it where it lives ("Answer" → the meeting's #attendance).
    action: str = ""
    action_endpoint: str = ""
    action_args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkList:
    """A kind's first items and how many more there are (counted up to a cap: ``more_exact`` False
    means "at least"), with the filtered list that holds them all."""

    items: tuple[WorkItem, ...]
    more: int = 0
    more_exact: bool = True
    more_endpoint: str | None = None
    more_args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def more_label(self) -> str:
        return f"{self.more:,}" if self.more_exact else f"{self.more:,}+"

    @classmethod
    def counted(
        cls,
        items: Sequence[WorkItem],
        found: int,
        *,
        cap: int | None = None,
        more_endpoint: str | None = None,
        more_args: Mapping[str, Any] | None = None,
    ) -> WorkList:
        """``items`` and the rest of the ``found`` ones (a count that stopped one past ``cap``)."""
        cap = WORK_COUNT_CAP if cap is None else cap
        return cls(
            tuple(items),
            more=max(0, min(found, cap) - len(items)),
            more_exact=found <= cap,
            more_endpoint=more_endpoint,
            more_args=more_args or {},
        )


# "and 100+ more": a kind counts what it would list up to here (one past it), since counting further
# would cost in proportion to the data.
WORK_COUNT_CAP = 100


# The columns every "Your work" kind's SELECT has, in this order (``work_columns`` makes them), so the
# home can put every kind of every area into ONE ``UNION ALL``.
WORK_COLUMNS = ("id", "title", "due", "at", "label", "tag", "found")


def work_columns(
    *, record_id: Any, title: Any, found: Any, due: Any = None, at: Any = None, label: Any = None, tag: Any = None
) -> list[Any]:
    """The labelled, typed columns of a "Your work" SELECT: the record's id (``record_id``) and ``title``, a ``due``
    date and/or an ``at`` time (UTC), a short ``label`` (a status, an RSVP) and ``tag`` (which sort of
    record, where a kind mixes them), and ``found``: the kind's capped count of everything it would list.
    Missing ones are typed NULLs (PostgreSQL needs one type per column across the UNION); present ones
    are not CAST (SQLite would turn a date's text into a number), only typed for reading back."""

    def typed(value: Any, type_: Any) -> Any:
        return cast(null(), type_) if value is None else type_coerce(value, type_)

    return [
        typed(record_id, Integer()).label("id"),
        typed(title, Text()).label("title"),
        typed(due, Date()).label("due"),
        typed(at, DateTime(timezone=True)).label("at"),
        typed(label, Text()).label("label"),
        typed(tag, Text()).label("tag"),
        typed(found, Integer()).label("found"),
    ]


@dataclass(frozen=True)
class WorkRow:
    """One row of a kind's SELECT as the home read it (dates and times already parsed, ``at`` aware UTC)."""

    id: int
    title: str
    due: date | None
    at: datetime | None
    label: str
    tag: str
    found: int


@dataclass(frozen=True)
class WorkQuery:
    """What a "Your work" kind asks: ``select`` (``work_columns``; at most ``limit`` rows read by a LIMIT
    walk of an index, each carrying the capped count in ``found``) and ``build(rows)``, which turns the
    rows it got back (in no particular order) into the kind's ``WorkList``.

    The home runs on every visit, so a kind builds its ``select`` once per permission shape (the
    confidentiality layer's ``Viewer``) and limit, and keeps it: the person, their day, the time and
    any window's far end are the viewer's parameters (``VIEWER_ID``, ``VIEWER_TODAY``, ``VIEWER_NOW``,
    a ``ViewerParameter``), which ``viewer_params`` fills. A kept statement is neither rebuilt nor
    fingerprinted again, which was most of the home's Python."""

    select: Any
    build: Callable[[Sequence[WorkRow]], WorkList]


@dataclass(frozen=True)
class YourWork:
    """A kind of work an area puts first on the signed-in person's home, under "Your work": their
    action items, goals they own, their next meetings; later agreements to acknowledge.

    ``load`` (``"module:function(ctx, limit)"``) returns a ``WorkQuery`` (or None to leave the kind
    out): a SELECT of ``work_columns`` for at most ``limit`` items with a capped count of the rest,
    whose cost does not grow with the data (a LIMIT walk of an index), and how to build its ``WorkList``.
    The home runs every kind's SELECT together in ONE statement (a ``UNION ALL``), so the home costs the
    same however many kinds the areas bring. Only people whose role may ``action`` get the kind at all
    (observers have no work of their own). ``empty`` is said when there is nothing."""

    key: str
    heading: str
    load: str
    empty: str = ""
    order: int = 100
    action: str = "workspace.view"


@dataclass(frozen=True)
class FirstStep:
    """A step of the coordinators' "Getting started" card on the home. ``check(facts)`` reads the
    setup guide's facts (``Area.setup_facts``, evaluated with the home's other numbers in one round
    trip) and ticks the step when the data shows it is done; the card goes once every step is."""

    key: str
    title: str
    text: str
    endpoint: str
    link_text: str
    check: Callable[[Facts], bool]
    done_text: str = ""
    order: int = 100
    anchor: str | None = None


@dataclass(frozen=True)
class CalendarEntry:
    """Something an area shows on a day of the meetings' month view (an awareness day)."""

    day: date
    label: str
    url: str | None = None
    kind: str = "other"


@dataclass(frozen=True)
class FeedEvent:
    """An all-day event an area adds to a person's calendar feed (``end`` inclusive)."""

    uid: str  # unique within the partnership and stable across fetches
    summary: str
    start: date
    end: date


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notification an area sends (``notifications.notices.notify``): what the preferences page
    lists, with a sentence on when it comes. ``roles``: who may get it at all (None: every role);
    ``email`` / ``app``: on by default by email / in the notification centre."""

    key: str  # also the outbox kind and the first part of its deduplication key
    label: str
    help: str = ""
    roles: frozenset[str] | None = None
    email: bool = True
    app: bool = True
    order: int = 100


@dataclass(frozen=True)
class Area:
    """Everything one area contributes to the product."""

    name: str
    label: str
    blueprints: tuple[str, ...] = ()
    init_app: str | None = None  # "module:function(app)" for anything else the area sets up on the app
    models: str | None = None
    permissions: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    record_rules: Mapping[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    membership_rules: Mapping[str, Callable[[Any], bool]] = field(default_factory=dict)
    nav: tuple[NavEntry, ...] = ()
    audit_labels: Mapping[str, str] = field(default_factory=dict)
    feed_targets: Mapping[str, FeedTarget] = field(default_factory=dict)
    # "module:function(ctx) -> dict[str, scalar subquery | value]": built once per permission shape from a
    # stand-in context (``confidentiality.SharedContext``: the person, today and now are parameters), so it
    # may not read the partnership; values that come from the partnership's own row go in ``setup_values``,
    # "module:function(ctx) -> dict[str, value]", called per request.
    setup_facts: str | None = None
    setup_values: str | None = None
    setup_checks: Mapping[str, SetupCheck] = field(default_factory=dict)
    home_panels: tuple[HomePanel, ...] = ()
    your_work: tuple[YourWork, ...] = ()  # the home's "Your work" kinds
    first_steps: tuple[FirstStep, ...] = ()  # steps of the coordinators' "Getting started" card
    tasks: tuple[str, ...] = ()  # modules defining Celery tasks
    beat: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    demo: str | None = None  # "module:function(ctx, people)" seeds the demo partnership
    test_seed: str | None = None  # "module:function(ctx)": one record of every kind a route takes
    # Endpoints (or "prefix*") that answer 404 to members the area has not admitted (the advisory board's
    # restricted area: admission is a seat or the chair's grant, not a role). The route walk accepts a 404
    # there; the area's own tests prove who is admitted and who is not.
    admitted_only: tuple[str, ...] = ()
    # "module:function(ctx, first, last) -> list[CalendarEntry]": entries on the month view (ONE bounded
    # statement), and "module:function(ctx, first, last) -> list[FeedEvent]": all-day events in the
    # personal calendar feed (the feed's context is the feed owner's).
    calendar_entries: str | None = None
    feed_events: str | None = None
    # "module:function(ctx)": recompute what the area stores in the partnership's local time, called
    # in the same transaction when a coordinator changes the partnership's time zone.
    on_time_zone_change: str | None = None
    # "module:function(partnership_id, to_address, kind) -> 'send' | 'safe' | 'drop'": asked before any
    # email of a partnership is queued (``notifications.services.queue_email``); the strictest answer wins.
    mail_rule: str | None = None
    # Notifications (the notifications area runs them):
    # the kinds of notice the area sends, listed on everyone's preferences page;
    notice_kinds: tuple[NoticeKind, ...] = ()
    # "module:function(ctx, now) -> int": queue what has come due (reminders, "due soon" notices), called
    # for every partnership by the planning beat (``notifications.plan``, every few minutes), bound to it,
    # one commit per partnership. Idempotent: everything it queues has a deduplication key;
    notice_planner: str | None = None
    # prefix -> "module:function(ref, now) -> bool": is a queued message whose ``valid_while`` is
    # "<prefix>:<ref>" still true to its record? Asked just before sending, with the session bound to the
    # message's partnership; False: the message is superseded, never sent (a meeting moved or cancelled);
    mail_checks: Mapping[str, str] = field(default_factory=dict)
    # "module:function(digest) -> None": what the area adds to the coordinators' and members' digests
    # (``notifications.digest``), in a fixed number of statements per partnership.
    digest: str | None = None
    # name -> "module:function(membership_id, now) -> scalar subquery": a small number about the signed-in person
    # shown on every workspace page (the unread notifications in the header), folded into the statement
    # that loads their membership (``web/tenancy.py``; read back with ``tenancy.membership_badge(name)``):
    # no statement of its own. ``membership_id`` is the membership's id column to correlate with (a count
    # over a LIMITed subquery in FROM must say so: ``correlate_except``); keep it a capped index probe.
    # ``now`` is the request's time as a bound parameter: the statement is built once per worker.
    membership_badges: Mapping[str, str] = field(default_factory=dict)


@cache
def installed() -> tuple[Area, ...]:
    """The installed areas' declarations, in ``INSTALLED_AREAS`` order."""
    areas = []
    for name in INSTALLED_AREAS:
        area = import_module(f"partnership_hub.{name}.area").AREA
        if area.name != name:
            raise RuntimeError(f"partnership_hub/{name}/area.py declares area {area.name!r}")
        areas.append(area)
    return tuple(areas)


def resolve(reference: str) -> Any:
    """Import ``"package.module:attribute"`` and return the attribute."""
    module, _, attribute = reference.partition(":")
    return getattr(import_module(module), attribute) if attribute else import_module(module)


def import_models() -> None:
    """Import every area's models, so the metadata (and Alembic) see the whole schema."""
    import_module("partnership_hub.confidentiality")
    for area in installed():
        if area.models:
            import_module(area.models)


@cache
def role_matrix() -> dict[str, frozenset[Role]]:
    """Every area's permissions, merged; an action declared twice is a mistake."""
    return _merged("permissions")


@cache
def record_rules() -> dict[str, Callable[[Any, Any], bool]]:
    return _merged("record_rules")


@cache
def membership_rules() -> dict[str, Callable[[Any], bool]]:
    return _merged("membership_rules")


@cache
def audit_labels() -> dict[str, str]:
    return _merged("audit_labels")


@cache
def feed_targets() -> dict[str, FeedTarget]:
    return _merged("feed_targets")


@cache
def setup_checks() -> dict[str, SetupCheck]:
    return _merged("setup_checks")


@cache
def beat_schedule() -> dict[str, dict[str, Any]]:
    return _merged("beat")


def nav_entries() -> list[NavEntry]:
    return sorted((entry for area in installed() for entry in area.nav), key=lambda entry: entry.order)


def home_panels() -> list[HomePanel]:
    panels = (panel for area in installed() for panel in area.home_panels)
    return sorted(panels, key=lambda panel: (panel.section != "your_work", panel.order))


def your_work() -> list[YourWork]:
    return sorted((entry for area in installed() for entry in area.your_work), key=lambda entry: entry.order)


def first_steps() -> list[FirstStep]:
    return sorted((step for area in installed() for step in area.first_steps), key=lambda step: step.order)


def setup_fact_queries(ctx: Any) -> dict[str, Any]:
    """Every installed area's setup facts (``Area.setup_facts``) for ``ctx``: plain values and scalar
    subqueries, to evaluate in one round trip (``workspaces.services.scalar_values`` keeps the statement
    per permission shape, building it from a ``SharedContext``)."""
    return _called("setup_facts", ctx)


def setup_values(ctx: Any) -> dict[str, Any]:
    """Every installed area's setup values (``Area.setup_values``): plain values read per request."""
    return _called("setup_values", ctx)


def _called(hook: str, ctx: Any) -> dict[str, Any]:
    """Every installed area's ``hook`` (a ``"module:function(ctx) -> dict"`` field) called, merged."""
    called: dict[str, Any] = {}
    for area in installed():
        if reference := getattr(area, hook):
            called |= resolve(reference)(ctx)
    return called


def mail_rules() -> list[Callable[[int, str, str], str]]:
    """Every installed area's ``mail_rule``, imported."""
    return [resolve(area.mail_rule) for area in installed() if area.mail_rule]


def notice_kinds() -> list[NoticeKind]:
    """Every installed area's notice kinds, in order (a key declared twice is a mistake)."""
    kinds = [kind for area in installed() for kind in area.notice_kinds]
    keys = [kind.key for kind in kinds]
    if len(keys) != len(set(keys)):
        raise RuntimeError("a notice kind is declared twice")
    return sorted(kinds, key=lambda kind: kind.order)


@cache
def mail_checks() -> dict[str, str]:
    return _merged("mail_checks")


@cache
def membership_badges() -> dict[str, Callable[[Any, Any], Any]]:
    """Every installed area's ``membership_badges``, imported: name -> function of the membership id
    column and the time (a bound parameter)."""
    return {name: resolve(reference) for name, reference in _merged("membership_badges").items()}


def task_modules() -> tuple[str, ...]:
    return tuple(module for area in installed() for module in area.tasks)


def _merged(attribute: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for area in installed():
        for key, value in getattr(area, attribute).items():
            if key in merged:
                raise RuntimeError(f"{attribute} {key!r} is declared by two areas (second: {area.name})")
            merged[key] = value
    return merged
