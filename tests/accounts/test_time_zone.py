"""A person's own time zone, set on the account page (meetings use it: tests/meetings/test_viewer_zone.py)."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.extensions import db
from tests.factories import create_user, sign_in


def _zone(app, user) -> str | None:
    with app.app_context():
        return db.session.scalars(select(User.time_zone).where(User.id == user.id)).one()


def test_a_person_sets_and_clears_their_time_zone(app, client):
    user = create_user(app)
    sign_in(client, app, user)
    page = client.get("/account").text
    assert "Your time zone" in page and 'list="account-time-zones"' in page

    saved = client.post("/account/time-zone", data={"time_zone": " Europe/London "}, follow_redirects=True)
    assert "Meeting times are now shown in Europe/London." in saved.text
    assert _zone(app, user) == "Europe/London"

    cleared = client.post("/account/time-zone", data={"time_zone": ""}, follow_redirects=True)
    assert "follow each partnership" in cleared.text
    assert _zone(app, user) is None


def test_an_unknown_time_zone_is_refused_at_the_field_and_changes_nothing(app, client):
    user = create_user(app)
    sign_in(client, app, user)
    client.post("/account/time-zone", data={"time_zone": "Asia/Tokyo"})
    for bad in ("Mars/Olympus_Mons", "x" * 65, "../../etc/passwd"):
        response = client.post("/account/time-zone", data={"time_zone": bad})
        assert response.status_code in (400, 422), bad
        assert _zone(app, user) == "Asia/Tokyo"
    response = client.post("/account/time-zone", data={"time_zone": "Mars/Olympus_Mons"})
    assert "Enter a time zone from the list" in response.text
