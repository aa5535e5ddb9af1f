"""Demo goals for the Front Range partnership: a training goal with months of progress history, a
proposed referral goal some organizations have endorsed, a coordinators-only shelter goal with a
decreasing target, one stalled, one overdue, one achieved, and an advisory goal with no objectives
yet. Dates are relative to the day the demo is seeded, so the flags always have something to show.
Everything goes through the real services, so the audit log tells the same story."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.members.models import Organization
from partnership_hub.workspaces.models import Membership

# title, fields, objectives: (fields, [(days ago, value, note)])
GOALS: tuple[tuple[str, dict, list[tuple[dict, list[tuple[int, float, str]]]]], ...] = (
    (
        "Train 200 frontline workers to identify trafficking",
        {
            "description": "Health, child welfare, transit and outreach staff learn the indicators of trafficking "
            "and how to make a safe, trauma-informed referral.",
            "horizon": "short",
            "ps": ["prevention", "protection"],
            "status": "active",
            "owner": "priya.raman",
            "leads": ["Front Range Safe Harbor", "Mile High Community Health Center"],
            "start": -240,
            "target": 120,
        },
        [
            (
                {
                    "title": "Frontline workers trained",
                    "metric": "Workers who completed the identification training",
                    "unit": "people",
                    "baseline": 0,
                    "target": 200,
                    "due": 120,
                    "owner": "priya.raman",
                },
                [
                    (215, 12, "Pilot session at Mile High CHC"),
                    (185, 30, ""),
                    (155, 55, "Child welfare intake team"),
                    (120, 80, ""),
                    (90, 104, "Transit security, two shifts"),
                    (60, 131, ""),
                    (30, 150, ""),
                    (9, 163, "Evening session for outreach volunteers"),
                ],
            ),
            (
                {
                    "title": "Agencies using the shared screening tool",
                    "metric": "Member agencies screening with it",
                    "unit": "agencies",
                    "baseline": 2,
                    "target": 12,
                    "due": 90,
                    "owner": "luis.ortega",
                },
                [(150, 4, ""), (80, 6, "Probation and the health center joined"), (12, 7, "")],
            ),
        ],
    ),
    (
        "Shared referral protocol adopted by every member agency",
        {
            "description": "One page that says who to call first when a partner identifies a possible survivor.",
            "horizon": "medium",
            "ps": ["protection", "partnership"],
            "status": "proposed",
            "owner": "coordinator",
            "leads": ["Front Range Safe Harbor"],
            "target": 270,
        },
        [],
    ),
    (
        "Cut the wait for emergency shelter placement",
        {
            "description": "Coordinators only while the bed-sharing agreement with the county is negotiated.",
            "horizon": "short",
            "ps": ["protection"],
            "status": "active",
            "owner": "luis.ortega",
            "confidentiality": "leadership",
            "start": -150,
            "target": 60,
        },
        [
            (
                {
                    "title": "Average days to a shelter placement",
                    "metric": "Days from referral to placement",
                    "unit": "days",
                    "baseline": 14,
                    "target": 3,
                    "due": 60,
                    "owner": "luis.ortega",
                },
                [(120, 12, ""), (70, 9, "County overflow beds"), (20, 7, "")],
            ),
        ],
    ),
    (
        "Survivor-led awareness campaign on public transit",
        {
            "horizon": "medium",
            "ps": ["prevention"],
            "status": "active",
            "owner": "marcus.bell",
            "leads": ["RTD Transit Security"],
            "start": -140,
            "target": 200,
        },
        [
            (
                {
                    "title": "Stations with campaign posters",
                    "metric": "Light-rail and bus stations covered",
                    "unit": "stations",
                    "baseline": 0,
                    "target": 40,
                    "due": 200,
                    "owner": "marcus.bell",
                },
                [(110, 8, "Union Station and the airport line"), (75, 12, "")],
            ),
        ],
    ),
    (
        "Map labor trafficking risk in agriculture",
        {
            "horizon": "short",
            "ps": ["prevention", "prosecution"],
            "status": "active",
            "owner": "coordinator",
            "leads": ["Colorado Farmworker Alliance"],
            "start": -180,
            "target": -20,
        },
        [
            (
                {
                    "title": "Farms reached with know-your-rights sessions",
                    "metric": "Farms visited",
                    "unit": "farms",
                    "baseline": 0,
                    "target": 25,
                    "due": -20,
                    "owner": "coordinator",
                },
                [(130, 4, ""), (45, 9, "Harvest season slowed visits")],
            ),
        ],
    ),
    (
        "Publish the regional resource map",
        {
            "horizon": "short",
            "ps": ["protection", "partnership"],
            "status": "active",
            "owner": "marcus.bell",
            "start": -200,
            "target": -10,
        },
        [
            (
                {
                    "title": "Services on the resource map",
                    "metric": "Verified services listed",
                    "unit": "services",
                    "baseline": 0,
                    "target": 50,
                    "due": -10,
                    "owner": "marcus.bell",
                },
                [(170, 14, ""), (100, 33, ""), (14, 52, "Published on the partnership's page")],
            ),
        ],
    ),
    (
        "Fair compensation for survivor advisors",
        {
            "description": "Guidelines for paying survivor advisors for their time and expertise.",
            "horizon": "long",
            "ps": ["partnership"],
            "status": "active",
            "owner": "amara.okafor",
            "confidentiality": "advisory",
        },
        [],
    ),
)

# goal title -> (demo person who endorses, organization)
ENDORSEMENTS = {
    "Shared referral protocol adopted by every member agency": (
        ("priya.raman", "Front Range Safe Harbor"),
        ("marcus.bell", "Denver Metro Police – Human Trafficking Unit"),
    ),
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), UTC)


def seed_goals(ctx: WorkspaceContext, domain: str) -> None:
    """Create the demo goals (as the coordinator in ``ctx``), with their history."""
    today = ctx.today()
    rows = db.session.execute(select(Membership, User.email).join(User, User.id == Membership.user_id)).all()
    members = {email.split("@")[0]: membership for membership, email in rows if email.endswith("@" + domain)}
    users = {membership.id: db.session.get(User, membership.user_id) for membership in members.values()}
    organizations = {name: oid for oid, name in db.session.execute(select(Organization.id, Organization.name)).all()}

    def day(offset: int | None) -> date | None:
        return None if offset is None else today + timedelta(days=offset)

    for title, spec, objectives in GOALS:
        goal = services.create_goal(
            ctx,
            {
                "title": title,
                "description": spec.get("description", ""),
                "horizon": spec["horizon"],
                "ps": spec["ps"],
                "status": "active" if spec["status"] == "achieved" else spec["status"],
                "confidentiality": spec.get("confidentiality", "workspace"),
                "owner_membership_id": members[spec["owner"]].id,
                "lead_organization_ids": [
                    organizations[name] for name in spec.get("leads", []) if name in organizations
                ],
                "start_date": day(spec.get("start")),
                "target_date": day(spec.get("target")),
            },
        )
        for fields, history in objectives:
            objective = services.create_objective(
                ctx,
                goal,
                {
                    "title": fields["title"],
                    "metric": fields["metric"],
                    "unit": fields["unit"],
                    "baseline": fields["baseline"],
                    "target": fields["target"],
                    "due_date": day(fields["due"]),
                    "owner_membership_id": members[fields["owner"]].id,
                },
            )
            for days_ago, value, note in history:
                on = today - timedelta(days=days_ago)
                services.post_update(ctx, objective, {"value": value, "recorded_on": on, "note": note}, _at(on))
        for person, organization in ENDORSEMENTS.get(title, ()):
            membership = members[person]
            someone = WorkspaceContext(ctx.partnership, membership, users[membership.id])
            services.endorse_goal(someone, goal, organizations[organization])
        if title == "Publish the regional resource map":
            services.set_goal_status(ctx, goal, "achieved")
    db.session.flush()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: goals with objectives and months of progress history."""
    seed_goals(ctx, next(iter(people.values())).email.split("@")[1])
