"""The notification centre: a person's own entries only, newest first, a page at a time, none before its
time; opening one marks it read and goes to its record; "Mark all as read"; and the unread count in the
header of every workspace page, read with the membership (no statement of its own) and polled by htmx."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import centre, notices
from partnership_hub.notifications.models import Notification
from partnership_hub.workspaces.services import context_for
from tests.budget import counting
from tests.factories import create_partnership, create_user
from tests.notifications.test_preferences import install_kinds
from tests.web.test_request_cost import WORKSPACE_FIXED, queries

HTMX = {"HX-Request": "true"}
_keys = iter(range(1, 1_000_000))


def add(app, partnership, role: str, title: str, *, ago=timedelta(hours=1), read=False, url=None) -> int:
    """One centre entry for ``role``'s member, ``ago`` before now (negative: queued for later)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        created = utcnow() - ago
        notices.add_entries(
            [
                {
                    "partnership_id": partnership.id,
                    "membership_id": partnership.membership_ids[role],
                    "kind": "test_everyone",
                    "title": title,
                    "url": url or f"/p/{partnership.slug}/meetings",
                    "dedup_key": f"test:{next(_keys)}",
                    "created_at": created,
                    "read_at": created if read else None,
                }
            ]
        )
        entry_id = db.session.scalars(select(Notification.id).where(Notification.title == title)).one()
        db.session.commit()
        return entry_id


def entry(app, partnership, entry_id: int) -> Notification:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = db.session.get(Notification, entry_id)
        db.session.expunge(found)
        return found


def centre_url(world, suffix: str = "") -> str:
    return f"/p/{world.home.slug}/notifications{suffix}"


def titles(html: str) -> list[str]:
    """The entries' titles, in the page's order (without their "New" label)."""
    main = html[html.index("<main") :]
    buttons = re.findall(r'<button type="submit" class="link-button[^"]*">(.*?)</button>', main, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", button)).strip().removeprefix("New ") for button in buttons]


def header_count(html: str) -> str:
    header = html[html.index("<header") : html.index("</header>")]
    link = re.search(r'<a href="[^"]+/notifications" id="notification-bell".*?</a>', header, re.S)
    assert link, "no notifications link in the header"
    hidden, shown = (
        r'<span class="visually-hidden"> \(([^ ]+) unread\)</span>',
        r'<span class="badge" aria-hidden="true">([^<]+)',
    )
    found = re.search(f"{hidden} {shown}</span>", link.group(0))
    assert found is None or found.group(1) == found.group(2)
    return found.group(1) if found else ""


# --- the list -------------------------------------------------------------------------------------------


def test_the_centre_lists_ones_own_entries_newest_first_and_none_before_its_time(app, world, login_as):
    add(app, world.home, "member", "Older news", ago=timedelta(days=2), read=True)
    add(app, world.home, "member", "Newer news", ago=timedelta(minutes=5))
    add(app, world.home, "member", "A reminder queued for tomorrow", ago=-timedelta(days=1))
    add(app, world.home, "coordinator", "The coordinator's own news")

    html = login_as("member").get(centre_url(world)).text
    assert titles(html) == ["Newer news", "Older news"]
    assert "queued for tomorrow" not in html and "coordinator&#39;s own news" not in html
    # Unread stands out by words, not colour alone: a "New" label inside the button, and the heading.
    assert '"link-button cell-title"><span class="badge badge-warning">New</span> <span>Newer news</span>' in html
    assert "1 unread" in html

    coordinator = login_as("coordinator").get(centre_url(world)).text
    assert titles(coordinator) == ["The coordinator's own news"]


def test_the_centre_is_paginated(app, world, login_as):
    for number in range(centre.PAGE_SIZE + 3):
        add(app, world.home, "member", f"News {number:02d}", ago=timedelta(minutes=100 - number))
    client = login_as("member")
    first = client.get(centre_url(world)).text
    assert len(titles(first)) == centre.PAGE_SIZE and titles(first)[0] == f"News {centre.PAGE_SIZE + 2:02d}"
    assert 'aria-label="Pages of notifications"' in first
    second = client.get(centre_url(world, "?page=2")).text
    assert titles(second) == ["News 02", "News 01", "News 00"]


def test_an_empty_centre_says_what_will_come_there(app, world, login_as):
    html = login_as("observer").get(centre_url(world)).text
    assert "Nothing yet." in html and "Mark all as read" not in html


# --- opening, marking read ---------------------------------------------------------------------------------


def test_opening_an_entry_marks_it_read_and_goes_to_its_record(app, world, login_as):
    entry_id = add(app, world.home, "member", "Agenda out", url=f"/p/{world.home.slug}/meetings")
    client = login_as("member")
    response = client.post(centre_url(world, f"/{entry_id}/open"))
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{world.home.slug}/meetings"
    first_read = entry(app, world.home, entry_id).read_at
    assert first_read is not None
    client.post(centre_url(world, f"/{entry_id}/open"))  # opened again: the first reading stays
    assert entry(app, world.home, entry_id).read_at == first_read
    html = client.get(centre_url(world)).text
    assert "· read" in html and "Mark all as read" not in html


def test_htmx_opening_redirects_the_page(app, world, login_as):
    entry_id = add(app, world.home, "member", "Agenda out", url=f"/p/{world.home.slug}/meetings")
    response = login_as("member").post(centre_url(world, f"/{entry_id}/open"), headers=HTMX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/p/{world.home.slug}/meetings"


def test_an_entry_leads_only_inside_the_app(app, world, login_as):
    entry_id = add(app, world.home, "member", "Odd link", url="//evil.example/p")
    response = login_as("member").post(centre_url(world, f"/{entry_id}/open"))
    assert response.headers["Location"] == centre_url(world)


@pytest.mark.parametrize("action", ["open", "read"])
def test_nobody_opens_or_marks_another_persons_entry_or_one_not_yet_due(app, world, login_as, action):
    theirs = add(app, world.home, "coordinator", "Not yours")
    later = add(app, world.home, "member", "Not yet", ago=-timedelta(hours=3))
    client = login_as("member")
    assert client.post(centre_url(world, f"/{theirs}/{action}")).status_code == 404
    assert client.post(centre_url(world, f"/{later}/{action}")).status_code == 404
    assert entry(app, world.home, theirs).read_at is None and entry(app, world.home, later).read_at is None


def test_mark_one_read_stays_on_the_centre(app, world, login_as):
    entry_id = add(app, world.home, "member", "Read me")
    response = login_as("member").post(centre_url(world, f"/{entry_id}/read?page=2"))
    assert response.headers["Location"] == centre_url(world, "?page=2")
    assert entry(app, world.home, entry_id).read_at is not None


def test_mark_all_read_marks_ones_own_entries_whose_time_has_come(app, world, login_as):
    mine = [add(app, world.home, "member", f"Mine {n}") for n in range(3)]
    later = add(app, world.home, "member", "Later", ago=-timedelta(hours=2))
    theirs = add(app, world.home, "coordinator", "Theirs")
    client = login_as("member")
    response = client.post(centre_url(world, "/read-all"), follow_redirects=True)
    assert "3 notifications marked as read." in response.text
    assert all(entry(app, world.home, n).read_at is not None for n in mine)
    assert entry(app, world.home, later).read_at is None and entry(app, world.home, theirs).read_at is None
    again = client.post(centre_url(world, "/read-all"), follow_redirects=True)
    assert "Nothing was unread." in again.text


def test_entries_the_person_turned_off_in_the_app_never_arrive(app, world, login_as, monkeypatch):
    """The centre holds what ``notify`` adds, as each person chose on the preferences page."""
    install_kinds(monkeypatch)
    login_as("member").post(
        f"/p/{world.home.slug}/notifications/preferences",
        data={"email": [], "app": [], "digest": "off"},  # nothing in the app
    )
    with app.app_context():
        ctx = context_for(world.home.id)
        people = notices.recipients(ctx, "test_everyone", list(world.home.membership_ids.values()))
        notices.notify(
            ctx,
            "test_everyone",
            people,
            key="1",
            subject="News",
            title="Fresh news",
            endpoint="workspace.home",
            template="safe_update",
        )
        db.session.commit()
    assert "Fresh news" not in login_as("member").get(centre_url(world)).text
    assert "Fresh news" in login_as("coordinator").get(centre_url(world)).text


# --- the header's count ---------------------------------------------------------------------------------


def test_the_header_counts_unread_entries_on_every_workspace_page(app, world, login_as):
    add(app, world.home, "member", "One")
    add(app, world.home, "member", "Two")
    add(app, world.home, "member", "Read", read=True)
    add(app, world.home, "member", "Later", ago=-timedelta(hours=1))
    add(app, world.home, "coordinator", "Someone else's")
    client = login_as("member")
    for path in ("/", "/goals", "/profile", "/notifications/preferences"):
        assert header_count(client.get(f"/p/{world.home.slug}{path}").text) == "2", path
    html = client.get(f"/p/{world.home.slug}/profile").text
    # Named as a whole for screen readers, announced politely when the poll brings a new count.
    assert re.search(r'id="notification-bell" aria-live="polite" aria-atomic="true"', html)
    assert '<span class="visually-hidden"> (2 unread)</span> <span class="badge" aria-hidden="true">2</span>' in html
    assert 'hx-trigger="every 60s"' in html
    assert header_count(login_as("observer").get(f"/p/{world.home.slug}/").text) == ""


def test_the_count_stops_at_99(app, world):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        now = utcnow()
        notices.add_entries(
            [
                {
                    "partnership_id": world.home.id,
                    "membership_id": world.home.membership_ids["member"],
                    "kind": "test_everyone",
                    "title": f"Bulk {n}",
                    "url": "/",
                    "dedup_key": f"bulk:{n}",
                    "created_at": now - timedelta(minutes=1),
                }
                for n in range(150)
            ]
        )
        db.session.commit()
        count = db.session.scalar(select(centre.unread_badge(world.home.membership_ids["member"], utcnow())))
    assert count == centre.UNREAD_CAP + 1  # the subquery stops reading there
    assert centre.badge_label(count) == "99+" and centre.badge_label(99) == "99" and centre.badge_label(0) == ""


def test_the_count_costs_no_statement(app, world, login_as):
    """The bare workspace page's two statements, with unread entries in the header."""
    for number in range(5):
        add(app, world.home, "member", f"Unread {number}")
    client = login_as("member")
    client.get(f"/p/{world.home.slug}/profile")
    with counting(app) as seen:
        response = client.get(f"/p/{world.home.slug}/profile")
    assert header_count(response.text) == "5"
    assert len(queries(seen)) <= WORKSPACE_FIXED, seen


def test_the_poll_answers_204_until_the_count_changes(app, world, login_as):
    add(app, world.home, "member", "One")
    client = login_as("member")
    badge = f"/p/{world.home.slug}/notifications/badge"
    assert client.get(f"{badge}?shown=1", headers=HTMX).status_code == 204
    add(app, world.home, "member", "Two")
    fresh = client.get(f"{badge}?shown=1", headers=HTMX)
    assert fresh.status_code == 200 and "<html" not in fresh.text
    assert '(2 unread)</span> <span class="badge" aria-hidden="true">2</span>' in fresh.text
    assert 'hx-get="/p/' in fresh.text and "shown=2" in fresh.text  # the next poll says what it shows now
    with counting(app) as seen:
        client.get(f"{badge}?shown=2", headers=HTMX)
    assert len(queries(seen)) <= WORKSPACE_FIXED


def test_the_centre_costs_the_same_for_few_and_many_entries(app):
    from tests.budget import assert_fixed_cost

    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership, size in ((small, 3), (large, 120)):
        with app.app_context():
            bind_tenant(db.session, partnership.id)
            notices.add_entries(
                [
                    {
                        "partnership_id": partnership.id,
                        "membership_id": partnership.membership_ids["coordinator"],
                        "kind": "test_everyone",
                        "title": f"Entry {n}",
                        "url": "/",
                        "dedup_key": f"size:{n}",
                        "created_at": utcnow() - timedelta(minutes=n + 1),
                    }
                    for n in range(size)
                ]
            )
            db.session.commit()
    assert_fixed_cost(app, small, large, "/notifications")
