"""The awareness part of the demo and of the route walk's seed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from partnership_hub.awareness import campaigns, days
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.funding.pipeline_models import FundingOpportunity
from partnership_hub.workspaces.models import Membership


def _member(people: dict, local: str) -> str:
    found = db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == people[local].id))).one()
    return str(found)


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Two days of the partnership's own, one toolkit day it does not observe, this year's GivingTuesday
    appeal (done, with its outcome) and next January's awareness-month campaign with open tasks."""
    today = ctx.today()
    leadership_day = days.create_day(
        ctx,
        {
            "name": "Survivor Leadership Day",
            "description": "The partnership's day to celebrate survivor leaders and the advisory board's work.",
            "kind": "nth_weekday",
            "month": "5",
            "nth": "2",
            "weekday": "5",
        },
    )
    days.create_day(
        ctx,
        {
            "name": "Volunteer week kick-off",
            "kind": "offset",
            "base": f"custom:{leadership_day.id}",
            "offset_days": "7",
            "direction": "after",
        },
    )
    days.set_observed(ctx, {"key": "social_justice_day", "observe": "0"})
    appeal = select(FundingOpportunity.id).where(FundingOpportunity.source_type == "individual_giving")
    opportunity = db.session.scalars(scoped(appeal.order_by(FundingOpportunity.id))).first()
    giving = campaigns.create_plan(
        ctx,
        {
            "day": "toolkit:giving_tuesday",
            "year": str(today.year),
            "title": f"GivingTuesday appeal {today.year}",
            "owner_membership_id": _member(people, "luis.ortega"),
            "funding_opportunity_id": str(opportunity) if opportunity else "",
            "goal_text": "Raise $15,000 from local donors for emergency shelter nights.",
            "outcome": "142 gifts, $16,320 raised; a local credit union matched the first $5,000.",
        },
    )
    for title, offset in (("Draft the appeal email and social posts", -40), ("Line up a matching gift", -30)):
        campaigns.add_task(
            ctx,
            giving,
            {
                "title": title,
                "assignee_membership_id": _member(people, "luis.ortega"),
                "due_date": (today + timedelta(days=offset)).isoformat(),
                "status": "done",
            },
        )
    january = campaigns.create_plan(
        ctx,
        {
            "day": "toolkit:ht_awareness_month",
            "year": str(today.year + 1 if today.month >= 2 else today.year),
            "title": "Human Trafficking Awareness Month: community training series",
            "owner_membership_id": _member(people, "priya.raman"),
            "goal_text": "Four trainings for first responders and teachers, co-led with the survivor advisory board.",
        },
    )
    for title, offset, who in (
        ("Book the library meeting room for four Tuesdays", 10, "priya.raman"),
        ("Ask the advisory board who wants to co-lead (paid, per the board's rates)", 14, "coordinator"),
        ("Print and share the flyer with member organizations", 24, "marcus.bell"),
    ):
        campaigns.add_task(
            ctx,
            january,
            {
                "title": title,
                "assignee_membership_id": _member(people, who),
                "due_date": (today + timedelta(days=offset)).isoformat(),
            },
        )


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """One day of the partnership's own (``awareness_day_id``) and a plan with a task (``campaign_plan_id``)."""
    day = days.create_day(ctx, {"name": "Seeded awareness day", "kind": "fixed", "month": "3", "day": "14"})
    plan = campaigns.create_plan(
        ctx, {"day": f"custom:{day.id}", "year": str(ctx.today().year), "title": "Seeded campaign plan"}
    )
    campaigns.add_task(ctx, plan, {"title": "Seeded campaign task"})
