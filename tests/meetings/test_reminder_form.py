"""The meeting form's "Reminders" fieldset: labelled, saved with the meeting (and its series), shown again
on the edit page, and bad input answered at its field with nothing written."""

from __future__ import annotations

import re

import pytest

from tests.meetings.conftest import rows, schedule
from tests.meetings.test_views import post_form


def test_the_form_has_a_labelled_reminders_fieldset(login_as, base):
    page = login_as("coordinator").get(f"{base}/new").text
    assert "<legend>Reminders</legend>" in page
    for label in (
        "Send reminders for this meeting",
        "1 week before",
        "1 day before",
        "2 hours before",
        "1 hour before",
        "15 minutes before",
        "Extra message",
        "Only remind people who have not answered yet",
    ):
        assert f">{label}</label>" in page, label
    # Every checkbox has its label; reminders are on by default; no offset ticked means the partnership's.
    for input_id in re.findall(r'<input type="checkbox" name="reminder[^"]*" id="([^"]+)"', page):
        assert f'<label for="{input_id}">' in page
    assert re.search(r'id="reminders_on" value="y" checked', page)
    assert "partnership's usual times" in page


def test_the_settings_are_saved_with_the_meeting_and_every_occurrence(login_as, app, home, base):
    data = post_form(
        reminder_offsets=["60", "15"],
        reminder_note="Parking is behind the building.",
        remind_unanswered_only="y",
        repeat="weekly:1",
        repeat_count="3",
    )  # reminders_on left out: an unticked box
    assert login_as("coordinator").post(f"{base}/new", data=data).status_code == 302
    found = rows(app, home)
    assert len(found) == 3
    assert {(m.reminders_on, m.reminder_offsets, m.reminder_note, m.remind_unanswered_only) for m in found} == {
        (False, "60 15", "Parking is behind the building.", True)
    }


def test_the_edit_page_shows_the_settings_and_saving_keeps_them(login_as, app, home, base):
    meeting_id = schedule(app, home, reminder_offsets=["1440"], reminder_note="Bring lunch.")
    client = login_as("coordinator")
    page = client.get(f"{base}/{meeting_id}/edit").text
    assert re.search(r'value="1440"\s+checked', page)
    assert not re.search(r'value="60"\s+checked', page)
    assert "Bring lunch.</textarea>" in page
    data = post_form(
        date="2026-03-10",
        start_time="10:00",
        end_time="11:30",
        title="Full partnership meeting",
        kind="full_partnership",
        online_url="",
        reminders_on="y",
        reminder_offsets=["120"],
        reminder_note="",
    )
    assert client.post(f"{base}/{meeting_id}/edit", data=data).status_code == 302
    [meeting] = rows(app, home)
    assert (meeting.reminders_on, meeting.reminder_offsets, meeting.reminder_note) == (True, "120", "")
    assert meeting.sequence == 0  # reminder settings are nothing a calendar shows


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reminder_offsets": ["999"]}, "reminder_offsets", "Choose when to remind people from the list."),
        ({"reminder_offsets": ["60", "soon"]}, "reminder_offsets", "Choose when to remind people from the list."),
        ({"reminder_note": "x" * 1001}, "reminder_note", "Use at most 1000 characters."),
    ],
)
def test_bad_reminder_settings_are_answered_at_the_field_and_nothing_is_written(
    login_as, app, home, base, overrides, field, message
):
    response = login_as("coordinator").post(f"{base}/new", data=post_form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert f'href="#{field}"' in response.text  # the summary links to the field
    assert rows(app, home) == []


def test_a_bad_setting_leaves_an_edited_meeting_as_it_was(login_as, app, home, base):
    meeting_id = schedule(app, home, reminder_offsets=["60"])
    data = post_form(title="Renamed", reminder_offsets=["61"])
    response = login_as("coordinator").post(f"{base}/{meeting_id}/edit", data=data)
    assert response.status_code == 422
    [meeting] = rows(app, home)
    assert (meeting.title, meeting.reminder_offsets, meeting.version) == ("Full partnership meeting", "60", 1)
