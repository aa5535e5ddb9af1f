"""What the funding pipeline adds to the digests (``Area.digest``): application deadlines of opportunities
still to apply for, and report deadlines of awarded ones, in the next ``DEADLINE_DAYS`` days — for
coordinators, and for each opportunity's owner in their member digest. An opportunity is confidential:
each reader sees only the ones the layer admits them to. ONE statement."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, literal, or_, select

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.funding.pipeline import DEADLINE_DAYS, FUNDED, OPEN
from partnership_hub.funding.pipeline_models import FundingOpportunity
from partnership_hub.notifications.digest import DigestBuild

SECTION = "funding"
OPPORTUNITIES_MAX = 30


def contribute(build: DigestBuild) -> None:
    build.section(SECTION, "Funding deadlines", order=70)
    horizon = build.today + timedelta(days=DEADLINE_DAYS)
    opportunity = FundingOpportunity
    application = and_(opportunity.status.in_(OPEN), opportunity.application_deadline.between(build.today, horizon))
    report = and_(opportunity.status.in_(FUNDED), opportunity.report_deadline.between(build.today, horizon))
    due = case((application, opportunity.application_deadline), else_=opportunity.report_deadline)
    stmt = (
        select(
            opportunity.id,
            opportunity.title,
            opportunity.funder,
            opportunity.confidentiality,
            opportunity.author_membership_id,
            opportunity.owner_membership_id,
            due.label("due"),
            case((application, literal("Application due")), else_=literal("Report due")).label("what"),
        )
        .where(or_(application, report))
        .order_by(due, opportunity.id)
        .limit(OPPORTUNITIES_MAX)
    )
    for row in db.session.execute(scoped(stmt)).all():
        owner = row.owner_membership_id
        build.line(
            SECTION,
            f"{row.title} ({row.funder})" if row.funder else row.title,
            link=build.link("funding.opportunity", funding_opportunity_id=row.id),
            on=row.due,
            detail=row.what,
            seen=(build.seen(FundingOpportunity, row.id, row.confidentiality, row.author_membership_id),),
            concerns=frozenset({owner}) if owner else frozenset(),
            needs_you=True,
        )
