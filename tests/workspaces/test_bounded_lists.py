"""Member lists that stay one page whatever the size of the partnership: People (searched as you type,
filtered by role, a page at a time), open invitations, the planning team and its pickers, members'
orientation progress and the home's coordinator names (issue #8)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Invitation, Membership, OrientationItem, Role
from partnership_hub.workspaces.services import INVITATIONS_PAGE_SIZE, PEOPLE_PAGE_SIZE, PROGRESS_PAGE_SIZE
from tests.budget import assert_fixed_cost
from tests.factories import PartnershipRec, create_partnership, create_user, sign_in

HTMX = {"HX-Request": "true"}


def grow(app, partnership: PartnershipRec, size: int, *, role: Role | None = None, prefix: str = "Bulk") -> list[int]:
    """Add ``size`` members ("<prefix> 000"...; every role in turn unless ``role``), as many open
    invitations, and put every third member on the planning team. Returns the membership ids."""
    with app.app_context():
        users = [
            User(name=f"{prefix} {n:03}", email=f"{prefix.lower()}{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = list(Role)
        memberships = [
            Membership(user_id=u.id, role=role or roles[n % len(roles)], on_planning_team=n % 3 == 0)
            for n, u in enumerate(users)
        ]
        db.session.add_all(memberships)
        db.session.add_all(
            Invitation(
                email=f"{prefix.lower()}-invitee{n}@example.org",
                role=Role.MEMBER,
                token_hash=f"{prefix}-{partnership.id}-{n}",
                invited_by_id=partnership.members["coordinator"].id,
                expires_at=utcnow(),
                last_sent_at=utcnow(),
            )
            for n in range(size)
        )
        db.session.commit()
        return [m.id for m in memberships]


def member_rows(html: str) -> list[int]:
    """The membership ids of the People page's rows."""
    return [int(i) for i in re.findall(r'id="member-(\d+)-name"', html)]


def coordinator_of(app, partnership: PartnershipRec):
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    return client


def role_of(app, partnership_id: int, membership_id: int) -> Role | None:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        return db.session.scalar(select(Membership.role).where(Membership.id == membership_id))


def _small_and_large(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 10)
    grow(app, large, 300)
    return small, large


@pytest.fixture
def small_and_large(keep):
    return keep(_small_and_large)


# --- People ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/people", "/people?q=bulk&role=member", "/people/invitations", "/planning", "/orientation/manage"]
)
def test_member_lists_cost_the_same_for_10_and_for_300_members(app, small_and_large, path):
    assert_fixed_cost(app, *small_and_large, path)


def test_the_people_page_renders_one_page_of_members_and_the_newest_invitations(app, small_and_large):
    small, large = small_and_large
    pages = {p.name: coordinator_of(app, p).get(f"/p/{p.slug}/people").text for p in (small, large)}

    assert len(member_rows(pages["Small"])) == 11  # everyone, and the coordinator
    assert len(member_rows(pages["Large"])) == PEOPLE_PAGE_SIZE
    for html in pages.values():
        assert len(re.findall(r'id="invitation-\d+-resend"', html)) == INVITATIONS_PAGE_SIZE
        assert html.count("<tr") <= PEOPLE_PAGE_SIZE + INVITATIONS_PAGE_SIZE + 2  # rows and two header rows
    assert 'aria-label="Pages of members"' in pages["Large"] and 'rel="next"' in pages["Large"]
    assert 'aria-label="Pages of members"' not in pages["Small"]
    assert "See all 300 open invitations" in pages["Large"] and "See all 10 open invitations" not in pages["Small"]


def test_the_search_box_searches_as_you_type_and_works_without_javascript(app, small_and_large):
    _, large = small_and_large
    html = coordinator_of(app, large).get(f"/p/{large.slug}/people").text
    [search] = re.findall(r'<input type="search" id="people-q"[^>]*>', html, re.S)
    assert 'hx-trigger="input changed delay:250ms, search"' in search
    assert 'hx-target="#members-section"' in search and 'hx-push-url="true"' in search
    assert re.search(r'<form method="get" action="/p/[^"]+/people"', html)  # a plain GET without JS


def test_search_narrows_by_name_or_email_plain_and_over_htmx(app, small_and_large):
    _, large = small_and_large
    client = coordinator_of(app, large)
    base = f"/p/{large.slug}/people"

    plain = client.get(f"{base}?q=Bulk 12")  # Bulk 120 to Bulk 129
    assert plain.status_code == 200 and "<html" in plain.text
    assert len(member_rows(plain.text)) == 10
    assert "Matching members" in plain.text and 'value="Bulk 12"' in plain.text

    partial = client.get(f"{base}?q=bulk{large.id}-7@", headers=HTMX)  # by email address
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'id="people-q"' not in partial.text  # just the results block
    assert partial.text.lstrip().startswith('<section id="members-section"')
    assert "HX-Request" in partial.headers["Vary"]
    assert len(member_rows(partial.text)) == 1 and "Bulk 007" in partial.text

    nobody = client.get(f"{base}?q=%_%", headers=HTMX)  # LIKE's wildcards are taken literally
    assert member_rows(nobody.text) == [] and "Nobody listed here matches" in nobody.text


def test_the_role_filter_narrows_and_pagination_keeps_the_search(app, small_and_large):
    _, large = small_and_large
    client = coordinator_of(app, large)
    html = client.get(f"/p/{large.slug}/people?q=bulk&role=observer").text  # 75 observers
    rows = member_rows(html)
    assert len(rows) == PEOPLE_PAGE_SIZE
    assert {role_of(app, large.id, m) for m in rows} == {Role.OBSERVER}
    assert '<option value="observer" selected>' in html

    links = re.findall(r'<a href="([^"]+)"[^>]*rel="next"', html)
    assert links, "a next-page link"
    query = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)
    assert query == {"page": ["2"], "q": ["bulk"], "role": ["observer"]}

    page_2 = client.get(links[0].replace("&amp;", "&"), headers=HTMX).text
    assert "<html" not in page_2 and len(member_rows(page_2)) == PEOPLE_PAGE_SIZE
    assert set(member_rows(page_2)).isdisjoint(rows)
    assert "Showing 26–50 of 75." in page_2


def test_role_change_and_removal_work_from_page_2_of_a_search(app, small_and_large):
    _, large = small_and_large
    client = coordinator_of(app, large)
    base = f"/p/{large.slug}/people"
    page_2 = client.get(f"{base}?q=bulk&role=member&page=2").text
    [first, second, *_] = member_rows(page_2)
    role_url = f"{base}/{first}/role?q=bulk&amp;role=member&amp;page=2"
    assert f'action="{role_url}"' in page_2  # the row forms carry the search and the page

    # A plain post comes back to the same page of the same search.
    response = client.post(role_url.replace("&amp;", "&"), data={"role": "observer"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {"q": ["bulk"], "role": ["member"], "page": ["2"]}
    assert role_of(app, large.id, first) == Role.OBSERVER

    # Over htmx the answer is that page's members block again.
    response = client.post(f"{base}/{second}/remove?q=bulk&role=member&page=2", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert "Showing 26–50 of 73." in response.text and "was removed from the partnership" in response.text
    assert role_of(app, large.id, second) is None


def test_a_refusal_for_someone_not_on_the_page_is_still_shown(app, world, login_as):
    coordinator = login_as("coordinator")
    own_id = world.home.membership_ids["coordinator"]
    response = coordinator.post(
        f"/p/{world.home.slug}/people/{own_id}/role?q=nobody-matches", data={"role": "member"}, headers=HTMX
    )
    assert response.status_code == 422 and "at least one coordinator" in response.text


def test_a_search_never_reveals_hidden_survivor_advisors(app, world, login_as):
    advisor = world.user("survivor_advisor")
    client = login_as("member")
    base = f"/p/{world.home.slug}/people"
    for query in (f"q={advisor.name}", f"q={advisor.email}", "role=survivor_advisor", ""):
        html = client.get(f"{base}?{query}", headers=HTMX).text  # the results, without the search box
        assert advisor.name not in html and advisor.email not in html
        # The same words whatever the search, and no number: it must not tell who or how many are hidden.
        assert "Not everyone is listed here" in html and "more member" not in html
    page = client.get(f"{base}?role=survivor_advisor").text
    assert '<option value="survivor_advisor"' not in page and advisor.name not in page
    assert advisor.name in login_as("coordinator").get(f"{base}?q={advisor.name}").text


def test_observers_still_get_403_on_people_and_invitations(app, world, login_as):
    client = login_as("observer")
    assert client.get(f"/p/{world.home.slug}/people?q=a").status_code == 403
    assert client.get(f"/p/{world.home.slug}/people/invitations").status_code == 403
    assert login_as("member").get(f"/p/{world.home.slug}/people/invitations").status_code == 403


# --- invitations ----------------------------------------------------------------------------------


def test_open_invitations_are_paged_and_resend_returns_to_the_page(app, small_and_large):
    _, large = small_and_large
    client = coordinator_of(app, large)
    html = client.get(f"/p/{large.slug}/people/invitations?page=2").text
    ids = [int(i) for i in re.findall(r'id="invitation-(\d+)-resend"', html)]
    assert len(ids) == INVITATIONS_PAGE_SIZE and 'aria-label="Pages of invitations"' in html

    response = client.post(f"/p/{large.slug}/invitations/{ids[0]}/resend?page=2")
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/invitations?page=2")

    response = client.post(f"/p/{large.slug}/invitations/{ids[1]}/revoke?page=2", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="invitations-list">')
    assert f'id="invitation-{ids[1]}-resend"' not in response.text and "was revoked" in response.text

    # From the People page: the People page's own copy of the list.
    [newest] = re.findall(r'id="invitation-(\d+)-resend"', client.get(f"/p/{large.slug}/people").text)[:1]
    response = client.post(f"/p/{large.slug}/invitations/{newest}/resend", headers=HTMX)
    assert "Open invitations" in response.text and "See all 299 open invitations" in response.text


# --- the planning team ----------------------------------------------------------------------------


def test_the_planning_page_lists_one_page_and_its_pickers_hold_a_few_people(app, small_and_large):
    small, large = small_and_large
    for partnership in small_and_large:
        html = coordinator_of(app, partnership).get(f"/p/{partnership.slug}/planning").text
        rows = re.findall(r'id="planning-\d+-name"', html)
        assert len(rows) == (4 if partnership is small else 25)  # every third member is on the team
        for select_id in ("team-membership_id", "editor-membership_id"):
            [options] = re.findall(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
            assert options.count("<option") <= PICK_LIMIT + 1  # the empty choice and the first matches
    assert "100 people are on the planning team." in coordinator_of(app, large).get(f"/p/{large.slug}/planning").text


def test_the_planning_picker_adds_someone_beyond_its_first_matches(app, small_and_large):
    _, large = small_and_large
    [late] = grow(app, large, 1, role=Role.OBSERVER, prefix="Zed")  # sorts after every "Bulk" name
    client = coordinator_of(app, large)
    base = f"/p/{large.slug}/planning"
    assert "Zed 000" not in client.get(base).text

    search = re.search(r'hx-get="([^"]+)"[^>]*hx-target="#team-membership_id"', client.get(base).text)
    assert search, "the team picker searches as you type"
    url = search.group(1).replace("&amp;", "&")
    options = client.get(f"{url}&team-membership_id__q=zed", headers=HTMX).text
    assert f'<option value="{late}">Zed 000</option>' in options  # observers may join the team too

    response = client.post(f"{base}/team", data={"team-membership_id": str(late)})
    assert response.status_code == 302
    with app.app_context():
        bind_tenant(db.session, large.id)
        assert db.session.scalar(select(Membership.on_planning_team).where(Membership.id == late)) is True

    refused = client.post(f"{base}/directory-editors", data={"editor-membership_id": str(late)}, headers=HTMX)
    assert refused.status_code == 422 and "can&#39;t be directory editors" in refused.text
    assert client.post(f"{base}/team", data={"team-membership_id": ""}).status_code == 422
    assert client.post(f"{base}/team", data={"team-membership_id": "999999"}).status_code == 422


def test_the_directory_editor_picker_offers_members_only(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/pick/people?field=editor-membership_id&role=member&editor-membership_id__q="
    options = client.get(url, headers=HTMX).text
    assert world.user("member").name in options
    for key in ("coordinator", "survivor_advisor", "observer"):
        assert world.user(key).name not in options


def test_a_member_picked_from_another_partnership_is_refused(app, world, login_as):
    client = login_as("coordinator")
    foreign = world.other.membership_ids["coordinator"]
    response = client.post(f"/p/{world.home.slug}/planning/team", data={"team-membership_id": str(foreign)})
    assert response.status_code == 422 and "Choose someone from the list." in response.text


# --- orientation progress and the home ------------------------------------------------------------


def test_members_progress_is_one_page_at_a_time(app, small_and_large):
    small, large = small_and_large
    for partnership in small_and_large:
        with app.app_context():
            bind_tenant(db.session, partnership.id)
            db.session.add(OrientationItem(title="Read the guidelines", position=1))
            db.session.commit()
        client = coordinator_of(app, partnership)
        html = client.get(f"/p/{partnership.slug}/orientation/manage").text
        rows = re.findall(r"of 1\s", html)
        assert len(rows) == (11 if partnership is small else PROGRESS_PAGE_SIZE)
    partial = coordinator_of(app, large).get(f"/p/{large.slug}/orientation/manage?page=2", headers=HTMX).text
    assert partial.lstrip().startswith('<section id="progress-section"') and "Showing 26–50 of 301." in partial


def test_the_home_names_a_few_coordinators_and_counts_the_rest(app, world, login_as):
    grow(app, world.home, 8, role=Role.COORDINATOR, prefix="Aaron")  # sort before the world's coordinator
    html = login_as("member").get(f"/p/{world.home.slug}/").text
    assert "Your coordinators are Aaron 000, Aaron 001, Aaron 002, Aaron 003, Aaron 004 and 4 others." in html


# --- capped counts ----------------------------------------------------------------------------------


def test_member_and_invitation_counts_stop_at_the_cap(app, small_and_large, monkeypatch):
    from partnership_hub.workspaces import services

    monkeypatch.setattr(services, "COUNT_CAP", 100)
    small, large = small_and_large
    client = coordinator_of(app, large)
    people = client.get(f"/p/{large.slug}/people").text
    # 301 members and 300 invitations, counted up to 100 past the page's start: "100+".
    assert '<span class="count">100+</span>' in people
    assert f"Showing 1–{PEOPLE_PAGE_SIZE} of 100+." in people and "See all 100+ open invitations" in people
    assert 'class="pagination-gap"' in people and 'rel="next"' in people
    assert len(member_rows(people)) == PEOPLE_PAGE_SIZE
    invitations = client.get(f"/p/{large.slug}/people/invitations").text
    assert '<span class="count">100+</span>' in invitations
    # Small lists are counted exactly.
    html = coordinator_of(app, small).get(f"/p/{small.slug}/people").text
    assert '<span class="count">11</span>' in html and 'class="pagination-gap"' not in html
