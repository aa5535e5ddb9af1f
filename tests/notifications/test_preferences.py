"""The preferences page and the partnership's notification settings: every kind a person's role gets,
by email and in the app, the digest, its day and hour, their time zone and (for survivor advisors) safe
mode, saved in one transaction; bad input is refused at its field and nothing is saved; the defaults hold
until someone saves; only coordinators change the partnership's settings."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import func, select

from partnership_hub import areas
from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import NotificationPreference, NotificationSettings
from partnership_hub.notifications.services import mail_verdict
from partnership_hub.workspaces.services import context_for

# Kinds declared for these tests, whatever the areas declare: one for everyone, one for coordinators
# only, one off by email unless chosen.
EVERYONE = areas.NoticeKind("test_everyone", "Test notice for everyone", help="Comes to everyone.", order=9001)
LEADS = areas.NoticeKind("test_leads", "Test notice for coordinators", roles=frozenset({"coordinator"}), order=9002)
QUIET = areas.NoticeKind("test_quiet", "Test notice off by email", email=False, order=9003)
TEST_KINDS = (EVERYONE, LEADS, QUIET)
TEST_KEYS = {kind.key for kind in TEST_KINDS}


def install_kinds(monkeypatch) -> None:
    """Add ``TEST_KINDS`` to the notifications area's declarations for this test."""
    installed = tuple(
        dataclasses.replace(area, notice_kinds=(*area.notice_kinds, *TEST_KINDS))
        if area.name == "notifications"
        else area
        for area in areas.installed()
    )
    monkeypatch.setattr(areas, "installed", lambda: installed)


@pytest.fixture
def kinds(monkeypatch):
    install_kinds(monkeypatch)


def prefs_url(world) -> str:
    return f"/p/{world.home.slug}/notifications/preferences"


def settings_url(world) -> str:
    return f"/p/{world.home.slug}/notifications/settings"


def rows(app, world, model) -> list:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        found = list(db.session.scalars(select(model)))
        db.session.expunge_all()
        return found


def checked(html: str, name: str, value: str) -> bool:
    found = re.search(rf'<input type="checkbox" name="{name}" value="{value}"[^>]*>', html)
    assert found, f"no {name} checkbox for {value}"
    return " checked" in found.group(0)


def radio_checked(html: str, name: str) -> str:
    found = re.search(rf'<input type="radio" name="{name}" id="[^"]+" value="([^"]+)" checked', html)
    return found.group(1) if found else ""


def chosen(app, world, role: str, kind: str) -> tuple[bool, bool]:
    """(by email, in the app) for ``role``'s member, as ``notify`` will read it."""
    with app.app_context():
        ctx = context_for(world.home.id)
        people = notices.recipients(ctx, kind, [world.home.membership_ids[role]])
        assert len(people) == 1
        return people[0].email_on, people[0].app_on


def form(**overrides) -> dict:
    data = {
        "email": ["test_everyone"],
        "app": ["test_everyone", "test_quiet"],
        "digest": "off",
        "digest_weekday": "",
        "digest_hour": "",
        "time_zone": "",
    }
    return data | overrides


# --- the page and its defaults -----------------------------------------------------------------------


def test_every_kind_of_the_role_is_listed_by_area_with_the_defaults(app, world, login_as, kinds):
    html = login_as("coordinator").get(prefs_url(world)).text
    assert "Test notice for everyone" in html and "Comes to everyone." in html
    assert "Test notice for coordinators" in html
    assert checked(html, "email", "test_everyone") and checked(html, "app", "test_everyone")
    assert not checked(html, "email", "test_quiet") and checked(html, "app", "test_quiet")
    # Grouped under the area's label: a row group of its own, the test kinds under "Notifications".
    group = html[html.index('id="kinds-notifications"') :]
    assert group.index("Test notice for everyone") < group.index("</tbody>")
    assert radio_checked(html, "digest") == "weekly"  # coordinators: weekly by default
    assert "The partnership&#39;s day (Monday)" in html and "The partnership&#39;s hour (08:00)" in html
    assert "Leave it empty to use UTC" in html or "Leave it empty to use America" in html

    member = login_as("member").get(prefs_url(world)).text
    assert "Test notice for everyone" in member
    assert "Test notice for coordinators" not in member  # not a kind members get
    assert radio_checked(member, "digest") == "off"  # everyone else opts in
    assert rows(app, world, NotificationPreference) == []  # reading creates nothing


def test_every_declared_kind_a_role_gets_is_on_its_page(app, world, login_as):
    """The registry as it is (no test kinds): whatever the areas declare shows for the roles it is for."""
    for role in ("coordinator", "member", "survivor_advisor", "observer"):
        html = login_as(role).get(prefs_url(world)).text
        for kind in areas.notice_kinds():
            listed = f'value="{kind.key}"' in html
            assert listed == (kind.roles is None or role in kind.roles), (role, kind.key)


def test_the_default_time_zone_is_the_accounts_else_the_partnerships(app, world, login_as):
    from partnership_hub.accounts import services as accounts

    html = login_as("member").get(prefs_url(world)).text
    with app.app_context():
        partnership_zone = context_for(world.home.id).partnership.time_zone
    assert f"Leave it empty to use {partnership_zone}." in html
    with app.app_context():
        user = db.session.get(accounts.User, world.user("member").id)
        accounts.set_time_zone(user, "Asia/Manila")
        db.session.commit()
    assert "Leave it empty to use Asia/Manila." in login_as("member").get(prefs_url(world)).text


# --- saving ----------------------------------------------------------------------------------------------


def test_a_member_saves_kinds_digest_day_hour_and_zone_in_one_go(app, world, login_as, kinds):
    response = login_as("member").post(
        prefs_url(world),
        data=form(
            email=["test_quiet"],
            app=["test_everyone"],
            digest="weekly",
            digest_weekday="4",
            digest_hour="7",
            time_zone="Europe/London",
        ),
    )
    assert response.status_code == 302
    [row] = rows(app, world, NotificationPreference)
    assert row.membership_id == world.home.membership_ids["member"]
    assert (row.digest, row.member_digest) == ("weekly", True)  # a member's digest is the member digest
    assert (row.digest_weekday, row.digest_hour, row.time_zone) == (4, 7, "Europe/London")
    assert chosen(app, world, "member", "test_everyone") == (False, True)
    assert chosen(app, world, "member", "test_quiet") == (True, False)
    # A kind the role does not get is not touched by the member's save: still the default (on).
    assert "test_leads" not in row.email_off.split() and "test_leads" not in row.app_off.split()

    html = login_as("member").get(prefs_url(world)).text
    assert not checked(html, "email", "test_everyone") and checked(html, "email", "test_quiet")
    assert radio_checked(html, "digest") == "weekly"
    assert '<option selected value="4">Friday</option>' in html and '<option selected value="7">07:00</option>' in html


def test_saving_the_defaults_keeps_them_defaults(app, world, login_as, kinds):
    """A coordinator who leaves the weekly digest and the partnership's day: the row says "default" (None),
    so a later change of the partnership's day or of their role still applies to them."""
    login_as("coordinator").post(
        prefs_url(world), data=form(email=["test_everyone", "test_leads"], app=["test_everyone"], digest="weekly")
    )
    [row] = rows(app, world, NotificationPreference)
    assert (row.digest, row.member_digest, row.digest_weekday, row.digest_hour, row.time_zone) == (
        None,
        False,
        None,
        None,
        None,
    )
    assert set(row.email_off.split()) & TEST_KEYS == {"test_quiet"}
    assert set(row.app_off.split()) & TEST_KEYS == {"test_leads", "test_quiet"}


def test_a_kind_declared_after_someone_saved_keeps_its_default_for_them(app, world, login_as, kinds, monkeypatch):
    """The row names only what the person chose against a default (``key`` off, ``+key`` on): a kind an area
    declares later, off by email by default, does not start emailing people who saved before it existed."""
    login_as("member").post(prefs_url(world), data=form(email=["test_everyone", "test_quiet"], app=["test_everyone"]))
    [row] = rows(app, world, NotificationPreference)
    assert "+test_quiet" in row.email_off.split()  # on against its default: said
    assert "test_everyone" not in row.email_off.split()  # on by default: not named
    later = areas.NoticeKind("test_later", "Declared after the save", email=False, order=9004)
    installed = tuple(
        dataclasses.replace(area, notice_kinds=(*area.notice_kinds, later)) if area.name == "notifications" else area
        for area in areas.installed()
    )
    monkeypatch.setattr(areas, "installed", lambda: installed)
    assert chosen(app, world, "member", "test_later") == (False, True)  # its defaults, not "on unless named"
    assert chosen(app, world, "member", "test_quiet") == (True, False)  # by email as chosen; not in the app


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ["test_everyone", "no_such_kind"]}, "email", "not offered to you"),
        ({"app": ["test_leads"]}, "email", "not offered to you"),  # a coordinators' kind, posted by a member
        ({"digest_hour": "25"}, "digest_hour", "Choose an hour from the list"),
        ({"digest_hour": "-1"}, "digest_hour", "Choose an hour from the list"),
        ({"digest_weekday": "7"}, "digest_weekday", "Choose a day of the week"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Enter a time zone from the list"),
        ({"digest": "hourly"}, "digest", "Choose no digest, daily or weekly"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(app, world, login_as, kinds, overrides, field, message):
    response = login_as("member").post(prefs_url(world), data=form(**{"digest": "daily", **overrides}))
    assert response.status_code == 422
    assert message in response.text
    if field != "email":
        assert f'id="{field}-error"' in response.text or f'id="{field}-' in response.text
        assert re.search(rf'<p class="field-error" id="{field}-error">', response.text), field
    assert rows(app, world, NotificationPreference) == []


def test_a_refusal_keeps_what_was_typed(app, world, login_as, kinds):
    response = login_as("member").post(
        prefs_url(world), data=form(email=["test_quiet"], digest="daily", time_zone="Nowhere/Else")
    )
    assert response.status_code == 422
    assert checked(response.text, "email", "test_quiet") and not checked(response.text, "email", "test_everyone")
    assert radio_checked(response.text, "digest") == "daily"
    assert 'value="Nowhere/Else"' in response.text


# --- safe mode, through the advisory area's own service ---------------------------------------------------


def test_survivor_advisors_set_safe_mode_here_and_every_email_honours_it(app, world, login_as, kinds):
    client = login_as("survivor_advisor")
    html = client.get(prefs_url(world)).text
    assert "Safe mode for email" in html and 'name="safe_mode"' in html
    assert "You have not saved them yet" in html

    response = client.post(prefs_url(world), data=form(safe_mode="y"))
    assert response.status_code == 302
    [profile] = rows(app, world, AdvisorProfile)
    assert profile.safe_mode and profile.allow_email and profile.wants_reminders  # email as before, but safe
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert mail_verdict(world.home.id, world.user("survivor_advisor").email, "test_everyone") == "safe"
    assert 'name="safe_mode" id="safe_mode" value="y" checked' in client.get(prefs_url(world)).text

    client.post(prefs_url(world), data=form())  # unticked
    [profile] = rows(app, world, AdvisorProfile)
    assert not profile.safe_mode


@pytest.mark.parametrize("role", ["coordinator", "member", "observer"])
def test_safe_mode_is_not_offered_to_others_and_their_post_of_it_changes_nothing(app, world, login_as, kinds, role):
    client = login_as(role)
    assert 'name="safe_mode"' not in client.get(prefs_url(world)).text
    assert client.post(prefs_url(world), data=form(safe_mode="y")).status_code == 302
    assert rows(app, world, AdvisorProfile) == []


# --- the partnership's settings -----------------------------------------------------------------------


def test_coordinators_set_reminder_times_and_the_digest_day_and_hour(app, world, login_as):
    client = login_as("coordinator")
    html = client.get(settings_url(world)).text
    assert checked(html, "reminder_offsets", "1440") and checked(html, "reminder_offsets", "60")
    assert not checked(html, "reminder_offsets", "10080")
    assert f'href="/p/{world.home.slug}/awareness#lead_days"' in html  # the awareness lead time lives there

    response = client.post(
        settings_url(world),
        data={"reminder_offsets": ["15", "10080", "120"], "digest_weekday": "2", "digest_hour": "17"},
    )
    assert response.status_code == 302
    [row] = rows(app, world, NotificationSettings)
    assert (row.reminder_offsets, row.digest_weekday, row.digest_hour) == ("10080 120 15", 2, 17)
    [entry] = [e for e in rows(app, world, AuditEntry) if e.action == "notification_settings.updated"]
    assert entry.details["fields"] == ["reminder_offsets", "digest_weekday", "digest_hour"]

    # The members' pages now offer the new day and hour as "the partnership's".
    member = login_as("member").get(prefs_url(world)).text
    assert "The partnership&#39;s day (Wednesday)" in member and "The partnership&#39;s hour (17:00)" in member


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reminder_offsets": ["30"], "digest_weekday": "0", "digest_hour": "8"}, "Choose reminder times"),
        ({"reminder_offsets": ["60"], "digest_weekday": "9", "digest_hour": "8"}, "Choose a day of the week"),
        ({"reminder_offsets": ["60"], "digest_weekday": "0", "digest_hour": "24"}, "Choose an hour"),
        ({"reminder_offsets": ["60"], "digest_weekday": "", "digest_hour": "8"}, "Choose a day of the week"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(app, world, login_as, data, message):
    response = login_as("coordinator").post(settings_url(world), data=data)
    assert response.status_code == 422 and message in response.text
    assert rows(app, world, NotificationSettings) == []


def test_no_reminder_times_at_all_is_a_choice(app, world, login_as):
    login_as("coordinator").post(settings_url(world), data={"digest_weekday": "0", "digest_hour": "8"})
    [row] = rows(app, world, NotificationSettings)
    assert row.reminder_offsets == ""


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_change_the_settings(app, world, login_as, role):
    client = login_as(role)
    assert client.get(settings_url(world)).status_code == 403
    data = {"reminder_offsets": ["15"], "digest_weekday": "3", "digest_hour": "9"}
    assert client.post(settings_url(world), data=data).status_code == 403
    assert rows(app, world, NotificationSettings) == []
    assert "notification settings</a>" not in client.get(prefs_url(world)).text


def test_the_pages_cost_a_fixed_number_of_statements(app, world, login_as, kinds):
    from tests.budget import BUDGET, counting

    for role in ("coordinator", "survivor_advisor"):
        client = login_as(role)
        client.get(prefs_url(world))
        with counting(app) as seen:
            assert client.get(prefs_url(world)).status_code == 200
        assert len(seen) <= BUDGET, (role, seen)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
