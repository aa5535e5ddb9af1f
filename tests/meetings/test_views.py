"""The meetings pages: the list, scheduling and editing forms (422s for bad input, nothing written),
cancelling, permissions per role, and what each role may see of advisory meetings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnership_hub.db import utcnow
from tests.factories import seat_on_board
from tests.meetings.conftest import rows, schedule, series_of

SOON = (utcnow() + timedelta(days=9)).date().isoformat()


def post_form(**overrides) -> dict:
    return {
        "title": "Planning team check-in",
        "kind": "planning_team",
        "date": SOON,
        "start_time": "09:30",
        "end_time": "10:15",
        "location": "",
        "online_url": "https://meet.example.org/planning",
        "facilitator_membership_id": "",
        "note_taker_membership_id": "",
        "confidentiality": "",
        "repeat": "none",
        "repeat_until": "",
        "repeat_count": "",
    } | overrides


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_everyone_reads_the_list_and_a_workspace_meeting(login_as, app, home, base, role):
    meeting_id = schedule(app, home, date=SOON, title="Open meeting")
    client = login_as(role)
    listing = client.get(base)
    assert listing.status_code == 200 and "Open meeting" in listing.text
    page = client.get(f"{base}/{meeting_id}")
    assert page.status_code == 200
    for heading in ("Agenda", "Attendance", "Minutes", "Action items"):
        assert f">{heading}</h2>" in page.text
    assert ("Schedule a meeting" in listing.text) == (role == "coordinator")


def test_a_coordinator_schedules_a_meeting(login_as, app, home, base):
    client = login_as("coordinator")
    assert client.get(f"{base}/new").status_code == 200
    response = client.post(f"{base}/new", data=post_form())
    [meeting] = rows(app, home)
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/{meeting.id}"
    assert (meeting.title, meeting.online_url, meeting.time_zone) == (
        "Planning team check-in",
        "https://meet.example.org/planning",
        "America/Denver",
    )


def test_a_coordinator_schedules_a_series(login_as, app, home, base):
    response = login_as("coordinator").post(f"{base}/new", data=post_form(repeat="monthly_by_date", repeat_count="5"))
    assert response.status_code == 302
    assert len(rows(app, home)) == 5 and len(series_of(app, home)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "09:00"}, "must end after it starts"),
        ({"online_url": "javascript:alert(1)"}, "starting with https://"),
        ({"repeat": "FREQ=SECONDLY"}, "Choose how the meeting repeats"),
        ({"start_time": "9 o'clock"}, "hours and minutes"),
    ],
)
def test_bad_input_is_answered_at_the_field_with_422_and_nothing_written(login_as, app, home, base, overrides, message):
    response = login_as("coordinator").post(f"{base}/new", data=post_form(**overrides))
    assert response.status_code == 422
    assert message in response.text and 'aria-invalid="true"' in response.text
    assert rows(app, home) == []


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_schedule(login_as, app, home, base, role):
    client = login_as(role)
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new", data=post_form()).status_code == 403
    assert rows(app, home) == []


def test_the_facilitator_edits_and_cancels_their_meeting_and_other_members_may_not(login_as, app, home, base):
    meeting_id = schedule(app, home, date=SOON, facilitator_membership_id=str(home.membership_ids["member"]))
    advisor = login_as("survivor_advisor")
    assert advisor.get(f"{base}/{meeting_id}/edit").status_code == 403
    assert advisor.post(f"{base}/{meeting_id}/cancel", data={"scope": "one"}).status_code == 403
    member = login_as("member")
    assert member.get(f"{base}/{meeting_id}/edit").status_code == 200
    data = post_form(title="Renamed", date=SOON, facilitator_membership_id=str(home.membership_ids["member"]))
    assert member.post(f"{base}/{meeting_id}/edit", data=data).status_code == 302
    assert rows(app, home)[0].title == "Renamed"
    assert member.post(f"{base}/{meeting_id}/cancel", data={"scope": "one"}).status_code == 302
    assert rows(app, home)[0].cancelled
    listing = member.get(base).text
    assert "Renamed" in listing and "Cancelled" in listing


def test_editing_with_bad_input_changes_nothing(login_as, app, home, base):
    meeting_id = schedule(app, home, date=SOON)
    before = rows(app, home)
    response = login_as("coordinator").post(f"{base}/{meeting_id}/edit", data=post_form(end_time="08:00"))
    assert response.status_code == 422
    assert [(m.title, m.starts_at, m.version) for m in rows(app, home)] == [
        (m.title, m.starts_at, m.version) for m in before
    ]


def test_the_edit_page_of_an_occurrence_offers_this_or_following(login_as, app, home, base):
    meeting_id = schedule(app, home, date=SOON, repeat="weekly:2")
    page = login_as("coordinator").get(f"{base}/{meeting_id}/edit?scope=following")
    assert page.status_code == 200
    assert "This and all following meetings" in page.text
    assert 'value="following" checked' in page.text


@pytest.mark.parametrize(
    ("role", "seated", "sees"),
    [
        ("survivor_advisor", True, True),
        ("coordinator", True, True),  # a coordinator who sits on the board
        ("coordinator", False, False),  # the board keeps coordinators out by default
        ("survivor_advisor", False, False),  # the role alone admits nobody
        ("member", False, False),
        ("observer", False, False),
    ],
)
def test_advisory_meetings_are_seen_only_by_the_board(login_as, app, home, base, role, seated, sees):
    meeting_id = schedule(app, home, date=SOON, kind="advisory_board", title="Shelter concerns session")
    if seated:
        seat_on_board(app, home, role)
    client = login_as(role)
    assert ("Shelter concerns session" in client.get(base).text) == sees
    assert client.get(f"{base}/{meeting_id}").status_code == (200 if sees else 404)
    assert ("Shelter concerns session" in client.get(f"{base}?kind=advisory_board").text) == sees


def test_a_coordinator_not_on_the_board_who_schedules_its_meeting_goes_back_to_the_list(login_as, app, home, base):
    client = login_as("coordinator")
    response = client.post(f"{base}/new", data=post_form(title="Board session", kind="advisory_board"))
    [meeting] = rows(app, home)
    assert meeting.confidentiality == "advisory"
    assert response.status_code == 302 and response.headers["Location"] == base
    assert "you are not among them" in client.get(base).text
    assert client.get(f"{base}/{meeting.id}").status_code == 404


def test_observers_read_workspace_meetings_only(login_as, app, home, base):
    open_id = schedule(app, home, date=SOON, title="Everyone")
    closed_id = schedule(app, home, date=SOON, title="Leaders", confidentiality="leadership")
    observer = login_as("observer")
    assert observer.get(f"{base}/{open_id}").status_code == 200
    assert observer.get(f"{base}/{closed_id}").status_code == 404
    listing = observer.get(base).text
    assert "Everyone" in listing and "Leaders" not in listing


def test_members_of_another_partnership_get_404(login_as, app, home, base, world):
    meeting_id = schedule(app, home, date=SOON)
    outsider = login_as(world.other.members["coordinator"])
    for url in (base, f"{base}/{meeting_id}", f"{base}/{meeting_id}/edit", f"{base}/new"):
        assert outsider.get(url).status_code == 404, url
    own = f"/p/{world.other.slug}/meetings/{meeting_id}"
    assert outsider.get(own).status_code == 404


def test_the_page_shows_times_in_the_partnership_zone_and_the_meetings_own_when_they_differ(login_as, app, home, base):
    meeting_id = schedule(app, home, date=SOON)
    from tests.meetings.conftest import set_zone

    set_zone(app, home, "Europe/London")
    text = login_as("coordinator").get(f"{base}/{meeting_id}").text
    assert "Shown in Europe/London" in text
    assert "America/Denver, the meeting's time zone" in text
