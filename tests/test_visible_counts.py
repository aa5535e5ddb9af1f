"""Counts reveal nothing that titles hide (issue #9, finding 7): every setup fact and home count a
person sees is computed over the records that person may see."""

from __future__ import annotations

import pytest

from partnership_hub.actions import services as actions
from partnership_hub.extensions import db
from partnership_hub.goals import services as goals
from partnership_hub.goals.models import Goal
from partnership_hub.members.models import Representative
from partnership_hub.setup.services import collect_facts
from tests.factories import create_organization, seat_on_board
from tests.goals.helpers import ctx_of, make_goal, make_objective, partnership_today, post

GOAL_FACTS = ("goals", "goals_with_objectives", "endorsed_goals", "progress_updates", "action_items")


def _goal_with_everything(app, partnership, level: str, author: str = "coordinator") -> int:
    """A proposed goal at ``level`` with an objective, progress, an endorsement and an action item."""
    today = partnership_today(app, partnership)
    goal_id = make_goal(app, partnership, author, title=f"A {level} goal", status="proposed", confidentiality=level)
    post(app, partnership, make_objective(app, partnership, goal_id), 10, today)
    organization = create_organization(app, partnership, f"Org for {level}")
    with app.app_context():
        ctx = ctx_of(partnership, author)
        db.session.add(Representative(organization_id=organization, membership_id=ctx.membership.id))
        db.session.flush()
        goals.endorse_goal(ctx, db.session.get(Goal, goal_id))
        actions.create_item(ctx, {"title": f"Item under the {level} goal", "goal_id": str(goal_id)})
        db.session.commit()
    return goal_id


def _facts(app, partnership, role: str) -> dict:
    with app.app_context():
        facts = collect_facts(ctx_of(partnership, role))
        return {name: facts[name] for name in GOAL_FACTS}


NONE = dict.fromkeys(GOAL_FACTS, 0)
ONE = dict.fromkeys(GOAL_FACTS, 1)


@pytest.mark.parametrize("role", ["observer", "member", "survivor_advisor"])
def test_facts_leave_out_goals_the_person_may_not_see(app, world, role):
    _goal_with_everything(app, world.home, "leadership")
    assert _facts(app, world.home, role) == NONE
    assert _facts(app, world.home, "coordinator") == ONE


def test_facts_count_what_a_level_or_a_grant_admits(app, world):
    # "advisory" admits the survivor advisory board (a seat), not a role: both sit on it here.
    seat_on_board(app, world.home, "survivor_advisor", "coordinator")
    _goal_with_everything(app, world.home, "advisory")
    assert _facts(app, world.home, "survivor_advisor") == ONE
    assert _facts(app, world.home, "member") == NONE
    # a private goal counts for its author only (coordinators are not admitted to it)
    _goal_with_everything(app, world.home, "private", author="member")
    assert _facts(app, world.home, "member") == ONE
    assert _facts(app, world.home, "coordinator") == ONE  # the advisory goal only (they sit on the board)
    assert _facts(app, world.home, "observer") == NONE


def test_the_setup_guide_says_nothing_about_hidden_goals(app, world, login_as):
    _goal_with_everything(app, world.home, "leadership")
    done = ("Goals with measurable objectives defined", "Goals endorsed by member organizations")
    for role in ("observer", "member"):
        page = login_as(role).get(f"/p/{world.home.slug}/setup").text
        assert not any(text in page for text in done), role
    page = login_as("coordinator").get(f"/p/{world.home.slug}/setup").text
    assert all(text in page for text in done)


def test_home_counts_and_attention_leave_out_hidden_goals(app, world, login_as):
    _goal_with_everything(app, world.home, "leadership")
    for role in ("observer", "member"):
        page = login_as(role).get(f"/p/{world.home.slug}/").text
        assert "A leadership goal" not in page, role
