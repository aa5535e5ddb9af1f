"""The activity feed says what happened and links to it, narrows by area and person, and names a
confidential record only to people who may see it. Reads go to the access log, never the feed."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from partnership_hub.actions import services as actions
from partnership_hub.actions.models import ActionItem
from partnership_hub.audit import queries
from partnership_hub.audit import services as audit
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import AccessLogEntry, Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal, Horizon, Objective
from partnership_hub.workspaces.models import Role
from tests.budget import assert_fixed_cost, statements_for
from tests.factories import PartnershipRec, add_member, create_partnership, create_user, sign_in


def as_person(partnership: PartnershipRec, role: str = "coordinator"):
    """A context acting as ``role`` of ``partnership`` (call inside an app context)."""
    return context_for(partnership.id, partnership.members[role].id)


def add_item(app, partnership: PartnershipRec, title: str, role: str = "coordinator", **data) -> int:
    """An action item added through the service (so the feed has its real entry)."""
    with app.app_context():
        item = actions.create_item(as_person(partnership, role), {"title": title, **data})
        db.session.commit()
        return item.id


def add_goal(app, partnership: PartnershipRec, title: str, level: str = "workspace", author: str = "coordinator"):
    """A goal with one objective, and the audit entries the goals area writes for them."""
    with app.app_context():
        ctx = as_person(partnership, author)
        goal = Goal(
            title=title, horizon=Horizon.SHORT, confidentiality=Level(level), author_membership_id=ctx.membership.id
        )
        db.session.add(goal)
        db.session.flush()
        objective = Objective(
            goal_id=goal.id, title=f"{title}: objective", metric="m", unit="u", baseline=0, target=5, current_value=0
        )
        db.session.add(objective)
        db.session.flush()
        audit.record(ctx, "goal.created", "goal", goal.id)
        audit.record(ctx, "objective.created", "objective", objective.id, goal_id=goal.id)
        db.session.commit()
        return goal.id, objective.id


def feed_texts(app, partnership: PartnershipRec, role: str, **filters) -> list[str]:
    """The feed as ``role`` sees it, each entry as plain words (through the service)."""
    with app.app_context():
        page = queries.feed_page(as_person(partnership, role), queries.FeedFilters(**filters))
        return [
            " ".join(filter(None, (item.actor_name, item.label, item.title and f"‘{item.title}’")))
            for item in page.items
        ]


def words(page: str) -> str:
    """The page's text as a reader hears it: no tags, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


# --- naming and linking ----------------------------------------------------------------------------


def test_the_feed_names_and_links_the_record(app, world, login_as):
    item_id = add_item(app, world.home, "Book the venue")
    page = login_as("coordinator").get(f"/p/{world.home.slug}/activity")
    assert page.status_code == 200
    link = f'<a href="/p/{world.home.slug}/actions/{item_id}">‘Book the venue’</a>'
    assert link in page.text
    assert "Cora Coordinator added the action item ‘Book the venue’" in words(page.text)


def test_the_feed_shows_the_current_title_and_the_log_keeps_ids_only(app, world, login_as):
    item_id = add_item(app, world.home, "Book the venue")
    with app.app_context():
        ctx = as_person(world.home)
        item = db.session.get(ActionItem, item_id)
        actions.update_item(ctx, item, {"title": "Book the bigger venue"})
        db.session.commit()
        bind_tenant(db.session, world.home.id)
        details = db.session.scalars(select(AuditEntry.details)).all()
    assert "venue" not in repr(details)
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/activity").text)
    assert "Cora Coordinator updated the action item ‘Book the bigger venue’" in text
    assert "added the action item ‘Book the bigger venue’" in text


def test_an_entry_about_a_removed_record_still_shows_without_a_title(app, world, login_as):
    item_id = add_item(app, world.home, "Book the venue")
    with app.app_context():
        actions.delete_item(as_person(world.home), db.session.get(ActionItem, item_id))
        db.session.commit()
    page = login_as("coordinator").get(f"/p/{world.home.slug}/activity")
    text = words(page.text)
    assert "Cora Coordinator removed an action item" in text
    assert "added the action item (since removed)" in text
    assert "Book the venue" not in text
    assert f"/actions/{item_id}" not in page.text


def test_the_home_page_shows_the_latest_entries_in_words(app, world, login_as):
    for n in range(10):
        add_item(app, world.home, f"Step {n}")
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/").text)
    assert "Cora Coordinator added the action item ‘Step 9’" in text
    assert "‘Step 2’" in text and "‘Step 1’" not in text  # the latest 8


# --- filters ---------------------------------------------------------------------------------------


@pytest.fixture
def two_areas(app, world):
    """An action item added by the member, a goal by the coordinator."""
    add_item(app, world.home, "Member's step", role="member")
    add_goal(app, world.home, "Shared protocol")
    return world


def test_the_feed_narrows_to_one_area(app, two_areas, login_as):
    world = two_areas
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/activity?area=actions").text)
    assert "Member Person added the action item ‘Member's step’" in text
    assert "Shared protocol" not in text
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/activity?area=goals").text)
    assert "added the goal ‘Shared protocol’" in text
    assert "added the objective ‘Shared protocol: objective’" in text
    assert "step" not in text


def test_the_feed_narrows_to_one_person(app, two_areas, login_as):
    world = two_areas
    member = world.user("member")
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/activity?person={member.id}").text)
    assert "Member Person added the action item" in text
    assert "Shared protocol" not in text
    assert "Cora Coordinator created the partnership" not in text


def test_filters_over_htmx_answer_with_the_results_alone(app, two_areas, login_as):
    world = two_areas
    member = world.user("member")
    url = f"/p/{world.home.slug}/activity?area=actions&person={member.id}"
    response = login_as("coordinator").get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="activity-results"' in response.text
    assert "Member Person added the action item" in words(response.text)
    assert "Shared protocol" not in response.text
    assert response.headers["HX-Push-Url"] == f"/p/{world.home.slug}/activity?area=actions&person={member.id}"
    assert "HX-Request" in response.headers["Vary"]


def test_unknown_filter_values_mean_any(app, two_areas, login_as):
    world = two_areas
    text = words(login_as("coordinator").get(f"/p/{world.home.slug}/activity?area=nope&person=x1").text)
    assert "Shared protocol" in text and "Member Person added" in text


def test_the_filter_form_offers_areas_and_the_people_in_the_log(app, two_areas, login_as):
    world = two_areas
    page = login_as("coordinator").get(f"/p/{world.home.slug}/activity").text
    assert '<option value="actions">Action plan</option>' in page
    assert f'<option value="{world.user("member").id}">Member Person</option>' in page
    assert "Observer Person" not in page  # has done nothing yet


def test_the_feed_is_for_coordinators(app, world, login_as):
    for role in ("member", "survivor_advisor", "observer"):
        assert login_as(role).get(f"/p/{world.home.slug}/activity").status_code == 403
        assert login_as(role).get(f"/p/{world.home.slug}/activity/access-log").status_code == 403


# --- confidentiality -------------------------------------------------------------------------------


def test_entries_about_a_confidential_goal_reach_only_people_who_may_see_it(app, world):
    goal_id, objective_id = add_goal(app, world.home, "Leadership plan", "leadership")
    add_item(app, world.home, "Quiet step", goal_id=goal_id, objective_id=objective_id)
    add_goal(app, world.home, "Open plan")
    coordinator = feed_texts(app, world.home, "coordinator")
    assert "Cora Coordinator added the goal ‘Leadership plan’" in coordinator
    assert "Cora Coordinator added the objective ‘Leadership plan: objective’" in coordinator
    assert "Cora Coordinator added the action item ‘Quiet step’" in coordinator
    for role in ("member", "survivor_advisor", "observer"):
        seen = " | ".join(feed_texts(app, world.home, role))
        assert "Leadership plan" not in seen and "Quiet step" not in seen, role
        assert "added the goal ‘Open plan’" in seen, role
        with app.app_context():  # left out in SQL: the page holds what is shown, and nothing lies beyond
            page = queries.feed_page(as_person(world.home, role))
            assert page.older is None and page.newer is None
            assert len(page.items) == len(feed_texts(app, world.home, role))
            assert {item.entry.target_type for item in page.items} >= {"goal", "objective", "partnership"}


def test_a_private_goal_stays_out_of_a_coordinators_feed(app, world, login_as):
    goal_id, objective_id = add_goal(app, world.home, "Member's own plan", "private", author="member")
    add_item(app, world.home, "Private step", role="member", goal_id=goal_id)
    text = login_as("coordinator").get(f"/p/{world.home.slug}/activity").text
    assert "own plan" not in text and "Private step" not in text
    assert f"/goals/{goal_id}" not in text
    assert not any("Member Person added" in t for t in feed_texts(app, world.home, "coordinator"))
    assert "Member Person added the action item ‘Private step’" in feed_texts(app, world.home, "member")


def test_people_of_one_permission_shape_share_the_feed_statement_and_each_sees_their_own(app, world):
    """The feed's rule is built once per permission shape, with the person's id a bound parameter: two
    members read it one after the other, each sees their own private goal and not the other's."""
    add_member(app, world.home, create_user(app, "Second Member"), Role.MEMBER, key="member2")
    add_goal(app, world.home, "First member's plan", "private", author="member")
    add_goal(app, world.home, "Second member's plan", "private", author="member2")
    queries._latest_statement.cache_clear()
    with app.app_context():
        first = [item.title for item in queries.latest(as_person(world.home, "member"), 20)]
        second = [item.title for item in queries.latest(as_person(world.home, "member2"), 20)]
    assert queries._latest_statement.cache_info().hits == 1  # one statement, read twice
    assert "First member's plan" in first and "Second member's plan" not in first
    assert "Second member's plan" in second and "First member's plan" not in second
    assert any("Second member's plan" in text for text in feed_texts(app, world.home, "member2"))
    assert not any("Second member's plan" in text for text in feed_texts(app, world.home, "member"))


# --- the access log --------------------------------------------------------------------------------


def test_a_read_of_a_leadership_goal_goes_to_the_access_log_not_the_feed(app, world, login_as):
    goal_id, _ = add_goal(app, world.home, "Leadership plan", "leadership")
    client = login_as("coordinator")
    before = feed_texts(app, world.home, "coordinator")
    assert client.get(f"/p/{world.home.slug}/goals/{goal_id}").status_code == 200
    assert feed_texts(app, world.home, "coordinator") == before
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(AccessLogEntry.record_kind)).all() == ["goal"]

    page = client.get(f"/p/{world.home.slug}/activity/access-log")
    assert page.status_code == 200
    row = words(page.text)
    assert "Cora Coordinator Goal ‘Leadership plan’ Coordinators only Viewed" in row
    assert f'<a href="/p/{world.home.slug}/goals/{goal_id}">‘Leadership plan’</a>' in page.text
    assert re.search(r'<a href="/p/[^"]+/activity"[^>]*aria-current="page"', page.text), "Activity tab is current"


# --- cost ------------------------------------------------------------------------------------------


def fill_log(app, partnership: PartnershipRec, size: int) -> None:
    """``size`` entries about goals, objectives, action items (some removed) and the partnership,
    from two people; and as many reads of a leadership goal."""
    add_member(app, partnership, create_user(app), Role.MEMBER)
    goal_id, objective_id = add_goal(app, partnership, "Leadership plan", "leadership")
    item_id = add_item(app, partnership, "A step", goal_id=goal_id)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        coordinator = partnership.members["coordinator"].id
        member = partnership.members["member"].id
        kinds = [("goal", goal_id), ("objective", objective_id), ("action_item", item_id), ("action_item", 10**6)]
        for n in range(size):
            target_type, target_id = kinds[n % len(kinds)]
            db.session.add(
                AuditEntry(
                    actor_id=coordinator if n % 2 else member,
                    action=f"{target_type}.updated",
                    target_type=target_type,
                    target_id=target_id,
                    details={},
                )
            )
            db.session.add(
                AccessLogEntry(
                    user_id=coordinator, record_kind="goal", record_id=goal_id, level=Level.LEADERSHIP, how="viewed"
                )
            )
        db.session.commit()


@pytest.mark.parametrize(
    "path", ["/activity", "/activity?area=goals", "/activity?area=actions", "/activity/access-log", "/"]
)
def test_the_feed_costs_the_same_for_5_and_for_200_entries(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    fill_log(app, small, 5)
    fill_log(app, large, 200)
    assert_fixed_cost(app, small, large, path)


def rendered_rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text.count("<tr>") + response.text.count("<li><time")


@pytest.mark.parametrize("path", ["/activity", "/activity?area=actions", "/activity/access-log", "/"])
def test_a_page_of_the_log_renders_and_costs_the_same_for_30_and_600_entries(app, path, monkeypatch):
    # Pages shorter than the small log, so both logs fill a whole page and have more beyond.
    monkeypatch.setattr(queries, "FEED_PAGE_SIZE", 10)
    monkeypatch.setattr(queries, "ACCESS_LOG_PAGE_SIZE", 10)
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    fill_log(app, small, 30)
    fill_log(app, large, 600)
    assert statements_for(app, small, path) == statements_for(app, large, path)
    rows = {}
    for name, partnership in (("small", small), ("large", large)):
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        rows[name] = rendered_rows(client, f"/p/{partnership.slug}{path}")
    assert rows["small"] == rows["large"] >= 8, rows


def test_older_and_newer_walk_the_whole_feed_once(app, world, login_as):
    for n in range(7):
        add_item(app, world.home, f"Step {n}")
    with app.app_context():
        ctx = as_person(world.home)
        everything = [item.entry.id for item in queries.feed_page(ctx).items]
        seen, position, pages = [], queries.Position(), []
        while True:
            page = queries.feed_page(ctx, position=position, page_size=3)
            pages.append(page)
            seen += [item.entry.id for item in page.items]
            if page.older is None:
                break
            position = queries.Position(before=queries.Cursor.parse(page.older.token))
        assert seen == everything and len(pages) == 3
        back = queries.feed_page(ctx, position=queries.Position(after=pages[-1].newer), page_size=3)
        assert [item.entry.id for item in back.items] == [item.entry.id for item in pages[-2].items]
        assert pages[0].newer is None and back.newer is not None
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/activity?" + urlencode({"area": "actions", "before": pages[0].older.token})
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Newer" in response.text
    assert "area=actions" in response.headers["HX-Push-Url"] and "before=" in response.headers["HX-Push-Url"]
    for junk in ("x~1", "2020-01-01~y", "~", "9" * 60):
        assert client.get(f"/p/{world.home.slug}/activity?before={junk}&after={junk}").status_code == 200


def test_a_grant_that_has_ended_stops_admitting_to_the_feed_kept_since_it_began(app, world, monkeypatch):
    """The feed's rule is built once per permission shape and kept for days; an objective's rule (an
    area's ``visible_ids``) must take the reading day (``VIEWER_TODAY``), not the day the rule was built:
    the coordinator's grant to a member's private goal ends, and its objective leaves their feed."""
    from datetime import UTC, datetime, timedelta

    from partnership_hub import confidentiality
    from partnership_hub import db as dbmod
    from partnership_hub.confidentiality import ConfidentialGrant

    goal_id, _objective_id = add_goal(app, world.home, "Member's lent plan", "private", author="member")
    granted_until = datetime.now(UTC).date() + timedelta(days=10)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(
            ConfidentialGrant(
                record_kind="goal",
                record_id=goal_id,
                membership_id=world.home.membership_ids["coordinator"],
                ends_on=granted_until,
            )
        )
        db.session.commit()

    def on(day):
        clock = lambda: datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)  # noqa: E731
        monkeypatch.setattr(dbmod, "utcnow", clock)
        monkeypatch.setattr(confidentiality, "utcnow", clock)

    queries._entry_visible.cache_clear()
    on(granted_until)  # the rule is built while the grant runs
    assert any("objective ‘Member's lent plan: objective’" in t for t in feed_texts(app, world.home, "coordinator"))
    on(granted_until + timedelta(days=2))  # the same kept rule, read after the grant ended
    later = " | ".join(feed_texts(app, world.home, "coordinator"))
    assert "lent plan" not in later
