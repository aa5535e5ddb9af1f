"""The requests pages: asking the board (the at-capacity answer), bad input at the field (422, nothing
written), answering from the inbox or the request's page, the monthly limit, who sees which page and which
names, "Your work" on the home, and another partnership's records (404)."""

from __future__ import annotations

import pytest

from partnership_hub.advisory import requests as participation
from partnership_hub.advisory.requests_models import RequestStatus
from tests import factories
from tests.advisory.requests_helpers import (
    SECOND,
    answer,
    board,
    count_deliveries,
    deliveries_of,
    delivery_id,
    file,
    form,
    requests_of,
    set_limit,
)


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/advisory/requests"


@pytest.fixture
def seated(app, world):
    board(app, world)
    return world


def test_a_member_asks_the_board_and_follows_the_request(app, seated, login_as, base):
    client = login_as("member")
    assert client.get(f"{base}/new").status_code == 200
    response = client.post(f"{base}/new", data=form(title="Panel at the library"))
    assert response.status_code == 302
    [request] = requests_of(app, seated.home)
    assert response.headers["Location"].endswith(f"/advisory/requests/{request.id}")
    page = client.get(response.headers["Location"])
    assert "reached the board&#39;s members who have room" in page.text
    assert "Panel at the library" in page.text and "USD 150.00" in page.text and "2 hours" in page.text
    listing = client.get(base).text
    assert "Panel at the library" in listing and "Waiting for answers" in listing and "0 of 1 accepted" in listing


def test_at_capacity_the_requester_is_told_and_nothing_is_delivered(app, seated, login_as, base):
    set_limit(app, seated, "survivor_advisor", 0)
    set_limit(app, seated, SECOND, 0)
    client = login_as("member")
    assert participation.AT_CAPACITY_MESSAGE in client.get(f"{base}/new").text  # said before typing, too
    response = client.post(f"{base}/new", data=form(), follow_redirects=True)
    assert response.status_code == 200
    assert "The board is at capacity this month — try again next month, or talk to a coordinator." in response.text
    assert requests_of(app, seated.home)[0].status == RequestStatus.AT_CAPACITY
    assert count_deliveries(app, seated.home) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the request a short title"),
        ({"hours": "45"}, "more than 0 and at most 40 hours"),
        ({"hours": "-1"}, "as a number"),
        ({"needed_on": "2001-01-01"}, "has passed"),
        ({"needed_on": "9999-01-01"}, "between 1900 and 2200"),
        ({"pay_amount": "abc"}, "like 150"),
        ({"pay_currency": "ZZZ"}, "Choose a currency"),
        ({"advisors_wanted": "9"}, "from 1 to 5"),
        ({"kind": ""}, "Choose what you are asking for"),
        ({"ask": "x" * 4001}, "Use at most 4000 characters."),
    ],
)
def test_bad_input_is_a_422_at_the_field_and_nothing_is_written(app, seated, login_as, base, change, message):
    response = login_as("member").post(f"{base}/new", data=form(**change))
    assert response.status_code == 422 and message in response.text
    assert 'class="field-error"' in response.text or 'class="field field-invalid"' in response.text
    assert requests_of(app, seated.home) == [] and count_deliveries(app, seated.home) == 0
    assert factories.outbox(app, kind="advisory_request") == []


def test_an_advisor_answers_from_the_inbox(app, seated, login_as, base):
    request_id = file(app, seated, title="Talk for new staff", ask="Twenty minutes on what helped.")
    advisor = login_as("survivor_advisor")
    inbox = advisor.get(f"{base}/inbox")
    assert inbox.status_code == 200
    assert "Talk for new staff" in inbox.text and "Twenty minutes on what helped." in inbox.text
    assert seated.user("member").name in inbox.text  # who is asking
    mine = delivery_id(app, seated, "survivor_advisor", request_id)
    response = advisor.post(f"{base}/deliveries/{mine}/answer", data={"answer": "accept", "note": "Call me."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/advisory/requests/inbox")
    assert deliveries_of(app, seated.home, request_id)[seated.home.membership_ids["survivor_advisor"]] == "accepted"
    after = advisor.get(f"{base}/inbox").text
    assert "Nothing is waiting for your answer." in after and "accepted on" in after

    page = login_as("member").get(f"{base}/{request_id}").text  # the requester sees who accepted
    assert seated.user("survivor_advisor").name in page and "Call me." in page


def test_a_refused_answer_is_shown_on_the_request_page(app, seated, login_as, base):
    request_id = file(app, seated)
    mine = delivery_id(app, seated, "survivor_advisor", request_id)
    advisor = login_as("survivor_advisor")
    response = advisor.post(f"{base}/deliveries/{mine}/answer", data={"answer": "later"})
    assert response.status_code == 422 and "Choose Accept or Decline." in response.text
    response = advisor.post(f"{base}/deliveries/{mine}/answer", data={"answer": "accept", "note": "x" * 1001})
    assert response.status_code == 422 and "Use at most 1000 characters." in response.text
    assert set(deliveries_of(app, seated.home, request_id).values()) == {"pending"}
    advisor.post(f"{base}/deliveries/{mine}/answer", data={"answer": "decline"})
    again = advisor.post(f"{base}/deliveries/{mine}/answer", data={"answer": "accept"})
    assert again.status_code == 422 and "You have answered this request already." in again.text


def test_the_requester_never_learns_who_declined(app, seated, login_as, base):
    request_id = file(app, seated, advisors_wanted="2")
    answer(app, seated, SECOND, request_id, "decline", note="Not now.")
    answer(app, seated, "survivor_advisor", request_id, "accept")
    page = login_as("member").get(f"{base}/{request_id}").text
    assert seated.home.members[SECOND].name not in page
    assert "An advisor" in page and "Not now." in page and seated.user("survivor_advisor").name in page
    overview = login_as("coordinator").get(f"{base}/{request_id}").text  # coordinators see who, not notes
    assert seated.home.members[SECOND].name in overview and "Not now." not in overview


def test_only_those_involved_open_a_request(app, seated, login_as, base):
    request_id = file(app, seated, who="coordinator")
    assert login_as("coordinator").get(f"{base}/{request_id}").status_code == 200
    assert login_as("survivor_advisor").get(f"{base}/{request_id}").status_code == 200  # it reached them
    assert login_as("member").get(f"{base}/{request_id}").status_code == 404
    assert login_as("observer").get(f"{base}/{request_id}").status_code == 403


def test_someone_elses_answer_button_is_a_404(app, seated, login_as, base):
    request_id = file(app, seated)
    theirs = delivery_id(app, seated, SECOND, request_id)
    for who in ("survivor_advisor", "coordinator", "member"):
        response = login_as(who).post(f"{base}/deliveries/{theirs}/answer", data={"answer": "accept"})
        assert response.status_code == 404, who
    assert set(deliveries_of(app, seated.home, request_id).values()) == {"pending"}


@pytest.mark.parametrize(
    ("who", "index", "new", "inbox", "overview"),
    [
        ("coordinator", 200, 200, 200, 200),
        ("member", 200, 200, 200, 403),
        ("survivor_advisor", 200, 200, 200, 403),
        ("observer", 403, 403, 403, 403),
    ],
)
def test_pages_per_role(app, seated, login_as, base, who, index, new, inbox, overview):
    client = login_as(who)
    assert client.get(base).status_code == index
    assert client.get(f"{base}/new").status_code == new
    assert client.get(f"{base}/inbox").status_code == inbox
    assert client.get(f"{base}/all").status_code == overview


def test_the_inbox_of_someone_off_the_board_says_so(app, seated, login_as, base):
    page = login_as("member").get(f"{base}/inbox").text
    assert "You do not hold a seat on the board" in page and "How many you take" not in page


def test_a_board_member_sets_their_limit(app, seated, login_as, base):
    advisor = login_as("survivor_advisor")
    response = advisor.post(f"{base}/limit", data={"monthly_limit": "0"}, follow_redirects=True)
    assert "you are not taking requests" in response.text
    for bad in ("21", "lots", ""):
        refused = advisor.post(f"{base}/limit", data={"monthly_limit": bad})
        assert refused.status_code == 422 and "from 0 to 20" in refused.text
    refused = login_as("member").post(f"{base}/limit", data={"monthly_limit": "3"})
    assert refused.status_code == 422 and "Only the people who sit on the board" in refused.text
    assert login_as("observer").post(f"{base}/limit", data={"monthly_limit": "3"}).status_code == 403
    file(app, seated)
    assert set(deliveries_of(app, seated.home)) == {seated.home.membership_ids[SECOND]}


def test_coordinators_see_every_request_and_the_boards_load_in_counts(app, seated, login_as, base):
    set_limit(app, seated, "survivor_advisor", 1)
    file(app, seated, title="First ask")
    file(app, seated, title="Second ask", who="coordinator")
    page = login_as("coordinator").get(f"{base}/all")
    assert page.status_code == 200
    assert "First ask" in page.text and "Second ask" in page.text and seated.user("member").name in page.text
    assert seated.user("survivor_advisor").name in page.text  # coordinators may know who advises
    assert "Full" in page.text  # the chair took their one request this month
    assert "First ask" not in login_as("coordinator").get(f"{base}/all?status=at_capacity").text
    assert "Speak at the library" not in page.text  # counts and titles, never the asks


def test_your_work_lists_requests_waiting_for_an_answer(app, seated, login_as, base):
    request_id = file(app, seated, title="Review of the intake form")
    home = login_as("survivor_advisor").get(f"/p/{seated.home.slug}/").text
    assert "Requests waiting for your answer" in home and "Review of the intake form" in home
    assert f"/advisory/requests/{request_id}#answer" in home
    member_home = login_as("member").get(f"/p/{seated.home.slug}/").text
    assert "Review of the intake form" not in member_home
    assert "Requests waiting for your answer" not in login_as("observer").get(f"/p/{seated.home.slug}/").text
    answer(app, seated, "survivor_advisor", request_id, "accept")
    assert "Review of the intake form" not in login_as("survivor_advisor").get(f"/p/{seated.home.slug}/").text


def test_another_partnerships_requests_are_404(app, seated, login_as, world):
    request_id = file(app, seated)
    mine = delivery_id(app, seated, "survivor_advisor", request_id)
    outsider = login_as(world.other.members["coordinator"])
    other = f"/p/{world.other.slug}/advisory/requests"
    assert outsider.get(f"{other}/{request_id}").status_code == 404
    assert outsider.post(f"{other}/deliveries/{mine}/answer", data={"answer": "accept"}).status_code == 404
    assert outsider.get(f"/p/{world.home.slug}/advisory/requests").status_code == 404
    assert set(deliveries_of(app, seated.home, request_id).values()) == {"pending"}


def test_the_board_home_links_to_requests(app, seated, login_as):
    page = login_as("survivor_advisor").get(f"/p/{seated.home.slug}/advisory").text
    assert "Requests to the board" in page and "/advisory/requests/inbox" in page
    assert "/advisory/requests/inbox" not in login_as("member").get(f"/p/{seated.home.slug}/advisory").text


def test_a_coordinator_on_the_board_answers_on_the_requests_page(app, seated, login_as, base):
    factories.seat_on_board(app, seated.home, "coordinator")
    request_id = file(app, seated)
    page = login_as("coordinator").get(f"{base}/{request_id}").text
    assert 'name="answer" value="accept"' in page  # their own answer...
    assert seated.home.members[SECOND].name in page  # ...and, as a coordinator, everyone's
