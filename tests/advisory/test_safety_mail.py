"""Every email to an advisor honours their preferences (issue #13, item 3): in safe mode each message the
product sends them is the neutral notice — none of ``SENSITIVE_WORDS``, no partnership, no slug, one link
to the front page — and someone who allows no email gets none (account mail excepted)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from partnership_hub.advisory import safety
from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.governance import guidelines
from partnership_hub.governance.guidelines_models import GuidelineDocument
from partnership_hub.meetings import agenda, attendance, minutes, services
from partnership_hub.meetings.models import MeetingKind
from partnership_hub.notifications import mail
from partnership_hub.notifications.services import SAFE_SUBJECT, mail_verdict, queue_email
from partnership_hub.workspaces.services import context_for
from tests.advisory.safety_helpers import save
from tests.factories import outbox, seed_records

ROOT = Path(__file__).resolve().parents[2]
# Sent to people in a partnership, so the advisor's preferences apply; checked below against the source.
PARTNERSHIP_KINDS = {
    "guideline_to_acknowledge",
    "agenda_published",  # published and updated
    "minutes_published",
}
NEUTRAL_SENDER = "Notices <no-reply@mail.example.org>"
PAST = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _schedule(ctx, title: str, day: date, kind: MeetingKind = MeetingKind.FULL_PARTNERSHIP, now=None) -> int:
    request = services.ScheduleRequest(title, kind, day, time(10, 0), time(11, 30))
    return services.schedule_meeting(ctx, request.data(), now or utcnow()).id


def send_every_kind(app, home) -> None:
    """Make the product send each kind of partnership email the advisor can get: every area's route-walk
    records (the board seats the advisor as its chair; a participation request reaches them), a new version
    of the governance guidelines, an advisory board meeting's agenda published then updated, and the
    minutes of a meeting they attended."""
    seed_records(app, home)
    ids = home.membership_ids
    with app.app_context():
        coordinator = context_for(home.id, home.members["coordinator"].id)
        draft = guidelines.start_draft(coordinator, "guidelines")
        guidelines.save_draft(coordinator, draft, {"member_input": "Survivor advisory board input on trafficking."})
        guidelines.publish_draft(coordinator, db.session.get(GuidelineDocument, draft.document_id))
        db.session.commit()

        chair = context_for(home.id, home.members["survivor_advisor"].id)
        soon = chair.today() + timedelta(days=9)
        board_meeting = _schedule(
            chair, "Survivor advisory board: confidential dispute", soon, MeetingKind.ADVISORY_BOARD
        )
        meeting = services.get_meeting(chair, board_meeting)[0]
        item = {"title": "Trafficking survivors' labor exploitation", "kind": "discussion", "minutes_allotted": "20"}
        agenda.add_item(chair, meeting, item)
        agenda.publish_agenda(chair, meeting)
        agenda.add_item(chair, meeting, item | {"title": "Abuse and assault follow-up"})
        agenda.publish_agenda(chair, meeting)
        db.session.commit()

        held = _schedule(coordinator, "Partnership meeting minutes", date(2026, 3, 10), now=PAST)
        later = _schedule(coordinator, "Next partnership meeting", date(2026, 3, 11), now=PAST)
        after = PAST + timedelta(days=10)
        meeting = services.get_meeting(coordinator, held)[0]
        minutes.save_minutes(coordinator, meeting, {"body": "Sexual exploitation case discussed."})
        attendance.record_attendance(
            coordinator,
            meeting,
            {"shown": [str(ids["survivor_advisor"])], "attended": [str(ids["survivor_advisor"])]},
            after,
        )
        minutes.approve_minutes(coordinator, meeting, {"approved_in_meeting_id": str(later)}, after)
        minutes.publish_minutes(coordinator, meeting, after)
        db.session.commit()


def problems(message, home) -> list[str]:
    """What in a queued message (as it would be sent: every header but the advisor's own address, both
    bodies) could tell a reader what it is about."""
    email = mail.build_message(message)
    parts = {name: str(value) for name, value in email.items() if name.lower() != "to"}
    parts["text"], parts["html"] = message.text_body, message.html_body
    found = []
    for where, text in parts.items():
        lowered = text.lower()
        found += [f"{message.kind} {where}: {word!r}" for word in safety.SENSITIVE_WORDS if word.lower() in lowered]
        found += [f"{message.kind} {where}: {what}" for what in (home.slug, home.name.lower()) if what in lowered]
    links = re.findall(r"https?://\S+", message.text_body)
    if links != ["http://localhost/"] or re.findall(r'href="([^"]+)"', message.html_body) != ["http://localhost/"]:
        found.append(f"{message.kind}: links {links}")
    return found


def test_every_email_to_an_advisor_in_safe_mode_is_the_neutral_notice(app, world):
    app.config["MAIL_DEFAULT_SENDER"] = NEUTRAL_SENDER  # the sender is the operator's to choose (see the report)
    home = world.home
    save(app, home, allow_email=True, safe_mode=True, wants_reminders=True)
    send_every_kind(app, home)
    advisor = home.members["survivor_advisor"].email
    received = outbox(app, to=advisor)
    expected = PARTNERSHIP_KINDS | {"advisory_request"}  # the board's participation request reaches the chair
    assert expected <= {m.kind for m in received}, sorted({m.kind for m in received})
    with app.app_context():
        found = [problem for message in received for problem in problems(message, home)]
    assert not found, "\n".join(found)
    assert all(m.subject == SAFE_SUBJECT for m in received)
    # Nor a List-Unsubscribe header: its token is signed, not encrypted, and would name the kind.
    assert all(m.headers is None for m in received)
    # Only their mail changes: the others get the message as it is.
    member = outbox(app, to=home.members["member"].email, kind="guideline_to_acknowledge")
    assert member and "acknowledge" in member[0].subject.lower()
    with app.app_context():
        assert problems(member[0], home)  # the check finds what an ordinary message says
    # Each keeps its kind and deduplication key, so a retried request still cannot queue it twice.
    membership_id = home.membership_ids["survivor_advisor"]
    keys = {m.kind: m.dedup_key for m in received}
    assert keys["guideline_to_acknowledge"].startswith("guideline_to_acknowledge:version-")
    assert keys["guideline_to_acknowledge"].endswith(f":{membership_id}")
    assert keys["minutes_published"].endswith(f":{membership_id}")


def test_every_email_template_the_product_sends_is_replaced_in_safe_mode(app, world):
    """The rule does not depend on the kind: whatever a new feature mails (any template, any subject), a
    person in safe mode gets the neutral notice, under the message's own kind and deduplication key."""
    home = world.home
    save(app, home, allow_email=True, safe_mode=True, wants_reminders=True)  # reminders too, then
    advisor = home.members["survivor_advisor"].email
    templates = sorted(p.stem for p in (ROOT / "templates" / "email").glob("*.txt") if p.stem != "safe_update")
    assert len(templates) >= 6
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        for template in templates:
            queued = queue_email(
                kind=template,
                dedup_key=f"{template}:safe-mode-check",
                to=advisor,
                subject="Survivor advisory board: trafficking dispute minutes",
                template=template,  # never rendered: the notice stands in for it
                partnership_id=home.id,
                partnership=ctx.partnership,
            )
            assert queued is not None
        db.session.commit()
    received = {m.kind: m for m in outbox(app, to=advisor)}
    assert sorted(received) == templates
    for template, message in received.items():
        assert message.dedup_key == f"{template}:safe-mode-check"
        assert message.subject == SAFE_SUBJECT and "trafficking" not in message.text_body.lower()


def test_an_advisor_who_allows_no_email_gets_none(app, world):
    home = world.home
    save(app, home, allow_email=False, allow_text=True, phone="+1 303 555 0142")
    send_every_kind(app, home)
    assert outbox(app, to=home.members["survivor_advisor"].email) == []
    # Everyone else is mailed as usual.
    assert "guideline_to_acknowledge" in {m.kind for m in outbox(app, to=home.members["member"].email)}


def test_account_mail_still_reaches_someone_who_allows_no_email(app, world):
    """A password reset or an address to confirm belongs to no partnership: it is how a person gets back
    into their own account, so it always goes (and holds no partnership's name)."""
    from partnership_hub.accounts import services as accounts

    save(app, world.home, allow_email=False)
    with app.app_context():
        accounts.request_password_reset(world.home.members["survivor_advisor"].email)
        db.session.commit()
    [reset] = outbox(app, to=world.home.members["survivor_advisor"].email)
    assert reset.kind == "reset_password" and world.home.name not in reset.text_body


@pytest.mark.parametrize(
    ("prefs", "kind", "verdict"),
    [
        ({}, "agenda_published", "send"),
        ({"allow_email": True}, "agenda_published", "send"),
        ({"allow_email": True, "safe_mode": True}, "agenda_published", "safe"),
        ({"allow_email": False, "safe_mode": True}, "agenda_published", "drop"),
        ({"allow_email": True}, "meeting_reminder", "drop"),
        ({"allow_email": True, "wants_reminders": True}, "meeting_reminder", "send"),
        ({"allow_email": True, "wants_reminders": True, "safe_mode": True}, "meeting_reminder", "safe"),
    ],
)
def test_the_rule(app, world, prefs, kind, verdict):
    if prefs:
        save(app, world.home, **prefs)
    advisor = world.home.members["survivor_advisor"].email
    with app.app_context():
        context_for(world.home.id, world.home.members["coordinator"].id)
        assert mail_verdict(world.home.id, advisor.upper(), kind) == verdict
        assert mail_verdict(world.home.id, world.home.members["member"].email, kind) == "send"
        assert mail_verdict(None, advisor, kind) == "send"  # account mail


def test_the_rule_reads_the_preferences_of_the_partnership_the_mail_is_for(app, world):
    """Preferences are per partnership: safe mode in one says nothing about mail from another."""
    from partnership_hub.workspaces.models import Role
    from tests.factories import add_member

    add_member(app, world.other, world.home.members["survivor_advisor"], Role.SURVIVOR_ADVISOR)
    save(app, world.home, allow_email=True, safe_mode=True)
    advisor = world.home.members["survivor_advisor"].email
    with app.app_context():
        context_for(world.other.id, world.other.members["coordinator"].id)
        assert mail_verdict(world.other.id, advisor, "agenda_published") == "send"
        with pytest.raises(RuntimeError):  # mail for one partnership while another is bound: a bug, loudly
            mail_verdict(world.home.id, advisor, "agenda_published")


def queued_kinds() -> set[str]:
    """The kinds every ``queue_email(...)`` call in the product passes: a literal, or the literals of the
    ``kind = ...`` line the call's ``kind=kind`` refers to; and every declared notice kind, which
    ``notices.notify`` passes on (its own call is the generic one)."""
    from partnership_hub import areas

    kinds: set[str] = {kind.key for kind in areas.notice_kinds()}
    for path in (ROOT / "partnership_hub").rglob("*.py"):
        if path.name == "notices.py" and path.parent.name == "notifications":
            continue
        text = path.read_text()
        for call in re.finditer(r"queue_email\(\s*\n(.*?)\n\s*\)", text, re.S):
            argument = re.search(r"kind=(\"[a-z_]+\"|\w+),", call.group(1))
            if argument is None:
                continue
            if argument.group(1).startswith('"'):
                kinds.add(argument.group(1).strip('"'))
                continue
            before = text[: call.start()]
            assigned = re.findall(rf"\n\s*{argument.group(1)} = (.+)", before)
            assert assigned, f"{path.name}: where does {argument.group(1)!r} come from?"
            kinds.update(re.findall(r'"([a-z_]+)"', assigned[-1]))
    return kinds


def test_every_kind_of_email_in_the_source_is_known_here():
    """A new kind of email needs a look here: the rule covers it already (``queue_email`` asks it for every
    message), and the end-to-end test above should send it."""
    account = {"verify_email", "reset_password"}  # no partnership: always sent
    invitation = {"invitation"}  # to an address not yet in the partnership
    # Every notice kind an area declares and the digest: through ``queue_email`` like the rest, so the rule
    # applies; the template test above replaces every template there is.
    from partnership_hub import areas

    notices = {kind.key for kind in areas.notice_kinds()} | {"digest"}
    known = PARTNERSHIP_KINDS | account | invitation | notices
    found = queued_kinds()
    assert PARTNERSHIP_KINDS | account <= found
    assert found <= known, f"new kinds of email: {sorted(found - known)}; add them to the safe-mode tests"
