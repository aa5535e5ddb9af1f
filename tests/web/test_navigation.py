"""The workspace navigation marks exactly one entry on every workspace page: the one it belongs to."""

from __future__ import annotations

import re

import pytest

from partnership_hub import areas
from tests import factories
from tests.web.walk import fetch, record_ids, routes

ROLES = ["coordinator", "member", "survivor_advisor", "observer"]


def marked_entries(html: str) -> list[str] | None:
    """The labels of the partnership navigation's entries marked as the current page (None: no navigation)."""
    nav = re.search(r'<nav aria-label="Partnership">(.*?)</nav>', html, re.S)
    return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav.group(1)) if nav else None


@pytest.fixture
def pages(app, world):
    """(endpoint, url) for every workspace GET page, with a record of every kind to fill in ids."""
    factories.seed_records(app, world.home)
    ids = record_ids(app, world.home.id)
    return [(endpoint, url) for endpoint, method, url in routes(app, world.home.slug, ids) if method == "GET"]


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_page_marks_exactly_its_own_entry(login_as, pages, role):
    client = login_as(role)
    seen, wrong = 0, []
    for endpoint, url in pages:
        response = fetch(client, "GET", url)
        if response.status_code != 200 or response.mimetype != "text/html" or "<html" not in response.text:
            continue  # refusals, redirects, downloads and htmx fragments (pickers) have no navigation
        seen += 1
        claims = [entry.label for entry in areas.nav_entries() if entry.is_current(endpoint)]
        marked = marked_entries(response.text)
        if len(claims) != 1 or marked != claims:
            wrong.append(f"{url} ({endpoint}): marked {marked}, claimed by {claims or 'no entry'}")
    assert seen >= 8, f"only {seen} pages rendered for {role}"
    assert not wrong, f"{role}: every page must mark exactly the one entry that claims it:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/profile/edit", "Profile"),
        ("/sectors", "Coverage"),
        ("/networks", "Organizations"),
        ("/organizations/new", "Organizations"),
        ("/resources/new", "Resource map"),
        ("/goals/report", "Goals"),
        ("/actions/new", "Action plan"),
        ("/orientation/manage", "Planning"),
        ("/people", "People"),
        ("/activity", "Activity"),
        ("/setup", "Setup guide"),
    ],
)
def test_known_pages_mark_their_section(login_as, world, path, current):
    """Anchors written by hand, so a wrong declaration in an area cannot pass by agreeing with itself."""
    html = login_as("coordinator").get(f"/p/{world.home.slug}{path}").text
    assert marked_entries(html) == [current]
