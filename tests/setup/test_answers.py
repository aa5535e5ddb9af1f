"""The setup guide inside the app: every question shows the toolkit's guidance (or where the app answers
it), and coordinators record the partnership's answers and notes, with who and when."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from partnership_hub import toolkit
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.setup import guide, services
from partnership_hub.setup.models import SetupGuideAnswer, SetupGuideMark
from partnership_hub.workspaces.services import context_for
from tests.budget import assert_fixed_cost
from tests.factories import create_partnership, create_user


def item_html(page: str) -> dict[str, str]:
    """Each question's <li> on the guide page, by question key."""
    parts = re.split(r'<li class="setup-item [^"]*" id="item-', page)[1:]
    return {part.split('"', 1)[0]: html.unescape(part) for part in parts}


def answers(app, partnership_id: int) -> list[SetupGuideAnswer]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        rows = db.session.scalars(select(SetupGuideAnswer).order_by(SetupGuideAnswer.id)).all()
        db.session.expunge_all()
        return list(rows)


# --- guidance ---------------------------------------------------------------------------------------


def test_every_question_has_the_toolkits_guidance_or_a_page_that_answers_it():
    for item in guide.ITEMS.values():
        assert item.guidance or item.endpoint, f"{item.key}: no guidance and no page"
        for block in item.guidance:
            assert block.title and (block.points or block.link), item.key


def test_questions_no_page_answers_yet_name_the_area_that_will(app):
    for item in guide.ITEMS.values():
        if item.endpoint is None and item.planned:
            assert item.planned in guide.PLANNED_AREAS, item.key
            assert item.planned_area
    # Every area the guide promised has landed: each planned question is answered by its area's page.
    assert [key for key, item in guide.ITEMS.items() if item.planned_area] == []
    for key in ("meetings", "guidelines", "funding_sources", "in_kind", "awareness_days", "advisory_board"):
        assert guide.ITEMS[key].planned_area == "" and guide.ITEMS[key].endpoint, key
    assert guide.ITEMS["vision"].planned_area == ""  # answered on the profile page


def test_the_page_shows_each_questions_guidance_or_where_the_app_answers_it(world, login_as):
    page = login_as("observer").get(f"/p/{world.home.slug}/setup")
    assert page.status_code == 200
    items = item_html(page.text)
    assert set(items) == set(guide.ITEMS)
    for key, item in guide.ITEMS.items():
        shown = items[key]
        assert any(block.title in shown for block in item.guidance) or "Answered in the app at" in shown, key
        if item.guidance:
            assert "Toolkit guidance" in shown, key
        if item.planned_area:
            assert f"The app's {item.planned_area} area, where this will be answered, is not built yet" in shown, key


@pytest.mark.parametrize(
    ("key", "texts"),
    [
        ("meetings", toolkit.MEETING_PRINCIPLES),
        (
            "trauma_informed",
            [*(a.label for a in toolkit.TRAUMA_INFORMED_AREAS), *(r.description for r in toolkit.FOUR_RS)],
        ),
        ("survivor_centered", [p.label for p in toolkit.TRAUMA_INFORMED_PRINCIPLES]),
        ("awareness_days", ["July 30", "World Day Against Trafficking in Persons", "Tuesday after Thanksgiving"]),
        ("funding_sources", [c.label for c in toolkit.FUNDING_SOURCE_TYPES]),
        ("in_kind", [c.label for c in toolkit.IN_KIND_TYPES]),
        ("coordination", [*toolkit.CONFLICT_LEADERSHIP, *(c.description for c in toolkit.COORDINATION_MODELS)]),
        ("stage", toolkit.STAGE_NOTES),
        ("definition", toolkit.PARTNERSHIP_DEFINITION),
        ("membership", ["Parallel Movements", "Sex worker rights"]),
        ("confidentiality", toolkit.FEDERAL_CONFIDENTIALITY_LAWS),
    ],
)
def test_guidance_is_the_toolkits_reference_data(world, login_as, key, texts):
    shown = item_html(login_as("member").get(f"/p/{world.home.slug}/setup").text)[key]
    for text in texts:
        assert text in shown, (key, text)


def test_pages_the_viewer_may_open_are_linked(world, login_as):
    items = item_html(login_as("coordinator").get(f"/p/{world.home.slug}/setup").text)
    assert f'href="/p/{world.home.slug}/profile"' in items["vision"]
    assert "Answered in the app at" in items["action_plan"] and "/actions" in items["action_plan"]


# --- recording answers ------------------------------------------------------------------------------


def test_a_coordinator_records_an_answer_with_who_and_when(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/setup"
    text = "Monthly meetings; disputes go to the two coordinators first.\nReviewed every January."
    response = client.post(f"{url}/answer", data={"item_key": "sustainability", "text": text, "addressed": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#item-sustainability")

    [answer] = answers(app, world.home.id)
    assert (answer.item_key, answer.text, answer.recorded_by_id) == (
        "sustainability",
        text,
        world.user("coordinator").id,
    )
    assert answer.recorded_at is not None
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark.item_key)).all() == ["sustainability"]  # a mark with a note
        assert "setup.answered" in db.session.scalars(select(AuditEntry.action)).all()
        assert all(text not in str(entry.details) for entry in db.session.scalars(select(AuditEntry)))

    # Everyone reads it, with who recorded it and when.
    shown = item_html(login_as("observer").get(url).text)["sustainability"]
    assert f"Answer recorded by {world.user('coordinator').name} on" in shown
    assert "Monthly meetings; disputes go to the two coordinators first." in shown
    assert "Record" not in shown  # observers read; they do not record


def test_the_newest_answer_shows_and_a_note_can_leave_the_question_open(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/setup"
    client.post(f"{url}/answer", data={"item_key": "sustainability", "text": "First thoughts"})
    client.post(f"{url}/answer", data={"item_key": "sustainability", "text": "Agreed at the June meeting"})
    shown = item_html(client.get(url).text)["sustainability"]
    assert "Agreed at the June meeting" in shown and "First thoughts" not in shown
    assert len(answers(app, world.home.id)) == 2  # the earlier answer is kept
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark)).all() == []  # "addressed" left unticked: still open
    assert 'class="badge">Open' in shown


def test_a_note_on_a_question_the_data_answers_records_no_mark(app, world, login_as):
    client = login_as("coordinator")
    data = {"item_key": "vision", "text": "Draft at the retreat", "addressed": "y"}
    response = client.post(f"/p/{world.home.slug}/setup/answer", data=data)
    assert response.status_code == 302
    assert [a.item_key for a in answers(app, world.home.id)] == ["vision"]
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(SetupGuideMark)).all() == []


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_record_answers(app, world, login_as, role):
    client = login_as(role)
    response = client.post(f"/p/{world.home.slug}/setup/answer", data={"item_key": "trust", "text": "We meet."})
    assert response.status_code == 403
    assert answers(app, world.home.id) == []
    page = client.get(f"/p/{world.home.slug}/setup").text
    assert 'name="text"' not in page and "Record an answer" not in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the answer or note first."),
        ("   \n  ", "Write the answer or note first."),
        ("x" * (services.ANSWER_MAX + 1), f"Use at most {services.ANSWER_MAX:,} characters."),
    ],
)
def test_bad_answers_are_refused_at_the_field(app, world, login_as, text, message):
    client = login_as("coordinator")
    response = client.post(f"/p/{world.home.slug}/setup/answer", data={"item_key": "conflict", "text": text})
    assert response.status_code == 422
    shown = item_html(response.text)["conflict"]
    assert 'id="answer-conflict-error"' in shown and message in shown
    assert 'aria-invalid="true"' in shown and '<details class="setup-more setup-record" open>' in shown
    other = item_html(response.text)["trust"]
    assert message not in other and 'aria-invalid="true"' not in other
    assert answers(app, world.home.id) == []


def test_a_refusal_over_htmx_comes_back_in_the_guide_block(world, login_as):
    client = login_as("coordinator")
    response = client.post(
        f"/p/{world.home.slug}/setup/answer", data={"item_key": "conflict", "text": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="setup-guide"' in response.text
    assert "Write the answer or note first." in response.text


def test_recording_over_htmx_answers_with_the_guide_block(world, login_as):
    client = login_as("coordinator")
    response = client.post(
        f"/p/{world.home.slug}/setup/answer",
        data={"item_key": "trust", "text": "Check-ins every quarter"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "Answer recorded." in response.text
    assert "Check-ins every quarter" in response.text


def test_unknown_or_missing_questions_are_refused(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/setup/answer"
    assert client.post(url, data={"item_key": "no-such-question", "text": "x"}).status_code == 404
    assert client.post(url, data={"item_key": "no-such-question", "text": ""}).status_code == 404
    assert client.post(url, data={"text": "x"}).status_code == 400
    assert answers(app, world.home.id) == []


def test_the_service_refuses_what_the_form_would(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        with pytest.raises(ServiceError) as refused:
            services.record_answer(ctx, "trust", "  ")
        assert refused.value.field == "text"
        with pytest.raises(ServiceError):
            services.record_answer(ctx, "trust", "x" * (services.ANSWER_MAX + 1))
        with pytest.raises(NotFound):
            services.record_answer(ctx, "nothing", "x")


def test_another_partnerships_answers_never_show(app, world, login_as):
    with app.app_context():
        ctx = context_for(world.other.id, world.other.members["coordinator"].id)
        services.record_answer(ctx, "trust", "The other partnership's private answer")
        db.session.commit()
    assert "private answer" not in login_as("coordinator").get(f"/p/{world.home.slug}/setup").text


def test_the_guide_costs_the_same_with_no_answers_and_with_many(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    with app.app_context():
        ctx = context_for(large.id, large.members["coordinator"].id)
        for n in range(120):
            key = list(guide.ITEMS)[n % len(guide.ITEMS)]
            services.record_answer(ctx, key, f"Answer {n}", addressed=True)
        db.session.commit()
    assert_fixed_cost(app, small, large, "/setup")
