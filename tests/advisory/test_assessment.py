"""The trauma-informed self-assessment: rounds, rating an area, completing, read-only completed rounds,
one round at a time, who may do what (observers 403, outsiders 404), bad input (a message at the field,
nothing written), the comparison and its chart, the setup guide and the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from partnership_hub import toolkit
from partnership_hub.advisory import assessment
from partnership_hub.advisory.assessment_models import AssessmentAreaNote, AssessmentRating, TraumaAssessment
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.errors import Forbidden, ServiceError
from partnership_hub.extensions import db
from partnership_hub.setup.services import guide_state
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.factories import add_member, create_user, seat_on_board

BASE = "/advisory/assessment"
AREAS = assessment.AREA_KEYS
PRINCIPLES = assessment.PRINCIPLE_KEYS


def ctx_of(partnership, who: str = "coordinator"):
    return context_for(partnership.id, partnership.members[who].id)


def start(app, partnership, title: str = "Spring 2026", who: str = "coordinator") -> int:
    with app.app_context():
        found = assessment.start_assessment(ctx_of(partnership, who), assessment.StartData(title, ""))
        db.session.commit()
        return found.id


def rate(app, partnership, round_id: int, areas=AREAS, score: int = 2, who: str = "coordinator", **texts) -> None:
    with app.app_context():
        ctx = ctx_of(partnership, who)
        found = db.session.get(TraumaAssessment, round_id)
        for area in areas:
            scores = dict.fromkeys(PRINCIPLES, str(score))
            assessment.save_area(ctx, found, assessment.AreaData(area, scores, **texts))
        db.session.commit()


def complete(app, partnership, round_id: int) -> None:
    with app.app_context():
        ctx = ctx_of(partnership)
        assessment.complete_assessment(ctx, db.session.get(TraumaAssessment, round_id))
        db.session.commit()


def completed_round(app, partnership, title: str, score: int = 2) -> int:
    round_id = start(app, partnership, title)
    rate(app, partnership, round_id, score=score)
    complete(app, partnership, round_id)
    return round_id


def rows(app, partnership) -> tuple[int, int, int]:
    """How many rounds, ratings and area notes the partnership has."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (TraumaAssessment, AssessmentRating, AssessmentAreaNote)
        )


def scores_of(app, partnership, round_id: int) -> dict[tuple[str, str], int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = db.session.scalars(select(AssessmentRating).where(AssessmentRating.assessment_id == round_id))
        return {(r.area_key, r.principle_key): r.score for r in found}


def area_form(scores=None, notes: str = "", next_steps: str = "", then: str = "next") -> dict:
    values = dict.fromkeys(PRINCIPLES, "3") if scores is None else scores
    return values | {"notes": notes, "next_steps": next_steps, "then": then}


# --- reference data --------------------------------------------------------------------------------------


def test_the_areas_and_principles_have_stable_keys():
    assert len(toolkit.TRAUMA_INFORMED_AREAS) == 10 and len(toolkit.TRAUMA_INFORMED_PRINCIPLES) == 6
    assert len(set(AREAS)) == 10 and len(set(PRINCIPLES)) == 6
    assert all(len(key) <= 40 and key.isidentifier() for key in (*AREAS, *PRINCIPLES))
    assert toolkit.label_of(toolkit.TRAUMA_INFORMED_AREAS, "screening_treatment") == (
        "Screening, assessment, treatment services"
    )
    assert [s.label for s in assessment.SCALE] == [
        "Not yet considered",
        "Beginning",
        "Developing",
        "Established",
        "Embedded",
    ]
    assert assessment.score_label(3) == "Established" and assessment.score_label(None) == "Not rated"


# --- a round from start to finish ------------------------------------------------------------------------


def test_a_round_is_rated_area_by_area_and_completed(app, world, login_as):
    round_id = start(app, world.home)
    rate(app, world.home, round_id, AREAS[:9], score=3, notes="Survivors chair the board.", next_steps="Keep it.")
    with app.app_context():
        ctx = ctx_of(world.home)
        found = assessment.get_round(ctx, round_id)
        sheet = assessment.sheet(ctx, found.assessment)
        assert sheet.areas_rated == 9 and [s.area.key for s in sheet.missing_areas()] == [AREAS[9]]
        assert sheet.area_mean(AREAS[0]) == 3.0 and sheet.notes[AREAS[0]].notes == "Survivors chair the board."
        assert sheet.notes[AREAS[0]].updated_by == "Cora Coordinator"
        with pytest.raises(ServiceError) as refused:
            assessment.complete_assessment(ctx, found.assessment)
        assert "Still to rate: Evaluation." in refused.value.message
    rate(app, world.home, round_id, AREAS[9:], score=1)
    complete(app, world.home, round_id)
    with app.app_context():
        ctx = ctx_of(world.home)
        found = assessment.get_round(ctx, round_id)
        assert found.completed and found.assessment.completed_on == ctx.today()
        assert found.started_by == found.completed_by == "Cora Coordinator"
        sheet = assessment.sheet(ctx, found.assessment)
        assert sheet.overall_mean == pytest.approx((9 * 3 + 1) / 10)
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        details = list(
            db.session.scalars(select(AuditEntry.details).where(AuditEntry.target_type == "trauma_assessment"))
        )
    assert actions.count("trauma_assessment.area_saved") == 10
    assert actions[-1] == "trauma_assessment.completed" and "trauma_assessment.started" in actions
    # Ids, keys and counts only: never the notes.
    assert all("Survivors" not in str(d) for d in details)
    assert {"area": AREAS[0], "rated": 6} in details


def test_saving_an_area_replaces_its_scores_and_unrated_principles_stay_unrated(app, world):
    round_id = start(app, world.home)
    rate(app, world.home, round_id, [AREAS[0]], score=2, notes="First", next_steps="One")
    with app.app_context():
        ctx = ctx_of(world.home)
        found = db.session.get(TraumaAssessment, round_id)
        partial = {PRINCIPLES[0]: "4", PRINCIPLES[1]: "0", PRINCIPLES[2]: ""}
        assert assessment.save_area(ctx, found, assessment.AreaData(AREAS[0], partial, "Second", "")) == 2
        db.session.commit()
    assert scores_of(app, world.home, round_id) == {(AREAS[0], PRINCIPLES[0]): 4, (AREAS[0], PRINCIPLES[1]): 0}
    assert rows(app, world.home) == (1, 2, 1)  # one notes row per area, updated in place
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        note = db.session.scalars(select(AssessmentAreaNote)).one()
        assert (note.notes, note.next_steps) == ("Second", "")


def test_a_completed_round_is_read_only(app, world, login_as):
    round_id = completed_round(app, world.home, "Autumn 2025")
    before = scores_of(app, world.home, round_id)
    with app.app_context():
        ctx = ctx_of(world.home)
        found = db.session.get(TraumaAssessment, round_id)
        for call in (
            lambda: assessment.save_area(ctx, found, assessment.AreaData(AREAS[0], dict.fromkeys(PRINCIPLES, "4"))),
            lambda: assessment.complete_assessment(ctx, found),
            lambda: assessment.discard_assessment(ctx, found),
        ):
            with pytest.raises(ServiceError):
                call()
        db.session.rollback()

    client = login_as("coordinator")
    url = f"/p/{world.home.slug}{BASE}/{round_id}/area?area={AREAS[0]}"
    posted = client.post(url, data=area_form(dict.fromkeys(PRINCIPLES, "4")))
    assert posted.status_code == 422 and "can no longer be changed" in posted.text
    assert scores_of(app, world.home, round_id) == before
    # Its areas are read on the round's page.
    page = client.get(url)
    assert page.status_code == 302 and page.headers["Location"].endswith(f"{BASE}/{round_id}#area-{AREAS[0]}")
    discard = client.post(f"/p/{world.home.slug}{BASE}/{round_id}/discard")
    assert discard.status_code == 422 and "stays on record" in discard.text
    assert rows(app, world.home) == (1, 60, 10)


def test_one_round_in_progress_at_a_time(app, world, login_as):
    start(app, world.home, "Spring 2026")
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            assessment.start_assessment(ctx_of(world.home), assessment.StartData("Summer 2026", ""))
        assert "“Spring 2026” is still in progress" in refused.value.message
        db.session.rollback()
        # The database refuses it too (a partial unique index), should two requests race past the check.
        bind_tenant(db.session, world.home.id)
        db.session.add(TraumaAssessment(title="Racing", started_on=ctx_of(world.home).today()))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    page = login_as("survivor_advisor").get(f"/p/{world.home.slug}{BASE}/new")
    assert page.status_code == 200 and "is still in progress" in page.text
    assert f'action="/p/{world.home.slug}{BASE}/new"' not in page.text
    posted = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/new", data={"title": "Again", "started_on": ""})
    assert posted.status_code == 422 and "is still in progress" in posted.text
    assert rows(app, world.home)[0] == 1


def test_a_coordinator_discards_a_round_started_by_mistake(app, world, login_as):
    round_id = start(app, world.home)
    rate(app, world.home, round_id, AREAS[:2], notes="x")
    assert login_as("survivor_advisor").post(f"/p/{world.home.slug}{BASE}/{round_id}/discard").status_code == 403
    client = login_as("coordinator")
    assert "Discard “Spring 2026”?" in client.get(f"/p/{world.home.slug}{BASE}/{round_id}/discard").text
    response = client.post(f"/p/{world.home.slug}{BASE}/{round_id}/discard")
    assert response.status_code == 302
    assert rows(app, world.home) == (0, 0, 0)
    start(app, world.home, "Spring 2026")  # and the next one can start


# --- who may do what -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reads", "rates", "discards"),
    [
        ("coordinator", 200, True, True),
        ("survivor_advisor", 200, True, False),
        ("member", 200, False, False),
        ("observer", 403, False, False),
    ],
)
def test_who_may_do_what(app, world, login_as, role, reads, rates, discards):
    done = completed_round(app, world.home, "Autumn 2025")
    current = start(app, world.home, "Spring 2026")
    client = login_as(role)
    home = f"/p/{world.home.slug}{BASE}"
    for path in ("", f"/{done}", f"/{current}", "/compare"):
        assert client.get(home + path).status_code == reads, path
    rating = 200 if rates else 403
    for path in ("/new", f"/{current}/area", f"/{current}/complete"):
        assert client.get(home + path).status_code == rating, path
    assert client.get(f"{home}/{current}/discard").status_code == (200 if discards else 403)
    posted = client.post(f"{home}/{current}/area?area={AREAS[0]}", data=area_form())
    assert posted.status_code == (302 if rates else 403)
    assert rows(app, world.home)[1] == 60 + (6 if rates else 0)
    if reads == 200:
        index = client.get(home).text
        assert ("Continue rating" in index or "Start rating" in index) == rates
    with app.app_context():
        assert assessment.may_rate(ctx_of(world.home, role)) == rates


def test_anyone_on_the_board_rates(app, world, login_as):
    current = start(app, world.home)
    seat_on_board(app, world.home, "member")
    client = login_as("member")
    assert client.get(f"/p/{world.home.slug}{BASE}/{current}/area").status_code == 200
    response = client.post(f"/p/{world.home.slug}{BASE}/{current}/area?area={AREAS[1]}", data=area_form())
    assert response.status_code == 302
    assert len(scores_of(app, world.home, current)) == 6


def test_another_partnership_reaches_no_round(app, world, login_as):
    current = start(app, world.home)
    outsider = login_as(world.other.members["coordinator"])
    # Under the home partnership's address: not a member, 404 everywhere.
    for path in ("", f"/{current}", f"/{current}/area", f"/{current}/complete", "/compare"):
        assert outsider.get(f"/p/{world.home.slug}{BASE}{path}").status_code == 404, path
    # Under their own: the home partnership's round id is not theirs.
    for path in (f"/{current}", f"/{current}/area", f"/{current}/complete", f"/{current}/discard"):
        assert outsider.get(f"/p/{world.other.slug}{BASE}{path}").status_code == 404, path
    posted = outsider.post(f"/p/{world.other.slug}{BASE}/{current}/area?area={AREAS[0]}", data=area_form())
    assert posted.status_code == 404
    assert outsider.post(f"/p/{world.other.slug}{BASE}/{current}/complete").status_code == 404
    assert outsider.post(f"/p/{world.other.slug}{BASE}/{current}/discard").status_code == 404
    assert rows(app, world.home) == (1, 0, 0)


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({PRINCIPLES[0]: "5"}, PRINCIPLES[0], "Choose a score from 0"),
        ({PRINCIPLES[3]: "-1"}, PRINCIPLES[3], "Choose a score from 0"),
        ({PRINCIPLES[5]: "three"}, PRINCIPLES[5], "Choose a score from 0"),
        ({PRINCIPLES[1]: "２"}, PRINCIPLES[1], "Choose a score from 0"),
        ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
        ({"next_steps": "y" * 2001}, "next_steps", "at most 2000 characters"),
    ],
)
def test_bad_ratings_are_refused_at_their_field(app, world, login_as, change, field, message):
    current = start(app, world.home)
    response = login_as("coordinator").post(
        f"/p/{world.home.slug}{BASE}/{current}/area?area={AREAS[0]}", data=area_form() | change
    )
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert rows(app, world.home) == (1, 0, 0)


@pytest.mark.parametrize("area", ["", "nowhere", "policy\x00"])
def test_an_unknown_area_is_refused(app, world, login_as, area):
    current = start(app, world.home)
    response = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/{current}/area?area={area}", data=area_form())
    assert response.status_code == 422 and "one of the toolkit&#39;s ten key areas" in response.text
    assert rows(app, world.home) == (1, 0, 0)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "started_on": ""}, "title", "Give the round a name"),
        ({"title": "t" * 81, "started_on": ""}, "title", "at most 80 characters"),
        ({"title": "Spring", "started_on": "31/03/2026"}, "started_on", "Enter a date as YYYY-MM-DD."),
        ({"title": "Spring", "started_on": "9999-01-01"}, "started_on", ""),
    ],
)
def test_starting_with_bad_input_is_refused(app, world, login_as, data, field, message):
    response = login_as("coordinator").post(f"/p/{world.home.slug}{BASE}/new", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert rows(app, world.home) == (0, 0, 0)


def test_a_round_cannot_start_in_the_future_or_share_a_name(app, world, login_as):
    completed_round(app, world.home, "Autumn 2025")
    client = login_as("coordinator")
    with app.app_context():
        tomorrow = (ctx_of(world.home).today() + timedelta(days=1)).isoformat()
    future = client.post(f"/p/{world.home.slug}{BASE}/new", data={"title": "Later", "started_on": tomorrow})
    assert future.status_code == 422 and "cannot start in the future" in future.text
    clash = client.post(f"/p/{world.home.slug}{BASE}/new", data={"title": "autumn 2025", "started_on": ""})
    assert clash.status_code == 422 and 'id="title-error"' in clash.text
    assert rows(app, world.home)[0] == 1


def test_completing_names_the_areas_still_to_rate_and_writes_nothing(app, world, login_as):
    current = start(app, world.home)
    rate(app, world.home, current, AREAS[:8])
    with app.app_context():
        ctx = ctx_of(world.home)
        found = db.session.get(TraumaAssessment, current)
        assessment.save_area(ctx, found, assessment.AreaData(AREAS[8], {PRINCIPLES[0]: "0"}))
        db.session.commit()
    client = login_as("survivor_advisor")
    page = client.get(f"/p/{world.home.slug}{BASE}/{current}/complete").text
    assert "Still to rate (2 of 10 areas)" in page and "1 of 6 principles rated" in page
    response = client.post(f"/p/{world.home.slug}{BASE}/{current}/complete")
    assert response.status_code == 422
    assert "Still to rate: Financing and Evaluation." in response.text
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(TraumaAssessment, current).completed_on is None
    rate(app, world.home, current, AREAS[8:])
    assert client.post(f"/p/{world.home.slug}{BASE}/{current}/complete").status_code == 302
    assert "Completed" in client.get(f"/p/{world.home.slug}{BASE}/{current}").text


# --- the pages -------------------------------------------------------------------------------------------


def test_the_area_page_rates_one_area_and_moves_to_the_next(app, world, login_as):
    current = start(app, world.home)
    client = login_as("survivor_advisor")
    page = client.get(f"/p/{world.home.slug}{BASE}/{current}/area")
    assert page.status_code == 200
    html = page.text
    # The first area to rate; six radio groups, each a fieldset with the principle as legend and hint.
    assert "<h1>Governance and leadership</h1>" in html and "Areas rated so far: <strong>0 of 10</strong>" in html
    assert html.count('<fieldset class="field radios assessment-radios') == 6
    for principle in toolkit.TRAUMA_INFORMED_PRINCIPLES:
        assert f"<legend>{principle.label}</legend>" in html
    assert 'aria-describedby="safety-hint"' in html and "2 – Developing" in html
    assert toolkit.FOUR_RS[3].description in html  # the four R's beside it

    scores = dict.fromkeys(PRINCIPLES, "3") | {PRINCIPLES[5]: ""}
    url = f"/p/{world.home.slug}{BASE}/{current}/area?area={AREAS[0]}"
    response = client.post(url, data=area_form(scores, "Notes & <b>more</b>", "Next"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"area?area={AREAS[1]}")
    again = client.get(url).text
    assert 'value="3" checked' in again and "Notes &amp; &lt;b&gt;more&lt;/b&gt;" in again
    assert "5 of 6 principles rated" in again and "Last saved by Survivor_Advisor Person" in again
    last = client.post(f"/p/{world.home.slug}{BASE}/{current}/area?area={AREAS[9]}", data=area_form(then="next"))
    assert last.headers["Location"].endswith(f"{BASE}/{current}")  # the last area returns to the round


def test_the_round_page_shows_scores_as_numbers_and_words(app, world, login_as):
    round_id = start(app, world.home)
    rate(app, world.home, round_id, score=3, notes="Line one\nline two", next_steps="Do it")
    complete(app, world.home, round_id)
    html = login_as("member").get(f"/p/{world.home.slug}{BASE}/{round_id}").text
    assert '<span class="assessment-score">3</span> Established' in html
    assert html.count('<span class="assessment-score">') == 60
    assert 'data-label="Safety"' in html and "Average per principle" in html
    assert "Line one\nline two" in html and "Do it" in html
    assert "Completed" in html and "Continue rating" not in html and "Discard" not in html


def test_compare_draws_the_newest_rounds_with_a_table_beside(app, world, login_as):
    ids = [completed_round(app, world.home, f"Round {n}", score=n % 5) for n in range(5)]
    start(app, world.home, "In progress")
    html = login_as("member").get(f"/p/{world.home.slug}{BASE}/compare").text
    assert 'role="img"' in html and '<title id="assessment-chart-title">' in html
    # The newest four completed rounds only, oldest first; the one in progress is not compared.
    assert "Round 0" not in html and "In progress" not in html
    assert html.index("Round 1") < html.index("Round 2") < html.index("Round 4")
    assert "Change" in html and "Up 1.0" in html  # from Round 3 (all 3s) to Round 4 (all 4s)
    with app.app_context():
        rounds = assessment.recent_rounds(ctx_of(world.home))
    assert [r.id for r in rounds] == ids[1:]
    assert [r.overall for r in rounds] == [1.0, 2.0, 3.0, 4.0]


def test_the_chart_geometry_is_a_picture_of_the_numbers():
    autumn: dict[str, float | None] = dict.fromkeys(AREAS, 1.0)
    spring: dict[str, float | None] = {**dict.fromkeys(AREAS, 2.0), AREAS[0]: 4.0}
    rounds = [
        assessment.RoundMeans(1, "Autumn", date(2025, 11, 14), autumn, {}, 1.0),
        assessment.RoundMeans(2, "Spring", date(2026, 5, 15), spring, {}, 2.2),
    ]
    chart = assessment.comparison_chart(rounds)
    assert chart is not None and len(chart.groups) == 10
    first = chart.groups[0].bars
    span = chart.right - chart.left
    assert first[0].width == pytest.approx(span / 4) and first[1].width == pytest.approx(span)
    assert [b.text for b in first] == ["1.0", "4.0"]
    assert [(s.title, s.round_id) for s in chart.series] == [("Autumn", 1), ("Spring", 2)]
    assert chart.series[1].fill == "#0b5cad" and chart.series[0].fill.startswith("url(#")  # newest solid
    assert [t.number for t in chart.ticks] == ["0", "1", "2", "3", "4"]
    assert assessment.comparison_chart([]) is None
    bottoms = [bar.y + bar.height for group in chart.groups for bar in group.bars]
    assert max(bottoms) <= chart.height


def test_the_index_lists_rounds_and_progress(app, world, login_as):
    completed_round(app, world.home, "Autumn 2025", score=2)
    current = start(app, world.home, "Spring 2026")
    rate(app, world.home, current, AREAS[:3])
    html = login_as("coordinator").get(f"/p/{world.home.slug}{BASE}").text
    assert "Areas rated: <strong>3 of 10</strong>" in html and "Continue rating" in html
    assert "Autumn 2025" in html and "2.0" in html and "Compare rounds" in html
    assert "Start a self-assessment" not in html
    for r in toolkit.FOUR_RS:
        assert r.description in html


def test_the_navigation_names_the_section(app, world, login_as):
    html = login_as("member").get(f"/p/{world.home.slug}{BASE}").text
    assert 'aria-current="page"' in html and "Trauma-informed practice" in html
    assert f'href="/p/{world.home.slug}{BASE}"' not in login_as("observer").get(f"/p/{world.home.slug}/").text


# --- the setup guide, the feed, the demo -----------------------------------------------------------------


def test_the_setup_guide_ticks_trauma_informed_once_a_round_is_completed(app, world, login_as):
    round_id = start(app, world.home)
    rate(app, world.home, round_id)
    with app.app_context():
        state = guide_state(ctx_of(world.home))
        item = next(i for s in state.sections for i in s.items if i.item.key == "trauma_informed")
        assert not item.done
    complete(app, world.home, round_id)
    with app.app_context():
        state = guide_state(ctx_of(world.home))
        item = next(i for s in state.sections for i in s.items if i.item.key == "trauma_informed")
        assert item.done
    html = login_as("coordinator").get(f"/p/{world.home.slug}/setup").text
    assert html.count(f'href="/p/{world.home.slug}{BASE}"') >= 2  # trauma-informed and survivor-centred


def test_the_feed_names_the_round(app, world, login_as):
    completed_round(app, world.home, "Autumn 2025")
    feed = login_as("coordinator").get(f"/p/{world.home.slug}/activity").text
    assert "completed the trauma-informed self-assessment" in feed and "Autumn 2025" in feed


def test_the_demo_has_two_completed_rounds_that_improve(app, world, login_as):
    from partnership_hub.accounts.models import User

    with app.app_context():
        ctx = ctx_of(world.home)
        assessment.seed_demo(ctx, {"coordinator": db.session.get(User, world.home.members["coordinator"].id)})
        db.session.commit()
        rounds = assessment.recent_rounds(ctx)
        assert [r.title for r in rounds] == ["Autumn 2025", "Spring 2026"]
        newer, older = rounds[1], rounds[0]
        assert newer.overall is not None and older.overall is not None and newer.overall > older.overall
        assert all((newer.areas[a] or 0) >= (older.areas[a] or 0) for a in AREAS)
        assert assessment.in_progress(ctx) is None
    html = login_as("member").get(f"/p/{world.home.slug}{BASE}/compare").text
    assert "Autumn 2025" in html and "Spring 2026" in html and "Up" in html


def test_roles_on_the_role_matrix():
    from partnership_hub.advisory.policies import PERMISSIONS

    assert Role.OBSERVER not in PERMISSIONS["advisory.assessment"]
    assert PERMISSIONS["advisory.assessment_rate"] == {Role.COORDINATOR, Role.SURVIVOR_ADVISOR}
    assert PERMISSIONS["advisory.assessment_discard"] == {Role.COORDINATOR}


def test_a_member_who_is_not_seated_is_refused_by_the_service(app, world):
    add_member(app, world.home, create_user(app), Role.MEMBER, key="m2")
    with app.app_context(), pytest.raises(Forbidden):
        assessment.start_assessment(ctx_of(world.home, "m2"), assessment.StartData("Mine", ""))
