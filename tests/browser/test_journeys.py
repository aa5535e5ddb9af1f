"""The main journeys in a real browser: sign up, invite, join, change a role over htmx, sign out.
Every page visited is checked against WCAG 2.2 AA rules with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership, Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, PartnershipRec, add_member, create_user

pytestmark = pytest.mark.browser


def sign_up(page, base, *, name="Rosa Diaz", email="rosa@example.org", partnership="Pueblo Task Force"):
    page.goto(base + "/signup")
    assert_accessible(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("Partnership name").fill(partnership)
    page.get_by_role("button", name=re.compile("create", re.I)).click()


def test_sign_up_invite_and_join(browser, live_server, page):
    app, base = live_server
    sign_up(page, base)
    expect(page).to_have_url(re.compile(r"/p/pueblo-task-force/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pueblo Task Force")
    assert_accessible(page)

    # Invitations are for confirmed addresses: the coordinator confirms theirs from the mailbox first.
    page.goto(base + "/dev/mail/")
    page.get_by_role("link", name=re.compile("confirm your email", re.I)).first.click()
    page.goto(page.locator("a[href*='/verify-email/']").first.get_attribute("href"))
    expect(page.get_by_text(re.compile("confirmed", re.I)).first).to_be_visible()

    page.goto(base + "/p/pueblo-task-force/")
    page.get_by_role("navigation", name="Partnership").get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/people$"))
    assert_accessible(page)
    page.get_by_label("Email address").fill("new.member@example.org")
    page.get_by_label("Member", exact=True).check()
    page.get_by_role("button", name=re.compile("invit", re.I)).click()
    expect(page.get_by_text("new.member@example.org").first).to_be_visible()
    assert_accessible(page)

    # The development mailbox holds the invitation; the invitee opens its link in their own browser.
    page.goto(base + "/dev/mail/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("invited to join", re.I)).first.click()
    assert_accessible(page)
    link = page.locator("a[href*='/join/']").first.get_attribute("href")

    invitee = browser.new_context().new_page()
    invitee.goto(link)
    assert_accessible(invitee)
    invitee.get_by_label("Your name").fill("Nia Member")
    invitee.get_by_label("Password").fill("another long password")
    invitee.get_by_role("button", name=re.compile("join", re.I)).click()
    expect(invitee).to_have_url(re.compile(r"/p/pueblo-task-force/$"))
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Pueblo Task Force")
    invitee.context.close()

    page.goto(base + "/p/pueblo-task-force/people")
    expect(page.get_by_role("cell", name="Nia Member")).to_be_visible()


def test_role_change_over_htmx_keeps_the_page(browser, live_server, page):
    app, base = live_server
    sign_up(page, base)
    with app.app_context():
        partnership = db.session.scalars(select(Partnership)).one()
        rec = PartnershipRec(partnership.id, partnership.slug, partnership.name)
    add_member(app, rec, create_user(app, "Marcus Bell"), Role.MEMBER)

    page.goto(base + "/p/pueblo-task-force/people")
    page.evaluate("window.__marker = 'still here'")
    row = page.get_by_role("row", name=re.compile("Marcus Bell"))
    row.get_by_label(re.compile("role", re.I)).select_option("observer")
    row.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(
        page.get_by_role("row", name=re.compile("Marcus Bell")).get_by_label(re.compile("role", re.I))
    ).to_have_value("observer")
    assert page.evaluate("window.__marker") == "still here"  # swapped in place, no page load
    assert_accessible(page)


def test_keyboard_users_can_skip_to_content_and_see_focus(browser, live_server, page):
    app, base = live_server
    page.goto(base + "/login")
    assert_accessible(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert re.search("skip", focused, re.I)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_sign_in_and_out(browser, live_server, page):
    app, base = live_server
    user = create_user(app, "Dana Whitfield", "dana@example.org")
    page.goto(base + "/p/anything/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # Wait for the sign-in to land (the login page has an h1 too: checking it would race the navigation).
    expect(page.get_by_role("button", name=re.compile("sign out", re.I))).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/login"))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_phone_width_layout_has_no_horizontal_scroll(browser, live_server):
    app, base = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_up(page, base, email="phone@example.org", partnership="Phone Partnership")
    page.goto(base + "/p/phone-partnership/people")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    context.close()
