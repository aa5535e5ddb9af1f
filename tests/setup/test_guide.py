"""The toolkit setup guide: checked from the data where it can be, marked by coordinators elsewhere."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.setup import guide
from partnership_hub.setup.models import SetupGuideMark
from partnership_hub.setup.services import evaluate
from partnership_hub.workspaces.models import Partnership

NO_FACTS = {
    "definition": False,
    "vision": False,
    "mission": False,
    "functions": False,
    "coordination_model": False,
    "stage": False,
    "coordinators": 1,
    "members": 1,
    "survivor_advisors": 0,
    "planning_team": 0,
    "orientation_items": 0,
    "organizations": 0,
    "sectors_covered": 0,
    "survivor_sector_covered": False,
    "linked_networks": 0,
    "community_resources": 0,
    "goals": 0,
    "goals_with_objectives": 0,
    "endorsed_goals": 0,
    "progress_updates": 0,
    "action_items": 0,
    "meetings_held_recently": 0,
    "meeting_series": 0,
    "meetings_frequency_set": False,
    "guidelines_published": 0,
    "active_agreements": 0,
    "disputes_handled": 0,
    "trust_checkins": 0,
    "board_seats": 0,
    "board_chair": 0,
    "safety_profiles": 0,
    "compensation_rates": 0,
    "framework_practices": 0,
    "federal_rules_reviewed": 0,
    "trauma_assessments_completed": 0,
    "campaign_plans": 0,
    "funding_opportunities": 0,
    "inkind_offers": 0,
}


def states(state) -> dict[str, bool]:
    return {s.item.key: s.done for section in state.sections for s in section.items}


def test_every_toolkit_section_is_in_the_guide():
    titles = [section.title for section in guide.SECTIONS]
    assert titles[0] == "Partnership 101"
    for required in (
        "vision",
        "mission",
        "planning_team",
        "current_services",
        "action_plan",
        "monitoring",
        "resource_mapping",
        "meetings",
        "guidelines",
        "coordination",
        "information_sharing",
        "funding_sources",
        "conflict",
        "trust",
        "sustainability",
        "engage_survivors",
        "trauma_informed",
        "confidentiality",
        "definition",
        "functions",
        "orientation",
    ):
        assert required in guide.ITEMS


def test_a_new_partnership_has_almost_everything_open():
    state = evaluate(NO_FACTS, {})
    assert state.done == 0 and state.total == len(guide.ITEMS)


@pytest.mark.parametrize(
    ("facts", "item"),
    [
        ({"vision": True}, "vision"),
        ({"mission": True}, "mission"),
        ({"definition": True}, "definition"),
        ({"functions": True}, "functions"),
        ({"planning_team": 2}, "planning_team"),
        ({"community_resources": 1}, "current_services"),
        ({"community_resources": 5}, "resource_mapping"),
        ({"linked_networks": 1}, "linked_networks"),
        ({"sectors_covered": 5}, "membership"),
        ({"survivor_advisors": 1}, "engage_survivors"),
        ({"survivor_sector_covered": True}, "engage_survivors"),
        ({"orientation_items": 3}, "orientation"),
        ({"coordination_model": True}, "coordination"),
        ({"stage": True}, "stage"),
        ({"members": 3}, "team_members"),
        ({"goals_with_objectives": 1}, "goals"),
        ({"endorsed_goals": 1}, "shared_goals"),
        ({"progress_updates": 1}, "monitoring"),
        ({"action_items": 1}, "action_plan"),
        ({"meetings_held_recently": 1, "meeting_series": 1}, "meetings"),
        ({"meetings_held_recently": 1, "meetings_frequency_set": True}, "meetings"),
        ({"guidelines_published": 1}, "guidelines"),
        ({"active_agreements": 1}, "information_sharing"),
        ({"disputes_handled": 1}, "conflict"),
        ({"trust_checkins": 1}, "trust"),
        ({"board_seats": 2, "board_chair": 1}, "advisory_board"),
        ({"campaign_plans": 1}, "awareness_days"),
        ({"funding_opportunities": 1}, "funding_sources"),
        ({"inkind_offers": 1}, "in_kind"),
        ({"safety_profiles": 1}, "safety_communication"),
        ({"compensation_rates": 1}, "compensation"),
        ({"framework_practices": 1, "federal_rules_reviewed": 4}, "confidentiality"),
        ({"trauma_assessments_completed": 1}, "trauma_informed"),
    ],
)
def test_data_checks_the_item_it_answers_and_nothing_else(facts, item):
    before, after = states(evaluate(NO_FACTS, {})), states(evaluate(NO_FACTS | facts, {}))
    changed = {key for key in after if after[key] != before[key]}
    assert item in changed
    assert all(after[key] for key in changed)


def test_meetings_need_a_recent_one_and_a_rhythm():
    assert not states(evaluate(NO_FACTS | {"meetings_held_recently": 3}, {}))["meetings"]
    assert not states(evaluate(NO_FACTS | {"meeting_series": 1, "meetings_frequency_set": True}, {}))["meetings"]


def test_confidentiality_needs_the_practices_and_every_federal_rule_reviewed():
    three_of_four = NO_FACTS | {"framework_practices": 1, "federal_rules_reviewed": 3}
    assert not states(evaluate(three_of_four, {}))["confidentiality"]
    assert not states(evaluate(NO_FACTS | {"federal_rules_reviewed": 4}, {}))["confidentiality"]


def test_thresholds_are_not_met_early():
    assert not states(evaluate(NO_FACTS | {"community_resources": 4}, {}))["resource_mapping"]
    assert not states(evaluate(NO_FACTS | {"sectors_covered": 4}, {}))["membership"]


def test_the_guide_page_follows_the_partnerships_data(app, world, login_as):
    client = login_as("member")
    page = client.get(f"/p/{world.home.slug}/setup")
    assert page.status_code == 200
    assert "Have you written the partnership&#39;s vision?" in page.text
    assert "Mark as addressed" not in page.text  # members read the guide; coordinators mark it
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == world.home.id).values(vision="A world free..."))
        db.session.commit()
    assert "Vision written." in client.get(f"/p/{world.home.slug}/setup").text


def test_coordinators_mark_and_reopen_questions_the_data_cannot_answer(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/setup"
    response = client.post(f"{url}/mark", data={"item_key": "sustainability"})
    assert response.status_code == 302
    page = client.get(url).text
    assert f"Marked as addressed by {world.user('coordinator').name}" in page
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark.item_key)).all() == ["sustainability"]
        assert "setup.marked" in db.session.scalars(select(AuditEntry.action)).all()

    assert client.post(f"{url}/mark", data={"item_key": "sustainability"}).status_code == 302  # idempotent
    assert client.post(f"{url}/unmark", data={"item_key": "sustainability"}).status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark)).all() == []


def test_data_checked_questions_cannot_be_marked_by_hand(app, world, login_as):
    client = login_as("coordinator")
    response = client.post(f"/p/{world.home.slug}/setup/mark", data={"item_key": "vision"}, follow_redirects=True)
    assert "checked from your partnership" in response.text
    assert client.post(f"/p/{world.home.slug}/setup/mark", data={"item_key": "no-such-question"}).status_code == 404
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark)).all() == []


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_mark(world, login_as, role):
    assert (
        login_as(role).post(f"/p/{world.home.slug}/setup/mark", data={"item_key": "funding_sources"}).status_code == 403
    )


def test_marking_over_htmx_answers_with_the_guide_block(app, world, login_as):
    client = login_as("coordinator")
    response = client.post(
        f"/p/{world.home.slug}/setup/mark", data={"item_key": "sustainability"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="setup-guide"' in response.text
    assert "Marked as addressed." in response.text


def test_facts_count_only_the_partnerships_own_records(app, world):
    from partnership_hub.context import context_for
    from partnership_hub.setup.services import collect_facts

    with app.app_context():
        assert collect_facts(context_for(world.home.id))["members"] == 4
        assert collect_facts(context_for(world.other.id))["members"] == 1
        assert collect_facts(context_for(world.other.id))["survivor_advisors"] == 0


def test_every_linked_question_points_at_a_real_page(app):
    endpoints = {item.endpoint for item in guide.ITEMS.values() if item.endpoint}
    missing = {endpoint for endpoint in endpoints if endpoint not in app.view_functions}
    assert not missing, f"setup guide links to pages that don't exist: {missing}"


def test_facts_stop_counting_at_the_cap_and_the_checks_still_hold(app, world, monkeypatch):
    """The facts are capped counts: above the cap they read the cap, which is all a threshold needs."""
    from partnership_hub.context import context_for
    from partnership_hub.setup.services import collect_facts
    from partnership_hub.workspaces import services as workspaces

    monkeypatch.setattr(workspaces.capped_count, "__defaults__", (2,))
    workspaces._kept_scalars.cache_clear()  # the facts' statement is kept: build it with the small cap
    try:
        with app.app_context():
            facts = collect_facts(context_for(world.home.id))
    finally:
        workspaces._kept_scalars.cache_clear()  # and let no later test read it
    assert facts["members"] == 2  # 4 members, counted up to 2
    assert facts["coordinators"] == 1 and facts["survivor_advisors"] == 1  # below the cap: exact


def test_the_kept_facts_statement_reads_the_clock_of_each_request(app, world, monkeypatch):
    """The facts' statement is built once per permission shape and kept: "now" and the windows made
    from it (``ViewerParameter``) are parameters. A meeting held 80 days ago counts as held in the last
    90 days; twenty days later it no longer does, read through the same kept statement."""
    from datetime import timedelta

    from partnership_hub import db as dbmod
    from partnership_hub.context import context_for
    from partnership_hub.meetings.models import Meeting, MeetingKind
    from partnership_hub.setup.services import collect_facts
    from partnership_hub.workspaces import services as workspaces

    held = dbmod.utcnow() - timedelta(days=80)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(
            Meeting(
                title="Quarterly",
                kind=MeetingKind.FULL_PARTNERSHIP,
                starts_at=held,
                ends_at=held + timedelta(hours=1),
                time_zone="UTC",
            )
        )
        db.session.commit()

    def held_recently() -> int:
        with app.app_context():
            return collect_facts(context_for(world.home.id, world.user("coordinator").id))["meetings_held_recently"]

    assert held_recently() == 1
    kept = workspaces._kept_scalars.cache_info()
    later = dbmod.utcnow() + timedelta(days=20)
    monkeypatch.setattr(dbmod, "utcnow", lambda: later)
    assert held_recently() == 0
    assert workspaces._kept_scalars.cache_info().hits == kept.hits + 1


def test_a_kept_statement_refuses_to_read_the_partnership_or_do_date_arithmetic(app):
    """What a kept statement may not embed fails loudly when it is built, never silently: the
    partnership's own values (``Area.setup_values`` reads those per request) and arithmetic on the
    bound day (SQLite cannot do it on a parameter; a ``ViewerParameter`` carries such a value)."""
    from datetime import timedelta

    from partnership_hub.confidentiality import shared_context
    from partnership_hub.workspaces.models import Role

    ctx = shared_context((Role.MEMBER, False, False))
    with pytest.raises(AttributeError, match="partnership"):
        _ = ctx.partnership
    with pytest.raises(TypeError, match="ViewerParameter"):
        _ = ctx.today() + timedelta(days=14)
    with pytest.raises(TypeError, match="ViewerParameter"):
        _ = ctx.now() - timedelta(days=90)
