"""Signed RSVP links: no sign-in needed, one meeting, one person, one answer; forged, altered,
another partnership's, expired and cancelled links get a clear page and change nothing."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance, services
from partnership_hub.meetings.models import MeetingInvitee, Rsvp
from tests.factories import seat_on_board
from tests.meetings.conftest import schedule


def upcoming(app, partnership, **overrides) -> int:
    day = (utcnow() + timedelta(days=10)).date().isoformat()
    return schedule(app, partnership, now=utcnow(), date=day, **overrides)


def link(app, partnership, meeting_id: int, who: str = "member", answer: Rsvp = Rsvp.YES, by="coordinator") -> str:
    """A signed link for ``who``, made by ``by`` (someone who may open the meeting)."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[by].id)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        return f"/meetings/rsvp/{attendance.rsvp_token(meeting, partnership.membership_ids[who], answer)}"


def answers(app, partnership) -> list[tuple[int | None, Rsvp]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return [(r.membership_id, r.rsvp) for r in db.session.scalars(select(MeetingInvitee))]


def test_a_link_answers_without_signing_in_and_offers_a_change(app, world, client):
    meeting_id = upcoming(app, world.home)
    url = link(app, world.home, meeting_id)
    page = client.get(url)
    assert page.status_code == 200 and "Yes, I'll be there" in unescape(page.text)
    assert page.headers["Cache-Control"] == "no-store"
    assert answers(app, world.home) == []  # opening the link (a mail scanner, say) changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "Your answer was saved" in done.text
    assert answers(app, world.home) == [(world.home.membership_ids["member"], Rsvp.YES)]
    assert "Maybe" in done.text and "No, I can't come" in unescape(done.text)


def refused(client, url: str, status: int) -> str:
    for response in (client.get(url), client.post(url)):
        assert response.status_code == status, response.status_code
        assert "This link can't be used" in unescape(response.text)
        assert response.headers["Cache-Control"] == "no-store"
    return unescape(response.text)


def test_forged_and_altered_links_are_refused(app, world, client):
    meeting_id = upcoming(app, world.home)
    url = link(app, world.home, meeting_id)
    refused(client, url[:-3] + ("abc" if not url.endswith("abc") else "abd"), 400)
    refused(client, "/meetings/rsvp/not-a-token", 400)
    with app.app_context():
        forged = URLSafeSerializer("not the secret", salt=attendance.RSVP_LINK_SALT).dumps(
            [world.home.id, meeting_id, world.home.membership_ids["member"], "yes"]
        )
        other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="another purpose").dumps(
            [world.home.id, meeting_id, world.home.membership_ids["member"], "yes"]
        )
        odd = URLSafeSerializer(app.config["SECRET_KEY"], salt=attendance.RSVP_LINK_SALT).dumps(
            [world.home.id, meeting_id, world.home.membership_ids["member"], "none"]
        )
    for token in (forged, other_salt, odd):
        refused(client, f"/meetings/rsvp/{token}", 400)
    assert answers(app, world.home) == []


def test_another_partnerships_meeting_in_a_signed_token_is_refused(app, world, client):
    theirs = upcoming(app, world.other)
    with app.app_context():
        signer = URLSafeSerializer(app.config["SECRET_KEY"], salt=attendance.RSVP_LINK_SALT)
        token = signer.dumps([world.home.id, theirs, world.home.membership_ids["member"], "yes"])
    refused(client, f"/meetings/rsvp/{token}", 400)
    assert answers(app, world.home) == [] and answers(app, world.other) == []


def test_a_link_expires_when_the_meeting_ends(app, world, client):
    meeting_id = upcoming(app, world.home)
    url = link(app, world.home, meeting_id)
    later = utcnow() + timedelta(days=30)
    with mock.patch("partnership_hub.meetings.attendance_views.utcnow", return_value=later):
        text = refused(client, url, 410)
    assert "expired" in text
    assert answers(app, world.home) == []


def test_a_link_to_a_cancelled_meeting_is_refused(app, world, client):
    meeting_id = upcoming(app, world.home)
    url = link(app, world.home, meeting_id)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        meeting, series = services.get_meeting(ctx, meeting_id)
        services.cancel_meeting(ctx, meeting, series, "one")
        db.session.commit()
    assert "cancelled" in refused(client, url, 410)


@pytest.mark.parametrize("who", ["member", "observer", "coordinator"])  # none of them sits on the board
def test_someone_not_admitted_to_an_advisory_meeting_gets_no_working_link(app, world, client, who):
    seat_on_board(app, world.home, "survivor_advisor")
    meeting_id = upcoming(app, world.home, kind="advisory_board")
    refused(client, link(app, world.home, meeting_id, who=who, by="survivor_advisor"), 410)
    assert answers(app, world.home) == []
    # ...while the board's own link works.
    assert (
        client.post(link(app, world.home, meeting_id, who="survivor_advisor", by="survivor_advisor")).status_code == 200
    )
    assert answers(app, world.home) == [(world.home.membership_ids["survivor_advisor"], Rsvp.YES)]


def test_rsvp_links_for_an_email_are_absolute_and_one_per_answer(app, world):
    meeting_id = upcoming(app, world.home)
    with app.test_request_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        links = attendance.rsvp_links(meeting, world.home.membership_ids["member"])
    assert set(links) == {Rsvp.YES, Rsvp.NO, Rsvp.MAYBE}
    assert all(url.startswith(app.config["BASE_URL"] + "/meetings/rsvp/") for url in links.values())
    assert len(set(links.values())) == 3
