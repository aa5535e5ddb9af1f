"""Funding pipeline test data, made through the real services, and reads of what they wrote."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import AccessLogEntry, ConfidentialGrant, Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_models import FundingOpportunity, FundingOpportunityGoal, FundingStatus
from tests.factories import PartnershipRec

SECRET = "Family foundation lead"


def ctx_of(partnership: PartnershipRec, role: str = "coordinator"):
    return context_for(partnership.id, partnership.members[role].id)


def today_of(app, partnership: PartnershipRec) -> date:
    with app.app_context():
        return context_for(partnership.id).today()


def make(app, partnership: PartnershipRec, role: str = "coordinator", **fields: Any) -> int:
    """An opportunity made through the service (a government grant being applied for, unless ``fields`` say
    otherwise); values as a form sends them (strings)."""
    data = {"title": "State victim services grant", "source_type": "government_grant", "status": "applying"} | fields
    with app.app_context():
        opportunity = pipeline.create_opportunity(ctx_of(partnership, role), data)
        db.session.commit()
        return opportunity.id


def load(app, partnership: PartnershipRec, opportunity_id: int) -> FundingOpportunity:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = db.session.get(FundingOpportunity, opportunity_id)
        assert found is not None, opportunity_id
        db.session.expunge(found)
        return found


def counts(app, partnership: PartnershipRec) -> dict[str, int]:
    """How many opportunities, goal links, grants and audit entries the partnership has."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        models = {
            "opportunities": FundingOpportunity,
            "goals": FundingOpportunityGoal,
            "grants": ConfidentialGrant,
            "audit": AuditEntry,
        }
        return {name: db.session.scalar(select(func.count()).select_from(model)) or 0 for name, model in models.items()}


def snapshot(app, partnership: PartnershipRec) -> list[tuple]:
    """Every opportunity's stored values (to prove a refused change wrote nothing)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        table = FundingOpportunity.__table__
        return [tuple(row) for row in db.session.execute(select(table).order_by(table.c.id))]


def goal_links(app, partnership: PartnershipRec, opportunity_id: int) -> list[int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(FundingOpportunityGoal.goal_id).where(FundingOpportunityGoal.opportunity_id == opportunity_id)
        return sorted(db.session.scalars(stmt))


def grants_on(app, partnership: PartnershipRec, opportunity_id: int) -> list[int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(ConfidentialGrant.membership_id).where(
            ConfidentialGrant.record_kind == "funding_opportunity", ConfidentialGrant.record_id == opportunity_id
        )
        return sorted(db.session.scalars(stmt))


def audit_of(app, partnership: PartnershipRec) -> list[tuple[str, int | None, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(AuditEntry.action, AuditEntry.target_id, AuditEntry.details).order_by(AuditEntry.id)
        return [tuple(row) for row in db.session.execute(stmt) if str(row.action).startswith("funding_opportunity.")]


def access_log(app, partnership: PartnershipRec) -> list[tuple[str, int, str, int | None]]:
    """(record kind, record id, how, membership id) of every access-log entry, oldest first."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(
            AccessLogEntry.record_kind, AccessLogEntry.record_id, AccessLogEntry.how, AccessLogEntry.membership_id
        ).order_by(AccessLogEntry.id)
        return [tuple(row) for row in db.session.execute(stmt)]


def bulk(app, partnership: PartnershipRec, size: int, *, title: str = "Bulk", **fields: Any) -> list[int]:
    """``size`` opportunities written with one INSERT (the services would take a while for hundreds):
    every type, status, level and currency in turn unless ``fields`` fix them."""
    types = list(pipeline.TYPE_LABELS)
    statuses = list(FundingStatus)
    levels = (Level.WORKSPACE, Level.WORKSPACE, Level.LEADERSHIP, Level.WORKSPACE, Level.PRIVATE)  # 5: not 8's
    with app.app_context():
        ctx = context_for(partnership.id)
        today = ctx.today()
        bind_tenant(db.session, partnership.id)
        first = db.session.scalar(select(func.coalesce(func.max(FundingOpportunity.id), 0)))
        rows = [
            {
                "partnership_id": partnership.id,
                "title": f"{title} {n}",
                "funder": f"Funder {n % 7}",
                "source_type": types[n % len(types)],
                "status": statuses[n % len(statuses)],
                "position": n,
                "amount_asked": 1000 + n,
                "amount_awarded": 900 + n if n % 3 == 0 else None,
                "currency": "USD" if n % 5 else "EUR",
                "application_deadline": today + timedelta(days=n % 90 - 30),
                "report_deadline": today + timedelta(days=n % 60) if n % 2 else None,
                "fiscal_year": today.year - n % 4,
                "confidentiality": levels[n % len(levels)],
                "notes": "",
            }
            | fields
            for n in range(size)
        ]
        db.session.execute(insert(FundingOpportunity), rows)
        ids = list(
            db.session.scalars(
                select(FundingOpportunity.id).where(FundingOpportunity.id > first).order_by(FundingOpportunity.id)
            )
        )
        db.session.commit()
        return ids
