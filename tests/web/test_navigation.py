"""The workspace navigation: sections from the area registry, a menu button for phones, and exactly
one entry marked current on every workspace page — the one that page belongs to."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest

from partnership_hub import areas
from partnership_hub.web import navigation
from tests import factories
from tests.web.walk import ADMITTED_ROLE, admitted_only, fetch, record_ids, routes

ROLES = ["coordinator", "member", "survivor_advisor", "observer"]


def partnership_nav(html: str) -> str | None:
    """The partnership navigation's markup (None: the page has none)."""
    found = re.search(r'<nav [^>]*aria-label="Partnership"[^>]*>(.*?)</nav>', html, re.S)
    return found.group(1) if found else None


def marked_entries(html: str) -> list[str] | None:
    """The labels of the partnership navigation's entries marked as the current page (None: no navigation)."""
    nav = partnership_nav(html)
    if nav is None:
        return None
    # Labels as written in the registry ("Story & image consent"), not as escaped in the HTML ("&amp;").
    return [html_unescape(label) for label in re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav)]


def problem(endpoint: str, html: str) -> str | None:
    """What is wrong with a page's navigation, or None: exactly one registry entry must claim the
    endpoint, and the page must mark that entry and no other."""
    claims = [entry.label for entry in areas.nav_entries() if entry.is_current(endpoint)]
    marked = marked_entries(html)
    if marked is None:
        return f"no partnership navigation (claimed by {claims or 'no entry'})"
    if len(claims) != 1:
        return f"claimed by {len(claims)} entries {claims}: exactly one must own each page"
    if marked != claims:
        return f"marked {marked or 'nothing'}, claimed by {claims}"
    return None


def _pages(app, world):
    """(endpoint, url) for every workspace GET route in the URL map, with a record of every kind."""
    factories.seed_records(app, world.home)
    ids = record_ids(app, world.home.id)
    return [(endpoint, url) for endpoint, method, url in routes(app, world.home.slug, ids) if method == "GET"]


@pytest.fixture
def pages(keep, world):
    return keep(_pages, world)


def is_page(response) -> bool:
    """A whole HTML page (not a CSV download or an htmx fragment such as a picker's options)."""
    return response.mimetype == "text/html" and "<html" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_page_marks_exactly_its_own_entry(login_as, pages, role):
    client = login_as(role)
    seen, wrong, unanswered = 0, [], []
    for endpoint, url in pages:
        response = fetch(client, "GET", url)
        if response.status_code != 200:
            # A coordinator may open every page (some are permalinks that redirect) but those an area
            # opens only to people it admitted, which the admitted role opens; other roles are refused
            # some (the route walk checks how).
            must_answer = ADMITTED_ROLE if admitted_only(endpoint) else "coordinator"
            if role == must_answer and response.status_code >= 400:
                unanswered.append(f"{url} ({endpoint}): {response.status_code}")
            continue
        if not is_page(response):
            continue  # downloads and htmx fragments (pickers) have no navigation
        seen += 1
        if found := problem(endpoint, response.text):
            wrong.append(f"{url} ({endpoint}): {found}")
    assert not unanswered, "every workspace GET route should answer a coordinator:\n" + "\n".join(unanswered)
    assert seen >= 8, f"only {seen} pages rendered for {role}"
    assert not wrong, f"{role}: every page must mark exactly the one entry that claims it:\n" + "\n".join(wrong)


def test_the_walk_covers_every_workspace_page_in_the_url_map(app, login_as, pages):
    """Every GET route that renders a page is checked above (as the coordinator at least): a page the
    walk cannot reach would escape the navigation check."""
    client, admitted = login_as("coordinator"), login_as(ADMITTED_ROLE)
    checked = {
        endpoint
        for endpoint, url in pages
        if is_page(fetch(admitted if admitted_only(endpoint) else client, "GET", url))
    }
    rules = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/p/<slug>")}
    get_rules = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods} & rules
    assert {endpoint for endpoint, _ in pages} == get_rules
    assert len(checked) >= 30, f"only {len(checked)} workspace pages rendered: {sorted(checked)}"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<nav aria-label="Partnership"><a href="/x">Goals</a><a href="/y">People</a></nav>', "marked nothing"),
        (
            '<nav class="n" aria-label="Partnership"><a href="/x" aria-current="page">Goals</a>'
            '<a href="/y" aria-current="page">People</a></nav>',
            "marked ['Goals', 'People']",
        ),
        ('<nav aria-label="Partnership"><a href="/y" aria-current="page">People</a></nav>', "marked ['People']"),
        ("<main>no navigation</main>", "no partnership navigation"),
    ],
)
def test_the_check_fails_a_page_with_no_two_or_the_wrong_current_entry(html, expected):
    assert expected in (problem("goals.index", html) or "")
    good = '<nav id="n" aria-label="Partnership"><a href="/x" aria-current="page">Goals</a><a href="/y">Home</a></nav>'
    assert problem("goals.index", good) is None


def test_the_check_fails_an_endpoint_two_entries_claim(monkeypatch):
    twice = [*areas.nav_entries(), areas.NavEntry("workspace.people", "Members again", also=("goals.*",))]
    monkeypatch.setattr(areas, "nav_entries", lambda: twice)
    html = '<nav aria-label="Partnership"><a href="/x" aria-current="page">Goals</a></nav>'
    assert "claimed by 2 entries" in (problem("goals.detail", html) or "")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/profile/edit", "Profile"),
        ("/sectors", "Sectors"),
        ("/networks", "Networks"),
        ("/networks/new", "Networks"),
        ("/coverage", "Coverage"),
        ("/organizations/new", "Organizations"),
        ("/resources/new", "Resource map"),
        ("/goals/report", "Goals"),
        ("/actions/new", "Action plan"),
        ("/meetings/new", "Meetings"),
        ("/orientation", "Orientation"),
        ("/orientation/manage", "Orientation"),
        ("/planning", "Planning team"),
        ("/people", "People"),
        ("/people/invitations", "People"),
        ("/activity", "Activity"),
        ("/activity/access-log", "Activity"),
        ("/setup", "Setup guide"),
        ("/governance/checkins/new", "Trust check-ins"),
        ("/governance/disputes/new", "Disputes"),
        ("/governance/guidelines", "Guidelines"),
    ],
)
def test_known_pages_mark_their_section(login_as, world, path, current):
    """Anchors written by hand, so a wrong declaration in an area cannot pass by agreeing with itself."""
    html = login_as("coordinator").get(f"/p/{world.home.slug}{path}").text
    assert marked_entries(html) == [current]


def sections(html: str) -> list[str]:
    """The navigation's section headings, in order."""
    found = re.findall(r'<p class="nav-group-label" id="[^"]+">([^<]+)</p>', partnership_nav(html) or "")
    return [html_unescape(label) for label in found]


def test_the_navigation_is_grouped_in_sections(login_as, world):
    html = login_as("coordinator").get(f"/p/{world.home.slug}/").text
    expected = ["Work", "Partnership", "Governance", "Survivor engagement", "Funding & awareness", "Setup"]
    assert sections(html) == expected
    nav = partnership_nav(html) or ""
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert labels[:4] == ["Home", "Goals", "Action plan", "Meetings"]
    partnership = {"Profile", "People", "Organizations", "Coverage", "Sectors", "Networks", "Resource map"}
    assert set(labels[4:12]) == partnership | {"Orientation"}
    assert labels[-1] == "Activity"
    # Each section's list is named by its heading.
    for group_id in re.findall(r'<p class="nav-group-label" id="([^"]+)">', nav):
        assert f'aria-labelledby="{group_id}"' in nav


def test_a_section_with_one_entry_for_the_viewer_is_that_entry_alone(login_as, world):
    """A member sees only the setup guide of the Setup section (the planning team is coordinators'),
    and no Activity: no heading over a single link."""
    html = login_as("member").get(f"/p/{world.home.slug}/").text
    assert sections(html) == ["Work", "Partnership", "Governance", "Survivor engagement", "Funding & awareness"]
    assert ">Setup guide</a>" in (partnership_nav(html) or "")
    assert ">Planning team</a>" not in html


def test_sections_keep_the_order_of_their_first_entry(monkeypatch):
    entries = [
        areas.NavEntry("a", "Later", order=300, group="Governance"),
        areas.NavEntry("b", "First", order=5, group="Work"),
        areas.NavEntry("c", "Second", order=200, group="Work"),
        areas.NavEntry("d", "Alone", order=100),
    ]
    monkeypatch.setattr(areas, "nav_entries", lambda: sorted(entries, key=lambda e: e.order))
    monkeypatch.setattr(navigation, "can", lambda membership, action: True)
    groups = navigation.groups_for(None)
    assert [(g.label, [e.label for e in g.entries], g.single) for g in groups] == [
        ("Work", ["First", "Second"], False),
        ("Alone", ["Alone"], True),
        ("Governance", ["Later"], True),
    ]


def test_the_phone_menu_button_controls_the_navigation(login_as, world):
    html = login_as("member").get(f"/p/{world.home.slug}/goals").text
    button = re.search(r"<button [^>]*class=\"nav-toggle\"[^>]*>", html)
    assert button and 'aria-expanded="false"' in button.group(0) and 'aria-controls="workspace-nav"' in button.group(0)
    assert re.search(r'<nav id="workspace-nav"[^>]*aria-label="Partnership"', html)


@pytest.mark.parametrize("role", ROLES)
def test_the_header_does_not_print_the_role(login_as, world, role):
    """Read over a shoulder on a bus, a header saying "Survivor advisor" on every page tells too much."""
    html = login_as(role).get(f"/p/{world.home.slug}/goals").text
    header = html[html.index("<header") : html.index("</header>")]
    for label in ("Coordinator", "Member", "Survivor advisor", "Observer"):
        assert label not in header, (role, label)
