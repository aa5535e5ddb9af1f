"""The advisory area's framework section: the partnership's confidentiality framework (the toolkit's
"What will be your partnership's framework for confidentiality?").

Three parts, each a page:

- **Practices** — one ``ConfidentialityFramework`` row per partnership, a Markdown text per section
  (``PRACTICE_SECTIONS``: consent, privacy, keeping records, anything else). Coordinators edit the
  current text in place; there are no versions (the audit log names the sections each save changed). A
  save based on an older one is refused (``revision``), so two coordinators never overwrite each other
  unawares.
- **Mandatory reporting** — per member organization (``OrganizationReporting``): is it a mandatory
  reporter (yes / no / not sure), for what, notes. Coordinators and the organization's own
  representatives record it. The list is the partnership's active organizations LEFT JOIN their rows
  (one statement, count capped); an organization without a row is "Not recorded".
- **Federal rules** — the toolkit's federal rules on confidentiality
  (``toolkit.FEDERAL_CONFIDENTIALITY_RULES``) as a checklist the coordinators complete with notes
  (``FederalRuleReview``; a rule without a row is "Not started").

Everyone in the partnership reads all three, observers too: the framework says how the partnership
handles information, it holds nobody's information. The setup guide's ``confidentiality`` question is
answered once consent and privacy are written and every federal rule is addressed or does not apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import exists, literal, select
from sqlalchemy.exc import IntegrityError

from partnership_hub import formats, toolkit
from partnership_hub.advisory.framework_models import (
    ConfidentialityFramework,
    FederalRuleReview,
    OrganizationReporting,
    ReporterStatus,
    RuleStatus,
)
from partnership_hub.advisory.policies import SEE_ADVISORS
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.members import services as members
from partnership_hub.members.models import Organization, Representative, name_key
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import form_text, parse_id, parse_int, query_choice, query_text
from partnership_hub.toolkit import Choice
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import capped_count

PAGE_SIZE = 25
PRACTICE_MAX = 20_000  # characters per practices section
REPORTS_FOR_MAX = 500
NOTES_MAX = 4_000
SOMEONE = "someone in the partnership"  # who updated a record, when the viewer may not know who advisors are

# The practices' sections: what each asks (the form's hint) is product copy, kept here with its label.
PRACTICE_SECTIONS: tuple[Choice, ...] = (
    Choice(
        "consent",
        "Consent",
        "How you ask someone's consent before sharing their information, how you record it, and how they withdraw it.",
    ),
    Choice(
        "privacy",
        "Privacy",
        "What member organizations share with each other, and what is never shared (for example anything "
        "that identifies a survivor).",
    ),
    Choice("retention", "Keeping records", "How long records are kept, where, and how they are destroyed."),
    Choice("other", "Anything else", "Optional: training, what to do after a breach, who to ask."),
)
PRACTICE_KEYS = tuple(section.key for section in PRACTICE_SECTIONS)
REQUIRED_PRACTICES = ("consent", "privacy")  # what the setup guide asks for

FEDERAL_RULES = toolkit.FEDERAL_CONFIDENTIALITY_RULES
FEDERAL_RULE_KEYS = tuple(rule.key for rule in FEDERAL_RULES)
RULE_STATUS_LABELS: dict[RuleStatus, str] = {
    RuleStatus.NOT_STARTED: "Not started",
    RuleStatus.IN_PROGRESS: "In progress",
    RuleStatus.ADDRESSED: "Addressed",
    RuleStatus.NOT_APPLICABLE: "Does not apply",
}
REVIEWED = (RuleStatus.ADDRESSED, RuleStatus.NOT_APPLICABLE)  # what counts as reviewed for the setup guide

REPORTER_LABELS: dict[ReporterStatus, str] = {
    ReporterStatus.YES: "Mandatory reporter",
    ReporterStatus.NO: "Not a mandatory reporter",
    ReporterStatus.UNSURE: "Not sure yet",
}
REPORTER_CHOICES: dict[ReporterStatus, str] = {  # the form's answers to "is it a mandatory reporter?"
    ReporterStatus.YES: "Yes",
    ReporterStatus.NO: "No",
    ReporterStatus.UNSURE: "Not sure yet",
}
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"
REPORTING_FILTERS: dict[str, str] = {
    "": "Any status",
    ReporterStatus.YES.value: "Mandatory reporters",
    ReporterStatus.NO.value: "Not mandatory reporters",
    ReporterStatus.UNSURE.value: "Not sure yet",
    NOT_RECORDED: NOT_RECORDED_LABEL,
}

STALE_PRACTICES = (
    "Someone else saved the framework while you were editing. Your text is still below: compare it with the "
    "framework page (open it in a new tab), then save again to replace theirs."
)
STALE_CHECKLIST = "Someone else saved the checklist at the same moment. Check it and save again."
STALE_REPORTING = "Someone else saved this organization's answer at the same moment. Check it and save again."


def _me(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


def _shown_name(ctx: WorkspaceContext, name: str | None, role: Role | None, membership_id: int | None) -> str | None:
    """Who changed a record, as this viewer may know it: survivor advisors' names stay with coordinators
    and advisors (the directory's rule), so others read "someone in the partnership"."""
    if name is None:
        return None
    viewer = ctx.membership
    if (
        role == Role.SURVIVOR_ADVISOR
        and viewer is not None
        and viewer.id != membership_id
        and viewer.role not in SEE_ADVISORS
    ):
        return SOMEONE
    return name


# --- practices ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    key: str
    label: str
    hint: str
    text: str  # Markdown

    @property
    def html(self) -> Markup:
        """The section as safe HTML; it sits under the page's own heading, so no h1/h2."""
        return formats.render_markdown(self.text, top_headings=False)


@dataclass(frozen=True)
class FrameworkState:
    """The practices as a page shows them (empty sections for a partnership that wrote none yet)."""

    practices: list[Practice]
    revision: int
    updated_at: datetime | None
    updated_by: str | None

    @property
    def written(self) -> bool:
        """Consent and privacy written: what the setup guide asks for."""
        texts = {practice.key: practice.text for practice in self.practices}
        return all(texts[key] for key in REQUIRED_PRACTICES)

    @property
    def empty(self) -> bool:
        return not any(practice.text for practice in self.practices)

    def values(self) -> dict[str, Any]:
        """The form's values: each section's text and the revision they are based on."""
        return {practice.key: practice.text for practice in self.practices} | {"revision": str(self.revision)}


def framework_state(ctx: WorkspaceContext) -> FrameworkState:
    """The partnership's practices with who last changed them (ONE statement)."""
    stmt = (
        select(ConfidentialityFramework, User.name, Membership.role, Membership.id)
        .outerjoin(Membership, Membership.id == ConfidentialityFramework.updated_by_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
    )
    row = db.session.execute(scoped(stmt)).first()
    framework = row[0] if row else None
    practices = [
        Practice(section.key, section.label, section.description, getattr(framework, section.key, "") or "")
        for section in PRACTICE_SECTIONS
    ]
    if framework is None or row is None:
        return FrameworkState(practices, 0, None, None)
    return FrameworkState(practices, framework.revision, framework.updated_at, _shown_name(ctx, row[1], row[2], row[3]))


def current_revision(ctx: WorkspaceContext) -> int:
    """The revision a save must be based on now (0 before the first save)."""
    return int(db.session.scalar(scoped(select(ConfidentialityFramework.revision))) or 0)


def save_practices(ctx: WorkspaceContext, data: Mapping[str, Any]) -> ConfidentialityFramework:
    """Write the practices' sections (the current text, edited in place). A save based on an older
    revision than the stored one is refused at the form, so nobody's text is overwritten unseen."""
    values = {key: form_text(data, key, PRACTICE_MAX) for key in PRACTICE_KEYS}
    based_on = parse_int(str(data.get("revision") or "0"), low=0)
    framework = db.session.scalars(scoped(select(ConfidentialityFramework).with_for_update())).one_or_none()
    if based_on is None or based_on != (framework.revision if framework else 0):
        raise ServiceError(STALE_PRACTICES)
    if framework is None:
        framework = ConfidentialityFramework(revision=0, **dict.fromkeys(PRACTICE_KEYS, ""))
        db.session.add(framework)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # another coordinator's first save won the unique key
            raise ServiceError(STALE_PRACTICES) from None
    changed = [key for key in PRACTICE_KEYS if getattr(framework, key) != values[key]]
    if not changed:
        return framework
    for key in changed:
        setattr(framework, key, values[key])
    framework.revision += 1
    framework.updated_by_membership_id = _me(ctx)
    framework.updated_at = utcnow()
    db.session.flush()
    audit.record(ctx, "confidentiality_framework.updated", "confidentiality_framework", framework.id, fields=changed)
    return framework


# --- federal rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleReview:
    rule: Choice
    status: RuleStatus
    notes: str
    reviewed_at: datetime | None
    reviewed_by: str | None

    @property
    def status_label(self) -> str:
        return RULE_STATUS_LABELS[self.status]

    @property
    def done(self) -> bool:
        return self.status in REVIEWED


def federal_checklist(ctx: WorkspaceContext) -> list[RuleReview]:
    """Every federal rule of the toolkit, in its order, with the partnership's review (ONE statement)."""
    stmt = (
        select(FederalRuleReview, User.name, Membership.role, Membership.id)
        .outerjoin(Membership, Membership.id == FederalRuleReview.reviewed_by_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .where(FederalRuleReview.rule_key.in_(FEDERAL_RULE_KEYS))
    )
    found = {row[0].rule_key: row for row in db.session.execute(scoped(stmt))}
    checklist = []
    for rule in FEDERAL_RULES:
        row = found.get(rule.key)
        if row is None:
            checklist.append(RuleReview(rule, RuleStatus.NOT_STARTED, "", None, None))
            continue
        review = row[0]
        name = _shown_name(ctx, row[1], row[2], row[3])
        checklist.append(RuleReview(rule, RuleStatus(review.status), review.notes, review.reviewed_at, name))
    return checklist


def checklist_values(checklist: list[RuleReview]) -> dict[str, str]:
    """The checklist form's values: ``<rule key>_status`` and ``<rule key>_notes`` per rule."""
    values: dict[str, str] = {}
    for review in checklist:
        values[f"{review.rule.key}_status"] = review.status.value
        values[f"{review.rule.key}_notes"] = review.notes
    return values


def review_federal_rules(ctx: WorkspaceContext, data: Mapping[str, Any]) -> int:
    """Record where the partnership stands with each federal rule (every value checked before anything is
    written; a value not sent keeps what is stored); a rule whose status or notes changed is marked
    reviewed by the acting person now. Returns how many rules changed."""
    stmt = select(FederalRuleReview).where(FederalRuleReview.rule_key.in_(FEDERAL_RULE_KEYS)).with_for_update()
    rows = {row.rule_key: row for row in db.session.scalars(scoped(stmt))}
    statuses = {status.value for status in RuleStatus}
    wanted: dict[str, tuple[RuleStatus, str]] = {}
    for key in FEDERAL_RULE_KEYS:
        row = rows.get(key)
        raw = data.get(f"{key}_status")
        if raw is None:
            raw = row.status.value if row else RuleStatus.NOT_STARTED.value
        if raw not in statuses:
            raise ServiceError("Choose where the partnership stands with this rule.", f"{key}_status")
        notes = form_text(data, f"{key}_notes", NOTES_MAX) if f"{key}_notes" in data else (row.notes if row else "")
        wanted[key] = (RuleStatus(raw), notes)
    now, changed = utcnow(), 0
    for key, (status, notes) in wanted.items():
        row = rows.get(key)
        before = (RuleStatus(row.status), row.notes) if row else (RuleStatus.NOT_STARTED, "")
        if before == (status, notes):
            continue
        fields = [name for name, old, new in (("status", before[0], status), ("notes", before[1], notes)) if old != new]
        me = _me(ctx)
        if row is None:
            row = FederalRuleReview(rule_key=key)
        row.status, row.notes = status, notes
        row.reviewed_by_membership_id, row.reviewed_at = me, now
        db.session.add(row)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # another coordinator saved the first review of this rule at the same moment
            raise ServiceError(STALE_CHECKLIST) from None
        audit.record(ctx, "federal_rule_review.updated", "federal_rule_review", row.id, rule=key, fields=fields)
        changed += 1
    return changed


# --- mandatory reporting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingFilters:
    """What the organizations' list is narrowed to; empty values mean "any"."""

    status: str = ""  # "", a ReporterStatus value or NOT_RECORDED
    q: str = ""  # part of the organization's name
    mine: bool = False  # only organizations the viewer represents

    @property
    def active(self) -> bool:
        return bool(self.status or self.q or self.mine)

    def query_args(self) -> dict[str, str]:
        args = {"status": self.status, "q": self.q, "mine": "1" if self.mine else ""}
        return {key: value for key, value in args.items() if value}


def parse_reporting_filters(args: Mapping[str, str]) -> ReportingFilters:
    """The list's filters from a query string; anything unusable means "any"."""
    return ReportingFilters(
        status=query_choice(args, "status", REPORTING_FILTERS),
        q=query_text(args, "q"),
        mine=args.get("mine") in ("1", "on", "y", "true"),
    )


@dataclass(frozen=True)
class ReportingRow:
    organization_id: int
    name: str
    status: ReporterStatus | None  # None: not recorded
    reports_for: str
    updated_at: datetime | None
    represented: bool  # the viewer represents this organization

    @property
    def status_label(self) -> str:
        return REPORTER_LABELS[self.status] if self.status else NOT_RECORDED_LABEL


def _represents(me: int | None) -> Any:
    """SQL over ``Organization``: the viewer is one of its representatives."""
    if me is None:
        return literal(False)
    return exists().where(Representative.organization_id == Organization.id, Representative.membership_id == me)


def reporting_page(
    ctx: WorkspaceContext, filters: ReportingFilters, page: int = 1, page_size: int = PAGE_SIZE
) -> Page[ReportingRow]:
    """One page of the partnership's active organizations by name, each with its reporting duties or none
    (a LEFT JOIN: ONE statement at any size, the count capped at ``COUNT_CAP``)."""
    me = _me(ctx)
    stmt = (
        select(
            Organization.id,
            Organization.name,
            OrganizationReporting.is_mandatory_reporter,
            OrganizationReporting.reports_for,
            OrganizationReporting.updated_at,
            _represents(me),
        )
        .outerjoin(
            OrganizationReporting,
            # The tenancy mechanism scopes both tables; the composite key keeps the pair in one partnership.
            OrganizationReporting.organization_id == Organization.id,
        )
        .where(Organization.archived_at.is_(None))
    )
    if filters.status == NOT_RECORDED:
        stmt = stmt.where(OrganizationReporting.id.is_(None))
    elif filters.status:
        stmt = stmt.where(OrganizationReporting.is_mandatory_reporter == ReporterStatus(filters.status))
    if filters.q:
        stmt = stmt.where(Organization.name_key.contains(name_key(filters.q), autoescape=True))
    if filters.mine:
        stmt = stmt.where(_represents(me))
    stmt = stmt.order_by(Organization.name_key, Organization.id)

    def build(row: Any) -> ReportingRow:
        organization_id, name, status, reports_for, updated_at, represented = row
        status = ReporterStatus(status) if status else None
        return ReportingRow(organization_id, name, status, reports_for or "", updated_at, bool(represented))

    return paginate(scoped(stmt), page, page_size, row=build, cap=COUNT_CAP)


@dataclass(frozen=True)
class ReportingSummary:
    organizations: int
    reporters: int
    unsure: int
    recorded: int

    @property
    def not_recorded(self) -> int:
        return max(0, self.organizations - self.recorded)

    @property
    def capped(self) -> bool:
        return self.organizations >= COUNT_CAP


def reporting_summary(ctx: WorkspaceContext) -> ReportingSummary:
    """How many active organizations are mandatory reporters, not sure, recorded at all (ONE statement,
    each count capped at ``COUNT_CAP``)."""
    active = select(Organization.id).where(Organization.archived_at.is_(None))
    recorded = active.join(
        OrganizationReporting,
        OrganizationReporting.organization_id == Organization.id,
    )
    values = select_scalars(
        db.session,
        {
            "organizations": capped_count(active, COUNT_CAP),
            "reporters": capped_count(
                recorded.where(OrganizationReporting.is_mandatory_reporter == ReporterStatus.YES), COUNT_CAP
            ),
            "unsure": capped_count(
                recorded.where(OrganizationReporting.is_mandatory_reporter == ReporterStatus.UNSURE), COUNT_CAP
            ),
            "recorded": capped_count(recorded, COUNT_CAP),
        },
    )
    return ReportingSummary(**{key: int(value or 0) for key, value in values.items()})


@dataclass(frozen=True)
class ReportingEntry:
    """One organization with its reporting duties, loaded for the viewer."""

    organization_id: int
    name: str
    archived: bool
    sectors: list[str]
    reporting: OrganizationReporting | None
    updated_by: str | None
    # The viewer's membership id when they represent the organization (the edit rule reads it).
    represented_by: int | None

    @property
    def status(self) -> ReporterStatus | None:
        return ReporterStatus(self.reporting.is_mandatory_reporter) if self.reporting else None

    @property
    def status_label(self) -> str:
        return REPORTER_LABELS[self.status] if self.status else NOT_RECORDED_LABEL

    def values(self) -> dict[str, str]:
        """The form's values."""
        row = self.reporting
        return {
            "is_mandatory_reporter": row.is_mandatory_reporter.value if row else "",
            "reports_for": row.reports_for if row else "",
            "notes": row.notes if row else "",
        }


def reporting_entry(ctx: WorkspaceContext, organization_id: Any) -> ReportingEntry:
    """An organization of this partnership with its reporting duties (a fixed number of statements), or
    ``NotFound``. The organization comes from the members area (its sectors and representatives)."""
    record_id = parse_id(organization_id)
    if record_id is None:
        raise NotFound("organization (not an id)")
    organization = members.load_organization(ctx, record_id)
    me = _me(ctx)
    represented = me is not None and any(rep.membership_id == me for rep in organization.representatives)
    stmt = (
        select(OrganizationReporting, User.name, Membership.role, Membership.id)
        .outerjoin(Membership, Membership.id == OrganizationReporting.updated_by_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .where(OrganizationReporting.organization_id == organization.id)
    )
    row = db.session.execute(scoped(stmt)).first()
    return ReportingEntry(
        organization.id,
        organization.name,
        organization.archived_at is not None,
        members.organization_sector_labels(organization),
        row[0] if row else None,
        _shown_name(ctx, row[1], row[2], row[3]) if row else None,
        me if represented else None,
    )


def save_reporting(ctx: WorkspaceContext, entry: ReportingEntry, data: Mapping[str, Any]) -> OrganizationReporting:
    """Record whether the organization is a mandatory reporter, for what, with notes."""
    raw = data.get("is_mandatory_reporter")
    if raw not in {status.value for status in ReporterStatus}:
        raise ServiceError(
            "Choose whether the organization is a mandatory reporter: yes, no or not sure yet.",
            "is_mandatory_reporter",
        )
    status = ReporterStatus(raw)
    reports_for = form_text(data, "reports_for", REPORTS_FOR_MAX)
    if status == ReporterStatus.YES and not reports_for:
        raise ServiceError("Say what its staff must report, for example “child abuse and neglect”.", "reports_for")
    if status == ReporterStatus.NO and reports_for:
        raise ServiceError(
            "Leave this empty for an organization that is not a mandatory reporter, or choose “Yes” or “Not sure yet”.",
            "reports_for",
        )
    notes = form_text(data, "notes", NOTES_MAX)
    stmt = select(OrganizationReporting).where(OrganizationReporting.organization_id == entry.organization_id)
    row = db.session.scalars(scoped(stmt.with_for_update())).one_or_none()
    before = (row.is_mandatory_reporter, row.reports_for, row.notes) if row else (None, "", "")
    after = (status, reports_for, notes)
    if row is not None and before == after:
        return row
    fields = [
        name
        for name, old, new in zip(("is_mandatory_reporter", "reports_for", "notes"), before, after, strict=True)
        if old != new
    ]
    me = _me(ctx)
    if row is None:
        row = OrganizationReporting(organization_id=entry.organization_id)
    row.is_mandatory_reporter, row.reports_for, row.notes = status, reports_for, notes
    row.updated_by_membership_id, row.updated_at = me, utcnow()
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # someone recorded this organization's first answer at the same moment
        raise ServiceError(STALE_REPORTING) from None
    audit.record(ctx, "organization_reporting.updated", "organization", entry.organization_id, fields=fields)
    return row


# --- facts, seeds ---------------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's confidentiality question: practices written (consent and privacy) and every federal
    rule addressed or not applicable (two scalar subqueries, any size)."""
    written = select(ConfidentialityFramework.id).where(
        *(getattr(ConfidentialityFramework, key) != "" for key in REQUIRED_PRACTICES)
    )
    reviewed = select(FederalRuleReview.id).where(
        FederalRuleReview.rule_key.in_(FEDERAL_RULE_KEYS), FederalRuleReview.status.in_(REVIEWED)
    )
    return {
        "framework_practices": capped_count(written, 1),
        "federal_rules_reviewed": capped_count(reviewed, len(FEDERAL_RULE_KEYS)),
    }


def is_answered(facts: Mapping[str, Any]) -> bool:
    """The setup check over ``setup_facts``."""
    return facts["framework_practices"] > 0 and facts["federal_rules_reviewed"] >= len(FEDERAL_RULE_KEYS)


DEMO_PRACTICES = {
    "consent": (
        "- We share a survivor's information with another member **only with their written consent**, "
        "naming who receives it and why.\n"
        "- Consent is recorded on the referral form and kept with the case file of the organization that "
        "asked for it.\n"
        "- A survivor can withdraw consent at any time, in person, by phone or in writing; we tell every "
        "member who received the information within two working days."
    ),
    "privacy": (
        "Members share **referral needs, service availability and de-identified trends** at meetings.\n\n"
        "We never share names, addresses, immigration status or case notes at partnership meetings, in "
        "minutes or in this workspace."
    ),
    "retention": "Each member keeps records under its own retention policy; partnership minutes hold no "
    "identifying information and are kept for five years.",
}
DEMO_REPORTERS = (
    ("Denver Metro Police – Human Trafficking Unit", "child abuse, neglect"),
    ("Mile High Community Health Center", "child abuse; elder abuse"),
)


def _organization_id(name: str) -> int | None:
    return db.session.scalars(scoped(select(Organization.id).where(Organization.name_key == name_key(name)))).first()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo framework: practices written, two organizations recorded as mandatory reporters, the
    federal checklist half done (so the guide's question is still open)."""
    save_practices(ctx, DEMO_PRACTICES | {"other": "", "revision": "0"})
    for name, reports_for in DEMO_REPORTERS:
        organization_id = _organization_id(name)
        if organization_id is not None:
            entry = reporting_entry(ctx, organization_id)
            save_reporting(ctx, entry, {"is_mandatory_reporter": "yes", "reports_for": reports_for})
    review_federal_rules(
        ctx,
        {
            "confidentiality_of_information_status": RuleStatus.ADDRESSED.value,
            "confidentiality_of_information_notes": "Covered by the consent practice above.",
            "hipaa_status": RuleStatus.ADDRESSED.value,
            "hipaa_notes": "Mile High Community Health Center is a covered entity; it shares nothing without a "
            "signed authorization.",
            "prea_status": RuleStatus.IN_PROGRESS.value,
            "prea_notes": "Asking our probation members how it applies to referrals of people in custody.",
        },
    )


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's records: the practices, one organization's reporting duties (its
    ``organization_reporting``) and one federal rule's review (``federal_rule_review``). On top of the demo
    (which wrote its own framework) only what is missing is added."""
    if db.session.scalars(scoped(select(ConfidentialityFramework.id))).first() is not None:
        return
    save_practices(ctx, {"consent": "Written consent first.", "privacy": "No names.", "revision": "0"})
    organization_id = db.session.scalars(scoped(select(Organization.id).order_by(Organization.id))).first()
    if organization_id is not None:
        save_reporting(ctx, reporting_entry(ctx, organization_id), {"is_mandatory_reporter": "unsure"})
    review_federal_rules(ctx, {"hipaa_status": RuleStatus.IN_PROGRESS.value})
