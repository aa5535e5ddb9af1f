"""What the governance area adds to the digests (``Area.digest``), three statements:

* **disputes waiting**: unresolved disputes with no handler (waiting on the coordinators) or handled by
  someone due a digest. A dispute is confidential: its title is shown only to readers the layer admits
  (coordinators, at ``leadership``; the handler by their grant); a reader it waits on who may not see it
  gets "1 dispute waiting" without a title;
* **agreements expiring**: active information-sharing agreements that expire within ``EXPIRING_DAYS``
  (the agreements pages' own rule, ``status_clause``), for coordinators;
* **acknowledgements waiting**: the current version of each governance document, for each reader who has
  not acknowledged it (member digests and coordinators' alike).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, or_, select

from partnership_hub import toolkit
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.governance.agreements import EXPIRING, status_clause
from partnership_hub.governance.agreements_models import SharingAgreement
from partnership_hub.governance.disputes import ACTIVE
from partnership_hub.governance.disputes_models import STATUS_LABELS, Dispute, DisputeStatus
from partnership_hub.governance.guidelines_models import (
    GuidelineAcknowledgement,
    GuidelineDocument,
    GuidelineVersion,
)
from partnership_hub.notifications.digest import DigestBuild

DISPUTES_MAX = 50
AGREEMENTS_MAX = 30
DOCUMENT_LABELS = {choice.key: choice.label for choice in toolkit.GOVERNANCE_DOCUMENTS}


def contribute(build: DigestBuild) -> None:
    _disputes(build)
    _agreements(build)
    _acknowledgements(build)


def _disputes(build: DigestBuild) -> None:
    build.section("disputes", "Disputes waiting", order=40)
    handled = or_(Dispute.handler_membership_id.is_(None), Dispute.handler_membership_id.in_(build.reader_ids))
    stmt = (
        select(
            Dispute.id,
            Dispute.title,
            Dispute.status,
            Dispute.confidentiality,
            Dispute.author_membership_id,
            Dispute.handler_membership_id,
            Dispute.opened_on,
        )
        .where(Dispute.status.in_(ACTIVE), handled)
        .order_by(Dispute.opened_on, Dispute.id)
        .limit(DISPUTES_MAX)
    )
    waiting = build.link("governance.disputes")
    for row in db.session.execute(scoped(stmt)).all():
        handler = row.handler_membership_id
        build.line(
            "disputes",
            row.title,
            link=build.link("governance.dispute", dispute_id=row.id),
            detail="No one handles it yet" if handler is None else "You handle it",
            flag=STATUS_LABELS[DisputeStatus(row.status)],
            seen=(build.seen(Dispute, row.id, row.confidentiality, row.author_membership_id),),
            # Waiting on every coordinator while nobody handles it; on its handler once someone does.
            coordinators=handler is None,
            concerns=frozenset({handler}) if handler is not None else frozenset(),
            needs_you=True,
            masked=("dispute waiting", "disputes waiting"),
            masked_link=waiting,
        )


def _agreements(build: DigestBuild) -> None:
    build.section("agreements", "Agreements expiring", order=50)
    stmt = (
        select(SharingAgreement.id, SharingAgreement.title, SharingAgreement.expires_on)
        .where(status_clause(EXPIRING, build.today))
        .order_by(SharingAgreement.expires_on, SharingAgreement.id)
        .limit(AGREEMENTS_MAX)
    )
    for row in db.session.execute(scoped(stmt)).all():
        days = (row.expires_on - build.today).days
        build.line(
            "agreements",
            row.title,
            link=build.link("governance.agreement", sharing_agreement_id=row.id),
            on=row.expires_on,
            detail="expires today" if days == 0 else f"expires in {days} day{'s' if days != 1 else ''}",
            needs_you=True,
        )


def _acknowledgements(build: DigestBuild) -> None:
    """Each document's current version and which readers acknowledged it: ONE statement (a row per
    acknowledgement by a reader, or one without)."""
    build.section("acknowledgements", "Waiting for your acknowledgement", order=60)
    stmt = (
        select(
            GuidelineDocument.id,
            GuidelineDocument.kind,
            GuidelineVersion.number,
            GuidelineAcknowledgement.membership_id,
        )
        .join(
            GuidelineVersion,
            and_(
                GuidelineVersion.document_id == GuidelineDocument.id,
                GuidelineVersion.number == GuidelineDocument.current_number,
            ),
        )
        .outerjoin(
            GuidelineAcknowledgement,
            and_(
                GuidelineAcknowledgement.version_id == GuidelineVersion.id,
                GuidelineAcknowledgement.membership_id.in_(build.reader_ids),
            ),
        )
        .order_by(GuidelineDocument.kind)
    )
    documents: dict[int, tuple[str, int | None]] = {}
    acknowledged: dict[int, set[int]] = defaultdict(set)
    for document_id, kind, number, membership_id in db.session.execute(scoped(stmt)).tuples():
        documents[document_id] = (kind, number)
        if membership_id is not None:
            acknowledged[document_id].add(membership_id)
    for document_id, (kind, number) in documents.items():
        waiting = [mid for mid in build.reader_ids if mid not in acknowledged[document_id]]
        if not waiting:
            continue
        build.line(
            "acknowledgements",
            f"{DOCUMENT_LABELS.get(kind, kind)}, version {number}",
            link=build.link("governance.guideline_document", guideline_document_id=document_id),
            detail="read and acknowledge it",
            concerns=frozenset(waiting),
            coordinators=False,
            needs_you=True,
        )
