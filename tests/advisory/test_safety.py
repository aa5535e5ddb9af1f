"""Safety and contact preferences (issue #13, item 3): who has the page, what it saves (and the name others
see), bad input at its field with nothing written, what others are shown — the board's "How to reach the
board", the People page, an organization's representatives and its export — and the feed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.advisory import safety
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Representative
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.services import context_for
from tests.advisory.safety_helpers import LEGAL_NAME, form, profile, save
from tests.factories import add_member, create_organization, create_user, seat_on_board


@pytest.fixture
def page(world) -> str:
    return f"/p/{world.home.slug}/advisory/safety"


def advisor_name(world) -> str:
    return world.user("survivor_advisor").name


def audit_rows(app, world) -> list[AuditEntry]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        rows = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.target_type == "advisor_profile").order_by(AuditEntry.id)
            )
        )
        db.session.expunge_all()
        return rows


def name_of(app, world, role: str) -> tuple[str, str]:
    """(users.name, memberships.sort_name) of ``role`` in the home partnership."""
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        row = db.session.execute(
            select(User.name, Membership.sort_name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.id == world.home.membership_ids[role])
        ).one()
        return row.name, row.sort_name


# --- the page -------------------------------------------------------------------------------------------


def test_an_advisor_sets_their_preferences_and_the_audit_names_fields_only(app, world, login_as, page):
    client = login_as("survivor_advisor")
    first = client.get(page)
    assert first.status_code == 200
    assert "You have not saved your preferences yet" in first.text
    # A first visit suggests email and safe mode; the person decides.
    assert 'id="allow_email" value="y" checked' in first.text and 'id="safe_mode" value="y" checked' in first.text
    assert 'id="allow_text" value="y" checked' not in first.text

    data = form(
        advisor_name(world),
        legal_name=LEGAL_NAME,
        allow_email=True,
        allow_text=True,
        phone="+1 303 555 0142",
        safe_times="Weekdays 10am–2pm",
        no_voicemail=True,
        safe_contact="Text first",
        safe_mode=True,
        wants_reminders=True,
    )
    response = client.post(page, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/advisory/safety")
    saved = profile(app, world.home)
    assert saved is not None
    assert (saved.legal_name, saved.allow_email, saved.allow_phone, saved.allow_text) == (LEGAL_NAME, True, False, True)
    assert (saved.phone, saved.safe_times, saved.no_voicemail) == ("+1 303 555 0142", "Weekdays 10am–2pm", True)
    assert (saved.safe_contact, saved.safe_mode, saved.wants_reminders) == ("Text first", True, True)
    assert LEGAL_NAME not in repr(saved)

    again = client.get(page)
    assert "You have not saved" not in again.text and LEGAL_NAME in again.text  # their own page shows it
    [entry] = audit_rows(app, world)
    assert entry.action == "advisor_profile.created" and entry.target_id == saved.id
    assert set(entry.details["fields"]) == set(safety.FIELDS[1:])  # the name did not change
    details = json.dumps(entry.details)
    for value in (LEGAL_NAME, "303 555", "Weekdays", "Text first"):
        assert value not in details

    client.post(page, data=data | {"safe_times": "Evenings"})
    assert audit_rows(app, world)[-1].details == {"fields": ["safe_times"]}


def test_the_name_others_see_is_the_account_name_everywhere(app, world, login_as, page):
    other = world.other
    add_member(app, other, world.user("survivor_advisor"), Role.SURVIVOR_ADVISOR)
    client = login_as("survivor_advisor")
    assert client.post(page, data=form("  River Stone  ", allow_email=True)).status_code == 302
    assert name_of(app, world, "survivor_advisor") == ("River Stone", "river stone")
    with app.app_context():
        bind_tenant(db.session, other.id)
        sort_names = db.session.scalars(
            select(Membership.sort_name).where(Membership.user_id == world.user("survivor_advisor").id)
        ).all()
    assert sort_names == ["river stone"]  # their other partnership's lists follow at once
    people = login_as("coordinator").get(f"/p/{world.home.slug}/people").text
    assert "River Stone" in people and advisor_name(world) not in people
    assert audit_rows(app, world)[-1].details["fields"][0] == "name"


@pytest.mark.parametrize(
    ("role", "status"),
    [("survivor_advisor", 200), ("coordinator", 403), ("member", 403), ("observer", 403)],
)
def test_who_has_a_page(login_as, page, role, status):
    client = login_as(role)
    assert client.get(page).status_code == status
    assert client.post(page, data=form("Someone", allow_email=True)).status_code == (302 if status == 200 else status)


def test_a_seat_on_the_board_gives_anyone_a_page(app, world, login_as, page):
    seat_on_board(app, world.home, "member", "coordinator", chair="coordinator")
    for role in ("member", "coordinator"):
        client = login_as(role)
        assert client.get(page).status_code == 200, role
        assert client.post(page, data=form(world.user(role).name, allow_email=True)).status_code == 302
        assert profile(app, world.home, role) is not None


def test_members_of_another_partnership_get_404(world, login_as, page):
    assert login_as(world.other.members["coordinator"]).get(page).status_code == 404


def test_an_advisor_changes_only_their_own(app, world, login_as, page):
    second = create_user(app, "Second Advisor")
    add_member(app, world.home, second, Role.SURVIVOR_ADVISOR, key="advisor2")
    save(app, world.home, allow_email=True, safe_times="Mornings", legal_name=LEGAL_NAME)
    client = login_as(second)
    assert LEGAL_NAME not in client.get(page).text and "Mornings" not in client.get(page).text
    client.post(page, data=form("Second Advisor", allow_phone=True, phone="720 555 0187"))
    mine = profile(app, world.home)
    assert mine is not None and (mine.safe_times, mine.allow_phone, mine.legal_name) == ("Mornings", False, LEGAL_NAME)
    theirs = profile(app, world.home, "advisor2")
    assert theirs is not None and theirs.allow_phone and not theirs.allow_email


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form("  member PERSON "), "name", "already goes by this name"),
        (form("Cora Coordinator", allow_email=True), "name", "already goes by this name"),
        (form("   "), "name", "Enter the name you want others to see."),
        (form("Sky", wants_reminders=True), "wants_reminders", "You have allowed no way to reach you"),
        (form("Sky", allow_phone=True, phone="303 555 0100", wants_reminders=True), "wants_reminders", "by email"),
        (form("Sky", allow_email=True, phone="303 555 0100"), "phone", "kept only while calls or texts"),
        (form("Sky", allow_text=True), "phone", "Enter the number for calls or texts"),
        (form("Sky", allow_phone=True, phone="call me"), "phone", "Enter a phone number like"),
        (form("Sky", allow_phone=True, phone="12"), "phone", "Enter a phone number like"),
        (form("Sky", legal_name="x" * 121), "legal_name", "Use at most 120 characters."),
        (form("Sky", safe_contact="x" * 501), "safe_contact", "Use at most 500 characters."),
    ],
)
def test_bad_input_is_a_422_at_the_field_and_changes_nothing(app, world, login_as, page, data, field, message):
    save(app, world.home, allow_email=True, safe_times="Mornings")
    before_name = name_of(app, world, "survivor_advisor")
    before = profile(app, world.home)
    response = login_as("survivor_advisor").post(page, data=data)
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert f'id="{field}-error"' in response.text  # at the field it is about
    assert name_of(app, world, "survivor_advisor") == before_name
    after = profile(app, world.home)
    assert after is not None and before is not None
    assert {f: getattr(after, f) for f in safety.FIELDS[1:]} == {f: getattr(before, f) for f in safety.FIELDS[1:]}
    assert len(audit_rows(app, world)) == 1  # the first save only


def test_a_refused_first_save_writes_no_profile(app, world, login_as, page):
    response = login_as("survivor_advisor").post(page, data=form("Sky", wants_reminders=True))
    assert response.status_code == 422 and profile(app, world.home) is None and audit_rows(app, world) == []


def test_the_database_refuses_a_number_without_calls_or_texts_and_reminders_without_email(app, world):
    from sqlalchemy.exc import IntegrityError

    from partnership_hub.advisory.safety_models import AdvisorProfile

    for values in ({"phone": "303 555 0100"}, {"allow_email": False, "wants_reminders": True}):
        with app.app_context():
            bind_tenant(db.session, world.home.id)
            db.session.add(AdvisorProfile(membership_id=world.home.membership_ids["survivor_advisor"], **values))
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


# --- what others see --------------------------------------------------------------------------------------


def test_how_to_reach_the_board_shows_allowed_channels_and_never_the_legal_name(app, world, login_as):
    seat_on_board(app, world.home, "survivor_advisor", "member", chair="survivor_advisor")
    save(
        app,
        world.home,
        legal_name=LEGAL_NAME,
        allow_email=False,
        allow_text=True,
        phone="+1 303 555 0142",
        safe_times="Weekdays 10am to 2pm",
        no_voicemail=True,
        safe_contact="Text first, then wait a day",
        safe_mode=True,
    )
    save(app, world.home, "member", allow_email=True)
    url = f"/p/{world.home.slug}/advisory"
    advisor = world.user("survivor_advisor")
    for role in ("coordinator", "survivor_advisor"):
        html = login_as(role).get(url).text
        assert "How to reach the board" in html, role
        panel = html.split("How to reach the board", 1)[1]
        assert advisor.name in panel and "Text messages" in panel and "+1 303 555 0142" in panel
        assert "Weekdays 10am to 2pm" in panel and "Do not leave voicemail." in panel
        assert "Text first, then wait a day" in panel and "Safe mode" in panel
        assert advisor.email not in panel  # email is not allowed
        assert world.user("member").email in panel  # theirs is
        assert LEGAL_NAME not in html
    # A board member without the roster permission keeps a link to their own page, and no table.
    seated_member = login_as("member").get(url).text
    assert "How to reach the board" not in seated_member and "Your contact and safety preferences" in seated_member
    assert "+1 303 555 0142" not in seated_member


def test_people_who_keep_no_preferences_get_no_panel(app, world, login_as):
    html = login_as("member").get(f"/p/{world.home.slug}/advisory").text
    assert "How to reach the board" not in html and "Your contact and safety preferences" not in html


def test_a_board_member_who_never_saved_is_reached_by_email_as_before(app, world, login_as):
    seat_on_board(app, world.home, "survivor_advisor", chair="survivor_advisor")
    html = login_as("coordinator").get(f"/p/{world.home.slug}/advisory").text
    panel = html.split("How to reach the board", 1)[1]
    assert world.user("survivor_advisor").email in panel and "Preferences not set yet" in panel


def test_the_people_page_shows_only_allowed_email_addresses(app, world, login_as):
    save(app, world.home, allow_email=False, allow_phone=True, phone="303 555 0100")
    advisor = world.user("survivor_advisor")
    base = f"/p/{world.home.slug}/people"
    coordinator = login_as("coordinator")
    html = coordinator.get(base).text
    assert advisor.name in html and advisor.email not in html and "Email not shared" in html
    assert world.user("member").email in html
    # A search by the hidden address finds nobody; by name it finds them, still without the address.
    by_email = coordinator.get(f"{base}?q={advisor.email}").text
    assert "Nobody listed here matches this search." in by_email and advisor.name not in by_email
    by_name = coordinator.get(f"{base}?q={advisor.name}").text
    assert advisor.name in by_name and advisor.email not in by_name.replace(f'value="{advisor.name}"', "")
    # Everyone sees their own.
    assert advisor.email in login_as("survivor_advisor").get(base).text


def test_representatives_and_the_directory_export_show_only_allowed_email(app, world, login_as):
    org_id = create_organization(app, world.home, "Voices Rising")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(
            Representative(organization_id=org_id, membership_id=world.home.membership_ids["survivor_advisor"])
        )
        db.session.commit()
    advisor = world.user("survivor_advisor")
    base = f"/p/{world.home.slug}"
    coordinator = login_as("coordinator")
    assert advisor.email in coordinator.get(f"{base}/organizations/{org_id}").text  # no preferences: as before
    save(app, world.home, allow_email=False)
    page_html = coordinator.get(f"{base}/organizations/{org_id}").text
    assert advisor.name in page_html and advisor.email not in page_html
    export = coordinator.get(f"{base}/organizations.csv").text
    assert advisor.name in export and advisor.email not in export
    assert advisor.email in login_as("survivor_advisor").get(f"{base}/organizations/{org_id}").text  # their own


def test_legal_names_are_read_for_the_given_members_only(app, world):
    save(app, world.home, legal_name=LEGAL_NAME, allow_email=True)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        ids = [world.home.membership_ids[role] for role in ("survivor_advisor", "member")]
        assert safety.legal_names(ctx, ids) == {world.home.membership_ids["survivor_advisor"]: LEGAL_NAME}
        assert safety.legal_names(ctx, [world.home.membership_ids["member"]]) == {}
        assert safety.legal_names(ctx, []) == {}
    with app.app_context():  # another partnership's context reads none of them
        other = context_for(world.other.id, world.other.members["coordinator"].id)
        assert safety.legal_names(other, ids) == {}


def test_the_feed_tells_only_the_person_of_their_preference_changes(app, world, login_as):
    """Coordinators read the activity feed; an advisor's changes are not in it (when someone turned safe mode
    on is theirs alone), a coordinator on the board sees their own."""
    seat_on_board(app, world.home, "coordinator")
    save(app, world.home, allow_email=True)
    label = "contact and safety preferences"
    feed = f"/p/{world.home.slug}/activity"
    assert label not in login_as("coordinator").get(feed).text
    save(app, world.home, "coordinator", allow_email=True)
    assert login_as("coordinator").get(feed).text.count(label) == 1


def test_the_setup_guide_counts_people_who_set_their_preferences(app, world):
    from partnership_hub.db import select_scalars

    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        assert select_scalars(db.session, safety.setup_facts(ctx)) == {"safety_profiles": 0}
    save(app, world.home, allow_email=True)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        assert select_scalars(db.session, safety.setup_facts(ctx)) == {"safety_profiles": 1}


def test_the_menu_entry_is_for_survivor_advisors(app, world, login_as):
    home = f"/p/{world.home.slug}/"
    assert "Contact &amp; safety" in login_as("survivor_advisor").get(home).text
    for role in ("coordinator", "member", "observer"):
        assert "Contact &amp; safety" not in login_as(role).get(home).text, role
