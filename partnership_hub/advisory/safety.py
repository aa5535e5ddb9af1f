"""Safety and contact preferences (issue #13, item 3): each survivor advisor — and anyone with a seat on the
board — says how the partnership may reach them, and only they can change it.

- **The name others see** is the account name (``users.name``, the one name the product shows), changed
  here through ``accounts.services.set_name``; a name another member of the partnership already uses is
  refused. **The legal name** is optional and stored only in ``advisor_profiles``: the person reads it on
  this page and the payments view reads it through ``legal_names``; nothing else selects it.
- **Channels** (email, phone calls, text messages; none ticked means "not outside the app"), safe times,
  "do not leave voicemail" and a safe contact. Everyone else sees only the allowed channels: the People
  page, an organization's representatives and its export hide an email that is not allowed
  (``email_hidden``, ``emails_not_shared``); a phone number exists only here and only while calls or texts
  are allowed. Coordinators and advisors see the board's preferences on the board home ("How to reach
  the board", ``board_panel``).
- **Safe mode for email**: the notifications area asks every installed area's ``mail_rule`` before it
  queues a message for a partnership. This section's rule (``mail_rule``) drops mail to someone who
  allows no email, and turns mail to someone in safe mode into a neutral notice — a fixed subject, no
  names, no partnership, no record words (``SENSITIVE_WORDS``), one link to the app's front page.
  Account mail (a password reset, an address to confirm) belongs to no partnership and always goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, event, exists, func, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from partnership_hub.accounts import services as accounts
from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import current_partnership_id, scoped, utcnow
from partnership_hub.errors import Forbidden, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.parsing import form_flag, form_text, has_control_characters
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import capped_count

NAME_MAX = accounts.NAME_MAX
LEGAL_NAME_MAX = max_length(AdvisorProfile.__table__.c.legal_name)
PHONE_MAX = max_length(AdvisorProfile.__table__.c.phone)
SAFE_TIMES_MAX = max_length(AdvisorProfile.__table__.c.safe_times)
SAFE_CONTACT_MAX = max_length(AdvisorProfile.__table__.c.safe_contact)
PANEL_LIMIT = 60  # a board has a handful of seats; the panel never reads more than this
PHONE_PATTERN = re.compile(r"\+?[0-9 ().\-]+")  # digits and the usual separators, at least 7 digits
CHANNEL_LABELS = {"email": "Email", "phone": "Phone calls", "text": "Text messages"}
# Each field the person sets, in the order the audit entry names the ones that changed.
FIELDS = (
    "name",
    "legal_name",
    "allow_email",
    "allow_phone",
    "allow_text",
    "phone",
    "safe_times",
    "no_voicemail",
    "safe_contact",
    "safe_mode",
    "wants_reminders",
)

# Words that must never reach the inbox of someone in safe mode: what the partnership is about, who the
# person is to it, and what the product's records are called. A safe-mode message is the fixed notice of
# the notifications area; the tests prove no email the product sends them holds any of these.
SENSITIVE_WORDS = (
    "trafficking",
    "trafficked",
    "trafficker",
    "smuggling",
    "slavery",
    "servitude",
    "bondage",
    "survivor",
    "lived experience",
    "victim",
    "abuse",
    "abuser",
    "exploitation",
    "exploited",
    "sexual",
    "sex work",
    "commercial sex",
    "prostitution",
    "pimp",
    "assault",
    "rape",
    "violence",
    "coercion",
    "forced",
    "labor",
    "labour",
    "trauma",
    "shelter",
    "safe house",
    "hotline",
    "advocate",
    "advocacy",
    "counsel",
    "recovery",
    "immigration",
    "visa",
    "police",
    "law enforcement",
    "court",
    "prosecut",
    "advisory",
    "advisor",
    "board",
    "chair",
    "dispute",
    "confidential",
    "restricted",
    "compensation",
    "stipend",
    "consent",
    "your story",
    "minutes",
    "agenda",
    "meeting",
    "rsvp",
    "guideline",
    "governance",
    "acknowledge",
    "agreement",
    "partnership",
    "coalition",
    "task force",
    "invitation",
    "invited",
)

SETUP_FACT_CAP = 100


# --- who has a page -----------------------------------------------------------------------------------


def has_page(ctx: WorkspaceContext) -> bool:
    """Survivor advisors and anyone with a seat on the board keep preferences here (the seat: one query,
    shared with the board's own admission check)."""
    if ctx.membership is None or ctx.membership.role == Role.OBSERVER:
        return False
    if ctx.membership.role == Role.SURVIVOR_ADVISOR:
        return True
    return board.admission(ctx).seat_id is not None


def require_page(ctx: WorkspaceContext) -> None:
    """Only the person themself, and only if they have a page: everyone else gets ``Forbidden`` (403)."""
    if not ctx.can("advisory.safety") or not has_page(ctx):
        raise Forbidden("advisory.safety")


# --- the person's own preferences ---------------------------------------------------------------------


def own_profile(ctx: WorkspaceContext) -> AdvisorProfile | None:
    """The acting person's own preferences, or None before they first save them (one query)."""
    if ctx.membership is None:
        return None
    stmt = select(AdvisorProfile).where(AdvisorProfile.membership_id == ctx.membership.id)
    return db.session.scalars(scoped(stmt)).one_or_none()


def form_values(ctx: WorkspaceContext, profile: AdvisorProfile | None) -> dict[str, Any]:
    """What the page's form starts with: the saved preferences, or for a first visit email allowed and
    safe mode suggested (the person sees both ticked and decides)."""
    name = ctx.user.name if ctx.user else ""
    if profile is None:
        return {"name": name, "allow_email": True, "safe_mode": True}
    return {"name": name} | {field: getattr(profile, field) for field in FIELDS if field != "name"}


@dataclass(frozen=True)
class _Values:
    name: str
    legal_name: str
    allow_email: bool
    allow_phone: bool
    allow_text: bool
    phone: str
    safe_times: str
    no_voicemail: bool
    safe_contact: str
    safe_mode: bool
    wants_reminders: bool


def _name_taken(ctx: WorkspaceContext, name: str) -> bool:
    """Whether another member of this partnership goes by ``name`` (trimmed, any case): ``sort_name`` is
    the database's lower case of each member's name (an index probe)."""
    me = ctx.membership.id if ctx.membership else None
    lowered = or_(Membership.sort_name == func.lower(name), Membership.sort_name == name.lower())
    stmt = select(Membership.id).where(lowered, Membership.id != me).limit(1)
    return db.session.scalars(scoped(stmt)).first() is not None


def _clean(ctx: WorkspaceContext, data: dict[str, Any]) -> _Values:
    """Every value checked before anything is written: a refusal changes nothing."""
    name = form_text(data, "name", NAME_MAX, "Enter the name you want others to see.")
    if has_control_characters(name):
        raise ServiceError("Use one line, without line breaks, tabs or other control characters.", "name")
    if (ctx.user is None or name != ctx.user.name) and _name_taken(ctx, name):
        raise ServiceError(
            "Someone in this partnership already goes by this name. Choose another, so nobody is mistaken for you.",
            "name",
        )
    legal_name = form_text(data, "legal_name", LEGAL_NAME_MAX)
    if has_control_characters(legal_name):
        raise ServiceError("Use one line, without line breaks, tabs or other control characters.", "legal_name")
    allow_email, allow_phone, allow_text = (form_flag(data, f"allow_{c}") for c in ("email", "phone", "text"))
    phone = form_text(data, "phone", PHONE_MAX)
    if phone and not (allow_phone or allow_text):
        raise ServiceError(
            "A phone number is kept only while calls or texts are allowed: tick one of them, or clear the number.",
            "phone",
        )
    if (allow_phone or allow_text) and not phone:
        raise ServiceError("Enter the number for calls or texts, or untick them.", "phone")
    if phone and (not PHONE_PATTERN.fullmatch(phone) or sum(ch.isdigit() for ch in phone) < 7):
        raise ServiceError("Enter a phone number like +1 303 555 0100.", "phone")
    wants_reminders = form_flag(data, "wants_reminders")
    if wants_reminders and not allow_email:
        message = (
            "You have allowed no way to reach you, so no reminder can be sent: allow email, or untick reminders."
            if not (allow_phone or allow_text)
            else "Reminders are sent by email: allow email, or untick reminders."
        )
        raise ServiceError(message, "wants_reminders")
    return _Values(
        name=name,
        legal_name=legal_name,
        allow_email=allow_email,
        allow_phone=allow_phone,
        allow_text=allow_text,
        phone=phone,
        safe_times=form_text(data, "safe_times", SAFE_TIMES_MAX),
        no_voicemail=form_flag(data, "no_voicemail"),
        safe_contact=form_text(data, "safe_contact", SAFE_CONTACT_MAX),
        safe_mode=form_flag(data, "safe_mode"),
        wants_reminders=wants_reminders,
    )


def save_preferences(ctx: WorkspaceContext, data: dict[str, Any]) -> AdvisorProfile:
    """The person saves their own preferences (and, when it changed, the name others see)."""
    require_page(ctx)
    if ctx.membership is None or ctx.user is None:
        raise Forbidden("advisory.safety")
    values = _clean(ctx, data)
    profile = own_profile(ctx)
    created = profile is None
    if profile is None:
        profile = AdvisorProfile(membership_id=ctx.membership.id)
        db.session.add(profile)
    changed = []
    if values.name != ctx.user.name:
        accounts.set_name(ctx.user, values.name)
        changed.append("name")
    for field in FIELDS[1:]:
        value = getattr(values, field)
        if created or getattr(profile, field) != value:
            setattr(profile, field, value)
            changed.append(field)
    if changed:
        profile.updated_at = utcnow()
    db.session.flush()
    # Field names only: never the values (a name, a number, a time of day).
    action = "advisor_profile.created" if created else "advisor_profile.updated"
    audit.record(ctx, action, "advisor_profile", profile.id, fields=changed)
    return profile


def own_profile_ids(membership: Membership, today: Any = None) -> Any:
    """The activity feed's rule for entries about preferences: only their owner sees them (a SELECT of ids)."""
    return select(AdvisorProfile.id).where(AdvisorProfile.membership_id == membership.id)


# --- what others may read -------------------------------------------------------------------------------


def legal_names(ctx: WorkspaceContext, membership_ids: list[int] | set[int]) -> dict[int, str]:
    """The legal names of these members, where they gave one (membership id → name), for the payments view
    and its export ONLY: call it after their own permission check. One query."""
    ids = sorted(set(membership_ids))
    if not ids:
        return {}
    stmt = select(AdvisorProfile.membership_id, AdvisorProfile.legal_name).where(
        AdvisorProfile.membership_id.in_(ids), AdvisorProfile.legal_name != ""
    )
    return dict(db.session.execute(scoped(stmt)).tuples().all())


def email_hidden(membership_id: Any) -> ColumnElement[bool]:
    """SQL over a membership id column: that member does not allow email, so others are not shown their
    address (to fold into a page's own query: no statement of its own)."""
    return exists().where(AdvisorProfile.membership_id == membership_id, AdvisorProfile.allow_email.is_(False))


def emails_not_shared(ctx: WorkspaceContext) -> frozenset[int]:
    """The memberships whose email address the acting person is not shown: those who allow no email, but
    themself (one query, bounded by the people who keep preferences — advisors and the board — and once
    per request)."""
    found = ctx.memo.get("advisory.emails_not_shared")
    if isinstance(found, frozenset):
        return found
    me = ctx.membership.id if ctx.membership else None
    stmt = select(AdvisorProfile.membership_id).where(
        AdvisorProfile.allow_email.is_(False), AdvisorProfile.membership_id != me
    )
    result = frozenset(db.session.scalars(scoped(stmt)))
    ctx.memo["advisory.emails_not_shared"] = result
    return result


@dataclass(frozen=True)
class ReachRow:
    """How to reach one board member, as the board home shows it (never the legal name)."""

    name: str
    is_chair: bool
    is_set: bool  # they saved preferences; before that, email as the product always did
    email: str  # "" unless email is allowed
    phone: str  # "" unless calls or texts are allowed
    channels: tuple[str, ...]
    safe_times: str
    no_voicemail: bool
    safe_contact: str
    safe_mode: bool


def _reach_row(row: Any) -> ReachRow:
    is_set = row.profile_id is not None
    allow_email = row.allow_email if is_set else True
    channels = tuple(
        label
        for key, label in CHANNEL_LABELS.items()
        if (allow_email if key == "email" else bool(getattr(row, f"allow_{key}")))
    )
    return ReachRow(
        name=row.name,
        is_chair=row.is_chair,
        is_set=is_set,
        email=row.email if allow_email else "",
        phone=(row.phone or "") if (row.allow_phone or row.allow_text) else "",
        channels=channels,
        safe_times=row.safe_times or "",
        no_voicemail=bool(row.no_voicemail),
        safe_contact=row.safe_contact or "",
        safe_mode=bool(row.safe_mode),
    )


def reach_the_board(ctx: WorkspaceContext) -> list[ReachRow]:
    """Every board member with how they may be reached, the chair first (ONE statement, at most
    ``PANEL_LIMIT`` rows). The legal name is not selected."""
    stmt = (
        select(
            User.name,
            User.email,
            BoardSeat.is_chair,
            AdvisorProfile.id.label("profile_id"),
            AdvisorProfile.allow_email,
            AdvisorProfile.allow_phone,
            AdvisorProfile.allow_text,
            AdvisorProfile.phone,
            AdvisorProfile.safe_times,
            AdvisorProfile.no_voicemail,
            AdvisorProfile.safe_contact,
            AdvisorProfile.safe_mode,
        )
        .select_from(BoardSeat)
        .join(Membership, Membership.id == BoardSeat.membership_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(AdvisorProfile, AdvisorProfile.membership_id == BoardSeat.membership_id)
        .where(BoardSeat.left_on.is_(None))
        .order_by(BoardSeat.is_chair.desc(), Membership.sort_name, BoardSeat.id)
        .limit(PANEL_LIMIT)
    )
    return [_reach_row(row) for row in db.session.execute(scoped(stmt))]


def board_panel(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The board home's "How to reach the board" for coordinators and advisors (``advisory.roster``), and a
    link to their own preferences for everyone who keeps them."""
    roster = ctx.can("advisory.roster")
    own = has_page(ctx)
    if not roster and not own:
        return None
    return {"reach": reach_the_board(ctx) if roster else None, "own_page": own}


# --- email: the notifications area's rule -----------------------------------------------------------------


def mail_rule(partnership_id: int, to_address: str, kind: str) -> str:
    """What to do with an email of the partnership to ``to_address`` (``Area.mail_rule``): ``"drop"`` when
    the member allows no email (or asked for no reminders and this is one), ``"safe"`` when they keep safe
    mode (the notifications area sends its neutral notice instead), else ``"send"``. One query per
    partnership per transaction, whatever the number of messages (``_mail_profiles``)."""
    bound = current_partnership_id(db.session())
    if bound != partnership_id:
        # Every caller queues a partnership's mail inside that partnership's work; anything else is a bug
        # that must not send mail around someone's preferences.
        raise RuntimeError("mail for a partnership was queued while another was bound")
    found = _mail_profiles(partnership_id).get(to_address.strip().lower())
    if found is None:
        return "send"
    allow_email, safe_mode, wants_reminders = found
    if not allow_email or (kind.endswith("reminder") and not wants_reminders):
        return "drop"
    return "safe" if safe_mode else "send"


MAIL_PROFILES_KEY = "advisory.mail_profiles"  # session.info: (partnership id, {address: preferences})


def _mail_profiles(partnership_id: int) -> dict[str, tuple[bool, bool, bool]]:
    """The partnership's contact preferences by address (allow email, safe mode, wants reminders): one
    query, kept in the session until the transaction ends, a savepoint rolls back or anything is flushed
    (a preference saved in the same transaction is read again), so a planning run that queues hundreds of
    messages asks once."""
    session = db.session()
    memo = session.info.get(MAIL_PROFILES_KEY)
    if memo is None or memo[0] != partnership_id:
        stmt = (
            select(User.email, AdvisorProfile.allow_email, AdvisorProfile.safe_mode, AdvisorProfile.wants_reminders)
            .join(Membership, Membership.id == AdvisorProfile.membership_id)
            .join(User, User.id == Membership.user_id)
        )
        found = {email: (allow, safe, reminders) for email, allow, safe, reminders in db.session.execute(scoped(stmt))}
        memo = (partnership_id, found)
        session.info[MAIL_PROFILES_KEY] = memo
    return memo[1]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_soft_rollback")
def _forget_mail_profiles(session: Session, *_: Any) -> None:
    session.info.pop(MAIL_PROFILES_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_mail_profiles_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(MAIL_PROFILES_KEY, None)


# --- facts, seeds -----------------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's safety and communication question: people who set their contact preferences (capped)."""
    return {"safety_profiles": capped_count(select(AdvisorProfile.id), SETUP_FACT_CAP)}


def _save_as(ctx: WorkspaceContext, membership_id: int, data: dict[str, Any]) -> None:
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        return
    as_them = WorkspaceContext(ctx.partnership, membership, membership.user)
    save_preferences(as_them, {"name": membership.user.name} | data)


def _membership_of(user_id: int) -> int | None:
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user_id))).first()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo board's preferences: Amara Okafor (the chair) keeps safe mode, email and texts, safe times,
    no voicemail and a legal name of her own; Jordan Reyes takes email only; Noor Haddad email and calls."""
    amara = _membership_of(people["amara.okafor"].id)
    jordan = _membership_of(people["jordan.reyes"].id)
    noor = _membership_of(people["noor.haddad"].id)
    if amara is not None:
        _save_as(
            ctx,
            amara,
            {
                "legal_name": "Amarachi N. Okafor-Eze",
                "allow_email": True,
                "allow_text": True,
                "phone": "+1 303 555 0142",
                "safe_times": "Weekdays 10am–2pm Mountain time",
                "no_voicemail": True,
                "safe_contact": "Text first; if no answer within a day, email.",
                "safe_mode": True,
                "wants_reminders": True,
            },
        )
    if jordan is not None:
        _save_as(ctx, jordan, {"allow_email": True, "safe_times": "Any weekday", "wants_reminders": True})
    if noor is not None:
        _save_as(
            ctx,
            noor,
            {
                "allow_email": True,
                "allow_phone": True,
                "phone": "+1 720 555 0187",
                "safe_times": "Evenings after 6pm",
                "wants_reminders": True,
            },
        )


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's survivor advisor keeps preferences (email allowed, so other areas' mail is unchanged),
    unless a test gave them theirs already."""
    advisor = db.session.scalars(scoped(select(Membership.id).where(Membership.role == Role.SURVIVOR_ADVISOR))).first()
    if advisor is None:
        return
    exists_already = select(AdvisorProfile.id).where(AdvisorProfile.membership_id == advisor)
    if db.session.scalars(scoped(exists_already)).first() is None:
        _save_as(ctx, advisor, {"allow_email": True, "safe_times": "Weekday mornings", "wants_reminders": True})
