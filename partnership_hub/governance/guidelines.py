"""The governance area's guidelines section: the partnership agreement (MOU or charter) and the governance
guidelines, kept as versions; members acknowledge the current version; a readable diff between versions.

- Two documents per partnership (``GuidelineDocument.kind``: ``agreement``, ``guidelines``), created with
  their first draft. Each version has the sections the toolkit's governance question names
  (``toolkit.GOVERNANCE_SECTIONS``): expectations for member input, meeting frequency (every N weeks, plus
  notes), the dispute resolution process, the coordination model (sole or shared, plus notes) and
  decision-making, each Markdown.
- Coordinators keep one draft per document (started from the current version) and publish it as the next
  version. A published version is never edited in place: ``save_draft`` refuses it and no route offers it.
- Everyone but observers acknowledges the current version (once; a second time changes nothing); a new
  version needs everyone's acknowledgement again, and each of them is told (``guideline_to_acknowledge``:
  a short email and a notification centre entry, as each chose; once per version and person).
- The meetings area reads the intended meeting frequency from the current guidelines
  (``meeting_frequency_query`` / ``meeting_frequency_weeks``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, String, and_, case, cast, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from partnership_hub import formats, toolkit
from partnership_hub.accounts.models import User
from partnership_hub.areas import WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import VIEWER_ID
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.governance.guidelines_models import (
    COORDINATION_KEYS,
    DOCUMENT_KINDS,
    GuidelineAcknowledgement,
    GuidelineDocument,
    GuidelineVersion,
)
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import parse_id, parse_int
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.services import capped_count

SECTION_MAX = 20_000  # characters per section's text
FREQUENCY_MIN, FREQUENCY_MAX = 1, 52
PAGE_SIZE = 25
ACK_CAP = 1_000  # acknowledgement shares count up to here ("1,000+ members")
TEXT_FIELDS = ("member_input", "meeting_notes", "dispute_resolution", "coordination_notes", "decision_making")
DRAFT_FIELDS = (*TEXT_FIELDS, "meeting_every_weeks", "coordination_model")

KIND_LABELS = {choice.key: choice.label for choice in toolkit.GOVERNANCE_DOCUMENTS}
SECTION_LABELS = {choice.key: choice.label for choice in toolkit.GOVERNANCE_SECTIONS}
COORDINATION_LABELS = {choice.key: choice.label for choice in toolkit.COORDINATION_MODELS}
# The form field each section's errors belong to (the diff's and the page's sections, in order).
SECTION_FIELDS = {
    "member_input": "member_input",
    "meeting_frequency": "meeting_every_weeks",
    "dispute_resolution": "dispute_resolution",
    "coordination": "coordination_model",
    "decision_making": "decision_making",
}


# --- Markdown ------------------------------------------------------------------------------------


def render_markdown(text: str) -> Markup:
    """A section's Markdown as safe HTML (``formats.render_markdown``); sections sit under the page's
    own headings, so h1/h2 are not kept."""
    return formats.render_markdown(text, top_headings=False)


# --- reading ----------------------------------------------------------------------------------------


def frequency_label(weeks: int | None) -> str:
    if weeks is None:
        return ""
    return "Every week" if weeks == 1 else f"Every {weeks} weeks"


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hint: str
    lead: str  # the structured part, as words ("Every 4 weeks", "Shared coordination")
    text: str  # Markdown

    @property
    def html(self) -> Markup:
        return render_markdown(self.text)

    @property
    def empty(self) -> bool:
        return not (self.lead or self.text)

    @property
    def plain(self) -> str:
        """What the diff compares: the structured part on its own line, then the text."""
        return "\n\n".join(part for part in (self.lead, self.text) if part)


def sections(version: GuidelineVersion | None) -> list[Section]:
    """A version's sections in the toolkit's order (empty ones for no version)."""

    def value(name: str) -> Any:
        return getattr(version, name) if version is not None else None

    leads = {
        "meeting_frequency": frequency_label(value("meeting_every_weeks")),
        "coordination": COORDINATION_LABELS.get(value("coordination_model") or "", ""),
    }
    texts = {
        "member_input": value("member_input"),
        "meeting_frequency": value("meeting_notes"),
        "dispute_resolution": value("dispute_resolution"),
        "coordination": value("coordination_notes"),
        "decision_making": value("decision_making"),
    }
    return [
        Section(choice.key, choice.label, choice.description, leads.get(choice.key, ""), texts[choice.key] or "")
        for choice in toolkit.GOVERNANCE_SECTIONS
    ]


@dataclass
class DocumentState:
    """A document as a page shows it: its current version, its draft, what the viewer acknowledged and,
    once ``with_counts`` loaded them, how many of the members asked to acknowledge have."""

    kind: str
    document: GuidelineDocument | None = None
    current: GuidelineVersion | None = None
    draft: GuidelineVersion | None = None
    my_number: int | None = None  # the newest version the viewer acknowledged
    required: int = 0  # members asked to acknowledge (up to ACK_CAP)
    acknowledged: int = 0  # of them, those who acknowledged the current version (up to ACK_CAP)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def description(self) -> str:
        return toolkit.GOVERNANCE_DOCUMENTS[DOCUMENT_KINDS.index(self.kind)].description

    @property
    def acknowledged_current(self) -> bool:
        return self.current is not None and self.my_number == self.current.number

    @property
    def required_exact(self) -> bool:
        return self.required < ACK_CAP

    @property
    def pending(self) -> int | None:
        """Members who have not acknowledged the current version (None when the count was capped)."""
        return max(self.required - self.acknowledged, 0) if self.required_exact else None

    @property
    def required_label(self) -> str:
        return f"{self.required:,}" if self.required_exact else f"{ACK_CAP:,}+"

    @property
    def acknowledged_label(self) -> str:
        return f"{self.acknowledged:,}" if self.acknowledged < ACK_CAP else f"{ACK_CAP:,}+"


Current = aliased(GuidelineVersion, name="current_version")
Draft = aliased(GuidelineVersion, name="draft_version")


def _states_stmt(ctx: WorkspaceContext) -> Any:
    acked = aliased(GuidelineVersion, name="acked_version")
    me = ctx.membership.id if ctx.membership else None
    my_number = (
        select(func.max(acked.number))
        .join(GuidelineAcknowledgement, GuidelineAcknowledgement.version_id == acked.id)
        .where(acked.document_id == GuidelineDocument.id, GuidelineAcknowledgement.membership_id == me)
        .scalar_subquery()
    )
    return (
        select(GuidelineDocument, Current, Draft, my_number)
        .outerjoin(
            Current,
            and_(Current.document_id == GuidelineDocument.id, Current.number == GuidelineDocument.current_number),
        )
        .outerjoin(Draft, and_(Draft.document_id == GuidelineDocument.id, Draft.published_at.is_(None)))
    )


def _required_members() -> Any:
    return Membership.role != Role.OBSERVER


def _with_counts(states: Sequence[DocumentState]) -> None:
    """Each current version's acknowledgement share, in ONE statement (capped counts)."""
    queries: dict[str, Any] = {}
    for state in states:
        if state.current is not None:
            queries[f"acked_{state.current.id}"] = capped_count(
                select(GuidelineAcknowledgement.id)
                .join(Membership, Membership.id == GuidelineAcknowledgement.membership_id)
                .where(GuidelineAcknowledgement.version_id == state.current.id, _required_members()),
                ACK_CAP,
            )
    if not queries:
        return
    queries["required"] = capped_count(select(Membership.id).where(_required_members()), ACK_CAP)
    values = select_scalars(db.session, queries)
    for state in states:
        if state.current is not None:
            state.required = int(values["required"] or 0)
            state.acknowledged = int(values[f"acked_{state.current.id}"] or 0)


def documents(ctx: WorkspaceContext, *, counts: bool = True) -> list[DocumentState]:
    """Both documents (a kind not started yet comes back empty), with their current version and draft and
    what the viewer acknowledged (one statement), and the acknowledgement shares (one more)."""
    found = {
        document.kind: DocumentState(document.kind, document, current, draft, my_number)
        for document, current, draft, my_number in db.session.execute(scoped(_states_stmt(ctx))).tuples()
    }
    states = [found.get(kind) or DocumentState(kind) for kind in DOCUMENT_KINDS]
    if counts:
        _with_counts(states)
    return states


def get_document(ctx: WorkspaceContext, document_id: Any, *, counts: bool = True) -> DocumentState:
    """One document with its current version, draft and the viewer's acknowledgement; NotFound if none."""
    document_id = parse_id(document_id)
    stmt = _states_stmt(ctx).where(GuidelineDocument.id == document_id)
    row = db.session.execute(scoped(stmt)).tuples().one_or_none() if document_id else None
    if row is None:
        raise NotFound(f"guideline document {document_id}")
    document, current, draft, my_number = row
    state = DocumentState(document.kind, document, current, draft, my_number)
    if counts:
        _with_counts([state])
    return state


def get_version(ctx: WorkspaceContext, version_id: Any) -> tuple[GuidelineVersion, GuidelineDocument]:
    """One version and its document (one statement). A draft is a 404 to people who may not draft."""
    version_id = parse_id(version_id)
    stmt = select(GuidelineVersion, GuidelineDocument).join(
        GuidelineDocument, GuidelineDocument.id == GuidelineVersion.document_id
    )
    row = db.session.execute(scoped(stmt.where(GuidelineVersion.id == version_id))).tuples().one_or_none()
    if row is None or (row[0].published_at is None and not ctx.can("guidelines.draft")):
        raise NotFound(f"guideline version {version_id}")
    return row


def history(ctx: WorkspaceContext, document: GuidelineDocument, page: int) -> Page[GuidelineVersion]:
    """The document's published versions, newest first, a page at a time (one statement)."""
    stmt = (
        select(GuidelineVersion)
        .where(GuidelineVersion.document_id == document.id, GuidelineVersion.published_at.is_not(None))
        .order_by(GuidelineVersion.number.desc())
    )
    return paginate(stmt, page, PAGE_SIZE, cap=COUNT_CAP)


@dataclass(frozen=True)
class PendingMember:
    membership: Membership
    name: str


def pending_members(ctx: WorkspaceContext, version: GuidelineVersion, page: int) -> Page[PendingMember]:
    """Members asked to acknowledge ``version`` who have not, by name, a page at a time with a capped
    count (one statement: a walk of the members by name probing the acknowledgement key)."""
    acknowledged = (
        select(GuidelineAcknowledgement.id)
        .where(
            GuidelineAcknowledgement.version_id == version.id,
            GuidelineAcknowledgement.membership_id == Membership.id,
        )
        .exists()
    )
    stmt = (
        select(Membership, User.name)
        .join(User, User.id == Membership.user_id)
        .where(_required_members(), ~acknowledged)
        .order_by(Membership.sort_name, Membership.id)
    )
    return paginate(stmt, page, PAGE_SIZE, row=lambda row: PendingMember(row[0], row[1]), cap=COUNT_CAP)


# --- the diff -----------------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # ("same" | "ins" | "del", text)

    @property
    def changed(self) -> bool:
        return any(op != "same" for op, _ in self.parts)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences between two texts: runs of ("same" | "del" | "ins", text), whitespace kept."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []

    def add(op: str, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if parts and parts[-1][0] == op:
            parts[-1] = (op, parts[-1][1] + text)
        else:
            parts.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return parts


def diff_versions(old: GuidelineVersion | None, new: GuidelineVersion) -> list[SectionDiff]:
    """Per section, what changed from ``old`` (None: nothing before) to ``new``."""
    return [
        SectionDiff(before.key, before.label, diff_text(before.plain, after.plain))
        for before, after in zip(sections(old), sections(new), strict=True)
    ]


def versions_by_number(
    ctx: WorkspaceContext, document: GuidelineDocument, *numbers: int
) -> dict[int, GuidelineVersion]:
    """The document's published versions with these numbers (one statement)."""
    stmt = select(GuidelineVersion).where(
        GuidelineVersion.document_id == document.id, GuidelineVersion.number.in_(numbers)
    )
    return {version.number: version for version in db.session.scalars(scoped(stmt)) if version.number is not None}


def parse_number(value: Any, highest: int) -> int | None:
    """A version number from a query string: 1..``highest``, else None."""
    return parse_int(value, low=1, high=highest) if highest else None


# --- writes ----------------------------------------------------------------------------------------------


def _document_for(ctx: WorkspaceContext, kind: str) -> GuidelineDocument:
    document = db.session.scalars(scoped(select(GuidelineDocument).where(GuidelineDocument.kind == kind))).first()
    if document is None:
        document = GuidelineDocument(kind=kind)
        db.session.add(document)
        db.session.flush()
    return document


def start_draft(ctx: WorkspaceContext, kind: Any) -> GuidelineVersion:
    """The document's draft: the one there is, or a new one starting from the current version's text."""
    if kind not in DOCUMENT_KINDS:
        raise ServiceError("Choose the partnership agreement or the governance guidelines.")
    document = _document_for(ctx, kind)
    draft = db.session.scalars(
        scoped(
            select(GuidelineVersion).where(
                GuidelineVersion.document_id == document.id, GuidelineVersion.published_at.is_(None)
            )
        )
    ).first()
    if draft is not None:
        return draft
    current = None
    if document.current_number is not None:
        current = versions_by_number(ctx, document, document.current_number).get(document.current_number)
    draft = GuidelineVersion(
        document_id=document.id,
        created_by_membership_id=ctx.membership.id if ctx.membership else None,
        **{name: getattr(current, name) if current is not None else None for name in DRAFT_FIELDS},
    )
    for name in TEXT_FIELDS:
        setattr(draft, name, getattr(draft, name) or "")
    db.session.add(draft)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # someone started one at the same moment: use theirs
        return start_draft(ctx, kind)
    audit.record(ctx, "guideline.draft_started", "guideline_document", document.id, kind=kind)
    return draft


def clean_draft_data(data: dict[str, Any]) -> dict[str, Any]:
    """Checked section values; ServiceError naming the field for the first problem. A version with
    nothing in any section is refused."""
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name) or ""
        if not isinstance(value, str):
            raise ServiceError("Enter text.", name)
        value = value.strip()
        if len(value) > SECTION_MAX:
            raise ServiceError(f"Use at most {SECTION_MAX:,} characters.", name)
        cleaned[name] = value
    weeks = data.get("meeting_every_weeks")
    weeks = "" if weeks is None else str(weeks).strip()
    if not weeks:
        cleaned["meeting_every_weeks"] = None
    else:
        number = parse_int(weeks, low=FREQUENCY_MIN, high=FREQUENCY_MAX) if weeks.isdigit() else None
        if number is None:
            raise ServiceError(
                f"Enter a whole number of weeks from {FREQUENCY_MIN} to {FREQUENCY_MAX}, like 4.", "meeting_every_weeks"
            )
        cleaned["meeting_every_weeks"] = number
    model = data.get("coordination_model") or None
    if model is not None and model not in COORDINATION_KEYS:
        raise ServiceError("Choose a sole coordinator, shared coordination, or leave it open.", "coordination_model")
    cleaned["coordination_model"] = model
    if not any(cleaned.values()):
        raise ServiceError("Write at least one section before saving.", "member_input")
    return cleaned


def _refuse_published(version: GuidelineVersion) -> None:
    if version.published_at is not None:
        raise ServiceError("A published version is never changed. Start a new draft to change the text.")


def save_draft(ctx: WorkspaceContext, version: GuidelineVersion, data: dict[str, Any]) -> GuidelineVersion:
    """Change the draft's sections (a published version is refused); the audit names the changed fields."""
    _refuse_published(version)
    cleaned = clean_draft_data(data)
    changed = sorted(name for name, value in cleaned.items() if getattr(version, name) != value)
    for name in changed:
        setattr(version, name, cleaned[name])
    if changed:
        db.session.flush()
        audit.record(ctx, "guideline.draft_saved", "guideline_document", version.document_id, fields=changed)
    return version


def publish_draft(ctx: WorkspaceContext, document: GuidelineDocument, now: datetime | None = None) -> GuidelineVersion:
    """Publish the document's draft as its next version and email everyone asked to acknowledge it."""
    now = now or utcnow()
    draft = db.session.scalars(
        scoped(
            select(GuidelineVersion)
            .where(GuidelineVersion.document_id == document.id, GuidelineVersion.published_at.is_(None))
            .with_for_update()
        )
    ).first()
    if draft is None:
        raise ServiceError("There is no draft to publish. Start a new draft first.")
    clean_draft_data({name: getattr(draft, name) for name in DRAFT_FIELDS})  # never publish an empty version
    number = (document.current_number or 0) + 1
    draft.number = number
    draft.published_at = now
    draft.published_by_membership_id = ctx.membership.id if ctx.membership else None
    document.current_number = number
    db.session.flush()  # the unique (document, number) refuses a concurrent publish of the same number
    notified = _notify_published(ctx, document, draft)
    audit.record(ctx, "guideline.published", "guideline_document", document.id, number=number, notified=notified)
    return draft


def _notify_published(ctx: WorkspaceContext, document: GuidelineDocument, version: GuidelineVersion) -> int:
    """Tell everyone asked to acknowledge (but the publisher) that a version waits for them
    (``guideline_to_acknowledge``: a short email with a link and a notification centre entry, as each
    chose), once per version and person."""
    from partnership_hub.notifications import notices

    kind, key = "guideline_to_acknowledge", f"version-{version.id}"
    me = ctx.membership.id if ctx.membership else None
    asked = select(Membership.id).where(
        _required_members(), Membership.id != me, notices.untold_clause(kind, Membership.id, key)
    )
    label = KIND_LABELS[document.kind]
    return notices.notify(
        ctx,
        kind,
        notices.recipients(ctx, kind, asked),
        key=key,
        subject=f"New version to acknowledge: {label}",
        title=f"Version {version.number} of the {label.lower()} to acknowledge",
        endpoint="governance.guideline_document",
        args={"guideline_document_id": document.id},
        template="guideline_published",
        per_recipient=lambda person: {"name": person.name},
        sender_id=ctx.user.id if ctx.user else None,
        document_label=label,
        number=version.number,
    )


def acknowledge(ctx: WorkspaceContext, state: DocumentState, now: datetime | None = None) -> bool:
    """``ctx``'s member acknowledges the current version; False when they had already (nothing changes)."""
    if state.current is None or state.document is None:
        raise ServiceError("There is no published version to acknowledge yet.")
    if ctx.membership is None or ctx.membership.role == Role.OBSERVER:
        raise ServiceError("Observers are not asked to acknowledge the partnership's documents.")
    if state.acknowledged_current:
        return False
    ack = GuidelineAcknowledgement(
        version_id=state.current.id, membership_id=ctx.membership.id, acknowledged_at=now or utcnow()
    )
    try:
        with db.session.begin_nested():
            db.session.add(ack)
    except IntegrityError:  # a double click that raced the first
        return False
    audit.record(ctx, "guideline.acknowledged", "guideline_document", state.document.id, number=state.current.number)
    return True


# --- the meetings area's intended frequency -----------------------------------------------------------


def meeting_frequency_query() -> Any:
    """The intended meeting frequency (weeks) from the current version of the governance guidelines, or,
    with none, of the partnership agreement — as a scalar subquery to fold into a page's other numbers.
    NULL when neither has a published version saying it."""
    preferred = case((GuidelineDocument.kind == "guidelines", 0), else_=1)
    return (
        select(GuidelineVersion.meeting_every_weeks)
        .join(
            GuidelineDocument,
            and_(
                GuidelineDocument.id == GuidelineVersion.document_id,
                GuidelineVersion.number == GuidelineDocument.current_number,
            ),
        )
        .order_by(preferred)
        .limit(1)
        .scalar_subquery()
    )


def meeting_frequency_weeks(ctx: WorkspaceContext) -> int | None:
    """How often the current governance guidelines say the partnership meets, in weeks (one statement)."""
    value = db.session.scalar(select(meeting_frequency_query()))
    return int(value) if value is not None else None


# --- the home's "Your work", the overview card, the setup guide ----------------------------------------


@lru_cache(maxsize=8)
def _your_work_guidelines(limit: int) -> Select[Any]:
    """``your_work_guidelines``' SELECT; the person is the ``VIEWER_ID`` parameter."""
    mine = (
        select(GuidelineAcknowledgement.id)
        .where(
            GuidelineAcknowledgement.version_id == GuidelineVersion.id,
            GuidelineAcknowledgement.membership_id == VIEWER_ID,
        )
        .exists()
    )
    waiting = and_(GuidelineDocument.current_number.is_not(None), ~mine)
    title = case(*((GuidelineDocument.kind == kind, label) for kind, label in KIND_LABELS.items()), else_="")
    current = and_(
        GuidelineVersion.document_id == GuidelineDocument.id,
        GuidelineVersion.number == GuidelineDocument.current_number,
    )
    found = select(func.count()).select_from(GuidelineDocument).join(GuidelineVersion, current).where(waiting)
    columns = work_columns(
        record_id=GuidelineDocument.id,
        title=title,
        at=GuidelineVersion.published_at,
        label=literal("Version ") + cast(GuidelineVersion.number, String),
        found=found.scalar_subquery(),
    )
    return (
        select(*columns)
        .select_from(GuidelineDocument)
        .join(GuidelineVersion, current)
        .where(waiting)
        .order_by(GuidelineDocument.id)
        .limit(limit)
    )


def your_work_guidelines(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """ "Guidelines to acknowledge": documents whose current version ``ctx``'s member has not acknowledged
    (at most two rows: one per document, each a probe of the acknowledgement key). The SELECT is kept
    (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None or membership.role == Role.OBSERVER:
        return None
    stmt = _your_work_guidelines(limit)
    zone = ctx.zone

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = tuple(
            WorkItem(
                row.title,
                "governance.guideline_document",
                {"guideline_document_id": row.id},
                note=f"{row.label}, published {row.at.astimezone(zone).strftime('%d %b %Y')}" if row.at else row.label,
                action="Read and acknowledge",
                action_endpoint="governance.guideline_document",
                action_args={"guideline_document_id": row.id, "_anchor": "acknowledge"},
            )
            for row in sorted(rows, key=lambda row: row.id)
        )
        found = rows[0].found if rows else 0
        return WorkList(items, more=max(0, found - len(items)), more_endpoint="governance.guidelines_index")

    return WorkQuery(stmt, build)


def overview_card(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The governance overview's guidelines card: each document's current version and the viewer's
    acknowledgement (ONE statement; the shares are on the guidelines page)."""
    return {"documents": documents(ctx, counts=False)}


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The setup guide's guidelines fact (a scalar subquery): a published partnership agreement or governance
    guidelines (the acknowledgement share is on the guidelines page)."""
    published = select(GuidelineDocument.id).where(GuidelineDocument.current_number.is_not(None))
    return {"guidelines_published": capped_count(published)}


# --- demo and test data ------------------------------------------------------------------------------


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The governance guidelines with a published version 1 and a draft, so every route with an id is walked
    (a document, a published version, the draft)."""
    draft = start_draft(ctx, "guidelines")
    document = _document_for(ctx, "guidelines")
    save_draft(ctx, draft, {"member_input": "Come prepared.", "meeting_every_weeks": "4"})
    publish_draft(ctx, document)
    draft = start_draft(ctx, "guidelines")
    save_draft(ctx, draft, {"member_input": "Come prepared and send apologies.", "meeting_every_weeks": "4"})
    db.session.flush()


DEMO_V1 = {
    "member_input": (
        "Every member organization sends a representative to the full partnership meetings and reads the "
        "papers beforehand.\n\nMembers share updates on the action items they own before each meeting."
    ),
    "meeting_every_weeks": "4",
    "meeting_notes": "The full partnership meets monthly; working groups set their own rhythm.",
    "dispute_resolution": (
        "1. Raise a concern with the coordinators.\n2. The coordinators arrange an informal conversation.\n"
        "3. If that does not resolve it, a facilitated discussion."
    ),
    "coordination_model": "sole",
    "coordination_notes": "The coordinator is appointed for a year at the annual meeting.",
    "decision_making": "Decisions are made by consensus at full partnership meetings and recorded in the minutes.",
}


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo partnership's guidelines: version 1, then version 2 meeting every 6 weeks with a fuller
    dispute resolution process; a few members acknowledged version 1, fewer version 2."""
    document = _document_for(ctx, "guidelines")
    draft = start_draft(ctx, "guidelines")
    save_draft(ctx, draft, DEMO_V1)
    first = publish_draft(ctx, document)
    members = list(
        db.session.scalars(scoped(select(Membership).where(_required_members()).order_by(Membership.id).limit(4)))
    )
    for membership in members[:4]:
        db.session.add(GuidelineAcknowledgement(version_id=first.id, membership_id=membership.id))
    draft = start_draft(ctx, "guidelines")
    save_draft(
        ctx,
        draft,
        DEMO_V1
        | {
            "meeting_every_weeks": "6",
            "dispute_resolution": DEMO_V1["dispute_resolution"]
            + "\n4. If it is still not resolved, the formal process: an independent facilitator agreed by both "
            "parties.\n\nThe toolkit's distinction helps: personality-driven conflict eases as trust grows; "
            "priority-driven conflict needs the goals revisited.",
            "coordination_model": "shared",
            "coordination_notes": "Two co-coordinators share the role, appointed for a year at the annual meeting.",
        },
    )
    second = publish_draft(ctx, document)
    for membership in members[:2]:
        db.session.add(GuidelineAcknowledgement(version_id=second.id, membership_id=membership.id))
    db.session.flush()
