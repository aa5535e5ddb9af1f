"""Goals pages: who may see and do what, bad input (422, nothing written), htmx and plain posts, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal, Objective, ProgressUpdate
from tests.factories import seat_on_board
from tests.goals.helpers import make_goal, make_objective, partnership_today


def count(app, partnership, model) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(select(func.count(model.id)))


def audit_actions(app, partnership) -> list[str]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


GOAL = {"title": "Train 200 frontline workers", "horizon": "short", "status": "active", "confidentiality": "workspace"}


# --- confidentiality ----------------------------------------------------------------------------

VISIBLE = {
    # level: roles that see it (the author is the coordinator; the survivor advisor sits on the advisory
    # board, which admits them to ``advisory`` goals and nothing more; the coordinator does not)
    "workspace": {"coordinator", "member", "survivor_advisor", "observer"},
    "leadership": {"coordinator"},
    "advisory": {"survivor_advisor"},
    "private": {"coordinator"},
}


@pytest.mark.parametrize("level", list(VISIBLE))
def test_each_confidentiality_level_is_listed_and_readable_only_by_its_people(app, world, login_as, level):
    seat_on_board(app, world.home, "survivor_advisor")
    goal_id = make_goal(app, world.home, title=f"A {level} goal", confidentiality=level)
    for role in ("coordinator", "member", "survivor_advisor", "observer"):
        client = login_as(role)
        listed = f"A {level} goal" in client.get(f"/p/{world.home.slug}/goals").get_data(as_text=True)
        status = client.get(f"/p/{world.home.slug}/goals/{goal_id}").status_code
        csv_text = client.get(f"/p/{world.home.slug}/goals.csv").get_data(as_text=True)
        sees = role in VISIBLE[level]
        assert listed is sees, (level, role)
        assert status == (200 if sees else 404), (level, role)
        assert (f"A {level} goal" in csv_text) is sees, (level, role)


def test_a_coordinator_not_on_the_board_who_adds_an_advisory_goal_goes_back_to_the_list(app, world, login_as):
    client = login_as("coordinator")
    response = client.post(
        f"/p/{world.home.slug}/goals/new", data={**GOAL, "title": "Board goal", "confidentiality": "advisory"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{world.home.slug}/goals"
    assert "you are not among them" in client.get(f"/p/{world.home.slug}/goals").text
    assert count(app, world.home, Goal) == 1


def test_people_named_on_a_goal_may_read_advisory_and_private_goals(app, world, login_as):
    member = world.home.membership_ids["member"]
    advisory = make_goal(app, world.home, confidentiality="advisory", access_membership_ids=[member])
    private = make_goal(app, world.home, confidentiality="private", access_membership_ids=[member])
    client = login_as("member")
    assert client.get(f"/p/{world.home.slug}/goals/{advisory}").status_code == 200
    assert client.get(f"/p/{world.home.slug}/goals/{private}").status_code == 200
    # Observers read what everyone reads: naming one is refused at the field, and nothing is written.
    client = login_as("coordinator")
    observer = str(world.home.membership_ids["observer"])
    response = client.post(
        f"/p/{world.home.slug}/goals/new",
        data={**GOAL, "title": "Observer goal", "confidentiality": "private", "access_membership_ids": observer},
    )
    assert response.status_code == 422
    assert "Observers can only see what everyone in the workspace sees" in response.text
    assert "Observer goal" not in client.get(f"/p/{world.home.slug}/goals").text


def test_reading_a_restricted_goal_is_in_the_access_log_not_the_feed(app, world, login_as):
    from partnership_hub.confidentiality import AccessLogEntry

    open_goal = make_goal(app, world.home, confidentiality="workspace")
    closed_goal = make_goal(app, world.home, confidentiality="leadership")
    client = login_as("coordinator")
    client.get(f"/p/{world.home.slug}/goals/{open_goal}")
    client.get(f"/p/{world.home.slug}/goals/{closed_goal}")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        reads = db.session.execute(select(AccessLogEntry.record_kind, AccessLogEntry.record_id)).all()
        feed = db.session.scalars(select(AuditEntry.action)).all()
    assert reads == [("goal", closed_goal)]
    assert not any(action.endswith(".viewed") for action in feed)


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_create_and_edit_goals(app, world, login_as, role):
    goal_id = make_goal(app, world.home)
    client = login_as(role)
    assert client.post(f"/p/{world.home.slug}/goals/new", data=GOAL).status_code == 403
    assert client.post(f"/p/{world.home.slug}/goals/{goal_id}/edit", data=GOAL).status_code == 403
    assert client.post(f"/p/{world.home.slug}/goals/{goal_id}/status", data={"status": "dropped"}).status_code == 403
    assert client.post(f"/p/{world.home.slug}/goals/{goal_id}/objectives/new", data={}).status_code == 403
    assert count(app, world.home, Goal) == 1 and count(app, world.home, Objective) == 0


def test_a_coordinator_creates_a_goal_with_leads_and_it_is_audited(app, world, login_as):
    client = login_as("coordinator")
    data = GOAL | {"ps": ["prevention", "partnership"], "target_date": "2026-12-31", "start_date": "2026-01-01"}
    response = client.post(f"/p/{world.home.slug}/goals/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        goal = db.session.scalars(select(Goal)).one()
        assert goal.ps == ["prevention", "partnership"] and goal.target_date == date(2026, 12, 31)
        assert goal.author_membership_id == world.home.membership_ids["coordinator"]
    assert "goal.created" in audit_actions(app, world.home)


def test_owners_post_updates_on_their_objectives_others_may_not(app, world, login_as):
    goal_id = make_goal(app, world.home)
    mine = make_objective(app, world.home, goal_id, owner_membership_id=world.home.membership_ids["member"])
    theirs = make_objective(app, world.home, goal_id)
    client = login_as("member")
    today = partnership_today(app, world.home).isoformat()
    ok = client.post(
        f"/p/{world.home.slug}/goals/objectives/{mine}/updates",
        data={f"o{mine}-value": "25", f"o{mine}-recorded_on": today},
    )
    assert ok.status_code == 303
    refused = client.post(f"/p/{world.home.slug}/goals/objectives/{theirs}/updates", data={f"o{theirs}-value": "25"})
    assert refused.status_code == 403
    observer = login_as("observer")
    assert (
        observer.post(f"/p/{world.home.slug}/goals/objectives/{mine}/updates", data={f"o{mine}-value": "9"}).status_code
        == 403
    )
    assert count(app, world.home, ProgressUpdate) == 1
    assert "progress.posted" in audit_actions(app, world.home)


def test_an_objective_of_a_goal_you_may_not_see_is_404(app, world, login_as):
    goal_id = make_goal(app, world.home, confidentiality="leadership")
    objective = make_objective(app, world.home, goal_id, owner_membership_id=world.home.membership_ids["member"])
    client = login_as("member")
    response = client.post(
        f"/p/{world.home.slug}/goals/objectives/{objective}/updates", data={f"o{objective}-value": "3"}
    )
    assert response.status_code == 404


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the goal."),
        ({"start_date": "2026-05-01", "target_date": "2026-04-01"}, "target_date", "on or after the start date"),
        ({"start_date": "31/12/2026"}, "start_date", "Enter a date like"),
        ({"horizon": "forever"}, "horizon", "short, medium or long"),
        ({"ps": ["everything"]}, "ps", "Choose Ps"),
        ({"status": "nonsense"}, "status", "status from the list"),
        ({"confidentiality": "secret"}, "confidentiality", "who may see it"),
    ],
)
def test_bad_goal_input_is_refused_at_the_field(app, world, login_as, changes, field, message):
    client = login_as("coordinator")
    response = client.post(f"/p/{world.home.slug}/goals/new", data=GOAL | changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert count(app, world.home, Goal) == 0


def test_an_owner_or_organization_from_another_partnership_is_404(app, world, login_as):
    from tests.factories import create_organization

    foreign_org = create_organization(app, world.other, "Elsewhere")
    client = login_as("coordinator")
    other_member = world.other.membership_ids["coordinator"]
    assert (
        client.post(f"/p/{world.home.slug}/goals/new", data=GOAL | {"owner_membership_id": other_member}).status_code
        == 404
    )
    assert (
        client.post(f"/p/{world.home.slug}/goals/new", data=GOAL | {"lead_organization_ids": [foreign_org]}).status_code
        == 404
    )
    assert count(app, world.home, Goal) == 0


OBJECTIVE = {
    "title": "Workers trained",
    "metric": "Workers trained",
    "unit": "people",
    "baseline": "0",
    "target": "200",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": "0"}, "target", "The target must differ from the baseline."),
        ({"baseline": "lots"}, "baseline", "Enter a number in people."),
        ({"target": ""}, "target", "Enter a number in people."),
        ({"target": "nan"}, "target", "Enter a number in people."),
        ({"unit": ""}, "unit", "Enter the unit"),
        ({"title": ""}, "title", "Enter the objective."),
        ({"due_date": "soon"}, "due_date", "Enter a date like"),
    ],
)
def test_bad_objective_input_is_refused_at_the_field(app, world, login_as, changes, field, message):
    goal_id = make_goal(app, world.home)
    client = login_as("coordinator")
    response = client.post(f"/p/{world.home.slug}/goals/{goal_id}/objectives/new", data=OBJECTIVE | changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert count(app, world.home, Objective) == 0


def test_a_decreasing_target_and_thousands_separators_are_fine(app, world, login_as):
    goal_id = make_goal(app, world.home)
    client = login_as("coordinator")
    data = OBJECTIVE | {"unit": "days", "baseline": "1,200", "target": "30"}
    assert client.post(f"/p/{world.home.slug}/goals/{goal_id}/objectives/new", data=data).status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        objective = db.session.scalars(select(Objective)).one()
        assert (objective.baseline, objective.target, objective.current_value) == (1200, 30, 1200)


@pytest.mark.parametrize(
    ("value", "on", "message"),
    [
        ("twelve", None, "Enter a number in people."),
        ("", None, "Enter a number in people."),
        ("12", "tomorrow", "can&#39;t be in the future"),
        ("12", "before-start", "before the goal started"),
        ("12", "garbage", "Enter a date like"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_written(app, world, login_as, value, on, message):
    today = partnership_today(app, world.home)
    goal_id = make_goal(app, world.home, start_date=today - timedelta(days=10))
    objective = make_objective(app, world.home, goal_id)
    dates = {
        None: today.isoformat(),
        "tomorrow": (today + timedelta(days=2)).isoformat(),
        "before-start": (today - timedelta(days=11)).isoformat(),
        "garbage": "30/02/2026",
    }
    client = login_as("coordinator")
    data = {f"o{objective}-value": value, f"o{objective}-recorded_on": dates[on]}
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(f"/p/{world.home.slug}/goals/objectives/{objective}/updates", data=data, headers=headers)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page
        assert 'aria-invalid="true"' in page
    assert count(app, world.home, ProgressUpdate) == 0


# --- htmx and plain posts -----------------------------------------------------------------------


def test_posting_an_update_with_htmx_returns_the_objectives_block(app, world, login_as):
    goal_id = make_goal(app, world.home)
    objective = make_objective(app, world.home, goal_id)
    client = login_as("coordinator")
    response = client.post(
        f"/p/{world.home.slug}/goals/objectives/{objective}/updates",
        data={f"o{objective}-value": "50", f"o{objective}-note": "Spring cohort"},
        headers={"HX-Request": "true"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="objectives-section"') and "<html" not in page
    assert "Spring cohort" in page and "25%" in page
    plain = client.post(
        f"/p/{world.home.slug}/goals/objectives/{objective}/updates", data={f"o{objective}-value": "60"}
    )
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"#objective-{objective}")
    assert count(app, world.home, ProgressUpdate) == 2


def test_inline_status_change_htmx_and_plain(app, world, login_as):
    goal_id = make_goal(app, world.home, status="active")
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/goals/{goal_id}/status"
    response = client.post(url, data={"status": "on_hold"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="status-section"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    plain = client.post(url, data={"status": "achieved"})
    assert plain.status_code == 303
    bad = client.post(url, data={"status": "finished"})
    assert bad.status_code == 303
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(Goal, goal_id).status.value == "achieved"
    assert audit_actions(app, world.home)[-3:] == ["goal.status_changed", "goal.status_changed", "goal.achieved"]


def test_a_plain_status_post_never_redirects_off_site(app, world, login_as):
    goal_id = make_goal(app, world.home, status="active")
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/goals/{goal_id}/status"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(url, data={"status": "on_hold", "next": target})
        assert response.headers["Location"] == f"/p/{world.home.slug}/goals/{goal_id}", target
    back = client.post(url, data={"status": "active", "next": f"/p/{world.home.slug}/goals"})
    assert back.headers["Location"] == f"/p/{world.home.slug}/goals"


def test_filters_and_grouping(app, world, login_as):
    make_goal(app, world.home, title="Prevention goal", ps=["prevention"], horizon="long")
    make_goal(app, world.home, title="Held goal", status="on_hold", horizon="short")
    client = login_as("coordinator")
    page = client.get(f"/p/{world.home.slug}/goals?status=on_hold").get_data(as_text=True)
    assert "Held goal" in page and "Prevention goal" not in page
    by_p = client.get(f"/p/{world.home.slug}/goals?group=p", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in by_p and "Prevention" in by_p and "No P chosen" in by_p
    assert client.get(f"/p/{world.home.slug}/goals?status=bogus&owner=x&organization=-").status_code == 200


def test_stalled_setting_form(app, world, login_as):
    client = login_as("coordinator")
    bad = client.post(f"/p/{world.home.slug}/goals/settings", data={"stalled_after_days": "0"})
    assert bad.status_code == 422 and "from 1 to 365" in bad.get_data(as_text=True)
    assert client.post(f"/p/{world.home.slug}/goals/settings", data={"stalled_after_days": "45"}).status_code == 302
    assert (
        login_as("member").post(f"/p/{world.home.slug}/goals/settings", data={"stalled_after_days": "5"}).status_code
        == 403
    )


def test_report_page_and_bad_dates(app, world, login_as):
    client = login_as("observer")
    assert client.get(f"/p/{world.home.slug}/goals/report?start=2026-01-01&end=2026-03-31").status_code == 200
    assert client.get(f"/p/{world.home.slug}/goals/report?start=2026-04-01&end=2026-03-31").status_code == 422
    assert client.get(f"/p/{world.home.slug}/goals/report?start=yesterday").status_code == 422


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_exports(app, world, login_as):
    goal_id = make_goal(app, world.home, title="=HYPERLINK(evil)")
    objective = make_objective(app, world.home, goal_id)
    client = login_as("coordinator")
    client.post(
        f"/p/{world.home.slug}/goals/objectives/{objective}/updates",
        data={f"o{objective}-value": "50", f"o{objective}-note": "+cmd"},
    )
    goals = list(csv.reader(io.StringIO(client.get(f"/p/{world.home.slug}/goals.csv").get_data(as_text=True))))
    assert goals[0][0] == "Goal" and goals[1][0] == "'=HYPERLINK(evil)" and goals[1][10] == "25"
    objectives_response = client.get(f"/p/{world.home.slug}/goals/objectives.csv")
    assert objectives_response.mimetype == "text/csv"
    objectives = list(csv.reader(io.StringIO(objectives_response.get_data(as_text=True))))
    assert objectives[1][1] == "Workers trained" and objectives[1][6] == "50.0"
    updates = list(
        csv.reader(io.StringIO(client.get(f"/p/{world.home.slug}/goals/updates.csv").get_data(as_text=True)))
    )
    assert updates[1][3] == "50.0" and updates[1][5] == "'+cmd"


def test_endorsing_by_plain_post_and_by_htmx(app, world, login_as):
    from partnership_hub.goals.models import GoalEndorsement
    from partnership_hub.members.models import Representative
    from tests.factories import create_organization

    first, second = (
        create_organization(app, world.home, "Safe Harbor"),
        create_organization(app, world.home, "Legal Aid"),
    )
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        for org in (first, second):
            db.session.add(Representative(organization_id=org, membership_id=world.home.membership_ids["member"]))
        db.session.commit()
    goal_id = make_goal(app, world.home, status="proposed")
    client = login_as("member")
    url = f"/p/{world.home.slug}/goals/{goal_id}/endorse"
    assert client.post(url, data={"organization_id": str(first)}).status_code == 303
    htmx = client.post(url, data={"organization_id": str(second)}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and 'id="endorsements-section"' in htmx.text and "<html" not in htmx.text
    assert "Endorsed by 2 of 2" in htmx.text
    again = client.post(url, data={"organization_id": str(second)})
    assert again.status_code == 422 and "already endorsed" in again.text
    observer = login_as("observer")
    assert observer.post(url, data={"organization_id": str(first)}).status_code == 403
    assert count(app, world.home, GoalEndorsement) == 2


def test_an_objective_has_an_address_on_its_goals_page_for_those_who_may_read_the_goal(app, world, login_as):
    open_goal = make_goal(app, world.home)
    open_objective = make_objective(app, world.home, open_goal)
    closed_objective = make_objective(app, world.home, make_goal(app, world.home, confidentiality="leadership"))
    member = login_as("member")
    response = member.get(f"/p/{world.home.slug}/goals/objectives/{open_objective}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/p/{world.home.slug}/goals/{open_goal}#objective-{open_objective}"
    assert member.get(f"/p/{world.home.slug}/goals/objectives/{closed_objective}").status_code == 404
