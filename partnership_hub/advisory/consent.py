"""The advisory area's consent section (issue #13): story and image consent.

A ``StoryConsent`` records what an advisor agreed to share — their story, their image, their name (at
least one) — for which use, from when and until when (open-ended until withdrawn when there is no end).
An advisor records their own; a coordinator may record one on an advisor's behalf (the page says who
recorded it, and the advisor sees it among their own). A consent is never edited: a change is a new
consent. It can be withdrawn at any time by the advisor alone — one click, immediate, no reason asked
(an optional note) — and never by anyone else, coordinators included (``policies``' record rule and
``withdraw_consent`` both refuse).

``ConsentUse`` rows say where the material is used (a video, a report, a web page). The consent's status
is derived when read — active, expired (its end date has passed in the partnership's time zone) or
withdrawn — by ONE SQL expression, ``effective_status``, beside its Python twin ``status_on``; the filters
and counts use the same rule (``status_clause``, ``consent_flag_clause``), so nothing flips at midnight.
A use under a consent that is no longer active is flagged "Take this down" on the consent's page, on the
list of uses and in the coordinators' home panel "Material to take down". Other areas that reference a
consent show the same flag with ``consent_flag_clause`` (SQL) or ``flags_for(ctx, consent_ids)`` and the
``advisory/consent/_flag.html`` partial.

Who sees what: coordinators see every consent (they use the material); an advisor sees their own (a
survivor advisor, anyone with a seat on the board, and anyone with a consent on record, so a change of
role never takes away the right to withdraw); everyone else is refused (403). Audit entries carry ids and
field names only, never the use or the note.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select

from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.advisory.consent_models import ConsentUse, StoryConsent
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import Forbidden, NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id
from partnership_hub.picking import Pick, PickSpec, pick_together
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import MEMBER_ORDER, capped_count

PAGE_SIZE = 25
ATTENTION_CAP = 100  # the home panel's count stops here ("100+")
PURPOSE_MAX = max_length(StoryConsent.__table__.c.purpose)
TITLE_MAX = max_length(ConsentUse.__table__.c.title)
LINK_MAX = max_length(ConsentUse.__table__.c.link)
NOTE_MAX = 1000

# What can be shared, in the order the forms and pages show it: key -> label.
MATERIALS: dict[str, str] = {"story": "Story", "image": "Image (photos, video)", "name": "Name"}


class ConsentStatus(enum.StrEnum):
    """A consent's status as of a day: never stored, always derived (``effective_status``)."""

    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[ConsentStatus, str] = {
    ConsentStatus.ACTIVE: "Active",
    ConsentStatus.EXPIRED: "Ended",
    ConsentStatus.WITHDRAWN: "Withdrawn",
}
FILTER_LABELS: dict[str, str] = {"": "Any status", **{status.value: label for status, label in STATUS_LABELS.items()}}
TAKEDOWN = "takedown"  # the uses list's filter: uses under a consent that is no longer active
USE_FILTER_LABELS: dict[str, str] = {"": "Every use", TAKEDOWN: "To take down"}


# --- status over time: one SQL expression and its Python twin ---------------------------------------


def effective_status(today: date, consent: Any = StoryConsent) -> ColumnElement[str]:
    """SQL: the consent's status as of ``today`` — withdrawn once withdrawn, expired once its end date
    has passed, else active (``status_on`` is its Python twin). ``consent`` may be an alias."""
    return case(
        (consent.withdrawn_at.is_not(None), literal(ConsentStatus.WITHDRAWN.value)),
        (consent.ends_on < today, literal(ConsentStatus.EXPIRED.value)),
        else_=literal(ConsentStatus.ACTIVE.value),
    )


def status_on(consent: StoryConsent, today: date) -> ConsentStatus:
    """The consent's status as of ``today`` (``effective_status`` in Python)."""
    if consent.withdrawn_at is not None:
        return ConsentStatus.WITHDRAWN
    if consent.ends_on is not None and consent.ends_on < today:
        return ConsentStatus.EXPIRED
    return ConsentStatus.ACTIVE


def status_clause(status: str, today: date, consent: Any = StoryConsent) -> ColumnElement[bool]:
    """SQL: consents whose status as of ``today`` is ``status`` (ranges of ``ix_story_consents_…_status``)."""
    open_ = consent.withdrawn_at.is_(None)
    if status == ConsentStatus.WITHDRAWN:
        return consent.withdrawn_at.is_not(None)
    if status == ConsentStatus.EXPIRED:
        return and_(open_, consent.ends_on < today)
    return and_(open_, or_(consent.ends_on.is_(None), consent.ends_on >= today))


def consent_flag_clause(today: date, consent: Any = StoryConsent) -> ColumnElement[bool]:
    """SQL: the consent no longer covers any use (withdrawn, or its end date has passed): whatever
    references it must come down. For other areas' queries too (pass an alias as ``consent``)."""
    return or_(consent.withdrawn_at.is_not(None), consent.ends_on < today)


@dataclass(frozen=True)
class ConsentFlag:
    """Why material shared under a consent must come down, and since when."""

    status: ConsentStatus  # EXPIRED or WITHDRAWN
    withdrawn_at: datetime | None
    ends_on: date | None

    @property
    def reason(self) -> str:
        """The words before the date: "consent withdrawn on" / "consent ended on"."""
        return "consent withdrawn on" if self.status == ConsentStatus.WITHDRAWN else "consent ended on"

    @property
    def since(self) -> datetime | date | None:
        """When: the moment it was withdrawn (shown as a local date) or its last day."""
        return self.withdrawn_at if self.status == ConsentStatus.WITHDRAWN else self.ends_on


def flag_of(consent: StoryConsent, today: date) -> ConsentFlag | None:
    """The consent's flag as of ``today``, or None while it is active."""
    status = status_on(consent, today)
    if status == ConsentStatus.ACTIVE:
        return None
    return ConsentFlag(status, consent.withdrawn_at, consent.ends_on)


def flags_for(ctx: WorkspaceContext, consent_ids: Iterable[int]) -> dict[int, ConsentFlag]:
    """The flags of the consents among ``consent_ids`` that no longer cover their material (ONE
    statement, run even for no ids so a page's statement count never depends on its data). Consents
    that are active, or not of this partnership, are absent."""
    ids = sorted({int(consent_id) for consent_id in consent_ids})
    today = ctx.today()
    stmt = select(StoryConsent.id, StoryConsent.withdrawn_at, StoryConsent.ends_on).where(
        StoryConsent.id.in_(ids), consent_flag_clause(today)
    )
    found = {}
    for consent_id, withdrawn_at, ends_on in db.session.execute(scoped(stmt)):
        status = ConsentStatus.WITHDRAWN if withdrawn_at is not None else ConsentStatus.EXPIRED
        found[consent_id] = ConsentFlag(status, withdrawn_at, ends_on)
    return found


def materials_of(record: StoryConsent | ConsentUse) -> list[str]:
    """The material keys a consent shares or a use uses, in ``MATERIALS`` order."""
    prefix = "shares" if isinstance(record, StoryConsent) else "uses"
    return [key for key in MATERIALS if getattr(record, f"{prefix}_{key}")]


def material_labels(keys: Sequence[str]) -> str:
    """ "Story, Name" — for pages (the labels, lower-cased after the first)."""
    labels = [MATERIALS[key].split(" (")[0] for key in keys]
    return ", ".join(labels[:1] + [label.lower() for label in labels[1:]])


# --- who may do what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentAccess:
    """What the acting person may do in this section: ``manage`` (coordinators: every consent, on
    anyone's behalf, every use), ``own`` (they hold, or may hold, consents of their own) and
    ``may_give`` (they may give a new consent: a survivor advisor or someone on the board)."""

    manage: bool
    own: bool
    may_give: bool
    membership_id: int | None

    @property
    def allowed(self) -> bool:
        return self.manage or self.own


def advisors_clause() -> ColumnElement[bool]:
    """SQL over ``Membership``: who may give consent — survivor advisors and anyone with an open seat."""
    seated = exists().where(BoardSeat.membership_id == Membership.id, BoardSeat.left_on.is_(None))
    return or_(Membership.role == Role.SURVIVOR_ADVISOR, and_(Membership.role != Role.OBSERVER, seated))


def access(ctx: WorkspaceContext) -> ConsentAccess:
    """The acting person's access (memoized per context). Coordinators and survivor advisors need no
    query; anyone else costs one (a seat on the board, a consent on record)."""
    found = ctx.memo.get("advisory.consent_access")
    if isinstance(found, ConsentAccess):
        return found
    member = ctx.membership
    result = ConsentAccess(False, False, False, None)
    if member is not None:
        if member.role == Role.COORDINATOR:
            result = ConsentAccess(True, True, True, member.id)
        elif member.role == Role.SURVIVOR_ADVISOR:
            result = ConsentAccess(False, True, True, member.id)
        else:
            seated = exists().where(BoardSeat.membership_id == member.id, BoardSeat.left_on.is_(None))
            holds = exists().where(StoryConsent.membership_id == member.id)
            row = db.session.execute(scoped(select(seated, holds))).one()
            may_give = bool(row[0]) and member.role != Role.OBSERVER
            result = ConsentAccess(False, may_give or bool(row[1]), may_give, member.id)
    ctx.memo["advisory.consent_access"] = result
    return result


def require_access(ctx: WorkspaceContext) -> ConsentAccess:
    """Coordinators and advisors only; anyone else ``Forbidden`` (403)."""
    found = access(ctx)
    if not found.allowed:
        raise Forbidden("story and image consent")
    return found


def _mine(found: ConsentAccess) -> ColumnElement[bool]:
    """SQL: the consents this person may read (all for coordinators, else their own)."""
    if found.manage:
        return literal(True)
    return StoryConsent.membership_id == found.membership_id


def may_remove_use(found: ConsentAccess, use_added_by: int | None, consent_membership_id: int | None) -> bool:
    """Coordinators remove any use (the material came down, or was never used); an advisor removes a
    use they recorded themselves on their own consent."""
    if found.manage:
        return True
    me = found.membership_id
    return me is not None and use_added_by == me and consent_membership_id == me


# --- reading --------------------------------------------------------------------------------------


def _name_of(membership_id: Any) -> Any:
    """SQL: the name of the member ``membership_id`` (a correlated scalar subquery; NULL once they left)."""
    return (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == membership_id)
        .scalar_subquery()
    )


@dataclass
class ConsentRow:
    """A consent with what lists and its page show beside it, as of a day."""

    consent: StoryConsent
    advisor: str | None  # None once they left the partnership
    recorded_by: str | None
    status: ConsentStatus
    uses: int = 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def materials(self) -> str:
        return material_labels(materials_of(self.consent))

    @property
    def flag(self) -> ConsentFlag | None:
        if self.status == ConsentStatus.ACTIVE:
            return None
        return ConsentFlag(self.status, self.consent.withdrawn_at, self.consent.ends_on)

    @property
    def on_behalf(self) -> bool:
        """Recorded by someone other than the advisor (a coordinator, on their behalf)."""
        consent = self.consent
        return consent.recorded_by_membership_id != consent.membership_id


@dataclass(frozen=True)
class ConsentFilters:
    status: str = ""  # "" or a ConsentStatus value

    @property
    def active(self) -> bool:
        return bool(self.status)

    def query_args(self) -> dict[str, str]:
        return {"status": self.status} if self.status else {}


def parse_filters(args: Any) -> ConsentFilters:
    """The register's filter from a query string; anything unknown means "any"."""
    status = args.get("status", "")
    return ConsentFilters(status if status in FILTER_LABELS else "")


def search_consents(ctx: WorkspaceContext, filters: ConsentFilters, page: int = 1) -> Page[ConsentRow]:
    """One page of the consents the person may read (coordinators: all; an advisor: their own), newest
    first, with the advisor's and recorder's names, the status and how many uses each has: ONE
    statement whatever the size (the count capped at ``COUNT_CAP`` past the page)."""
    found = require_access(ctx)
    today = ctx.today()
    criteria = [_mine(found)]
    if filters.status:
        criteria.append(status_clause(filters.status, today))
    uses = select(func.count(ConsentUse.id)).where(ConsentUse.consent_id == StoryConsent.id).scalar_subquery()
    stmt = select(
        StoryConsent,
        _name_of(StoryConsent.membership_id),
        _name_of(StoryConsent.recorded_by_membership_id),
        effective_status(today),
        uses,
    ).where(*criteria)
    counted = select(StoryConsent.id).where(*criteria)
    result = paginate(scoped(stmt.order_by(StoryConsent.id.desc())), page, PAGE_SIZE, cap=COUNT_CAP, count_from=counted)
    rows = [ConsentRow(c, name, recorder, ConsentStatus(status), n) for c, name, recorder, status, n in result.items]
    return Page(rows, result.total, result.page, result.page_size, result.exact)


@dataclass
class UseRow:
    """A place material is used, with its consent's status and flag."""

    use: ConsentUse
    added_by: str | None
    consent_id: int
    consent_purpose: str
    advisor: str | None
    consent_membership_id: int | None
    status: ConsentStatus
    withdrawn_at: datetime | None
    ends_on: date | None
    may_remove: bool = False

    @property
    def materials(self) -> str:
        return material_labels(materials_of(self.use))

    @property
    def flag(self) -> ConsentFlag | None:
        if self.status == ConsentStatus.ACTIVE:
            return None
        return ConsentFlag(self.status, self.withdrawn_at, self.ends_on)


def _use_rows(found: ConsentAccess, rows: Iterable[Any]) -> list[UseRow]:
    out = []
    for use, added_by, consent_id, purpose, advisor, owner, status, withdrawn_at, ends_on in rows:
        row = UseRow(use, added_by, consent_id, purpose, advisor, owner, ConsentStatus(status), withdrawn_at, ends_on)
        row.may_remove = may_remove_use(found, use.added_by_membership_id, owner)
        out.append(row)
    return out


def _uses_select(today: date) -> Any:
    return select(
        ConsentUse,
        _name_of(ConsentUse.added_by_membership_id),
        StoryConsent.id,
        StoryConsent.purpose,
        _name_of(StoryConsent.membership_id),
        StoryConsent.membership_id,
        effective_status(today),
        StoryConsent.withdrawn_at,
        StoryConsent.ends_on,
    ).join(StoryConsent, StoryConsent.id == ConsentUse.consent_id)


def search_uses(ctx: WorkspaceContext, show: str, page: int = 1) -> Page[UseRow]:
    """One page of the places material is used (coordinators: all; an advisor: under their own
    consents), newest first; ``show == TAKEDOWN`` keeps those under a consent no longer active. ONE
    statement whatever the size (count capped)."""
    found = require_access(ctx)
    today = ctx.today()
    criteria = [_mine(found)]
    if show == TAKEDOWN:
        criteria.append(consent_flag_clause(today))
    stmt = _uses_select(today).where(*criteria).order_by(ConsentUse.id.desc())
    counted = select(ConsentUse.id).join(StoryConsent, StoryConsent.id == ConsentUse.consent_id).where(*criteria)
    result = paginate(scoped(stmt), page, PAGE_SIZE, cap=COUNT_CAP, count_from=counted)
    return Page(_use_rows(found, result.items), result.total, result.page, result.page_size, result.exact)


@dataclass
class ConsentEntry:
    """A consent's page: the consent with its names and status, and every place its material is used."""

    row: ConsentRow
    uses: list[UseRow]
    viewer_is_advisor: bool
    may_add_use: bool


def get_consent(ctx: WorkspaceContext, story_consent_id: Any) -> StoryConsent:
    """The consent, if the person may read it; else ``NotFound`` (another advisor's consent is not
    confirmed to exist). People with no access at all are ``Forbidden``."""
    found = require_access(ctx)
    consent_id = parse_id(story_consent_id)
    if consent_id is None:
        raise NotFound("story consent (not an id)")
    stmt = select(StoryConsent).where(StoryConsent.id == consent_id, _mine(found))
    consent = db.session.scalars(scoped(stmt)).one_or_none()
    if consent is None:
        raise NotFound(f"story consent {consent_id}")
    return consent


def get_entry(ctx: WorkspaceContext, story_consent_id: Any) -> ConsentEntry:
    """A consent with its names and status (one statement) and its uses (one more)."""
    found = require_access(ctx)
    consent_id = parse_id(story_consent_id)
    if consent_id is None:
        raise NotFound("story consent (not an id)")
    today = ctx.today()
    stmt = select(
        StoryConsent,
        _name_of(StoryConsent.membership_id),
        _name_of(StoryConsent.recorded_by_membership_id),
        effective_status(today),
    ).where(StoryConsent.id == consent_id, _mine(found))
    loaded = db.session.execute(scoped(stmt)).one_or_none()
    if loaded is None:
        raise NotFound(f"story consent {consent_id}")
    consent, advisor, recorder, status = loaded
    uses_stmt = _uses_select(today).where(ConsentUse.consent_id == consent.id).order_by(ConsentUse.id.desc())
    uses = _use_rows(found, db.session.execute(scoped(uses_stmt)))
    row = ConsentRow(consent, advisor, recorder, ConsentStatus(status), len(uses))
    mine = found.membership_id is not None and consent.membership_id == found.membership_id
    return ConsentEntry(row, uses, mine, row.status == ConsentStatus.ACTIVE and (found.manage or mine))


def get_use(ctx: WorkspaceContext, consent_use_id: Any) -> tuple[ConsentUse, StoryConsent]:
    """A use and its consent, if the person may read the consent (else ``NotFound``)."""
    found = require_access(ctx)
    use_id = parse_id(consent_use_id)
    if use_id is None:
        raise NotFound("consent use (not an id)")
    stmt = (
        select(ConsentUse, StoryConsent)
        .join(StoryConsent, StoryConsent.id == ConsentUse.consent_id)
        .where(ConsentUse.id == use_id, _mine(found))
    )
    loaded = db.session.execute(scoped(stmt)).one_or_none()
    if loaded is None:
        raise NotFound(f"consent use {use_id}")
    return loaded[0], loaded[1]


# --- the advisor picker (coordinators recording on someone's behalf) -----------------------------------


def _pickable_advisors() -> Any:
    return select(Membership.id, User.name).join(User, User.id == Membership.user_id).where(advisors_clause())


def pick_advisors(chosen: list[int], query: str = "") -> Pick:
    """The advisors a coordinator may record a consent for: the chosen one and a page of matches by name
    (ONE statement)."""
    spec = PickSpec(_pickable_advisors(), Membership.id, User.name, query, chosen, sort_columns=MEMBER_ORDER)
    return pick_together({"advisor": spec})["advisor"]


# --- writes ---------------------------------------------------------------------------------------


def _date(data: dict[str, Any], name: str, what: str) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    value = parse_date(raw)
    if value is None:
        text = raw.isoformat() if isinstance(raw, date) else str(raw)
        raise ServiceError(date_error(text) or f"Enter the {what} as year-month-day, like 2027-01-31.", name)
    return value


def _materials(data: dict[str, Any], name: str, message: str) -> list[str]:
    raw = data.get(name) or []
    if isinstance(raw, str):
        raw = [raw]
    keys = [str(value).strip() for value in raw if str(value).strip()]
    if any(key not in MATERIALS for key in keys):
        raise ServiceError("Choose from the list: story, image or name.", name)
    if not keys:
        raise ServiceError(message, name)
    return [key for key in MATERIALS if key in keys]


def _advisor_for(ctx: WorkspaceContext, found: ConsentAccess, data: dict[str, Any]) -> int:
    """Whose consent it is: a coordinator names the advisor; anyone else records their own."""
    if not found.manage:
        if not found.may_give or found.membership_id is None:
            raise Forbidden("give consent")
        return found.membership_id
    membership_id = parse_id(data.get("membership_id"))
    message = "Choose the advisor whose consent this is: a survivor advisor or someone on the board."
    if membership_id is None:
        raise ServiceError(message, "membership_id")
    # Only this partnership's members exist here (the tenancy filter): another partnership's id is not found.
    stmt = select(Membership.id).where(Membership.id == membership_id, advisors_clause())
    if db.session.scalars(scoped(stmt)).one_or_none() is None:
        raise ServiceError(message, "membership_id")
    return membership_id


def give_consent(ctx: WorkspaceContext, data: dict[str, Any]) -> StoryConsent:
    """Record a consent: an advisor's own, or (a coordinator) on an advisor's behalf. What is shared (at
    least one of story, image, name), for what use, from (today when empty) and until (open-ended when
    empty; not before the start, not already past)."""
    found = require_access(ctx)
    membership_id = _advisor_for(ctx, found, data)
    shares = _materials(data, "shares", "Tick what may be shared: the story, an image, the name, or several.")
    purpose = form_text(
        data, "purpose", PURPOSE_MAX, "Say what it may be used for, for example “2027 awareness month video”."
    )
    today = ctx.today()
    starts_on = _date(data, "starts_on", "first day") or today
    ends_on = _date(data, "ends_on", "last day")
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(
            f"The consent can't end before it starts ({starts_on.strftime('%d %b %Y')}). Choose a later last "
            "day, or leave it empty to keep it until it is withdrawn.",
            "ends_on",
        )
    if ends_on is not None and ends_on < today:
        raise ServiceError("That last day has already passed. Choose a later one, or leave it empty.", "ends_on")
    consent = StoryConsent(
        membership_id=membership_id,
        shares_story="story" in shares,
        shares_image="image" in shares,
        shares_name="name" in shares,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(consent)
    db.session.flush()
    audit.record(
        ctx,
        "story_consent.given",
        "story_consent",
        consent.id,
        membership_id=membership_id,
        shares=shares,
        on_behalf=membership_id != consent.recorded_by_membership_id,
    )
    return consent


def withdraw_consent(ctx: WorkspaceContext, consent: StoryConsent, data: dict[str, Any] | None = None) -> bool:
    """The advisor withdraws their consent, now; nobody else can. An optional note; False (nothing
    changed) when it was withdrawn already."""
    me = ctx.membership.id if ctx.membership else None
    if me is None or consent.membership_id != me:
        raise Forbidden("only the advisor withdraws their consent")
    if consent.withdrawn_at is not None:
        return False
    consent.withdrawal_note = form_text(data or {}, "note", NOTE_MAX)
    consent.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(ctx, "story_consent.withdrawn", "story_consent", consent.id, with_note=bool(consent.withdrawal_note))
    return True


def add_use(ctx: WorkspaceContext, consent: StoryConsent, data: dict[str, Any]) -> ConsentUse:
    """Record where material shared under an active consent is used (a coordinator, or the advisor)."""
    found = require_access(ctx)
    if not (found.manage or (found.membership_id is not None and consent.membership_id == found.membership_id)):
        raise Forbidden("record a use of this consent")
    flag = flag_of(consent, ctx.today())
    if flag is not None:
        ended = "was withdrawn" if flag.status == ConsentStatus.WITHDRAWN else "has ended"
        raise ServiceError(f"This consent {ended}, so its material can't be used any more.")
    title = form_text(data, "title", TITLE_MAX, "Say where it is used, for example “Awareness month video”.")
    link = form_text(data, "link", LINK_MAX)
    if link and not is_web_address(link):
        raise ServiceError("Enter a web address starting with https:// or http://, or leave it empty.", "link")
    used = _materials(data, "material", "Tick what is used: the story, an image, the name, or several.")
    beyond = [key for key in used if key not in materials_of(consent)]
    if beyond:
        raise ServiceError(
            f"This consent does not cover the {material_labels(beyond).lower()}: "
            f"it covers the {material_labels(materials_of(consent)).lower()}.",
            "material",
        )
    use = ConsentUse(
        consent_id=consent.id,
        title=title,
        link=link,
        uses_story="story" in used,
        uses_image="image" in used,
        uses_name="name" in used,
        added_by_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(use)
    db.session.flush()
    audit.record(ctx, "consent_use.added", "consent_use", use.id, consent_id=consent.id)
    return use


def remove_use(ctx: WorkspaceContext, use: ConsentUse, consent: StoryConsent) -> None:
    """Take a use off the record (the material came down, or was never used)."""
    found = require_access(ctx)
    if not may_remove_use(found, use.added_by_membership_id, consent.membership_id):
        raise Forbidden("remove this use")
    audit.record(ctx, "consent_use.removed", "consent_use", use.id, consent_id=consent.id)
    db.session.delete(use)
    db.session.flush()


# --- the coordinators' home panel and the board's page ------------------------------------------------


@dataclass(frozen=True)
class Count:
    value: int

    @property
    def label(self) -> str:
        return f"{ATTENTION_CAP}+" if self.value > ATTENTION_CAP else f"{self.value:,}"


def _takedown_uses(today: date) -> Any:
    return (
        select(ConsentUse.id)
        .join(StoryConsent, StoryConsent.id == ConsentUse.consent_id)
        .where(consent_flag_clause(today))
    )


def home_takedown_scalars(ctx: WorkspaceContext) -> dict[str, Any]:
    """The panel's number, evaluated with the home's other scalars (no round trip of its own)."""
    return {"consent_takedowns": capped_count(_takedown_uses(ctx.today()), ATTENTION_CAP + 1)}


def home_takedown_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel for coordinators: uses of material whose consent was withdrawn or has ended; None
    when there are none."""
    count = values.get("consent_takedowns") or 0
    return {"count": Count(count)} if count else None


def takedown_count(ctx: WorkspaceContext) -> Count:
    """The same number on its own (one statement), for pages other than the home."""
    return Count(select_scalars(db.session, home_takedown_scalars(ctx))["consent_takedowns"] or 0)


def board_panel(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The board page's pointer to this section, for coordinators and advisors (at most one statement,
    for people who are neither a coordinator nor a survivor advisor)."""
    found = access(ctx)
    if not found.allowed:
        return None
    return {"manage": found.manage, "may_give": found.may_give}


# --- demo data and the route walk's seed ---------------------------------------------------------------


def _context_of(ctx: WorkspaceContext, membership_id: int) -> WorkspaceContext:
    membership = db.session.scalars(scoped(select(Membership).where(Membership.id == membership_id))).one()
    return WorkspaceContext(ctx.partnership, membership, db.session.get(User, membership.user_id))


def _membership_of(user_id: int) -> int:
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user_id))).one()


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A consent the coordinator recorded for the test world's survivor advisor, and one use of it (the
    route walk's ``story_consent_id`` and ``consent_use_id``)."""
    stmt = select(Membership.id).where(Membership.role == Role.SURVIVOR_ADVISOR).order_by(Membership.id)
    advisor = db.session.scalars(scoped(stmt)).first()
    if advisor is None:
        return
    consent = give_consent(
        ctx,
        {
            "membership_id": str(advisor),
            "shares": ["story", "name"],
            "purpose": "Seeded awareness video",
            "starts_on": ctx.today().isoformat(),
        },
    )
    add_use(ctx, consent, {"title": "Seeded video page", "link": "https://example.org/video", "material": ["story"]})


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Amara Okafor consented to her name and story for the awareness-month panel (active, used in the
    programme); Noor Haddad consented to an image for the 2026 annual report and later withdrew it, so
    the report is flagged for taking down."""
    today = ctx.today()
    amara = _context_of(ctx, _membership_of(people["amara.okafor"].id))
    panel = give_consent(
        amara,
        {
            "shares": ["story", "name"],
            "purpose": "Human Trafficking Awareness Month 2027 panel",
            "starts_on": today.isoformat(),
            "ends_on": date(today.year + 1, 2, 28).isoformat(),
        },
    )
    add_use(
        ctx,
        panel,
        {
            "title": "Awareness Month panel programme",
            "link": "https://example.org/awareness-month-2027/programme",
            "material": ["story", "name"],
        },
    )
    noor = _context_of(ctx, _membership_of(people["noor.haddad"].id))
    report = give_consent(
        noor,
        {"shares": ["image"], "purpose": "2026 annual report", "starts_on": date(today.year, 1, 15).isoformat()},
    )
    add_use(
        ctx,
        report,
        {
            "title": "2026 annual report (web edition)",
            "link": "https://example.org/annual-report-2026",
            "material": ["image"],
        },
    )
    withdraw_consent(noor, report)
