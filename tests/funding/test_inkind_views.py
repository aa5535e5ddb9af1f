"""The in-kind pages: who reads, posts, edits and matches (each role), bad input at the field (422,
nothing written), the match form and its offer picker on a need's page, unmatching, withdrawing and
closing, the htmx results block, the navigation, and another partnership's records (404)."""

from __future__ import annotations

import re

import pytest

from partnership_hub import toolkit
from partnership_hub.funding.inkind_models import NeedStatus, OfferStatus
from tests.funding.inkind_helpers import (
    audit_count,
    make_match,
    make_need,
    make_offer,
    matches_of,
    need_data,
    needs_of,
    offer_data,
    offers_of,
)


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/funding/in-kind"


def posted(**fields) -> dict:
    """What a browser posts for an offer (empty pickers included)."""
    return {**offer_data(), "organization_id": "", **fields}


# --- reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_everyone_reads_offers_and_needs(app, world, login_as, base, role):
    offer_id = make_offer(app, world.home, title="Meeting room", kind="space", hours="", quantity="1 room")
    need_id = make_need(app, world.home, title="A room for the board")
    client = login_as(role)
    offers = client.get(base)
    assert offers.status_code == 200
    assert "Meeting room" in offers.text and "Meeting or office space" in offers.text and "1 room" in offers.text
    assert toolkit.IN_KIND_NOTE in offers.text  # the toolkit's guidance on the page
    needs = client.get(f"{base}/needs")
    assert needs.status_code == 200 and "A room for the board" in needs.text
    assert client.get(f"{base}/offers/{offer_id}").status_code == 200
    need_page = client.get(f"{base}/needs/{need_id}")
    assert need_page.status_code == 200 and "A room for the board" in need_page.text
    may_post = role != "observer"
    assert ("Offer something" in offers.text) is may_post
    assert ("Match an offer to this need" in need_page.text) is (role == "coordinator")


def test_the_navigation_marks_in_kind_resources(app, world, login_as, base):
    need_id = make_need(app, world.home)
    client = login_as("member")
    for path in ("", "/needs", f"/needs/{need_id}", "/offers/new", "/needs/new"):
        page = client.get(f"{base}{path}").text
        assert re.search(r'<a href="[^"]*/funding/in-kind" aria-current="page">In-kind resources</a>', page), path


def test_filters_narrow_the_list_and_htmx_gets_the_results_block(app, world, login_as, base):
    make_offer(app, world.home, title="Meeting room", kind="space", hours="", quantity="1 room")
    make_offer(app, world.home, title="Legal hours", kind="skills")
    client = login_as("member")
    page = client.get(f"{base}?kind=space").text
    assert "Meeting room" in page and "Legal hours" not in page
    assert "Legal hours" in client.get(f"{base}?q=legal").text
    assert "No offers match these filters" in client.get(f"{base}?status=used_up").text
    partial = client.get(f"{base}?kind=skills", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text and "Legal hours" in partial.text
    assert partial.headers["HX-Push-Url"].endswith("/funding/in-kind?kind=skills")
    assert client.get(f"{base}?kind=%00&status=x&page=999999999999").status_code == 200


# --- posting -----------------------------------------------------------------------------------------


def test_a_member_posts_an_offer_and_a_need(app, world, login_as, base):
    client = login_as("member")
    assert client.get(f"{base}/offers/new").status_code == 200
    response = client.post(f"{base}/offers/new", data=posted(title="Student placements", kind="student_placement"))
    assert response.status_code == 302
    [offer] = offers_of(app, world.home)
    assert response.headers["Location"].endswith(f"/funding/in-kind/offers/{offer.id}")
    assert offer.offered_by_membership_id == world.home.membership_ids["member"]
    page = client.get(response.headers["Location"]).text
    assert "Student placements" in page and "is posted" in page and "40 hours" in page
    response = client.post(f"{base}/needs/new", data=need_data(title="Interpreters", needed_by=""))
    assert response.status_code == 302
    assert [n.title for n in needs_of(app, world.home)] == ["Interpreters"]


def test_observers_read_but_post_nothing(app, world, login_as, base):
    need_id, offer_id = make_need(app, world.home), make_offer(app, world.home)
    client = login_as("observer")
    for path in ("/offers/new", "/needs/new", f"/offers/{offer_id}/edit", f"/needs/{need_id}/edit"):
        assert client.get(f"{base}{path}").status_code == 403, path
    assert client.post(f"{base}/offers/new", data=posted()).status_code == 403
    assert client.post(f"{base}/needs/new", data=need_data()).status_code == 403
    assert client.post(f"{base}/offers/{offer_id}/withdraw").status_code == 403
    assert client.post(f"{base}/needs/{need_id}/matches", data={"offer_id": offer_id}).status_code == 403
    assert len(offers_of(app, world.home)) == 1 and matches_of(app, world.home) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": ""}, "Choose what kind of resource it is."),
        ({"title": ""}, "Give the offer a short title"),
        ({"title": "x" * 201}, "Use at most 200 characters."),
        ({"hours": "", "quantity": ""}, "Say how much"),
        ({"hours": "-3"}, "Enter the hours as a number"),
        ({"hours": "abc"}, "Enter the hours as a number"),
        ({"available_from": "2026-06-02", "available_until": "2026-06-01"}, "on or after the first day"),
        ({"available_until": "31/12/2026"}, "Enter a date like 2026-03-31."),
        ({"available_from": "9999-12-31"}, "Enter a date between 1900 and 2200."),
        ({"organization_id": "abc"}, "Choose an organization from the list."),
        ({"description": "x" * 4001}, "Use at most 4000 characters."),
    ],
)
def test_bad_offers_are_a_422_at_the_field_and_nothing_is_written(app, world, login_as, base, change, message):
    before = audit_count(app, world.home)
    response = login_as("member").post(f"{base}/offers/new", data=posted(**change))
    assert response.status_code == 422
    assert message in response.text and 'class="field-error"' in response.text
    assert offers_of(app, world.home) == [] and audit_count(app, world.home) == before


def test_a_member_cannot_name_someone_else_as_offering(app, world, login_as, base):
    someone = str(world.home.membership_ids["coordinator"])
    response = login_as("member").post(f"{base}/offers/new", data=posted(offered_by_membership_id=someone))
    assert response.status_code == 422 and "You can offer on your own behalf" in response.text
    assert offers_of(app, world.home) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the need a short title"),
        ({"details": ""}, "Say what is needed"),
        ({"kind": "money"}, "Choose what kind of resource it is."),
        ({"needed_by": "2001-01-01"}, "That day has passed"),
        ({"needed_by": "tomorrow"}, "Enter a date like 2026-03-31."),
    ],
)
def test_bad_needs_are_a_422_at_the_field_and_nothing_is_written(app, world, login_as, base, change, message):
    response = login_as("survivor_advisor").post(f"{base}/needs/new", data=need_data(**change))
    assert response.status_code == 422 and message in response.text and 'class="field-error"' in response.text
    assert needs_of(app, world.home) == []


# --- changing: one's own, or any for coordinators ----------------------------------------------------


def test_members_change_their_own_and_not_others(app, world, login_as, base):
    mine = make_offer(app, world.home, "member", title="Mine")
    theirs = make_offer(app, world.home, "survivor_advisor", title="Theirs")
    my_need = make_need(app, world.home, "member")
    their_need = make_need(app, world.home, "coordinator")
    client = login_as("member")
    assert client.get(f"{base}/offers/{mine}/edit").status_code == 200
    response = client.post(f"{base}/offers/{mine}/edit", data=posted(title="Mine, renamed", status="in_use"))
    assert response.status_code == 302
    assert client.get(f"{base}/offers/{theirs}/edit").status_code == 403
    assert client.post(f"{base}/offers/{theirs}/edit", data=posted(title="Hijacked")).status_code == 403
    assert client.post(f"{base}/offers/{theirs}/withdraw").status_code == 403
    assert client.post(f"{base}/needs/{their_need}/close").status_code == 403
    assert client.post(f"{base}/needs/{my_need}/edit", data=need_data(title="Renamed", status="met")).status_code == 302
    assert "Edit" not in client.get(f"{base}/offers/{theirs}").text.split("<h1>", 1)[1].split("</div>", 1)[0]
    titles = {o.id: (o.title, o.status) for o in offers_of(app, world.home)}
    assert titles == {mine: ("Mine, renamed", OfferStatus.IN_USE), theirs: ("Theirs", OfferStatus.AVAILABLE)}
    assert {n.id: n.status for n in needs_of(app, world.home)}[my_need] == NeedStatus.MET


def test_a_bad_edit_is_a_422_and_changes_nothing(app, world, login_as, base):
    offer_id = make_offer(app, world.home, "member", title="Kept")
    response = login_as("member").post(f"{base}/offers/{offer_id}/edit", data=posted(title="New", status="matched"))
    assert response.status_code == 422 and "is set when a coordinator matches" in response.text
    assert offers_of(app, world.home)[0].title == "Kept"


def test_coordinators_change_any_and_name_who_offers(app, world, login_as, base):
    offer_id = make_offer(app, world.home, "member")
    need_id = make_need(app, world.home, "member")
    client = login_as("coordinator")
    form = client.get(f"{base}/offers/{offer_id}/edit").text
    assert 'name="offered_by_membership_id"' in form and 'name="used_by_organization_id"' in form
    advisor = world.home.membership_ids["survivor_advisor"]
    response = client.post(f"{base}/offers/{offer_id}/edit", data=posted(offered_by_membership_id=str(advisor)))
    assert response.status_code == 302
    assert offers_of(app, world.home)[0].offered_by_membership_id == advisor
    assert client.post(f"{base}/needs/{need_id}/close").status_code == 302
    assert needs_of(app, world.home)[0].status == NeedStatus.CLOSED
    assert 'name="offered_by_membership_id"' not in login_as("member").get(f"{base}/offers/new").text


def test_withdrawing_from_the_offer_page(app, world, login_as, base):
    offer_id = make_offer(app, world.home, "member", title="Boxes")
    client = login_as("member")
    response = client.post(f"{base}/offers/{offer_id}/withdraw", follow_redirects=True)
    assert response.status_code == 200 and "“Boxes” was withdrawn" in response.text
    assert offers_of(app, world.home)[0].status == OfferStatus.WITHDRAWN
    assert client.post(f"{base}/offers/{offer_id}/withdraw").status_code == 302  # again: nothing to do


# --- matching ----------------------------------------------------------------------------------------


def test_a_coordinator_matches_from_the_need_page_and_unmatches(app, world, login_as, base):
    offer_id = make_offer(app, world.home, "member", title="Church hall")
    need_id = make_need(app, world.home, "member", title="Room for the board")
    client = login_as("coordinator")
    page = client.get(f"{base}/needs/{need_id}").text
    assert "Church hall" in page.split('id="offer_id"', 1)[1]  # the picker offers it
    response = client.post(f"{base}/needs/{need_id}/matches", data={"offer_id": str(offer_id), "note": "Tuesdays"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/needs/{need_id}#matches")
    page = client.get(f"{base}/needs/{need_id}").text
    assert "which is now met" in page and "Tuesdays" in page and "Remove this match" in page
    assert "Room for the board" in client.get(f"{base}/offers/{offer_id}").text  # the offer's side
    [match] = matches_of(app, world.home)
    member_view = login_as("member").get(f"{base}/needs/{need_id}").text
    assert "Church hall" in member_view and "Remove this match" not in member_view
    assert login_as("member").post(f"{base}/matches/{match.id}/remove").status_code == 403
    response = client.post(f"{base}/matches/{match.id}/remove", follow_redirects=True)
    assert "The offer is available again. The need is open again." in response.text
    assert matches_of(app, world.home) == []
    assert (offers_of(app, world.home)[0].status, needs_of(app, world.home)[0].status) == (
        OfferStatus.AVAILABLE,
        NeedStatus.OPEN,
    )


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        ("", "Choose the offer that meets this need."),
        ("abc", "Choose the offer that meets this need."),
        ("999999", "Choose an offer from the list."),
        ("matched", "matched to this need already"),
        ("withdrawn", "was withdrawn"),
    ],
)
def test_a_bad_match_is_a_422_on_the_need_page(app, world, login_as, base, offer, message):
    matched, withdrawn = make_offer(app, world.home), make_offer(app, world.home)
    need_id = make_need(app, world.home)
    make_match(app, world.home, matched, need_id, more_needed=True)
    client = login_as("coordinator")
    client.post(f"{base}/offers/{withdrawn}/withdraw")
    value = {"matched": str(matched), "withdrawn": str(withdrawn)}.get(offer, offer)
    response = client.post(f"{base}/needs/{need_id}/matches", data={"offer_id": value, "note": "x"})
    assert response.status_code == 422 and message in response.text and 'class="field-error"' in response.text
    assert len(matches_of(app, world.home)) == 1


def test_a_closed_need_has_no_match_form_and_refuses_a_match(app, world, login_as, base):
    need_id, offer_id = make_need(app, world.home), make_offer(app, world.home)
    client = login_as("coordinator")
    client.post(f"{base}/needs/{need_id}/close")
    assert "Match an offer to this need" not in client.get(f"{base}/needs/{need_id}").text
    response = client.post(f"{base}/needs/{need_id}/matches", data={"offer_id": str(offer_id)})  # an old page
    assert response.status_code == 422 and "This need is closed" in response.text
    assert matches_of(app, world.home) == []


def test_the_offer_picker_searches_for_coordinators_only(app, world, login_as, base):
    make_offer(app, world.home, title="Church hall")
    make_offer(app, world.home, title="Legal hours")
    need_id = make_need(app, world.home)
    url = f"{base}/pick/offers?field=offer_id&offer_id__q=hall&need={need_id}"
    options = login_as("coordinator").get(url)
    assert options.status_code == 200 and "Church hall" in options.text and "Legal hours" not in options.text
    assert login_as("member").get(url).status_code == 403
    assert login_as("coordinator").get(f"{base}/pick/offers?field=offer_id&need=abc").status_code == 200


# --- other partnerships ------------------------------------------------------------------------------


def test_another_partnerships_records_are_404(app, world, login_as, base):
    offer_id, need_id = make_offer(app, world.other), make_need(app, world.other)
    match_id = make_match(app, world.other, offer_id, need_id)
    client = login_as("coordinator")
    for path in (f"/offers/{offer_id}", f"/offers/{offer_id}/edit", f"/needs/{need_id}", f"/needs/{need_id}/edit"):
        assert client.get(f"{base}{path}").status_code == 404, path
    for path in (f"/offers/{offer_id}/withdraw", f"/needs/{need_id}/close", f"/matches/{match_id}/remove"):
        assert client.post(f"{base}{path}").status_code == 404, path
    mine = make_offer(app, world.home)
    assert client.post(f"{base}/needs/{need_id}/matches", data={"offer_id": str(mine)}).status_code == 404
    outsider = login_as(world.other.members["coordinator"])
    assert outsider.get(base).status_code == 404
    assert len(matches_of(app, world.other)) == 1 and offers_of(app, world.other)[0].status == OfferStatus.MATCHED
