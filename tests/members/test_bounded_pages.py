"""The representative form's member control is a picker: the organization page renders the same
options and runs the same statements for 30 and for 300 members, keeps the member chosen when the
form comes back with errors, and anyone the editor may see can be named by id, not only those on
the first page of matches (observers too, as before; hidden survivor advisors never).
The coverage and sectors pages read their numbers from aggregated statements and name at most a few
organizations per sector, whatever the size of the directory."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Representative
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Membership, Role
from tests.budget import BUDGET, counting
from tests.factories import (
    PartnershipRec,
    add_member,
    create_organization,
    create_partnership,
    create_user,
    sign_in,
)


@dataclass
class Sized:
    partnership: PartnershipRec
    organization_id: int
    last: dict[Role, int]  # per role, the membership whose name sorts last


def grow(app, partnership: PartnershipRec, size: int) -> Sized:
    organization_id = create_organization(app, partnership, "Safe Harbor")
    with app.app_context():
        users = [
            User(name=f"Person {n:04d}", email=f"r{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = list(Role)
        people = [Membership(user_id=u.id, role=roles[n % len(roles)]) for n, u in enumerate(users)]
        db.session.add_all(people)
        db.session.commit()
        last = {role: max(m.id for m in people if m.role == role) for role in roles}
    return Sized(partnership, organization_id, last)


def _sized(app):
    return (
        grow(app, create_partnership(app, create_user(app), "Small"), 30),
        grow(app, create_partnership(app, create_user(app), "Large"), 300),
    )


@pytest.fixture
def sized(keep):
    return keep(_sized)


def member_options(html: str) -> list[tuple[str, bool]]:
    match = re.search(r'<select[^>]*\bid="membership_id"[^>]*>(.*?)</select>', html, re.S)
    assert match, "no member picker"
    found = []
    for attributes in re.findall(r"<option\b([^>]*)>", match.group(1)):
        value = re.search(r'value="([^"]*)"', attributes)
        found.append((value.group(1) if value else "", bool(re.search(r"\bselected\b", attributes))))
    return found


def client_for(app, sized: Sized):
    client = app.test_client()
    sign_in(client, app, sized.partnership.members["coordinator"])
    return client, f"/p/{sized.partnership.slug}"


def test_the_organization_page_renders_and_costs_the_same_for_30_and_for_300_members(app, sized):
    seen = {}
    for each in sized:
        client, base = client_for(app, each)
        url = f"{base}/organizations/{each.organization_id}"
        client.get(url)
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200
        seen[len(seen)] = (len(statements), len(member_options(response.get_data(as_text=True))))
    assert seen[0] == seen[1], seen
    assert seen[1][0] <= BUDGET
    assert seen[1][1] <= PICK_LIMIT + 2  # the blank choice, the matches, "more match"


def test_the_chosen_member_is_kept_when_the_form_comes_back_with_errors(app, sized):
    _small, large = sized
    client, base = client_for(app, large)
    chosen = large.last[Role.MEMBER]
    response = client.post(
        f"{base}/organizations/{large.organization_id}/representatives",
        data={"kind": "member", "membership_id": str(chosen), "title": "x" * 121},
    )
    assert response.status_code == 422
    options = member_options(response.get_data(as_text=True))
    assert (str(chosen), True) in options
    assert len(options) <= PICK_LIMIT + 3


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER, Role.SURVIVOR_ADVISOR])
def test_a_member_beyond_the_first_page_can_be_found_and_named(app, sized, role):
    _small, large = sized
    client, base = client_for(app, large)
    chosen = large.last[role]
    page = client.get(f"{base}/organizations/{large.organization_id}").get_data(as_text=True)
    assert str(chosen) not in {value for value, _ in member_options(page)}
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        name = db.session.scalars(
            select(User.name).join(Membership, Membership.user_id == User.id).where(Membership.id == chosen)
        ).one()
    found = client.get(
        f"{base}/pick/representatives", query_string={"field": "membership_id", "membership_id__q": name}
    )
    assert f'value="{chosen}"' in found.get_data(as_text=True)
    response = client.post(
        f"{base}/organizations/{large.organization_id}/representatives",
        data={"kind": "member", "membership_id": str(chosen)},
    )
    assert response.status_code in (302, 303)
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        named = db.session.scalars(select(Representative.membership_id).where(Representative.membership_id == chosen))
        assert list(named) == [chosen]


def test_directory_editors_who_may_not_see_survivor_advisors_cannot_find_or_name_them(app, sized):
    _small, large = sized
    editor = create_user(app, "Dee Editor")
    editor_membership = add_member(app, large.partnership, editor, Role.MEMBER)
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        db.session.execute(update(Membership).where(Membership.id == editor_membership).values(directory_editor=True))
        db.session.commit()
    client = app.test_client()
    sign_in(client, app, editor)
    base = f"/p/{large.partnership.slug}"
    advisor = large.last[Role.SURVIVOR_ADVISOR]
    found = client.get(
        f"{base}/pick/representatives", query_string={"field": "membership_id", "membership_id": str(advisor)}
    ).get_data(as_text=True)
    assert f'value="{advisor}"' not in found
    response = client.post(
        f"{base}/organizations/{large.organization_id}/representatives",
        data={"kind": "member", "membership_id": str(advisor)},
    )
    assert response.status_code == 422
    assert "Choose a member of the partnership." in response.get_data(as_text=True)
    # Observers may not edit the directory, so they have no member picker to search.
    assert login_observer(app, large).get(f"{base}/pick/representatives?field=membership_id").status_code == 403


def login_observer(app, sized: Sized):
    observer = create_user(app, "Otto Observer")
    add_member(app, sized.partnership, observer, Role.OBSERVER)
    client = app.test_client()
    sign_in(client, app, observer)
    return client


# --- coverage and sectors: aggregated, a few names per sector -----------------------------------


def grow_directory(app, partnership: PartnershipRec, size: int) -> None:
    """``size`` organizations spread over a few sectors (a toolkit sector, a sub-area, a custom one)."""
    from partnership_hub.members import services as members
    from partnership_hub.workspaces.services import context_for

    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        custom = members.create_custom_sector(ctx, members.CustomSectorData(name="Faith leaders"))
        choices = [["law_enforcement"], ["dvs_domestic_violence"], [members.custom_value(custom.id)], []]
        for n in range(size):
            data = members.OrganizationData(name=f"Org {n:04d}", sectors=choices[n % len(choices)], ps=["prevention"])
            members.create_organization(ctx, data)
        db.session.commit()


def _directories(app):
    small = create_partnership(app, create_user(app), "Small directory")
    large = create_partnership(app, create_user(app), "Large directory")
    grow_directory(app, small, 8)
    grow_directory(app, large, 80)
    return small, large


@pytest.fixture
def directories(keep):
    return keep(_directories)


@pytest.mark.parametrize("path", ["/coverage", "/sectors"])
def test_coverage_and_sectors_cost_and_render_the_same_for_8_and_for_80_organizations(app, directories, path):
    from partnership_hub.members.services import NAMES_SHOWN

    seen = {}
    for partnership in directories:
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        url = f"/p/{partnership.slug}{path}"
        client.get(url)
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        seen[partnership.slug] = (len(statements), len(re.findall(r"Org \d{4}", html)))
    (small_statements, small_names), (large_statements, large_names) = seen.values()
    assert small_statements == large_statements <= BUDGET, seen
    if path == "/coverage":
        # Three sectors with organizations, named at most NAMES_SHOWN each (the parent of the sub-area too).
        assert large_names <= 4 * NAMES_SHOWN, seen
    else:
        assert small_names == large_names == 0, seen


def test_coverage_names_the_first_few_and_links_to_the_rest(app, directories):
    _small, large = directories
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/coverage").get_data(as_text=True)
    # 20 organizations in law enforcement: the first five by name, then a link to the filtered list.
    assert "Org 0000, Org 0004, Org 0008, Org 0012, Org 0016 and" in html
    assert f'href="/p/{large.slug}/organizations?sector=law_enforcement">15 more' in html
    assert f'href="/p/{large.slug}/organizations?sector=direct_victim_services">15 more' in html
    custom = re.search(rf'href="/p/{large.slug}/organizations\?sector=(custom-\d+)">15 more', html)
    assert custom, "no link to the custom sector's organizations"
    assert "80 of 80" in html  # prevention: the Ps count every active organization, with a sector or not
    listed = client.get(f"/p/{large.slug}/organizations?sector={custom.group(1)}").get_data(as_text=True)
    assert "Org 0002" in listed and "Org 0000" not in listed


def test_sectors_counts_come_from_the_grouped_query(app, directories):
    _small, large = directories
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/sectors").get_data(as_text=True)
    base = f"/p/{large.slug}/organizations"
    assert f'href="{base}?sector=law_enforcement">20<' in html
    assert f'href="{base}?sector=direct_victim_services">20<' in html
    assert f'href="{base}?sector=dvs_domestic_violence">20<' in html
