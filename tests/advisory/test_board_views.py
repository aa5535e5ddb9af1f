"""The board's pages, per role: the board home (the roster as each role may see it), roles, seats and
terms (coordinators), the chair's grants and review of reads (the chair only: 404 to everyone else,
coordinators included), the coordinators' general access log, bad input (422 at the field, nothing
written) and another partnership (404)."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import AdvisoryRole, BoardSeat, BoardTerm
from partnership_hub.confidentiality import BOARD, ConfidentialGrant, Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from tests.factories import PartnershipRec, add_member, create_user, seat_on_board
from tests.goals.helpers import make_goal
from tests.meetings.conftest import schedule

ADVISORY_LABEL = Level.ADVISORY.label


def base(partnership: PartnershipRec) -> str:
    return f"/p/{partnership.slug}"


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def count(app, partnership: PartnershipRec, model) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def board_grant_count(app, partnership: PartnershipRec) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(func.count()).select_from(ConfidentialGrant).where(ConfidentialGrant.record_kind == BOARD)
        return db.session.scalar(stmt) or 0


def role_ids(app, partnership: PartnershipRec) -> dict[str, int]:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        board.ensure_default_roles(ctx)
        db.session.commit()
        return {role.name: role.id for role in board.roles(ctx)}


def seat_id_of(app, partnership: PartnershipRec, who: str) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(BoardSeat.id).where(BoardSeat.membership_id == partnership.membership_ids[who])
        return db.session.scalars(stmt.order_by(BoardSeat.id.desc())).first()


def today_of(app, partnership: PartnershipRec):
    with app.app_context():
        return context_for(partnership.id).today()


def error_at(response, field: str, message: str) -> None:
    """A 422 with ``message`` at ``field`` (its error paragraph, tied to the input)."""
    body = text(response)
    assert response.status_code == 422, response.status_code
    assert f'id="{field}-error"' in body, field
    start = body.index(f'id="{field}-error"')
    assert message in body[start : start + 400], (field, message)


@pytest.fixture
def chaired(app, world):
    """The survivor advisor chairs the board; nobody else sits on it."""
    seat_on_board(app, world.home, "survivor_advisor", chair="survivor_advisor")
    return world.home


@pytest.fixture
def second_advisor(app, world):
    """A survivor advisor who does not sit on the board."""
    user = create_user(app, "Rosa Quiet")
    add_member(app, world.home, user, Role.SURVIVOR_ADVISOR, key="advisor_off_board")
    return user


# --- the board home, per role ----------------------------------------------------------------------------


def test_a_coordinator_not_on_the_board_keeps_the_roster_but_is_not_admitted(app, world, chaired, login_as):
    page = login_as("coordinator").get(f"{base(chaired)}/advisory")
    body = text(page)
    assert page.status_code == 200
    assert "Survivor_Advisor Person" in body and "chair" in body
    assert "Give someone a seat" in body and "The board's roles" in body
    assert "Coordinators keep the roster but do not read the board's space" in body
    assert "You are admitted" not in body and "Admit someone" not in body and "Who read what" not in body


def test_a_member_sees_only_the_boards_size(app, world, chaired, login_as):
    body = text(login_as("member").get(f"{base(chaired)}/advisory"))
    assert "The board has 1 member." in body
    assert "Survivor_Advisor Person" not in body and "Give someone a seat" not in body
    assert "Open to the people who sit on the board and those its chair admits." in body


def test_a_survivor_advisor_sees_the_names_and_only_the_board_is_admitted(
    app, world, chaired, second_advisor, login_as
):
    off_board = text(login_as(second_advisor).get(f"{base(chaired)}/advisory"))
    assert "Survivor_Advisor Person" in off_board and "You are admitted" not in off_board
    chair = text(login_as("survivor_advisor").get(f"{base(chaired)}/advisory"))
    assert "You are admitted." in chair and "Admit someone" in chair and "Who read what" in chair
    assert "Give someone a seat" not in chair  # coordinators keep the roster


def test_observers_are_refused_and_another_partnership_gets_404(app, world, chaired, login_as):
    assert login_as("observer").get(f"{base(chaired)}/advisory").status_code == 403
    outsider = login_as(world.other.members["coordinator"])
    for path in ("/advisory", "/advisory/roles", "/advisory/seats/new", "/advisory/access", "/advisory/access-log"):
        assert outsider.get(f"{base(chaired)}{path}").status_code == 404, path
    seat_id = seat_id_of(app, chaired, "survivor_advisor")
    role_id = role_ids(app, chaired)["Advisor"]
    for path in (f"/advisory/seats/{seat_id}", f"/advisory/roles/{role_id}/edit"):
        assert outsider.get(f"{base(chaired)}{path}").status_code == 404, path
        # ...and the other partnership's own coordinator asking its own slug for these ids: 404 too.
        assert outsider.get(f"{base(world.other)}{path}").status_code == 404, path


def test_the_board_home_lists_the_chairs_grants_to_admitted_people_only(app, world, chaired, login_as):
    reason = "Co-planning the survivor-led training"
    chair = login_as("survivor_advisor")
    ends = (today_of(app, chaired) + timedelta(days=30)).isoformat()
    granted = chair.post(
        f"{base(chaired)}/advisory/access",
        data={"membership_id": str(chaired.membership_ids["member"]), "reason": reason, "ends_on": ends},
    )
    assert granted.status_code == 302
    assert reason in text(chair.get(f"{base(chaired)}/advisory"))
    member = text(login_as("member").get(f"{base(chaired)}/advisory"))
    assert "You are admitted by the chair's grant" in member and reason in member
    assert "Survivor_Advisor Person" in member  # admitted: the roster's names too
    assert reason not in text(login_as("coordinator").get(f"{base(chaired)}/advisory"))


# --- roles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("survivor_advisor", 403), ("observer", 403)])
def test_only_coordinators_keep_the_roles_and_seats(app, world, chaired, login_as, role, status):
    client = login_as(role)
    seat_id = seat_id_of(app, chaired, "survivor_advisor")
    role_id = role_ids(app, chaired)["Advisor"]
    for path in (
        "/advisory/roles",
        "/advisory/seats/new",
        f"/advisory/seats/{seat_id}",
        f"/advisory/roles/{role_id}/edit",
    ):
        assert client.get(f"{base(chaired)}{path}").status_code == status, path
    posted = client.post(f"{base(chaired)}/advisory/roles", data={"name": "Sneaky"})
    assert posted.status_code == status
    assert client.post(f"{base(chaired)}/advisory/seats/{seat_id}/end", data={}).status_code == status
    assert count(app, chaired, AdvisoryRole) == 3 and seat_id_of(app, chaired, "survivor_advisor") == seat_id


def test_a_coordinator_adds_renames_and_removes_roles(app, world, login_as):
    client = login_as("coordinator")
    url = f"{base(world.home)}/advisory/roles"
    empty = text(client.get(url))
    assert "The board has no roles yet." in empty and "Start with the usual roles" in empty
    assert client.post(f"{url}/defaults").status_code == 302
    assert count(app, world.home, AdvisoryRole) == 3
    again = client.post(f"{url}/defaults", follow_redirects=True)
    assert "nothing was added" in text(again) and count(app, world.home, AdvisoryRole) == 3
    added = client.post(url, data={"name": "Storyteller", "description": "Shares stories", "term_months": "6"})
    assert added.status_code == 302
    listed = text(client.get(url))
    assert "Storyteller" in listed and "6 months" in listed and "Start with the usual roles" not in listed
    storyteller = role_ids(app, world.home)["Storyteller"]
    edit = client.get(f"{url}/{storyteller}/edit")
    assert edit.status_code == 200 and 'value="6"' in text(edit)
    renamed = client.post(
        f"{url}/{storyteller}/edit", data={"name": "Story lead", "description": "", "term_months": ""}
    )
    assert renamed.status_code == 302
    assert set(role_ids(app, world.home)) == {"Advisor", "Chair", "Peer mentor", "Story lead"}
    assert client.post(f"{url}/{storyteller}/delete").status_code == 302
    assert "Story lead" not in role_ids(app, world.home)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Give the role a name"),
        ({"name": "advisor"}, "name", "already has a role with this name"),
        ({"name": "x" * 81}, "name", "at most 80"),
        ({"name": "Guide", "term_months": "0"}, "term_months", "from 1 to 120"),
        ({"name": "Guide", "term_months": "abc"}, "term_months", "from 1 to 120"),
    ],
)
def test_bad_role_input_is_shown_at_its_field_and_writes_nothing(app, world, login_as, data, field, message):
    role_ids(app, world.home)
    response = login_as("coordinator").post(f"{base(world.home)}/advisory/roles", data=data)
    error_at(response, field, message)
    assert count(app, world.home, AdvisoryRole) == 3


def test_renaming_to_a_taken_name_is_refused_at_the_field(app, world, login_as):
    roles = role_ids(app, world.home)
    response = login_as("coordinator").post(
        f"{base(world.home)}/advisory/roles/{roles['Advisor']}/edit", data={"name": "CHAIR"}
    )
    error_at(response, "name", "already has a role with this name")
    assert set(role_ids(app, world.home)) == {"Advisor", "Chair", "Peer mentor"}


def test_a_role_someone_holds_is_not_removed(app, world, chaired, login_as):
    advisor = role_ids(app, chaired)["Advisor"]  # seat_on_board seats in the "Advisor" role
    response = login_as("coordinator").post(f"{base(chaired)}/advisory/roles/{advisor}/delete")
    assert response.status_code == 422 and "rename it instead" in text(response)
    assert "Advisor" in role_ids(app, chaired)


# --- seats -----------------------------------------------------------------------------------------------------


def seat_form(partnership: PartnershipRec, who: str, role_id: int, **fields) -> dict:
    return {
        "membership_id": str(partnership.membership_ids[who]),
        "role_id": str(role_id),
        "term_starts_on": "",
        "term_ends_on": "",
    } | fields


def test_giving_a_seat_admits_to_advisory_goals_and_meetings(app, world, login_as):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    meeting_id = schedule(app, world.home, kind="advisory_board", title="Board meeting")
    member = login_as("member")
    assert member.get(f"{base(world.home)}/goals/{goal_id}").status_code == 404
    assert member.get(f"{base(world.home)}/meetings/{meeting_id}").status_code == 404
    roles = role_ids(app, world.home)
    client = login_as("coordinator")
    assert client.get(f"{base(world.home)}/advisory/seats/new").status_code == 200
    response = client.post(
        f"{base(world.home)}/advisory/seats/new", data=seat_form(world.home, "member", roles["Advisor"])
    )
    seat_id = seat_id_of(app, world.home, "member")
    assert (
        response.status_code == 302 and response.headers["Location"] == f"{base(world.home)}/advisory/seats/{seat_id}"
    )
    assert member.get(f"{base(world.home)}/goals/{goal_id}").status_code == 200
    assert member.get(f"{base(world.home)}/meetings/{meeting_id}").status_code == 200
    assert "Board goal" in text(member.get(f"{base(world.home)}/goals"))
    assert "You are admitted." in text(member.get(f"{base(world.home)}/advisory"))
    # The coordinator who seated them still may not read the board's records.
    assert client.get(f"{base(world.home)}/goals/{goal_id}").status_code == 404
    seat_page = text(client.get(f"{base(world.home)}/advisory/seats/{seat_id}"))
    assert "Member Person on the board" in seat_page and "first term" in seat_page


@pytest.mark.parametrize(
    ("who", "change", "field", "message"),
    [
        ("observer", {}, "membership_id", "Observers are guests"),
        ("member", {"membership_id": ""}, "membership_id", "Choose someone"),
        ("member", {"role_id": ""}, "role_id", "Choose one of the board's roles"),
        ("member", {"term_starts_on": "01/05/2026"}, "term_starts_on", "like 2026-03-31"),
        ("member", {"term_starts_on": "2026-05-01", "term_ends_on": "2026-04-30"}, "term_ends_on", "before it starts"),
        ("survivor_advisor", {}, "membership_id", "They already sit on the board."),
    ],
)
def test_bad_seats_are_shown_at_their_field_and_write_nothing(
    app, world, chaired, login_as, who, change, field, message
):
    roles = role_ids(app, chaired)
    before = (count(app, chaired, BoardSeat), count(app, chaired, BoardTerm), board_grant_count(app, chaired))
    data = seat_form(chaired, who, roles["Advisor"]) | change
    response = login_as("coordinator").post(f"{base(chaired)}/advisory/seats/new", data=data)
    error_at(response, field, message)
    assert (count(app, chaired, BoardSeat), count(app, chaired, BoardTerm), board_grant_count(app, chaired)) == before


def test_naming_a_new_chair_unsets_the_old_one(app, world, chaired, login_as):
    roles = role_ids(app, chaired)
    client = login_as("coordinator")
    response = client.post(
        f"{base(chaired)}/advisory/seats/new", data=seat_form(chaired, "member", roles["Chair"], is_chair="y")
    )
    assert response.status_code == 302
    assert "Admit someone" in text(login_as("member").get(f"{base(chaired)}/advisory"))
    old_chair = login_as("survivor_advisor")
    assert "Admit someone" not in text(old_chair.get(f"{base(chaired)}/advisory"))
    assert old_chair.get(f"{base(chaired)}/advisory/access").status_code == 404
    # And back, from the seat page.
    seat_id = seat_id_of(app, chaired, "survivor_advisor")
    back = client.post(
        f"{base(chaired)}/advisory/seats/{seat_id}", data={"role_id": str(roles["Chair"]), "is_chair": "y"}
    )
    assert back.status_code == 302
    assert old_chair.get(f"{base(chaired)}/advisory/access").status_code == 200
    assert login_as("member").get(f"{base(chaired)}/advisory/access").status_code == 404


def test_a_renewal_is_recorded_on_the_seat_page(app, world, chaired, login_as):
    seat_id = seat_id_of(app, chaired, "survivor_advisor")
    client = login_as("coordinator")
    url = f"{base(chaired)}/advisory/seats/{seat_id}/renew"
    today = today_of(app, chaired)
    early = client.post(url, data={"term_starts_on": today.isoformat(), "term_ends_on": "", "note": ""})
    error_at(early, "term_starts_on", "A renewal starts after the current term began.")
    backwards = {"term_starts_on": (today + timedelta(days=10)).isoformat(), "term_ends_on": today.isoformat()}
    error_at(client.post(url, data=backwards), "term_ends_on", "cannot end before it starts")
    assert count(app, chaired, BoardTerm) == 1
    later = (today + timedelta(days=10)).isoformat()
    assert (
        client.post(url, data={"term_starts_on": later, "term_ends_on": "", "note": "Second term"}).status_code == 302
    )
    page = text(client.get(f"{base(chaired)}/advisory/seats/{seat_id}"))
    assert "renewal" in page and "Second term" in page
    assert count(app, chaired, BoardTerm) == 2


def test_ending_a_seat_ends_access_the_same_day(app, world, chaired, login_as):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    advisor = login_as("survivor_advisor")
    assert advisor.get(f"{base(chaired)}/goals/{goal_id}").status_code == 200
    seat_id = seat_id_of(app, chaired, "survivor_advisor")
    client = login_as("coordinator")
    url = f"{base(chaired)}/advisory/seats/{seat_id}/end"
    tomorrow = (today_of(app, chaired) + timedelta(days=1)).isoformat()
    error_at(client.post(url, data={"left_on": tomorrow}), "left_on", "not ahead of it")
    error_at(client.post(url, data={"left_on": "soon"}), "left_on", "like 2026-03-31")
    assert advisor.get(f"{base(chaired)}/goals/{goal_id}").status_code == 200
    ended = client.post(url, data={"left_on": ""})
    assert ended.status_code == 302 and ended.headers["Location"] == f"{base(chaired)}/advisory"
    assert advisor.get(f"{base(chaired)}/goals/{goal_id}").status_code == 404
    assert advisor.get(f"{base(chaired)}/advisory/access").status_code == 404  # no longer the chair
    assert "Nobody sits on the board yet." in text(client.get(f"{base(chaired)}/advisory"))
    page = text(client.get(f"{base(chaired)}/advisory/seats/{seat_id}"))
    assert "Record the renewal" not in page and "End the seat" not in page  # history only


# --- the chair's grants ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("coordinator", 404), ("member", 404), ("observer", 403)])
def test_only_the_chair_opens_the_grants_and_the_access_log(app, world, chaired, login_as, role, status):
    client = login_as(role)
    for path in ("/advisory/access", "/advisory/access-log"):
        assert client.get(f"{base(chaired)}{path}").status_code == status, path
    data = {"membership_id": str(chaired.membership_ids["member"]), "reason": "Because", "ends_on": "2027-01-01"}
    assert client.post(f"{base(chaired)}/advisory/access", data=data).status_code == status
    assert client.post(f"{base(chaired)}/advisory/access/revoke", data=data).status_code == status
    assert board_grant_count(app, chaired) == 1  # the chair's seat only


def test_a_board_member_who_is_not_the_chair_gets_404_too(app, world, chaired, login_as):
    seat_on_board(app, chaired, "member")
    client = login_as("member")
    assert client.get(f"{base(chaired)}/advisory/access").status_code == 404
    assert client.get(f"{base(chaired)}/advisory/access-log").status_code == 404


def grant_form(app, partnership: PartnershipRec, who: str = "member", **fields) -> dict:
    ends = (today_of(app, partnership) + timedelta(days=60)).isoformat()
    return {
        "membership_id": str(partnership.membership_ids[who]),
        "reason": "Helping with a meeting",
        "ends_on": ends,
    } | fields


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": ""}, "reason", "Say why they need the board's restricted area."),
        ({"ends_on": ""}, "ends_on", "Give the last day of their access"),
        ({"ends_on": -1}, "ends_on", "The end date has already passed."),
        ({"ends_on": 367}, "ends_on", "a year at most"),
        ({"membership_id": "survivor_advisor"}, "membership_id", "They sit on the board"),
        ({"membership_id": "observer"}, "membership_id", "Observers are guests"),
    ],
)
def test_bad_grants_are_shown_at_their_field_and_write_nothing(app, world, chaired, login_as, change, field, message):
    today = today_of(app, chaired)
    data = grant_form(app, chaired)
    for key, value in change.items():
        if isinstance(value, int):
            value = (today + timedelta(days=value)).isoformat()
        elif key == "membership_id":
            value = str(chaired.membership_ids[value])
        data[key] = value
    response = login_as("survivor_advisor").post(f"{base(chaired)}/advisory/access", data=data)
    error_at(response, field, message)
    assert board_grant_count(app, chaired) == 1


def test_a_grant_admits_and_revoking_it_ends_access_the_same_day(app, world, chaired, login_as):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    coordinator = login_as("coordinator")
    goal_url = f"{base(chaired)}/goals/{goal_id}"
    assert coordinator.get(goal_url).status_code == 404
    chair = login_as("survivor_advisor")
    granted = chair.post(f"{base(chaired)}/advisory/access", data=grant_form(app, chaired, "coordinator"))
    assert granted.status_code == 302 and granted.headers["Location"] == f"{base(chaired)}/advisory/access"
    assert coordinator.get(goal_url).status_code == 200
    page = text(chair.get(f"{base(chaired)}/advisory/access"))
    assert "Cora Coordinator" in page and "Helping with a meeting" in page
    assert "granted by Survivor_Advisor Person" in page and "End access" in page
    revoked = chair.post(
        f"{base(chaired)}/advisory/access/revoke", data={"membership_id": str(chaired.membership_ids["coordinator"])}
    )
    assert revoked.status_code == 302
    assert coordinator.get(goal_url).status_code == 404
    page = text(chair.get(f"{base(chaired)}/advisory/access"))
    assert "ended" in page and "End access" not in page
    again = chair.post(
        f"{base(chaired)}/advisory/access/revoke", data={"membership_id": str(chaired.membership_ids["coordinator"])}
    )
    assert again.status_code == 422 and "already ended" in text(again)


# --- reads: the chair's review and the coordinators' access log --------------------------------------------------


@pytest.fixture
def reads(app, world, chaired, login_as):
    """The chair reads an advisory goal; the coordinator reads a leadership goal. Returns their ids."""
    advisory = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    leadership = make_goal(app, world.home, title="Leaders goal", confidentiality="leadership")
    assert login_as("survivor_advisor").get(f"{base(chaired)}/goals/{advisory}").status_code == 200
    assert login_as("coordinator").get(f"{base(chaired)}/goals/{leadership}").status_code == 200
    return advisory, leadership


def test_the_chairs_access_log_lists_reads_of_advisory_records_only(app, world, chaired, reads, login_as):
    advisory, leadership = reads
    page = text(login_as("survivor_advisor").get(f"{base(chaired)}/advisory/access-log"))
    assert f"Goal #{advisory}" in page and f"Goal #{leadership}" not in page
    assert "Survivor_Advisor Person" in page and "Cora Coordinator" not in page


def test_the_coordinators_access_log_hides_the_boards_reads_from_coordinators_not_on_it(
    app, world, chaired, reads, login_as
):
    url = f"{base(chaired)}/activity/access-log"
    outside = text(login_as("coordinator").get(url))
    assert "Leaders goal" in outside and ADVISORY_LABEL not in outside and "Board goal" not in outside
    seat_on_board(app, chaired, "coordinator")
    inside = text(login_as("coordinator").get(url))
    assert ADVISORY_LABEL in inside and "Board goal" in inside and "Leaders goal" in inside
