"""The resource map pages: adding, reading, editing and removing; search, filters and pages; who may
do what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.resources.services import PAGE_SIZE
from partnership_hub.workspaces.models import Membership
from tests.resources.conftest import VALID, add_resources, audit_of, resources_of


def names_in(html: str) -> list[str]:
    """Organization names in the results table, in order."""
    return re.findall(r'<th scope="row" role="rowheader" class="cell-wrap">\s*<a href="[^"]+">([^<]+)</a>', html)


# --- create, read, update, delete ---------------------------------------------------------------


def test_coordinator_adds_a_resource_and_sees_it(app, world, login_as, base):
    client = login_as("coordinator")
    assert client.get(f"{base}/new").status_code == 200

    response = client.post(f"{base}/new", data=VALID)
    assert response.status_code == 302
    [row] = resources_of(app, world.home)
    assert row["organization_name"] == "Safe Harbor Shelter"
    assert row["service_type"] == "shelter"
    assert row["trafficking_specific"] is True
    assert row["partnership_id"] == world.home.id
    assert response.headers["Location"].endswith(f"/resources/{row['id']}")

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "<h1>Safe Harbor Shelter</h1>" in page.text
    assert "Emergency shelter" in page.text
    assert 'href="https://safeharbor.example.org/"' in page.text


def test_unticked_checkbox_means_not_trafficking_specific(app, world, login_as, base):
    data = {**VALID}
    del data["trafficking_specific"]
    assert login_as().post(f"{base}/new", data=data).status_code == 302
    assert resources_of(app, world.home)[0]["trafficking_specific"] is False


def test_edit_changes_the_fields_and_shows_current_values(app, world, login_as, base):
    [rid] = add_resources(app, world.home, {"organization_name": "Old Name", "service_type": "legal"})
    client = login_as()
    form = client.get(f"{base}/{rid}/edit")
    assert form.status_code == 200
    assert 'value="Old Name"' in form.text
    assert re.search(r'<option selected value="legal">|<option value="legal" selected', form.text)

    response = client.post(f"{base}/{rid}/edit", data={**VALID, "organization_name": "New Name"})
    assert response.status_code == 302
    [row] = resources_of(app, world.home)
    assert row["organization_name"] == "New Name"
    assert row["service_type"] == "shelter"


def test_delete_asks_first_without_javascript_then_removes(app, world, login_as, base):
    [rid, keep] = add_resources(app, world.home, {"organization_name": "Gone"}, {"organization_name": "Kept"})
    client = login_as()
    confirm = client.get(f"{base}/{rid}/delete")
    assert confirm.status_code == 200
    assert "Remove Gone?" in confirm.text
    assert f'action="{base}/{rid}/delete"' in confirm.text
    assert len(resources_of(app, world.home)) == 2  # asking removes nothing

    response = client.post(f"{base}/{rid}/delete")
    assert response.status_code == 302
    assert [r["id"] for r in resources_of(app, world.home)] == [keep]
    assert "Gone was removed" in client.get(response.headers["Location"]).text


def test_delete_over_htmx_redirects_the_page(app, world, login_as, base):
    [rid] = add_resources(app, world.home, {"organization_name": "Gone"})
    response = login_as().post(f"{base}/{rid}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == base
    assert resources_of(app, world.home) == []


def test_detail_page_offers_htmx_confirmation_and_a_plain_link(app, world, login_as, base):
    [rid] = add_resources(app, world.home, {"organization_name": "Shelter"})
    html = login_as().get(f"{base}/{rid}").text
    assert f'href="{base}/{rid}/delete" hx-post="{base}/{rid}/delete"' in html
    assert 'hx-confirm="Remove Shelter from the resource map?' in html


def test_writes_are_audited_with_ids_and_keys_only(app, world, login_as, base):
    client = login_as()
    client.post(f"{base}/new", data=VALID)
    [row] = resources_of(app, world.home)
    client.post(f"{base}/{row['id']}/edit", data={**VALID, "hours": "Mon–Fri", "contact": "x@example.org"})
    client.post(f"{base}/{row['id']}/edit", data={**VALID, "hours": "Mon–Fri", "contact": "x@example.org"})
    client.post(f"{base}/{row['id']}/delete")

    assert audit_of(app, world.home) == [
        ("resource.created", "community_resource", row["id"], {"service_type": "shelter"}),
        ("resource.updated", "community_resource", row["id"], {"fields": ["contact", "hours"]}),
        # the second, identical edit changed nothing and recorded nothing
        ("resource.deleted", "community_resource", row["id"], {"service_type": "shelter"}),
    ]


def test_activity_log_names_resource_actions(app, world, login_as, base):
    client = login_as()
    client.post(f"{base}/new", data=VALID)
    activity = client.get(f"/p/{world.home.slug}/activity").text
    assert "added a service to the resource map" in activity
    assert "resource.created" not in activity


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_people_without_directory_edit_read_but_cannot_change(app, world, login_as, base, role):
    [rid] = add_resources(app, world.home, {"organization_name": "Read Only Org"})
    client = login_as(role)
    listing = client.get(base)
    assert listing.status_code == 200
    assert "Read Only Org" in listing.text
    assert "Add a service" not in listing.text
    detail = client.get(f"{base}/{rid}")
    assert detail.status_code == 200
    assert "/edit" not in detail.text and "hx-post" not in detail.text
    assert client.get(f"{base}.csv").status_code == 200

    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new", data=VALID).status_code == 403
    assert client.get(f"{base}/{rid}/edit").status_code == 403
    assert client.post(f"{base}/{rid}/edit", data=VALID).status_code == 403
    assert client.get(f"{base}/{rid}/delete").status_code == 403
    assert client.post(f"{base}/{rid}/delete").status_code == 403
    assert [r["organization_name"] for r in resources_of(app, world.home)] == ["Read Only Org"]
    assert audit_of(app, world.home) == []


def test_member_made_directory_editor_may_edit(app, world, login_as, base):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            update(Membership).where(Membership.id == world.home.membership_ids["member"]).values(directory_editor=True)
        )
        db.session.commit()
    client = login_as("member")
    assert "Add a service" in client.get(base).text
    assert client.post(f"{base}/new", data=VALID).status_code == 302
    [row] = resources_of(app, world.home)
    assert client.post(f"{base}/{row['id']}/edit", data={**VALID, "hours": "Weekdays"}).status_code == 302
    assert client.post(f"{base}/{row['id']}/delete").status_code == 302
    assert resources_of(app, world.home) == []


def test_observer_with_directory_editor_flag_still_cannot_edit(app, world, login_as, base):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            update(Membership)
            .where(Membership.id == world.home.membership_ids["observer"])
            .values(directory_editor=True)
        )
        db.session.commit()
    assert login_as("observer").post(f"{base}/new", data=VALID).status_code == 403
    assert resources_of(app, world.home) == []


def test_observers_do_not_see_contact_details(app, world, login_as, base):
    [rid] = add_resources(app, world.home, {"organization_name": "Org", "contact": "intake@secret.example.org"})
    for role, visible in (("observer", False), ("member", True), ("survivor_advisor", True)):
        client = login_as(role)
        assert ("intake@secret.example.org" in client.get(base).text) is visible, role
        assert ("intake@secret.example.org" in client.get(f"{base}/{rid}").text) is visible, role
        assert ("intake@secret.example.org" in client.get(f"{base}.csv").text) is visible, role


def test_outsiders_get_404_and_cannot_reach_records(app, world, base):
    from tests.factories import sign_in

    [rid] = add_resources(app, world.home, {"organization_name": "Private Org"})
    outsider = app.test_client()
    sign_in(outsider, app, world.other.members["coordinator"])
    for path in ("", ".csv", "/new", f"/{rid}", f"/{rid}/edit", f"/{rid}/delete"):
        assert outsider.get(f"{base}{path}").status_code == 404, path
    assert outsider.post(f"{base}/{rid}/delete").status_code == 404
    # under their own slug the other partnership's id does not exist either
    own = f"/p/{world.other.slug}/resources"
    for path in (f"/{rid}", f"/{rid}/edit", f"/{rid}/delete"):
        assert outsider.get(f"{own}{path}").status_code == 404, path
    assert outsider.post(f"{own}/{rid}/edit", data=VALID).status_code == 404
    assert outsider.post(f"{own}/{rid}/delete").status_code == 404
    assert "Private Org" not in outsider.get(own).text
    assert "Private Org" not in outsider.get(f"{own}.csv").text
    assert [r["organization_name"] for r in resources_of(app, world.home)] == ["Private Org"]


def test_anonymous_visitors_are_sent_to_sign_in(app, world, base):
    response = app.test_client().get(base)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_navigation_shows_the_resource_map_to_every_role(app, world, login_as, base):
    for role in ("coordinator", "member", "survivor_advisor", "observer"):
        html = login_as(role).get(f"/p/{world.home.slug}/").text
        assert f'href="{base}"' in html and "Resource map" in html, role


# --- search, filters, pages ---------------------------------------------------------------------


@pytest.fixture
def directory(app, world):
    return add_resources(
        app,
        world.home,
        {"organization_name": "Alpha Legal Aid", "service_type": "legal", "languages": "English, Spanish"},
        {
            "organization_name": "Bravo Shelter",
            "service_type": "shelter",
            "languages": "English",
            "trafficking_specific": True,
            "area_served": "Boulder County",
        },
        {
            "organization_name": "Charlie Clinic",
            "service_type": "medical",
            "languages": "Vietnamese, English",
            "notes": "Walk-ins 100% welcome",
        },
        {"organization_name": "Delta Hotline", "service_type": "hotline", "trafficking_specific": True},
    )


def test_list_shows_everything_sorted_by_name(login_as, base, directory):
    html = login_as().get(base).text
    assert names_in(html) == ["Alpha Legal Aid", "Bravo Shelter", "Charlie Clinic", "Delta Hotline"]
    assert html.count("<h1>") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "shelter"}, ["Bravo Shelter"]),  # name, case-insensitive
        ({"q": "boulder"}, ["Bravo Shelter"]),  # area served
        ({"q": "vietnam"}, ["Charlie Clinic"]),  # languages
        ({"q": "100%"}, ["Charlie Clinic"]),  # LIKE wildcards are taken literally
        ({"q": "legal services"}, ["Alpha Legal Aid"]),  # the service type's label
        ({"q": "nothing like this"}, []),
        ({"service_type": "medical"}, ["Charlie Clinic"]),
        ({"service_type": "no-such-type"}, ["Alpha Legal Aid", "Bravo Shelter", "Charlie Clinic", "Delta Hotline"]),
        ({"language": "span"}, ["Alpha Legal Aid"]),
        ({"trafficking": "1"}, ["Bravo Shelter", "Delta Hotline"]),
        ({"trafficking": "1", "language": "english"}, ["Bravo Shelter"]),
    ],
)
def test_search_and_filters(login_as, base, directory, query, expected):
    response = login_as().get(base, query_string=query)
    assert response.status_code == 200
    assert names_in(response.text) == expected


def test_no_matches_says_so(login_as, base, directory):
    assert "No services match this search" in login_as().get(base, query_string={"q": "zzz"}).text


def test_htmx_search_gets_only_the_results_block(login_as, base, directory):
    client = login_as()
    response = client.get(base, query_string={"q": "clinic"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<h1>" not in response.text
    assert response.text.lstrip().startswith('<section id="resource-results"')
    assert names_in(response.text) == ["Charlie Clinic"]
    assert 'id="results-status" hx-swap-oob="innerHTML"' in response.text
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == f"{base}?q=clinic"  # without the form's empty fields

    plain = client.get(base, query_string={"q": "clinic"})
    assert "<html" in plain.text and "<h1>Resource map</h1>" in plain.text
    assert 'id="resource-results"' in plain.text
    assert 'value="clinic"' in plain.text  # the search box keeps what was typed
    assert "hx-swap-oob" not in plain.text


def test_going_back_to_a_pushed_url_gets_the_whole_page(login_as, base, directory):
    response = login_as().get(
        base, query_string={"q": "clinic"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text and "<h1>Resource map</h1>" in response.text


def test_search_box_is_wired_for_htmx(login_as, base):
    html = login_as().get(base).text
    search = re.search(r'<input type="search" id="q"[^>]*>', html, re.S).group(0)
    assert f'hx-get="{base}"' in search
    assert 'hx-trigger="input changed delay:300ms, search"' in search
    assert 'hx-target="#resource-results"' in search
    assert 'hx-push-url="true"' in search
    assert re.search(rf'<form method="get" action="{base}"', html)  # works without JavaScript


def page_links(html: str) -> list[str]:
    """The page numbers the pagination control offers."""
    return re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', html)


def current_page(html: str) -> str:
    return re.search(r'aria-current="page"><span class="visually-hidden">Page </span>(\d+)</a>', html).group(1)


def test_pagination_links_work_and_keep_filters(app, world, login_as, base):
    count = PAGE_SIZE + 3
    add_resources(
        app,
        world.home,
        *({"organization_name": f"Org {n:03d}", "service_type": "legal"} for n in range(count)),
        {"organization_name": "Unrelated", "service_type": "shelter"},
    )
    client = login_as()
    first = client.get(base, query_string={"service_type": "legal"}).text
    assert names_in(first) == [f"Org {n:03d}" for n in range(PAGE_SIZE)]
    assert page_links(first) == ["1", "2"] and current_page(first) == "1"
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first).group(1)
    next_link = next_link.replace("&amp;", "&")
    assert "service_type=legal" in next_link and "page=2" in next_link

    second = client.get(next_link).text
    assert names_in(second) == [f"Org {n:03d}" for n in range(PAGE_SIZE, count)]
    assert 'rel="prev"' in second and 'rel="next"' not in second

    htmx = client.get(next_link, headers={"HX-Request": "true"}).text
    assert "<html" not in htmx and names_in(htmx) == names_in(second)

    # out-of-range and malformed page numbers land on a real page
    assert names_in(client.get(base, query_string={"service_type": "legal", "page": "99"}).text) == names_in(second)
    assert names_in(client.get(base, query_string={"service_type": "legal", "page": "x"}).text) == names_in(first)
