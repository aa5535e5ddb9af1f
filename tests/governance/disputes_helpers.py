"""Dispute log test data, made through the real services, and reads of what they wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import AccessLogEntry, ConfidentialGrant
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance import disputes
from partnership_hub.governance.disputes_models import Dispute, DisputeEntry, DisputeMember, DisputeOrganization
from tests.factories import PartnershipRec, create_organization

SECRET = "Confidential quarrel over intake"


def ctx_of(partnership: PartnershipRec, role: str = "coordinator"):
    return context_for(partnership.id, partnership.members[role].id)


def make_dispute(app, partnership: PartnershipRec, role: str = "coordinator", **fields: Any) -> int:
    """A dispute between two new organizations (unless ``organization_ids`` is given), logged by ``role``."""
    if "organization_ids" not in fields and "member_ids" not in fields:
        fields["organization_ids"] = [create_organization(app, partnership) for _ in range(2)]
    data = {"title": SECRET, "kind": "priority", "path": "informal"} | fields
    with app.app_context():
        dispute = disputes.create_dispute(ctx_of(partnership, role), data)
        db.session.commit()
        return dispute.id


def add_entry(app, partnership: PartnershipRec, dispute_id: int, **fields: Any) -> int:
    with app.app_context():
        ctx = ctx_of(partnership)
        entry = disputes.add_entry(ctx, db.session.get(Dispute, dispute_id), {"what_happened": "Talked."} | fields)
        db.session.commit()
        return entry.id


def counts(app, partnership: PartnershipRec) -> dict[str, int]:
    """How many rows of each dispute table, grant, audit and access-log entry the partnership has."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        models = {
            "disputes": Dispute,
            "entries": DisputeEntry,
            "organizations": DisputeOrganization,
            "members": DisputeMember,
            "grants": ConfidentialGrant,
            "audit": AuditEntry,
        }
        return {name: db.session.scalar(select(func.count()).select_from(model)) or 0 for name, model in models.items()}


def reads(app, partnership: PartnershipRec) -> list[tuple[str, int, str, int | None]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(
            AccessLogEntry.record_kind, AccessLogEntry.record_id, AccessLogEntry.how, AccessLogEntry.membership_id
        ).order_by(AccessLogEntry.id)
        return [tuple(row) for row in db.session.execute(stmt)]  # type: ignore[misc]


def audit_entries(app, partnership: PartnershipRec, target_id: int) -> list[tuple[str, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = (
            select(AuditEntry.action, AuditEntry.details)
            .where(AuditEntry.target_type == "dispute", AuditEntry.target_id == target_id)
            .order_by(AuditEntry.id)
        )
        return [(action, details) for action, details in db.session.execute(stmt)]
