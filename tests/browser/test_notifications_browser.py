"""Notifications in a real browser, on the demo data: the header's link says how many are unread, the
centre lists them (unread ones labelled "New"), opening one goes to its page and the count drops, "Mark
all as read" empties it, and a new entry reaches the header through its poll; the preferences page saves
with the keyboard-usable table, and a survivor advisor finds safe mode there. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.demo import DEMO_DOMAIN
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.workspaces.models import Membership, User
from partnership_hub.workspaces.services import partnership_by_slug
from tests.browser.conftest import assert_accessible, log_in
from tests.notifications.test_preferences import install_kinds

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


@pytest.fixture
def kinds(monkeypatch):
    install_kinds(monkeypatch)


def sign_in(page, base: str, local: str) -> None:
    log_in(page, base, f"{local}@{DEMO_DOMAIN}")
    page.goto(base + BASE_PATH + "/")


def bell(page):
    return page.get_by_role("navigation", name="Account").locator("#notification-bell")


def add_entry(app, title: str) -> None:
    with app.app_context():
        partnership = partnership_by_slug("front-range")
        bind_tenant(db.session, partnership.id)
        membership_id = db.session.scalars(
            select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == f"coordinator@{DEMO_DOMAIN}")
        ).one()
        notices.add_entries(
            [
                {
                    "partnership_id": partnership.id,
                    "membership_id": membership_id,
                    "kind": "agenda_published",
                    "title": title,
                    "url": f"{BASE_PATH}/meetings",
                    "dedup_key": "browser:1",
                    "created_at": utcnow(),
                }
            ]
        )
        db.session.commit()


def test_the_centre_and_the_header_count(browser, demo_base, live_server):
    app, _ = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_base, "coordinator")
        expect(bell(page)).to_have_accessible_name("Notifications (3 unread)")
        bell(page).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
        entries = page.locator("main .notification-list > li")
        expect(entries).to_have_count(6)
        expect(page.get_by_role("button", name=re.compile(r"^New"))).to_have_count(3)
        assert_accessible(page)

        page.get_by_role("button", name=re.compile(r"^New\s+The agenda of the next partnership meeting")).click()
        expect(page).to_have_url(re.compile(r"/p/front-range/meetings$"))
        expect(bell(page)).to_have_accessible_name("Notifications (2 unread)")

        bell(page).click()
        page.get_by_role("button", name="Mark all as read").click()
        expect(page.get_by_text("2 notifications marked as read.")).to_be_visible()
        expect(bell(page)).to_have_accessible_name("Notifications")
        expect(page.get_by_role("button", name=re.compile(r"^New"))).to_have_count(0)
        assert_accessible(page)

        # A new entry reaches the header through its poll (run now rather than in a minute).
        add_entry(app, "A fresh agenda")
        page.evaluate(
            """() => { const poll = document.querySelector('#notification-bell .bell-count');
                htmx.ajax('GET', poll.getAttribute('hx-get'), {source: poll, target: poll, swap: 'outerHTML',
                select: '.bell-count'}); }"""
        )
        expect(bell(page)).to_have_accessible_name("Notifications (1 unread)")
        expect(bell(page)).to_have_attribute("aria-live", "polite")
    finally:
        context.close()


def test_preferences_save_and_safe_mode(browser, demo_base, kinds):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_base, "coordinator")
        page.goto(demo_base + BASE_PATH + "/notifications/preferences")
        expect(page.get_by_role("heading", level=1)).to_have_text("Notification preferences")
        table = page.get_by_role("table", name="Each notice, by email and in the app")
        expect(table.get_by_role("rowheader", name="Notifications")).to_be_visible()  # the area's row group
        expect(table.get_by_role("rowheader", name=re.compile("Test notice for everyone"))).to_be_visible()
        assert_accessible(page)

        email = page.get_by_label("Email: Test notice for everyone")
        expect(email).to_be_checked()
        email.uncheck()
        page.get_by_label("Daily").check()
        page.get_by_label("Hour").select_option("07:00")
        page.get_by_label("Your time zone for notifications").fill("Nowhere/Else")
        page.get_by_role("button", name="Save my preferences").click()
        # Refused at the field, what was typed kept, nothing saved.
        expect(page.get_by_text("Enter a time zone from the list").first).to_be_visible()
        expect(page.get_by_label("Email: Test notice for everyone")).not_to_be_checked()
        assert_accessible(page)

        page.get_by_label("Your time zone for notifications").fill("Europe/London")
        page.get_by_role("button", name="Save my preferences").click()
        expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
        expect(page.get_by_label("Email: Test notice for everyone")).not_to_be_checked()
        expect(page.get_by_label("Daily")).to_be_checked()
        expect(page.get_by_label("Hour")).to_have_value("7")

        page.get_by_role("link", name="the partnership’s notification settings").or_(
            page.get_by_role("link", name="the partnership's notification settings")
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
        assert_accessible(page)
        context.clear_cookies()

        sign_in(page, demo_base, "amara.okafor")
        page.goto(demo_base + BASE_PATH + "/notifications/preferences")
        safe = page.get_by_label("Safe mode for email")
        expect(safe).to_be_checked()  # the demo's chair keeps safe mode (saved on her contact page)
        assert_accessible(page)
    finally:
        context.close()
