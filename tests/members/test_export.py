"""The directory's CSV export byte for byte, for each role: organizations in toolkit and custom
sectors, every P, text that needs quoting or the formula guard, an archived one, and representatives
of every kind — a contact, members, a survivor advisor who allows no email. The file is pinned as
whole bytes, so a faster way of reading the rows can't change a character of it, or who is listed
with which contact details for whom."""

# ruff: noqa: E501 - the pinned files read best a whole CSV line to a line

from __future__ import annotations

import pytest

from partnership_hub.extensions import db
from partnership_hub.members import services as members
from partnership_hub.workspaces.services import context_for
from tests.advisory.safety_helpers import save
from tests.factories import create_custom_sector, create_organization


def _represent(app, partnership, organization_id: int, **data) -> None:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        organization = members.load_organization(ctx, organization_id)
        members.add_representative(ctx, organization, members.RepresentativeData(**data))
        db.session.commit()


def _directory(app, world):
    home = world.home
    hotlines = create_custom_sector(app, home, "abuse hotlines", parent_key="direct_victim_services")
    create_custom_sector(app, home, "unused sector")
    harbor = create_organization(
        app,
        home,
        "Safe Harbor",
        sectors=["healthcare", "dvs_domestic_violence", f"custom-{hotlines}"],
        ps=["protection", "prevention"],
        website="https://safeharbor.example.org",
        service_area="Denver, CO",
        notes='Line one\nline "two"',
    )
    _represent(app, home, harbor, name="Rosa Diaz", title="Director", email="Rosa@Example.org", phone="555-0100")
    _represent(app, home, harbor, membership_id=home.membership_ids["survivor_advisor"], title="Advisor")
    _represent(app, home, harbor, membership_id=home.membership_ids["member"])
    _represent(app, home, harbor, name="Ana Ortiz")
    create_organization(app, home, "=Formula Org", notes="+SUM(1)", service_area="@risk", ps=["partnership"])
    every_p = ["prevention", "protection", "prosecution", "partnership"]
    aid = create_organization(app, home, "acme legal aid", sectors=[f"custom-{hotlines}"], ps=every_p)
    _represent(app, home, aid, membership_id=home.membership_ids["coordinator"], title="Chair")
    _represent(app, home, aid, membership_id=home.membership_ids["survivor_advisor"])
    gone = create_organization(app, home, "Bygone Shelter", sectors=["law_enforcement"], ps=["protection"])
    _represent(app, home, gone, name="Old Contact", email="old@example.org")
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        members.archive_organization(ctx, members.load_organization(ctx, gone))
        db.session.commit()
    save(app, home, allow_email=False)  # the survivor advisor allows no email
    return home


@pytest.fixture
def directory(keep, world):
    return keep(_directory, world)


# Rows by name_key ("=formula org" < "acme legal aid" < "bygone shelter" < "safe harbor"), sectors by
# label as plain strings (so "abuse hotlines" comes last), representatives as added. {member},
# {advisor}, {coordinator}: those people's email addresses (made per test run).
MAILED = {"member": "member", "advisor": "survivor_advisor", "coordinator": "coordinator"}
HARBOR = 'Safe Harbor,Active,Domestic violence; Healthcare Providers; abuse hotlines,Prevention; Protection,https://safeharbor.example.org,"Denver, CO",{reps},"Line one\nline ""two"""\r\n'
EXPECTED = {
    "coordinator": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        "'=Formula Org,Active,,Partnership,,'@risk,,'+SUM(1)\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair, {coordinator}; Survivor_Advisor Person",\r\n'
        + HARBOR.format(
            reps='"Rosa Diaz, Director, rosa@example.org, 555-0100; Survivor_Advisor Person, Advisor; Member Person, {member}; Ana Ortiz"'
        )
    ),
    "member": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        "'=Formula Org,Active,,Partnership,,'@risk,,'+SUM(1)\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair, {coordinator}",\r\n'
        + HARBOR.format(reps='"Rosa Diaz, Director, rosa@example.org, 555-0100; Member Person, {member}; Ana Ortiz"')
    ),
    "survivor_advisor": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        "'=Formula Org,Active,,Partnership,,'@risk,,'+SUM(1)\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair, {coordinator}; Survivor_Advisor Person, {advisor}",\r\n'
        + HARBOR.format(
            reps='"Rosa Diaz, Director, rosa@example.org, 555-0100; Survivor_Advisor Person, Advisor, {advisor}; Member Person, {member}; Ana Ortiz"'
        )
    ),
    "observer": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        "'=Formula Org,Active,,Partnership,,'@risk,,'+SUM(1)\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair",\r\n'
        + HARBOR.format(reps='"Rosa Diaz, Director; Member Person; Ana Ortiz"')
    ),
}
ARCHIVED = {
    # With archived organizations (``archived=1``) and filters: "protection" and "e" leave out the
    # formula org; the archived one is in, between the others by name.
    "coordinator": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair, {coordinator}; Survivor_Advisor Person",\r\n'
        'Bygone Shelter,Archived,Law Enforcement,Protection,,,"Old Contact, old@example.org",\r\n'
        + HARBOR.format(
            reps='"Rosa Diaz, Director, rosa@example.org, 555-0100; Survivor_Advisor Person, Advisor; Member Person, {member}; Ana Ortiz"'
        )
    ),
    "observer": (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        'acme legal aid,Active,abuse hotlines,Prevention; Protection; Prosecution; Partnership,,,"Cora Coordinator, Chair",\r\n'
        "Bygone Shelter,Archived,Law Enforcement,Protection,,,Old Contact,\r\n"
        + HARBOR.format(reps='"Rosa Diaz, Director; Member Person; Ana Ortiz"')
    ),
}


def _emails(world) -> dict[str, str]:
    return {key: world.user(role).email for key, role in MAILED.items()}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_directory_export_is_exactly_these_bytes_for_each_role(app, world, login_as, directory, role):
    body = login_as(role).get(f"/p/{directory.slug}/organizations.csv").get_data(as_text=True)
    assert body == EXPECTED[role].format(**_emails(world))


@pytest.mark.parametrize("role", list(ARCHIVED))
def test_the_export_with_archived_organizations_and_a_filter(app, world, login_as, directory, role):
    path = f"/p/{directory.slug}/organizations.csv?archived=1&p=protection&q=e"
    body = login_as(role).get(path).get_data(as_text=True)
    assert body == ARCHIVED[role].format(**_emails(world))


def test_a_sector_filter_keeps_every_sector_of_the_organizations_it_finds(app, world, login_as, directory):
    """The filter picks organizations (a sector takes its sub-areas and the custom sectors under it);
    each one found is listed with all its sectors, not only the matching ones."""
    body = login_as("coordinator").get(f"/p/{directory.slug}/organizations.csv?sector=direct_victim_services")
    expected = (
        "Name,Status,Sectors,Ps,Website,Service area,Representatives,Notes\r\n"
        + EXPECTED["coordinator"].split("\r\n", 2)[2]  # the rows after the formula org's
    )
    assert body.get_data(as_text=True) == expected.format(**_emails(world))
