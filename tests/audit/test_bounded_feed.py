"""The activity feed at any size (issue #8): the person filter is a search-as-you-type picker that
never lists everyone in the log; a page of the feed — whole, narrowed to an area or to a person —
renders and costs the same for a short and a long log; the area filter still finds an area's
entries, and exactly them, however far back they lie."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import count

import pytest

from partnership_hub import picking
from partnership_hub.accounts.models import User
from partnership_hub.audit import queries
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Role
from tests.audit.test_feed import as_person, fill_log, words
from tests.budget import statements_for
from tests.factories import PartnershipRec, create_partnership, create_user, sign_in

_emails = count()


def add_actors(
    app, partnership: PartnershipRec, names: list[str], kind: str = "partnership", start: datetime | None = None
) -> dict[str, int]:
    """A member per name, each with one entry in the log a minute apart from ``start`` (default:
    after everything so far), oldest first: the last name is the latest to act. Returns the user
    ids by name."""
    start = start or utcnow() + timedelta(minutes=1)
    with app.app_context():
        users = [User(name=name, email=f"actor{next(_emails)}@example.org", password_hash="x") for name in names]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        db.session.add_all(Membership(user_id=user.id, role=Role.MEMBER) for user in users)
        db.session.add_all(
            AuditEntry(
                actor_id=user.id,
                action=f"{kind}.updated",
                target_type=kind,
                target_id=None,
                details={},
                created_at=start + timedelta(minutes=n),
            )
            for n, user in enumerate(users)
        )
        db.session.commit()
        return {user.name: user.id for user in users}


def person_options(page: str) -> list[str]:
    """The labels of the person filter's options on the activity page."""
    select = re.search(r'<select[^>]*id="person"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the person filter is on the page"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def rendered_rows(page: str) -> int:
    return page.count("<tr>") + page.count("<li><time")


def client_for(app, partnership: PartnershipRec, role: str = "coordinator"):
    client = app.test_client()
    sign_in(client, app, partnership.members[role])
    return client


# --- the person picker -------------------------------------------------------------------------------


def test_the_person_filter_is_a_picker_of_the_people_active_lately(app, world, monkeypatch):
    monkeypatch.setattr(queries, "RECENT_ENTRIES", 3)
    ids = add_actors(app, world.home, [f"Actor {n:02}" for n in range(10)])
    page = client_for(app, world.home).get(f"/p/{world.home.slug}/activity").text
    assert person_options(page) == ["Anyone", "Actor 07", "Actor 08", "Actor 09"]
    assert 'name="person__q"' in page
    assert f'hx-get="/p/{world.home.slug}/activity/people?field=person&amp;blank=Anyone"' in page
    assert f'value="{ids["Actor 00"]}"' not in page  # acted before the latest entries: found by typing


def test_the_picker_finds_anyone_in_the_log_by_name(app, world, monkeypatch):
    monkeypatch.setattr(queries, "RECENT_ENTRIES", 3)
    ids = add_actors(app, world.home, ["Priya Raman", "Ana Ruiz", "Ben Okafor", "Cy Long", "Dee Hart"])
    client = client_for(app, world.home)
    found = client.get(f"/p/{world.home.slug}/activity/people?field=person&person__q=PRIYA")
    assert found.status_code == 200
    assert f'<option value="{ids["Priya Raman"]}">Priya Raman</option>' in found.text
    assert "Ana Ruiz" not in found.text
    assert "HX-Request" in found.headers["Vary"]
    # With nothing typed: the people active lately, by name.
    recent = client.get(f"/p/{world.home.slug}/activity/people?field=person&blank=Anyone").text
    assert re.findall(r">([^<]+)</option>", recent) == ["Anyone", "Ben Okafor", "Cy Long", "Dee Hart"]
    # Without JavaScript: "Show activity" sends what was typed, the select comes back with the matches.
    page = client.get(f"/p/{world.home.slug}/activity?person__q=ruiz").text
    assert person_options(page) == ["Anyone", "Ana Ruiz"]


def test_the_person_filtered_on_stays_chosen_even_long_inactive(app, world, monkeypatch):
    monkeypatch.setattr(queries, "RECENT_ENTRIES", 2)
    ids = add_actors(app, world.home, ["Old Timer", "New One", "Newer One"])
    client = client_for(app, world.home)
    page = client.get(f"/p/{world.home.slug}/activity?person={ids['Old Timer']}").text
    assert re.search(rf'<option[^>]*selected[^>]*value="{ids["Old Timer"]}"[^>]*>Old Timer</option>', page)
    assert person_options(page)[:2] == ["Anyone", "Old Timer"]
    results = words(page.partition('id="activity-results"')[2])
    assert "Old Timer" in results and "New One" not in results
    options = client.get(
        f"/p/{world.home.slug}/activity/people?field=person&person={ids['Old Timer']}&person__q=one"
    ).text
    assert f'<option value="{ids["Old Timer"]}" selected>Old Timer</option>' in options
    assert "New One" in options and "Newer One" in options


def test_the_picker_names_only_people_in_this_partnerships_log(app, world):
    outsider = add_actors(app, world.other, ["Outside Person"])["Outside Person"]
    quiet = create_user(app, "Quiet Person")  # a member of nothing here, never acted
    client = client_for(app, world.home)
    for person in (outsider, quiet.id):
        options = client.get(f"/p/{world.home.slug}/activity/people?field=person&person={person}").text
        assert "Outside Person" not in options and "Quiet Person" not in options
        assert "Outside Person" not in client.get(f"/p/{world.home.slug}/activity?person={person}").text
    assert "Outside" not in client.get(f"/p/{world.home.slug}/activity/people?field=person&person__q=out").text


def test_the_picker_is_for_coordinators(app, world):
    for role in ("member", "survivor_advisor", "observer"):
        response = client_for(app, world.home, role).get(f"/p/{world.home.slug}/activity/people?field=person")
        assert response.status_code == 403, role


@pytest.mark.parametrize("junk", ["x", "1' or 1=1", "9" * 40, "%", "_", "\\", "\x00"])
def test_the_picker_takes_any_text(app, world, junk):
    add_actors(app, world.home, ["100% Sure_Person"])
    client = client_for(app, world.home)
    response = client.get(f"/p/{world.home.slug}/activity/people", query_string={"field": "person", "person__q": junk})
    assert response.status_code == 200
    assert client.get(f"/p/{world.home.slug}/activity", query_string={"person": junk}).status_code == 200


def test_the_picker_matches_wildcards_literally(app, world):
    add_actors(app, world.home, ["100% Sure_Person", "Plain Person"])
    client = client_for(app, world.home)
    for typed in ("%", "_"):
        args = {"field": "person", "person__q": typed}
        found = client.get(f"/p/{world.home.slug}/activity/people", query_string=args)
        assert "100% Sure_Person" in found.text and "Plain Person" not in found.text


# --- a page costs the same at any size ---------------------------------------------------------------


def grow_people(app, partnership: PartnershipRec, size: int) -> None:
    """``size`` more people, each with an entry in the log."""
    add_actors(app, partnership, [f"Grown {partnership.id}-{n:03}" for n in range(size)])


@pytest.mark.parametrize(
    "path",
    [
        "/activity",
        "/activity?area=goals",
        "/activity?area=workspaces",
        "/activity?area=actions&person={coordinator}",
        "/activity?person={coordinator}",
        "/activity/people?field=person",
        "/activity/people?field=person&person__q=grown",
    ],
)
def test_the_feed_and_its_picker_render_and_cost_the_same_for_a_short_and_a_long_log(app, path, monkeypatch):
    # Pages and pickers shorter than the small log, so both fill a whole page and have more beyond.
    monkeypatch.setattr(queries, "FEED_PAGE_SIZE", 10)
    monkeypatch.setattr(queries, "RECENT_ENTRIES", 12)
    monkeypatch.setattr(picking, "PICK_LIMIT", 5)
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership, size, people in ((small, 60, 12), (large, 400, 100)):
        fill_log(app, partnership, size)
        grow_people(app, partnership, people)
    urls = {
        name: path.format(coordinator=partnership.members["coordinator"].id)
        for name, partnership in (("small", small), ("large", large))
    }
    assert statements_for(app, small, urls["small"]) == statements_for(app, large, urls["large"])
    rendered = {}
    for name, partnership in (("small", small), ("large", large)):
        response = client_for(app, partnership).get(f"/p/{partnership.slug}{urls[name]}")
        assert response.status_code == 200
        if "/people" in path:  # the picker's options: "Anyone", a page of matches, the "more" hint
            rendered[name] = response.text.count("<option")
        else:  # the page's entries, and the person filter's options
            rendered[name] = (rendered_rows(response.text), len(person_options(response.text)))
    assert rendered["small"] == rendered["large"], rendered


def test_a_coordinators_feed_reads_the_log_once(app, world):
    """Kinds a coordinator sees whole (payments and rates, even removed ones) add no rule: never a second
    read of the log's own entries of the kind, which PostgreSQL hashes whole before the first row."""
    from partnership_hub.confidentiality import permission_shape

    with app.app_context():
        shape = permission_shape(as_person(world.home).membership)
        sql = str(queries._latest_statement(shape, 10))
    assert "FROM audit_entries" in sql and "audit_entries AS" not in sql
    assert "advisor_payment" not in sql and "advisory_rate" not in sql


def test_an_area_with_old_entries_only_still_fills_its_page(app, world, monkeypatch):
    """The area filter reads each kind of the area on its own: entries far back in a long log are
    found, in order, with nothing from other areas and nothing twice across pages."""
    monkeypatch.setattr(queries, "FEED_PAGE_SIZE", 4)
    early = utcnow() - timedelta(days=2)
    add_actors(app, world.home, [f"Early {n}" for n in range(3)], kind="invitation", start=early)
    add_actors(app, world.home, [f"Early member {n}" for n in range(3)], kind="membership", start=early)
    fill_log(app, world.home, 60)  # newer entries, none of them in the workspace area
    with app.app_context():
        ctx = as_person(world.home)
        filters = queries.FeedFilters(area="workspaces")
        seen, position = [], queries.Position()
        while True:
            page = queries.feed_page(ctx, filters, position)
            seen += [(item.entry.created_at, item.entry.id, item.entry.target_type) for item in page.items]
            if page.older is None:
                break
            position = queries.Position(before=page.older)
        kinds = {"partnership", "membership", "invitation", "orientation_item"}
        bind_tenant(db.session, world.home.id)
        expected = db.session.execute(
            db.select(AuditEntry.created_at, AuditEntry.id, AuditEntry.target_type)
            .where(AuditEntry.target_type.in_(kinds))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        ).all()
    assert seen == [tuple(row) for row in expected] and len(seen) >= 6
    assert {kind for _, _, kind in seen} >= {"membership", "invitation"}
