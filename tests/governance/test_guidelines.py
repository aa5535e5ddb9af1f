"""Guidelines: versioning (publish; never edited in place), the diff, acknowledgements, permissions per
role, bad input, the email on publish, "your work", the setup guide and the meetings' intended frequency."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.governance import guidelines
from partnership_hub.governance.guidelines_models import GuidelineAcknowledgement, GuidelineDocument, GuidelineVersion
from partnership_hub.workspaces.services import context_for
from tests.factories import outbox

V1 = {"member_input": "Members come **prepared**.", "meeting_every_weeks": "4", "dispute_resolution": "Talk first."}
V2 = V1 | {"meeting_every_weeks": "6", "dispute_resolution": "Talk first, then a facilitated discussion."}


def ctx(app, world, role: str = "coordinator"):
    return context_for(world.home.id, world.user(role).id)


def publish(app, world, data: dict, kind: str = "guidelines") -> tuple[int, int]:
    """Start (or continue) the draft, save ``data``, publish it; returns (document id, version id)."""
    with app.app_context():
        c = ctx(app, world)
        draft = guidelines.start_draft(c, kind)
        guidelines.save_draft(c, draft, data)
        document = db.session.get(GuidelineDocument, draft.document_id)
        version = guidelines.publish_draft(c, document)
        db.session.commit()
        return document.id, version.id


def versions(app, world) -> list[tuple]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        rows = db.session.execute(
            select(
                GuidelineVersion.id,
                GuidelineVersion.number,
                GuidelineVersion.member_input,
                GuidelineVersion.meeting_every_weeks,
                GuidelineVersion.dispute_resolution,
                GuidelineVersion.published_at,
            ).order_by(GuidelineVersion.id)
        )
        return [tuple(row) for row in rows]


def acks(app, world) -> int:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return db.session.scalar(select(func.count(GuidelineAcknowledgement.id))) or 0


def csrf(client, url: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text)
    assert match, url
    return match.group(1)


def base(world) -> str:
    return f"/p/{world.home.slug}/governance/guidelines"


# --- versioning ------------------------------------------------------------------------------------


def test_publishing_numbers_versions_and_a_new_draft_starts_from_the_current_one(app, world):
    document_id, first = publish(app, world, V1)
    with app.app_context():
        c = ctx(app, world)
        draft = guidelines.start_draft(c, "guidelines")
        assert draft.member_input == V1["member_input"] and draft.meeting_every_weeks == 4
        assert guidelines.start_draft(c, "guidelines").id == draft.id  # one draft at a time
        db.session.commit()
    _, second = publish(app, world, V2)
    rows = versions(app, world)
    assert [(row[0], row[1]) for row in rows] == [(first, 1), (second, 2)]
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(GuidelineDocument, document_id).current_number == 2


def test_a_published_version_is_never_edited_in_place(app, world, login_as):
    document_id, first = publish(app, world, V1)
    before = versions(app, world)
    with app.app_context():
        c = ctx(app, world)
        version = db.session.get(GuidelineVersion, first)
        with pytest.raises(ServiceError, match="never changed"):
            guidelines.save_draft(c, version, V2)
        db.session.rollback()

    client = login_as("coordinator")
    token = csrf(client, base(world))
    changed = {"csrf_token": token, "member_input": "Rewritten history", "meeting_every_weeks": "9"}
    # No route edits a version: its page is read-only and there is no edit address.
    assert client.post(f"{base(world)}/versions/{first}", data=changed).status_code == 405
    assert client.post(f"{base(world)}/versions/{first}/edit", data=changed).status_code == 404
    # The draft page edits the draft only; with no draft there is nothing to edit.
    assert client.post(f"{base(world)}/{document_id}/draft", data=changed).status_code == 404
    assert versions(app, world) == before


def test_the_draft_is_edited_freely_and_only_coordinators_see_it(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    client = login_as("coordinator")
    client.post(f"{base(world)}/start", data={"csrf_token": csrf(client, base(world)), "kind": "guidelines"})
    url = f"{base(world)}/{document_id}/draft"
    for text in ("First go.", "Second go."):
        response = client.post(url, data={"csrf_token": csrf(client, url), "member_input": text})
        assert response.status_code == 302
    draft = versions(app, world)[-1]
    assert draft[1] is None and draft[2] == "Second go." and draft[5] is None
    assert login_as("member").get(f"{base(world)}/versions/{draft[0]}").status_code == 404
    assert login_as("coordinator").get(f"{base(world)}/versions/{draft[0]}").status_code == 200


# --- the diff --------------------------------------------------------------------------------------------


def test_diff_text_marks_words_added_and_removed():
    parts = guidelines.diff_text("Meet every four weeks.", "Meet every six weeks.")
    assert ("del", "four") in parts and ("ins", "six") in parts
    assert "".join(text for op, text in parts if op != "ins") == "Meet every four weeks."
    assert "".join(text for op, text in parts if op != "del") == "Meet every six weeks."
    assert guidelines.diff_text("same", "same") == [("same", "same")]


def test_the_changes_page_shows_each_changed_section_accessibly(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    publish(app, world, V2)
    html = login_as("member").get(f"{base(world)}/{document_id}/changes?from=1&to=2").text
    removed = '<del><span class="visually-hidden">[removed: </span>4<span class="visually-hidden">]</span></del>'
    added = '<ins><span class="visually-hidden">[added: </span>6<span class="visually-hidden">]</span></ins>'
    assert f"Every {removed}{added} weeks" in html
    assert 'Expectations for member input <span class="muted">(unchanged)</span>' in html
    assert "[removed: </span>first.<span" in html
    assert "[added: </span>first, then a facilitated discussion.<span" in html


def test_what_changed_since_the_version_you_acknowledged(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    member = login_as("member")
    page = f"{base(world)}/{document_id}"
    member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)})
    publish(app, world, V2)
    html = member.get(page).text
    assert "You acknowledged version 1." in html
    assert f"{page}/changes?from=1&amp;to=2" in html or f"{page}/changes?to=2&amp;from=1" in html
    assert "From version 1 to version 2." in member.get(f"{page}/changes").text


# --- acknowledgements ------------------------------------------------------------------------------------


def test_acknowledging_once_then_again_after_a_new_version(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    member = login_as("member")
    page = f"{base(world)}/{document_id}"
    assert member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)}).status_code == 302
    assert acks(app, world) == 1
    assert member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)}).status_code == 302
    assert acks(app, world) == 1  # a second acknowledgement of the same version changes nothing
    assert "You acknowledged version 1." in member.get(page).text

    publish(app, world, V2)
    html = member.get(page).text
    assert "I acknowledge version 2" in html
    member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)})
    assert acks(app, world) == 2


def test_coordinators_see_who_has_not_acknowledged(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    member = login_as("member")
    page = f"{base(world)}/{document_id}"
    member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)})
    html = login_as("coordinator").get(f"{page}/pending").text
    listed = re.findall(r"<li>([^<]+)</li>", html.split('class="guideline-pending"')[1].split("</ul>")[0])
    # Observers are not asked; the member acknowledged.
    assert sorted(listed) == ["Cora Coordinator", "Survivor_Advisor Person"]
    assert "1 of 3 members acknowledged it" in html
    assert login_as("member").get(f"{page}/pending").status_code == 403


# --- permissions --------------------------------------------------------------------------------------------


def test_observers_read_but_do_not_acknowledge(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    observer = login_as("observer")
    page = f"{base(world)}/{document_id}"
    html = observer.get(page).text
    assert "Members come <strong>prepared</strong>." in html and "I acknowledge" not in html
    assert observer.post(f"{page}/acknowledge", data={"csrf_token": csrf(observer, page)}).status_code == 403
    assert acks(app, world) == 0


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_draft_and_publish(app, world, login_as, role):
    document_id, _ = publish(app, world, V1)
    with app.app_context():
        guidelines.start_draft(ctx(app, world), "guidelines")
        db.session.commit()
    before = versions(app, world)
    client = login_as(role)
    token = csrf(client, base(world))
    assert client.post(f"{base(world)}/start", data={"csrf_token": token, "kind": "agreement"}).status_code == 403
    draft = f"{base(world)}/{document_id}/draft"
    assert client.get(draft).status_code == 403
    assert client.post(draft, data={"csrf_token": token, "member_input": "Mine now"}).status_code == 403
    assert client.post(f"{base(world)}/{document_id}/publish", data={"csrf_token": token}).status_code == 403
    assert versions(app, world) == before


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "member_input", "Write at least one section"),
        ({"member_input": "   ", "meeting_notes": "\n"}, "member_input", "Write at least one section"),
        ({"member_input": "x", "meeting_every_weeks": "0"}, "meeting_every_weeks", "from 1 to 52"),
        ({"member_input": "x", "meeting_every_weeks": "53"}, "meeting_every_weeks", "from 1 to 52"),
        ({"member_input": "x", "meeting_every_weeks": "-4"}, "meeting_every_weeks", "from 1 to 52"),
        ({"member_input": "x", "meeting_every_weeks": "four"}, "meeting_every_weeks", "from 1 to 52"),
        ({"member_input": "x", "coordination_model": "dictator"}, "coordination_model", "sole coordinator"),
        ({"member_input": "x" * 20_001}, "member_input", "at most 20,000"),
    ],
)
def test_bad_draft_input_is_refused_at_the_field(app, world, login_as, data, field, message):
    client = login_as("coordinator")
    client.post(f"{base(world)}/start", data={"csrf_token": csrf(client, base(world)), "kind": "guidelines"})
    before = versions(app, world)
    document_id = _document_id(app, world)
    url = f"{base(world)}/{document_id}/draft"
    response = client.post(url, data={"csrf_token": csrf(client, url)} | data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert versions(app, world) == before


def test_an_empty_draft_is_not_published(app, world, login_as):
    client = login_as("coordinator")
    client.post(f"{base(world)}/start", data={"csrf_token": csrf(client, base(world)), "kind": "agreement"})
    document_id = _document_id(app, world)
    before = versions(app, world)
    response = client.post(f"{base(world)}/{document_id}/publish", data={"csrf_token": csrf(client, base(world))})
    assert response.status_code == 422 and "Write at least one section" in response.text
    assert versions(app, world) == before
    assert outbox(app, kind="guideline_to_acknowledge") == []


def _document_id(app, world) -> int:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return db.session.scalars(select(GuidelineDocument.id)).one()


# --- the email, your work, the setup guide, meeting health ----------------------------------------------


def test_publishing_emails_everyone_asked_to_acknowledge_once(app, world):
    document_id, version_id = publish(app, world, V1)
    sent = outbox(app, kind="guideline_to_acknowledge")
    assert sorted(message.to_address for message in sent) == sorted(
        world.user(role).email for role in ("member", "survivor_advisor")
    )  # not the observer, not the coordinator who published it
    assert {message.dedup_key for message in sent} == {
        f"guideline_to_acknowledge:version-{version_id}:{world.home.membership_ids[role]}"
        for role in ("member", "survivor_advisor")
    }
    assert f"/p/{world.home.slug}/governance/guidelines/{document_id}" in sent[0].text_body
    assert "Version 1 of the governance guidelines" in sent[0].text_body


def test_your_work_lists_guidelines_to_acknowledge_until_acknowledged(app, world, login_as):
    document_id, _ = publish(app, world, V1)
    member = login_as("member")
    home = f"/p/{world.home.slug}/"
    assert "Guidelines to acknowledge" in member.get(home).text
    assert f"/governance/guidelines/{document_id}#acknowledge" in member.get(home).text
    page = f"{base(world)}/{document_id}"
    member.post(f"{page}/acknowledge", data={"csrf_token": csrf(member, page)})
    assert f"/governance/guidelines/{document_id}#acknowledge" not in member.get(home).text
    assert "Guidelines to acknowledge" not in login_as("observer").get(home).text


def test_the_setup_guide_ticks_governance_guidelines_once_published(app, world, login_as):
    client = login_as("coordinator")
    done_text = "Governance guidelines are published for members to acknowledge"
    assert done_text not in client.get(f"/p/{world.home.slug}/setup").text
    publish(app, world, V1)
    html = client.get(f"/p/{world.home.slug}/setup").text
    assert done_text in html and f"/p/{world.home.slug}/governance/guidelines" in html


def test_meeting_health_prefers_the_published_guidelines_frequency(app, world):
    from partnership_hub.meetings.health import meeting_health

    with app.app_context():
        c = ctx(app, world)
        c.partnership.meetings_every_weeks = 2
        db.session.commit()
    with app.app_context():
        assert guidelines.meeting_frequency_weeks(ctx(app, world)) is None
        assert meeting_health(ctx(app, world)).frequency.intended_weeks == 2
    publish(app, world, V1)
    with app.app_context():
        assert guidelines.meeting_frequency_weeks(ctx(app, world)) == 4
        assert meeting_health(ctx(app, world)).frequency.intended_weeks == 4
