"""The goals CSV exports byte for byte, for each role, on a small partnership with goals at every
confidentiality level, a named person's private goal, a survivor advisor's objective and update,
met, overdue and falling objectives, and text that needs quoting or the formula guard. The files
are pinned as whole bytes, so a faster way of reading the rows can't change a character of them, or
which rows each person gets; the access log gets one ``exported`` entry per confidential goal shown."""

# ruff: noqa: E501 - the pinned files read best a whole CSV line to a line

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from partnership_hub.confidentiality import AccessLogEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.goals.models import Objective
from tests.factories import seat_on_board
from tests.goals.helpers import ctx_of, make_goal, make_objective

PATHS = ("/goals.csv", "/goals/objectives.csv", "/goals/updates.csv")


def _post(app, partnership, role: str, objective_id: int, value: str, on: date, note: str = "") -> None:
    with app.app_context():
        ctx = ctx_of(partnership, role)
        objective = db.session.get(Objective, objective_id)
        services.post_update(
            ctx, objective, {"value": value, "recorded_on": on, "note": note}, datetime.combine(on, time(12), ctx.zone)
        )
        db.session.commit()


@pytest.fixture
def goals(app, world):
    """Four goals (workspace, leadership, advisory, private with the member named) and their
    objectives and updates, all on fixed days long past so no flag depends on when the test runs."""
    home = world.home
    seat_on_board(app, home, "survivor_advisor")
    advisor, member = home.membership_ids["survivor_advisor"], home.membership_ids["member"]
    open_goal = make_goal(
        app,
        home,
        title='Referrals, "warm" handoffs',
        confidentiality="workspace",
        ps=["protection", "prevention"],
        start_date=date(2020, 1, 1),
        target_date=date(2021, 12, 31),
        owner_membership_id=advisor,
    )
    trained = make_objective(app, home, open_goal, title="Workers trained", owner_membership_id=advisor)
    falling = make_objective(
        app,
        home,
        open_goal,
        title="=Wait days",
        metric="Days waiting",
        unit="days",
        baseline="40",
        target="10",
        due_date=date(2021, 6, 30),
    )
    _post(app, home, "coordinator", trained, "50.5", date(2021, 3, 1), "+first, count")
    _post(app, home, "survivor_advisor", trained, "200", date(2021, 4, 1), 'Line one\nline "two"')
    _post(app, home, "coordinator", falling, "25", date(2021, 5, 1), "\uff1dfull-width equals")
    closed = make_goal(app, home, title="Leadership plan", confidentiality="leadership", status="achieved")
    late = make_objective(app, home, closed, title="Board seats", due_date=date(2021, 1, 1))
    _post(app, home, "coordinator", late, "3", date(2020, 12, 1), "leadership only")
    board = make_goal(app, home, title="Advisory review", confidentiality="advisory", start_date=date(2020, 6, 1))
    review = make_objective(app, home, board, title="Reviews done", due_date=date(2021, 2, 1))
    _post(app, home, "survivor_advisor", review, "1", date(2021, 1, 15), "board only")
    private = make_goal(
        app, home, title="-Private plan", confidentiality="private", access_membership_ids=[member], status="proposed"
    )
    make_objective(app, home, private, title="Private step")
    return {"workspace": open_goal, "leadership": closed, "advisory": board, "private": private}


def _export(client, slug: str) -> dict[str, str]:
    return {path: client.get(f"/p/{slug}{path}").get_data(as_text=True) for path in PATHS}


def _exported(app, partnership) -> list[tuple[int, int | None]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(AccessLogEntry.record_id, AccessLogEntry.membership_id).where(AccessLogEntry.how == "exported")
        return sorted(tuple(row) for row in db.session.execute(stmt))


EXPECTED: dict[str, dict[str, str]] = {
    "coordinator": {
        "/goals.csv": (
            "Goal,Horizon,Ps,Status,Confidentiality,Owner,Lead organizations,Endorsed by,Start date,Target date,Progress %,Objectives,Overdue,Stalled\r\n"
            "'-Private plan,Short term,,Proposed,private,,,,,,0,1,no,no\r\n"
            "Leadership plan,Short term,,Achieved,leadership,,,,,,2,1,no,no\r\n"
            '"Referrals, ""warm"" handoffs",Short term,Prevention; Protection,Active,workspace,Survivor_Advisor Person,,,2020-01-01,2021-12-31,75,2,yes,yes\r\n'
        ),
        "/goals/objectives.csv": (
            "Goal,Objective,Metric,Unit,Baseline,Target,Current value,Progress %,Due date,Owner,Overdue\r\n"
            "'-Private plan,Private step,Workers trained,people,0.0,200.0,0.0,0,,,no\r\n"
            "Leadership plan,Board seats,Workers trained,people,0.0,200.0,3.0,2,2021-01-01,,no\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,Workers trained,people,0.0,200.0,200.0,100,,Survivor_Advisor Person,no\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,Days waiting,days,40.0,10.0,25.0,50,2021-06-30,,yes\r\n'
        ),
        "/goals/updates.csv": (
            "Goal,Objective,Date,Value,Unit,Note,Posted by\r\n"
            "Leadership plan,Board seats,2020-12-01,3.0,people,leadership only,Cora Coordinator\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,2021-03-01,50.5,people,"\'+first, count",Cora Coordinator\r\n'
            '"Referrals, ""warm"" handoffs",Workers trained,2021-04-01,200.0,people,"Line one\nline ""two""",Survivor_Advisor Person\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,2021-05-01,25.0,days,\'\uff1dfull-width equals,Cora Coordinator\r\n'
        ),
    },
    "member": {
        "/goals.csv": (
            "Goal,Horizon,Ps,Status,Confidentiality,Owner,Lead organizations,Endorsed by,Start date,Target date,Progress %,Objectives,Overdue,Stalled\r\n"
            "'-Private plan,Short term,,Proposed,private,,,,,,0,1,no,no\r\n"
            '"Referrals, ""warm"" handoffs",Short term,Prevention; Protection,Active,workspace,A survivor advisor,,,2020-01-01,2021-12-31,75,2,yes,yes\r\n'
        ),
        "/goals/objectives.csv": (
            "Goal,Objective,Metric,Unit,Baseline,Target,Current value,Progress %,Due date,Owner,Overdue\r\n"
            "'-Private plan,Private step,Workers trained,people,0.0,200.0,0.0,0,,,no\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,Workers trained,people,0.0,200.0,200.0,100,,A survivor advisor,no\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,Days waiting,days,40.0,10.0,25.0,50,2021-06-30,,yes\r\n'
        ),
        "/goals/updates.csv": (
            "Goal,Objective,Date,Value,Unit,Note,Posted by\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,2021-03-01,50.5,people,"\'+first, count",Cora Coordinator\r\n'
            '"Referrals, ""warm"" handoffs",Workers trained,2021-04-01,200.0,people,"Line one\nline ""two""",A survivor advisor\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,2021-05-01,25.0,days,\'\uff1dfull-width equals,Cora Coordinator\r\n'
        ),
    },
    "survivor_advisor": {
        "/goals.csv": (
            "Goal,Horizon,Ps,Status,Confidentiality,Owner,Lead organizations,Endorsed by,Start date,Target date,Progress %,Objectives,Overdue,Stalled\r\n"
            "Advisory review,Short term,,Active,advisory,,,,2020-06-01,,1,1,no,yes\r\n"
            '"Referrals, ""warm"" handoffs",Short term,Prevention; Protection,Active,workspace,Survivor_Advisor Person,,,2020-01-01,2021-12-31,75,2,yes,yes\r\n'
        ),
        "/goals/objectives.csv": (
            "Goal,Objective,Metric,Unit,Baseline,Target,Current value,Progress %,Due date,Owner,Overdue\r\n"
            "Advisory review,Reviews done,Workers trained,people,0.0,200.0,1.0,1,2021-02-01,,yes\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,Workers trained,people,0.0,200.0,200.0,100,,Survivor_Advisor Person,no\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,Days waiting,days,40.0,10.0,25.0,50,2021-06-30,,yes\r\n'
        ),
        "/goals/updates.csv": (
            "Goal,Objective,Date,Value,Unit,Note,Posted by\r\n"
            "Advisory review,Reviews done,2021-01-15,1.0,people,board only,Survivor_Advisor Person\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,2021-03-01,50.5,people,"\'+first, count",Cora Coordinator\r\n'
            '"Referrals, ""warm"" handoffs",Workers trained,2021-04-01,200.0,people,"Line one\nline ""two""",Survivor_Advisor Person\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,2021-05-01,25.0,days,\'\uff1dfull-width equals,Cora Coordinator\r\n'
        ),
    },
    "observer": {
        "/goals.csv": (
            "Goal,Horizon,Ps,Status,Confidentiality,Owner,Lead organizations,Endorsed by,Start date,Target date,Progress %,Objectives,Overdue,Stalled\r\n"
            '"Referrals, ""warm"" handoffs",Short term,Prevention; Protection,Active,workspace,A survivor advisor,,,2020-01-01,2021-12-31,75,2,yes,yes\r\n'
        ),
        "/goals/objectives.csv": (
            "Goal,Objective,Metric,Unit,Baseline,Target,Current value,Progress %,Due date,Owner,Overdue\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,Workers trained,people,0.0,200.0,200.0,100,,A survivor advisor,no\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,Days waiting,days,40.0,10.0,25.0,50,2021-06-30,,yes\r\n'
        ),
        "/goals/updates.csv": (
            "Goal,Objective,Date,Value,Unit,Note,Posted by\r\n"
            '"Referrals, ""warm"" handoffs",Workers trained,2021-03-01,50.5,people,"\'+first, count",Cora Coordinator\r\n'
            '"Referrals, ""warm"" handoffs",Workers trained,2021-04-01,200.0,people,"Line one\nline ""two""",A survivor advisor\r\n'
            '"Referrals, ""warm"" handoffs",\'=Wait days,2021-05-01,25.0,days,\'\uff1dfull-width equals,Cora Coordinator\r\n'
        ),
    },
}
# The confidential goals each role's files show (the goals and objectives files; the updates file
# shows no private goal, which has no updates yet), each logged once per file.
LOGGED = {
    "coordinator": ("leadership", "private"),
    "member": ("private",),
    "survivor_advisor": ("advisory",),
    "observer": (),
}


@pytest.mark.parametrize("role", list(LOGGED))
def test_each_export_is_exactly_these_bytes_for_each_role(app, world, login_as, goals, role):
    files = _export(login_as(role), world.home.slug)
    assert files == EXPECTED[role]
    me = world.home.membership_ids[role]
    shown = [
        (goals[level], me)
        for path in PATHS
        for level in LOGGED[role]
        if not (path == "/goals/updates.csv" and level == "private")
    ]
    assert _exported(app, world.home) == sorted(shown)
