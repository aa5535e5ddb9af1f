"""Story and image consent (the pages): each role and an outsider, giving and withdrawing through the
forms, a coordinator's crafted withdrawal refused, bad input at its field with nothing written, the flags
on the consent page, the uses list and the home."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from partnership_hub.advisory import consent as services
from partnership_hub.advisory.consent_models import ConsentUse, StoryConsent
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.factories import seat_on_board


def url(world, path: str = "") -> str:
    return f"/p/{world.home.slug}/advisory/consent{path}"


def give(app, world, role="survivor_advisor", **fields) -> int:
    with app.app_context():
        ctx = context_for(world.home.id, world.user(role).id)
        data = {"shares": ["story", "name"], "purpose": "Awareness month video", **fields}
        consent = services.give_consent(ctx, data)
        db.session.commit()
        return consent.id


def add_use(app, world, consent_id: int, **fields) -> int:
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        data = {"title": "Awareness video page", "link": "https://example.org/v", "material": ["story"], **fields}
        use = services.add_use(ctx, services.get_consent(ctx, consent_id), data)
        db.session.commit()
        return use.id


def snapshot(app, world) -> tuple:
    """Everything a consent request could write."""
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        consents = [
            (c.id, c.withdrawn_at, c.withdrawal_note, c.ends_on, c.purpose)
            for c in db.session.scalars(select(StoryConsent).order_by(StoryConsent.id))
        ]
        uses = list(db.session.scalars(select(ConsentUse.id).order_by(ConsentUse.id)))
        audit = db.session.scalar(select(func.count(AuditEntry.id)))
        return consents, uses, audit


@pytest.fixture
def consent_id(app, world):
    return give(app, world)


# --- who sees what -------------------------------------------------------------------------------------


def test_coordinators_see_the_register_advisors_their_own_others_are_refused(app, world, login_as, consent_id):
    coordinator = login_as("coordinator").get(url(world))
    assert coordinator.status_code == 200
    assert "Awareness month video" in coordinator.text and "Survivor_Advisor Person" in coordinator.text
    assert (
        "Record a consent" in coordinator.text and 'aria-current="page">Story &amp; image consent<' in coordinator.text
    )

    advisor = login_as("survivor_advisor").get(url(world))
    assert advisor.status_code == 200
    assert "Your consents" in advisor.text and "Awareness month video" in advisor.text
    assert "Give consent" in advisor.text and 'name="membership_id"' not in advisor.text  # no picker: their own

    for role in ("member", "observer"):
        client = login_as(role)
        for path in ("", "/new", f"/{consent_id}", "/uses", "/pick/advisors"):
            assert client.get(url(world, path)).status_code == 403, (role, path)


def test_an_outsider_gets_404_everywhere(app, world, login_as, consent_id):
    use_id = add_use(app, world, consent_id)
    outsider = login_as(world.other.members["coordinator"])
    for method, path in (
        ("GET", ""),
        ("GET", f"/{consent_id}"),
        ("POST", f"/{consent_id}/withdraw"),
        ("POST", f"/{consent_id}/uses"),
        ("POST", f"/uses/{use_id}/remove"),
    ):
        assert outsider.open(url(world, path), method=method).status_code == 404, path
    # Under their own partnership's address the home partnership's ids are simply not there.
    own = f"/p/{world.other.slug}/advisory/consent"
    assert outsider.get(f"{own}/{consent_id}").status_code == 404
    assert outsider.post(f"{own}/uses/{use_id}/remove").status_code == 404


def test_another_advisors_consent_is_not_found(app, world, login_as, consent_id):
    seat_on_board(app, world.home, "member")
    member = login_as("member")
    assert member.get(url(world)).status_code == 200  # on the board: their own page, empty
    assert member.get(url(world, f"/{consent_id}")).status_code == 404
    assert member.post(url(world, f"/{consent_id}/withdraw")).status_code == 404


def test_the_board_page_points_advisors_to_their_consents(app, world, login_as):
    page = login_as("survivor_advisor").get(f"/p/{world.home.slug}/advisory").text
    assert "Your consents" in page
    assert "Story &amp; image consent" not in login_as("member").get(f"/p/{world.home.slug}/advisory").text


# --- giving consent -----------------------------------------------------------------------------------


def test_an_advisor_gives_consent_through_the_form(app, world, login_as):
    client = login_as("survivor_advisor")
    response = client.post(
        url(world, "/new"),
        data={"shares": ["image"], "purpose": "2027 annual report", "starts_on": "", "ends_on": ""},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Your consent: 2027 annual report" in page and "No end date: until it is withdrawn" in page
    assert "Withdraw my consent" in page


def test_a_coordinator_records_on_behalf_with_the_picker(app, world, login_as):
    client = login_as("coordinator")
    form = client.get(url(world, "/new")).text
    assert 'name="membership_id"' in form and "Survivor_Advisor Person" in form
    assert "Member Person" not in form  # only advisors and people on the board are offered
    advisor = world.home.membership_ids["survivor_advisor"]
    response = client.post(url(world, "/new"), data={"membership_id": advisor, "shares": ["story"], "purpose": "Talk"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "on the advisor's behalf" in page and "Withdraw my consent" not in page
    options = client.get(
        url(world, "/pick/advisors"), query_string={"field": "membership_id", "membership_id__q": "surv"}
    )
    assert "Survivor_Advisor Person" in options.text
    # The advisor sees it on their own page.
    assert "Talk" in login_as("survivor_advisor").get(url(world)).text


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"starts_on": "2030-03-10", "ends_on": "2030-03-01"}, "ends_on", "can&#39;t end before it starts"),
        ({"shares": []}, "shares", "Tick what may be shared"),
        ({"purpose": ""}, "purpose", "Say what it may be used for"),
        ({"starts_on": "31/12/2026"}, "starts_on", "YYYY-MM-DD"),
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_changes_nothing(app, world, login_as, data, field, words):
    before = snapshot(app, world)
    response = login_as("survivor_advisor").post(
        url(world, "/new"), data={"shares": ["story"], "purpose": "A talk", **data}
    )
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error and words in error.group(1), response.text
    assert snapshot(app, world) == before


def test_the_coordinator_form_refuses_someone_not_an_advisor(app, world, login_as):
    before = snapshot(app, world)
    member = world.home.membership_ids["member"]
    response = login_as("coordinator").post(
        url(world, "/new"), data={"membership_id": member, "shares": ["story"], "purpose": "Talk"}
    )
    assert response.status_code == 422 and 'id="membership_id-error"' in response.text
    assert snapshot(app, world) == before


# --- withdrawing -------------------------------------------------------------------------------------------


def test_the_advisor_withdraws_in_one_click(app, world, login_as, consent_id):
    add_use(app, world, consent_id)
    client = login_as("survivor_advisor")
    response = client.post(url(world, f"/{consent_id}/withdraw"))
    assert response.status_code == 302
    page = client.get(url(world, f"/{consent_id}")).text
    assert "This consent was withdrawn on" in page and "Withdraw my consent" not in page
    assert "Take this down: consent withdrawn on" in page
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        consent = db.session.get(StoryConsent, consent_id)
        assert consent is not None and consent.withdrawn_at is not None


def test_a_coordinator_cannot_withdraw_not_even_by_crafting_a_post(app, world, login_as, consent_id):
    before = snapshot(app, world)
    client = login_as("coordinator")
    assert "Withdraw my consent" not in client.get(url(world, f"/{consent_id}")).text
    assert client.post(url(world, f"/{consent_id}/withdraw"), data={"note": "on their behalf"}).status_code == 403
    assert snapshot(app, world) == before


def test_a_withdrawal_note_that_is_too_long_is_refused_at_the_field(app, world, login_as, consent_id):
    before = snapshot(app, world)
    response = login_as("survivor_advisor").post(url(world, f"/{consent_id}/withdraw"), data={"note": "x" * 1001})
    assert response.status_code == 422 and 'id="note-error"' in response.text
    assert snapshot(app, world) == before


# --- uses and their flags ------------------------------------------------------------------------------


def test_uses_are_added_and_removed_from_the_consent_page(app, world, login_as, consent_id):
    client = login_as("coordinator")
    response = client.post(
        url(world, f"/{consent_id}/uses"),
        data={"title": "Awareness video", "link": "https://example.org/v", "material": ["story", "name"]},
    )
    assert response.status_code == 302
    page = client.get(url(world, f"/{consent_id}")).text
    assert "Awareness video" in page and "Covered" in page
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        use_id = db.session.scalars(select(ConsentUse.id)).one()
    assert client.post(url(world, f"/uses/{use_id}/remove")).status_code == 302
    assert "No use of this material is recorded" in client.get(url(world, f"/{consent_id}")).text


def test_a_bad_use_is_refused_at_its_field_and_nothing_is_written(app, world, login_as, consent_id):
    before = snapshot(app, world)
    response = login_as("coordinator").post(
        url(world, f"/{consent_id}/uses"), data={"title": "Poster", "material": ["image"]}
    )
    assert response.status_code == 422 and 'id="material-error"' in response.text
    assert "does not cover the image" in response.text
    assert snapshot(app, world) == before


def test_a_use_under_a_withdrawn_consent_is_flagged_on_the_list_and_the_home(app, world, login_as, consent_id):
    add_use(app, world, consent_id, title="Awareness video page")
    coordinator = login_as("coordinator")
    assert "Material to take down" not in coordinator.get(f"/p/{world.home.slug}/").text
    login_as("survivor_advisor").post(url(world, f"/{consent_id}/withdraw"))

    home = coordinator.get(f"/p/{world.home.slug}/").text
    assert "Material to take down" in home and "1 place uses" in home
    uses = coordinator.get(url(world, "/uses?show=takedown")).text
    assert "Awareness video page" in uses and "Take this down: consent withdrawn on" in uses
    register = coordinator.get(url(world, "?status=withdrawn")).text
    assert "Awareness month video" in register and "to take down" in register
    # Adding a use under it now is refused with a message, nothing written.
    before = snapshot(app, world)
    refused = coordinator.post(url(world, f"/{consent_id}/uses"), data={"title": "Poster", "material": ["story"]})
    assert refused.status_code == 422 and "was withdrawn" in refused.text
    assert snapshot(app, world) == before
    # The advisor's page says what happens next, in their words; members never see the panel.
    assert "flagged for taking down" in login_as("survivor_advisor").get(url(world, f"/{consent_id}")).text
    assert "Material to take down" not in login_as("member").get(f"/p/{world.home.slug}/").text


def test_an_advisor_sees_where_their_material_is_used(app, world, login_as, consent_id):
    add_use(app, world, consent_id, title="Awareness video page")
    page = login_as("survivor_advisor").get(url(world, "/uses")).text
    assert "Where your material is used" in page and "Awareness video page" in page
    assert "Taken down" not in page and ">Remove<" not in page  # a coordinator recorded it


def test_the_htmx_filter_answers_with_the_results_block(app, world, login_as, consent_id):
    response = login_as("coordinator").get(url(world, "?status=active"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="consent-results"' in response.text and response.headers["HX-Push-Url"].endswith("?status=active")
