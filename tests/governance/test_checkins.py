"""Trust check-ins: the anonymity threshold, a second answer, unlinkability of who answered and what,
permissions per role, bad input, "your work", the setup guide and the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.governance import checkins
from partnership_hub.governance.checkins_models import CheckinParticipation, CheckinResponse, TrustCheckin
from partnership_hub.notifications.models import OutboxMessage
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.factories import add_member, create_user

BASE = "/governance/checkins"


def open_checkin(app, partnership, **fields) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        data = checkins.CheckinData(
            fields.get("opens_on", today), fields.get("closes_on", today + timedelta(days=14)), fields.get("minimum", 5)
        )
        checkin = checkins.open_checkin(ctx, data)
        db.session.commit()
        return checkin.id


def answer(app, partnership, who: str, scores=(4, 4, 4, 4), comment: str = "") -> None:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        checkin = db.session.scalars(select(TrustCheckin).order_by(TrustCheckin.id.desc())).first()
        keys = ("trust", "shared_goals", "equal_voice", "disagreement")
        checkins.answer_checkin(
            ctx, checkin, checkins.AnswerData(dict(zip(keys, map(str, scores), strict=True)), comment)
        )
        db.session.commit()


def close(app, partnership, checkin_id: int) -> None:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        checkins.close_checkin(ctx, checkins.get_checkin(ctx, checkin_id))
        db.session.commit()


def members(app, partnership, count: int) -> list[str]:
    keys = [f"m{n}" for n in range(count)]
    for key in keys:
        add_member(app, partnership, create_user(app), Role.MEMBER, key=key)
    return keys


def counts(app, partnership) -> tuple[int, int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return (
            db.session.scalar(select(func.count()).select_from(CheckinParticipation)),
            db.session.scalar(select(func.count()).select_from(CheckinResponse)),
        )


def form(scores=("4", "4", "4", "4"), comment="") -> dict:
    return dict(zip(("trust", "shared_goals", "equal_voice", "disagreement"), scores, strict=True)) | {
        "comment": comment
    }


# --- the threshold -----------------------------------------------------------------------------------------


def test_four_responses_show_nothing_but_the_count(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    for n, key in enumerate(members(app, world.home, 4)):
        answer(app, world.home, key, (n + 1, 2, 3, 4), comment=f"secret comment {n}")
    close(app, world.home, checkin_id)

    html = login_as("coordinator").get(f"/p/{world.home.slug}{BASE}/{checkin_id}").text
    assert "4 of 5 responses so far — results appear at 5" in html
    assert "secret comment" not in html and "Average" not in html
    index = login_as("member").get(f"/p/{world.home.slug}{BASE}").text
    assert "Too few answers for results" in index and "secret comment" not in index
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        result = checkins.checkin_results(ctx, checkins.get_checkin(ctx, checkin_id))
        assert (result.responses, result.shown, result.questions, result.comments) == (4, False, (), ())


def test_five_responses_show_aggregates_once_closed(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    for n, key in enumerate(members(app, world.home, 5)):
        answer(app, world.home, key, (n + 1, 5, 4, 1 if n < 2 else 3), comment=f"comment {n}" if n % 2 else "")
    # Still open: no results, so a new answer can never be read off a change in them.
    open_page = login_as("coordinator").get(f"/p/{world.home.slug}{BASE}/{checkin_id}").text
    assert "5 responses so far — results appear when the check-in closes" in open_page
    assert "comment 1" not in open_page

    close(app, world.home, checkin_id)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        result = checkins.checkin_results(ctx, checkins.get_checkin(ctx, checkin_id))
    assert result.shown and result.responses == 5
    trust, goals, _voice, disagreement = result.questions
    assert (trust.mean, trust.counts) == (3.0, (1, 1, 1, 1, 1))
    assert (goals.mean, goals.counts) == (5.0, (0, 0, 0, 0, 5))
    assert (disagreement.mean, disagreement.counts) == (2.2, (2, 0, 3, 0, 0))
    assert sorted(result.comments) == ["comment 1", "comment 3"] and result.comments_total == 2

    html = login_as("observer").get(f"/p/{world.home.slug}{BASE}/{checkin_id}").text
    assert "5 people answered" in html and "comment 3" in html and "3.0" in html


# --- a second answer ----------------------------------------------------------------------------------


def test_a_second_answer_is_refused_and_changes_nothing(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    client = login_as("member")
    url = f"/p/{world.home.slug}{BASE}/{checkin_id}/answer"
    assert client.post(url, data=form(("5", "5", "5", "5"), "first")).status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        before = [(r.trust, r.comment) for r in db.session.scalars(select(CheckinResponse))]

    again = client.post(url, data=form(("1", "1", "1", "1"), "second"))
    assert again.status_code == 422
    assert "You have already answered this check-in" in again.text
    assert counts(app, world.home) == (1, 1)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert [(r.trust, r.comment) for r in db.session.scalars(select(CheckinResponse))] == before == [(5, "first")]
    # The form is not offered again.
    assert "You have already answered" in client.get(url).text
    assert "Answer the check-in" not in client.get(f"/p/{world.home.slug}{BASE}").text


# --- unlinkability ----------------------------------------------------------------------------------------


def test_the_response_table_holds_nothing_that_names_a_person_or_a_time(owner_engine, database):
    schema = inspect(owner_engine)
    responses = {c["name"] for c in schema.get_columns("checkin_responses")}
    assert responses == {
        "id",
        "partnership_id",
        "checkin_id",
        "trust",
        "shared_goals",
        "equal_voice",
        "disagreement",
        "comment",
    }
    participations = {c["name"] for c in schema.get_columns("checkin_participations")}
    assert participations == {"id", "partnership_id", "checkin_id", "membership_id"}
    # No time in either (not even a day), and no foreign key from a response to a person.
    for table in ("checkin_responses", "checkin_participations"):
        kinds = {str(c["type"]).upper() for c in schema.get_columns(table)}
        assert not any("DATE" in kind or "TIME" in kind for kind in kinds), (table, kinds)
    referred = {fk["referred_table"] for fk in schema.get_foreign_keys("checkin_responses")}
    assert referred == {"partnerships", "trust_checkins"}


def _physical_order(owner_engine, partnership_id: int) -> list[str]:
    """The responses' comments in the order the database stores them (SQLite's rowid, PostgreSQL's ctid),
    read as the tables' owner."""
    with owner_engine.begin() as conn:
        if owner_engine.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('app.partnership_id', :p, true)"), {"p": str(partnership_id)})
            return list(conn.scalars(text("SELECT comment FROM checkin_responses ORDER BY ctid")))
        return list(conn.scalars(text("SELECT comment FROM checkin_responses ORDER BY rowid")))


def test_nothing_orders_or_joins_the_responses_like_the_participations(app, world, owner_engine):
    open_checkin(app, world.home)
    keys = members(app, world.home, 8)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        audited_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
        mail_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    for n, key in enumerate(keys):
        answer(app, world.home, key, comment=f"answer {n}")

    answered = [f"answer {n}" for n in range(8)]
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        participation_order = list(
            db.session.scalars(select(CheckinParticipation.membership_id).order_by(CheckinParticipation.id))
        )
        assert participation_order == [world.home.membership_ids[k] for k in keys]  # the answering order
        by_key = list(db.session.scalars(select(CheckinResponse.comment).order_by(CheckinResponse.id)))
        # Answering wrote no audit entry and no mail: neither says who answered when.
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audited_before
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mail_before
    assert sorted(by_key) == answered
    # Eight answers: the chance that a random order matches the answering order is 1 in 40,320.
    assert by_key != answered, "response keys follow the answering order"
    stored = _physical_order(owner_engine, world.home.id)
    assert sorted(stored) == answered
    assert stored != answered, "the responses are stored in the answering order"
    assert stored == by_key  # rewritten in the order of their random keys


@pytest.mark.postgres
def test_no_transaction_id_joins_a_response_to_its_participation(app, world, owner_engine):
    """PostgreSQL stamps every row with the transaction that wrote it (``xmin``): every live response
    carries the newest answer's, so none points at an earlier participation."""
    open_checkin(app, world.home)
    for n, key in enumerate(members(app, world.home, 6)):
        answer(app, world.home, key, comment=f"answer {n}")
    with owner_engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.partnership_id', :p, true)"), {"p": str(world.home.id)})
        responses = set(conn.scalars(text("SELECT xmin::text FROM checkin_responses")))
        participations = list(conn.scalars(text("SELECT xmin::text FROM checkin_participations ORDER BY id")))
    assert len(responses) == 1
    assert responses & set(participations[:-1]) == set()


def test_the_audit_trail_says_opened_and_closed_and_never_who_answered(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    answer(app, world.home, "member")
    close(app, world.home, checkin_id)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "trust_checkin")).all()
        assert [(e.action, e.actor_id) for e in entries] == [
            ("trust_checkin.opened", world.home.members["coordinator"].id),
            ("trust_checkin.closed", world.home.members["coordinator"].id),
        ]
        assert all(e.actor_id != world.home.members["member"].id for e in db.session.scalars(select(AuditEntry)))
    feed = login_as("coordinator").get(f"/p/{world.home.slug}/activity").text
    assert "opened a trust check-in" in feed and "closed a trust check-in" in feed


# --- permissions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "answers", "manages"),
    [
        ("coordinator", True, True),
        ("member", True, False),
        ("survivor_advisor", True, False),
        ("observer", False, False),
    ],
)
def test_who_may_do_what(app, world, login_as, role, answers, manages):
    checkin_id = open_checkin(app, world.home)
    client = login_as(role)
    base = f"/p/{world.home.slug}{BASE}"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/{checkin_id}").status_code == 200
    assert client.get(f"{base}/{checkin_id}/answer").status_code == (200 if answers else 403)
    assert client.get(f"{base}/new").status_code == (200 if manages else 403)
    assert client.get(f"{base}/{checkin_id}/close").status_code == (200 if manages else 403)
    assert ("Answer the check-in" in client.get(base).text) is answers

    posted = client.post(f"{base}/{checkin_id}/answer", data=form())
    assert posted.status_code == (302 if answers else 403)
    assert counts(app, world.home) == ((1, 1) if answers else (0, 0))
    closed = client.post(f"{base}/{checkin_id}/close")
    assert closed.status_code == (302 if manages else 403)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert (db.session.get(TrustCheckin, checkin_id).closed_at is not None) is manages


def test_another_partnership_reaches_no_check_in(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    outsider = login_as(world.other.members["coordinator"])
    assert outsider.get(f"/p/{world.other.slug}{BASE}/{checkin_id}").status_code == 404
    assert outsider.post(f"/p/{world.other.slug}{BASE}/{checkin_id}/answer", data=form()).status_code == 404
    assert counts(app, world.home) == (0, 0)


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        (("0", "4", "4", "4"), "trust"),
        (("4", "6", "4", "4"), "shared_goals"),
        (("4", "4", "x", "4"), "equal_voice"),
        (("4", "4", "4", ""), "disagreement"),
        (("4", "4", "4", "3.5"), "disagreement"),
    ],
)
def test_scores_outside_one_to_five_are_refused_at_their_field(app, world, login_as, scores, field):
    checkin_id = open_checkin(app, world.home)
    response = login_as("member").post(f"/p/{world.home.slug}{BASE}/{checkin_id}/answer", data=form(scores))
    assert response.status_code == 422
    assert re.search(rf'<a href="#{field}">Choose an answer from 1', response.text)
    assert counts(app, world.home) == (0, 0)


def test_a_long_comment_is_refused(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    response = login_as("member").post(f"/p/{world.home.slug}{BASE}/{checkin_id}/answer", data=form(comment="x" * 1001))
    assert response.status_code == 422 and "Use at most 1000 characters." in response.text
    assert counts(app, world.home) == (0, 0)


def test_a_closed_check_in_takes_no_answer(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    close(app, world.home, checkin_id)
    client = login_as("member")
    url = f"/p/{world.home.slug}{BASE}/{checkin_id}/answer"
    assert "has closed" in client.get(url).text
    response = client.post(url, data=form())
    assert response.status_code == 422
    assert "This check-in has closed; it no longer takes answers." in response.text
    assert counts(app, world.home) == (0, 0)


def test_a_scheduled_check_in_takes_no_answer_yet(app, world):
    with app.app_context():
        today = context_for(world.home.id).today()
    open_checkin(app, world.home, opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=10))
    with pytest.raises(ServiceError, match="opens on"):
        answer(app, world.home, "member")
    assert counts(app, world.home) == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"opens_on": "2020-01-01", "closes_on": "2020-01-10"}, "cannot open in the past"),
        ({"closes_on": "yesterday"}, "Enter a date"),
        ({"opens_on": "", "closes_on": ""}, "Enter the first day"),
        ({"min_responses": "2"}, "Enter a whole number from 3 to 100."),
        ({"min_responses": "many"}, "Enter a whole number from 3 to 100."),
    ],
)
def test_opening_with_bad_input_is_refused(app, world, login_as, data, message):
    with app.app_context():
        today = context_for(world.home.id).today()
    fields = {"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=7)).isoformat(), "min_responses": "5"}
    response = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/new", data=fields | data)
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalar(select(func.count()).select_from(TrustCheckin)) == 0


def test_the_last_day_before_the_first_is_refused(app, world, login_as):
    with app.app_context():
        today = context_for(world.home.id).today()
    fields = {"opens_on": (today + timedelta(days=5)).isoformat(), "closes_on": today.isoformat(), "min_responses": "5"}
    response = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/new", data=fields)
    assert response.status_code == 422 and "The last day cannot be before the first day." in response.text


def test_one_check_in_at_a_time(app, world, login_as):
    open_checkin(app, world.home)
    with app.app_context():
        today = context_for(world.home.id).today()
    fields = {"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=7)).isoformat(), "min_responses": "5"}
    response = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/new", data=fields)
    assert response.status_code == 422 and "Close it before opening another." in response.text
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalar(select(func.count()).select_from(TrustCheckin)) == 1


def test_closing_twice_is_refused(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    client = login_as("coordinator")
    assert client.post(f"/p/{world.home.slug}{BASE}/{checkin_id}/close").status_code == 302
    again = client.post(f"/p/{world.home.slug}{BASE}/{checkin_id}/close")
    assert again.status_code == 422 and "already closed" in again.text


# --- your work, the overview card, the setup guide ---------------------------------------------------------


def test_your_work_lists_the_open_check_in_until_you_answer(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    client = login_as("member")
    home = client.get(f"/p/{world.home.slug}/").text
    assert "Trust check-in open" in home
    assert f"{BASE}/{checkin_id}/answer" in home
    answer(app, world.home, "member")
    assert "Trust check-in open" not in client.get(f"/p/{world.home.slug}/").text
    # Observers are not asked.
    assert "Trust check-in open" not in login_as("observer").get(f"/p/{world.home.slug}/").text


def test_the_overview_card_offers_the_answer(app, world, login_as):
    checkin_id = open_checkin(app, world.home)
    html = login_as("member").get(f"/p/{world.home.slug}/governance").text
    assert "Trust check-ins" in html and f"{BASE}/{checkin_id}/answer" in html


def test_the_setup_guide_ticks_trust_once_a_check_in_ran(app, world):
    from partnership_hub.db import select_scalars

    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        assert select_scalars(db.session, checkins.setup_facts(ctx))["trust_checkins"] == 0
    open_checkin(app, world.home)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        assert select_scalars(db.session, checkins.setup_facts(ctx))["trust_checkins"] == 1


def test_past_check_ins_trend_with_a_table_beside_the_chart(app, world, login_as):
    keys = members(app, world.home, 5)
    for round_, score in enumerate((2, 4)):
        checkin_id = open_checkin(app, world.home)
        for key in keys:
            answer(app, world.home, key, (score, score, score, score))
        close(app, world.home, checkin_id)
        with app.app_context():  # the second opens after the first closed: move the first into the past
            bind_tenant(db.session, world.home.id)
            row = db.session.get(TrustCheckin, checkin_id)
            row.opens_on -= timedelta(days=60 - round_ * 30)
            row.closes_on -= timedelta(days=50 - round_ * 30)
            db.session.commit()
    html = login_as("member").get(f"/p/{world.home.slug}{BASE}").text
    assert 'role="img"' in html and "<polyline" in html
    assert "<td>2.0</td>" in html and "<td>4.0</td>" in html
    assert "The partnership&#39;s stage" in html or "The partnership's stage" in html
