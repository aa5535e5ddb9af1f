"""Representatives: workspace members or plain contacts; who sees their contact details."""

from __future__ import annotations

from tests.factories import create_organization
from tests.members.conftest import audit_entries, organizations


def test_add_a_contact_representative(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    response = coordinator.post(
        f"{base}/organizations/{org_id}/representatives",
        data={
            "kind": "contact",
            "name": "Rosa Diaz",
            "title": "Director",
            "email": "Rosa@Example.org",
            "phone": "555-0100",
        },
    )
    assert response.status_code == 302
    (rep,) = organizations(app, world.home.id)[0].representatives
    assert (rep.membership_id, rep.name, rep.title, rep.email, rep.phone) == (
        None,
        "Rosa Diaz",
        "Director",
        "rosa@example.org",
        "555-0100",
    )
    page = coordinator.get(f"{base}/organizations/{org_id}")
    assert "Rosa Diaz" in page.text and "rosa@example.org" in page.text and "555-0100" in page.text
    entry = [e for e in audit_entries(app, world.home.id) if e[0] == "representative.added"][0]
    assert entry[3] == {"organization_id": org_id, "membership_id": None}  # ids only: no names or emails


def test_add_a_member_representative_over_htmx(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    member_id = world.home.membership_ids["member"]
    response = coordinator.post(
        f"{base}/organizations/{org_id}/representatives",
        data={"kind": "member", "membership_id": str(member_id), "title": "Liaison"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="representatives"' in response.text
    assert world.user("member").name in response.text
    assert world.user("member").email in response.text  # a member's contact is their account email
    (rep,) = organizations(app, world.home.id)[0].representatives
    assert rep.membership_id == member_id and rep.name == "" and rep.title == "Liaison"

    again = coordinator.post(
        f"{base}/organizations/{org_id}/representatives", data={"kind": "member", "membership_id": str(member_id)}
    )
    assert again.status_code == 422
    assert "already represents" in again.text
    assert len(organizations(app, world.home.id)[0].representatives) == 1


def test_a_member_of_another_partnership_cannot_be_named(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    outsider_membership = world.other.membership_ids["coordinator"]
    for value in (str(outsider_membership), "999999", "abc", ""):
        response = coordinator.post(
            f"{base}/organizations/{org_id}/representatives", data={"kind": "member", "membership_id": value}
        )
        assert response.status_code == 422, value
        assert "Choose a member of the partnership." in response.text
    assert organizations(app, world.home.id)[0].representatives == []


def test_contact_representatives_need_a_name_and_a_valid_email(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    url = f"{base}/organizations/{org_id}/representatives"
    assert "Enter the contact&#39;s name." in coordinator.post(url, data={"kind": "contact", "name": " "}).text
    bad_email = coordinator.post(url, data={"kind": "contact", "name": "Rosa", "email": "not-an-email"})
    assert bad_email.status_code == 422 and "Enter an email address" in bad_email.text
    too_long = coordinator.post(url, data={"kind": "contact", "name": "Rosa", "phone": "5" * 41})
    assert too_long.status_code == 422 and "Use at most 40 characters." in too_long.text
    assert coordinator.post(url, data={"kind": "robot", "name": "Rosa"}).status_code == 422
    assert organizations(app, world.home.id)[0].representatives == []


def test_remove_a_representative(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    coordinator.post(
        f"{base}/organizations/{org_id}/representatives",
        data={"kind": "contact", "name": "Rosa Diaz"},
        follow_redirects=True,  # shows (and so clears) the flashed message
    )
    (rep,) = organizations(app, world.home.id)[0].representatives
    response = coordinator.post(f"{base}/representatives/{rep.id}/remove", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="representatives"' in response.text and "Rosa Diaz" not in response.text
    assert organizations(app, world.home.id)[0].representatives == []
    assert "representative.removed" in [e[0] for e in audit_entries(app, world.home.id)]


def test_contact_details_are_hidden_from_observers_but_shown_to_members(app, world, coordinator, login_as, base):
    org_id = create_organization(app, world.home, "Safe Harbor")
    coordinator.post(
        f"{base}/organizations/{org_id}/representatives",
        data={"kind": "contact", "name": "Rosa Diaz", "email": "rosa@example.org", "phone": "555-0100"},
    )
    observer_page = login_as("observer").get(f"{base}/organizations/{org_id}")
    assert observer_page.status_code == 200
    assert "Rosa Diaz" in observer_page.text
    assert "rosa@example.org" not in observer_page.text and "555-0100" not in observer_page.text

    observer_csv = login_as("observer").get(f"{base}/organizations.csv")
    assert "Rosa Diaz" in observer_csv.text and "rosa@example.org" not in observer_csv.text

    member_page = login_as("member").get(f"{base}/organizations/{org_id}")
    assert "rosa@example.org" in member_page.text and "555-0100" in member_page.text
    assert "rosa@example.org" in login_as("member").get(f"{base}/organizations.csv").text


def test_survivor_advisors_named_as_representatives_stay_hidden_from_members(app, world, coordinator, login_as, base):
    org_id = create_organization(app, world.home, "Voices Rising")
    advisor = world.user("survivor_advisor")
    coordinator.post(
        f"{base}/organizations/{org_id}/representatives",
        data={"kind": "member", "membership_id": str(world.home.membership_ids["survivor_advisor"])},
    )
    assert advisor.name in coordinator.get(f"{base}/organizations/{org_id}").text
    assert advisor.name in login_as("survivor_advisor").get(f"{base}/organizations/{org_id}").text
    for role in ("member", "observer"):
        assert advisor.name not in login_as(role).get(f"{base}/organizations/{org_id}").text, role
        assert advisor.name not in login_as(role).get(f"{base}/organizations.csv").text, role


def test_another_partnerships_representative_is_404(app, world, coordinator, base):
    from tests.factories import seed_directory

    seed_directory(app, world.other)
    (org,) = organizations(app, world.other.id)
    rep_id = org.representatives[0].id
    assert coordinator.post(f"{base}/representatives/{rep_id}/remove").status_code == 404
    assert len(organizations(app, world.other.id)[0].representatives) == 2
