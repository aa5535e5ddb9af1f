"""The survivor advisory board's services (``advisory/board.py``): roles, seats and terms, the chair,
renewals, ending a seat, the chair's grants and review of reads — and that a seat or a grant is what
admits someone to ``advisory`` records (a role alone admits nobody, coordinators included)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import AdvisoryRole, BoardSeat, BoardTerm
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import BOARD, AccessLogEntry, ConfidentialGrant, Level, visibility_clause, visible
from partnership_hub.context import WorkspaceContext, context_for
from partnership_hub.db import bind_tenant, select_scalars
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal
from partnership_hub.workspaces.models import Role
from tests.factories import PartnershipRec, add_member, create_user, seat_on_board
from tests.goals.helpers import make_goal


def ctx_of(partnership: PartnershipRec, who: str = "coordinator") -> WorkspaceContext:
    return context_for(partnership.id, partnership.members[who].id)


def today_of(app, partnership: PartnershipRec) -> date:
    with app.app_context():
        return ctx_of(partnership).today()


def call(app, partnership: PartnershipRec, fn, *args, who: str = "coordinator"):
    """``fn(ctx, *args)`` as ``who``, committed; returns the value's id when it has one."""
    with app.app_context():
        value = fn(ctx_of(partnership, who), *args)
        db.session.commit()
        return getattr(value, "id", value)


def refused(app, partnership: PartnershipRec, fn, *args, who: str = "coordinator") -> ServiceError:
    """``fn(ctx, *args)`` must raise ``ServiceError``; rolled back, returned for its field and message."""
    with app.app_context():
        with pytest.raises(ServiceError) as error:
            fn(ctx_of(partnership, who), *args)
        db.session.rollback()
        return error.value


def count(app, partnership: PartnershipRec, model) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def board_grants(app, partnership: PartnershipRec) -> dict[int, tuple[str, date | None]]:
    """membership id → (reason, end date) of every grant on the board."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = db.session.scalars(select(ConfidentialGrant).where(ConfidentialGrant.record_kind == BOARD))
        return {row.membership_id: (row.reason, row.ends_on) for row in rows}


def role_ids(app, partnership: PartnershipRec) -> dict[str, int]:
    with app.app_context():
        ctx = ctx_of(partnership)
        board.ensure_default_roles(ctx)
        db.session.commit()
        return {role.name: role.id for role in board.roles(ctx)}


def seat_data(partnership: PartnershipRec, who: str, role_id: int, **fields) -> dict:
    return {"membership_id": str(partnership.membership_ids[who]), "role_id": str(role_id)} | fields


def seat(app, partnership: PartnershipRec, who: str, role: str = "Advisor", **fields) -> int:
    roles = role_ids(app, partnership)
    return call(app, partnership, board.seat_member, seat_data(partnership, who, roles[role], **fields))


def seat_row(app, partnership: PartnershipRec, seat_id: int) -> BoardSeat:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = db.session.get(BoardSeat, seat_id)
        db.session.expunge(found)
        return found


def terms(app, partnership: PartnershipRec, seat_id: int) -> list[tuple[date, date | None, bool]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = db.session.scalars(select(BoardTerm).where(BoardTerm.seat_id == seat_id).order_by(BoardTerm.starts_on))
        return [(t.starts_on, t.ends_on, t.is_renewal) for t in rows]


def admitted(app, partnership: PartnershipRec, who: str) -> bool:
    with app.app_context():
        return board.admission(ctx_of(partnership, who)).admitted


def sees_goal(app, partnership: PartnershipRec, who: str, goal_id: int, on: date | None = None) -> bool:
    """Does ``who``'s list of goals (the confidentiality layer's SQL) hold ``goal_id`` (``on`` a day)?"""
    with app.app_context():
        ctx = ctx_of(partnership, who)
        seen = visibility_clause(Goal, ctx.membership, on) if on else visible(ctx, Goal)
        return db.session.scalar(select(Goal.id).where(Goal.id == goal_id, seen)) is not None


def audit_entries(app, partnership: PartnershipRec) -> list[AuditEntry]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        db.session.expunge_all()
        return found


# --- roles --------------------------------------------------------------------------------------------


def test_the_usual_roles_are_added_once(app, world):
    assert call(app, world.home, board.ensure_default_roles) == len(board.DEFAULT_ROLES)
    assert call(app, world.home, board.ensure_default_roles) == 0
    with app.app_context():
        roles = board.roles(ctx_of(world.home))
        assert [(r.name, r.term_months) for r in roles] == [("Advisor", 12), ("Chair", 24), ("Peer mentor", 12)]
    assert count(app, world.other, AdvisoryRole) == 0


def test_a_role_is_created_renamed_and_keeps_its_name_unique(app, world):
    role_id = call(app, world.home, board.create_role, {"name": " Storyteller ", "description": "", "term_months": ""})
    with app.app_context():
        ctx = ctx_of(world.home)
        role = board.get_role(ctx, role_id)
        assert (role.name, role.term_months) == ("Storyteller", None)
        board.update_role(ctx, role, {"name": "Story lead", "description": "Leads the stories", "term_months": "6"})
        db.session.commit()
        assert (role.name, role.description, role.term_months) == ("Story lead", "Leads the stories", 6)
        board.update_role(ctx, role, {"name": "STORY LEAD", "description": "", "term_months": ""})  # itself: fine
        db.session.rollback()
    duplicate = refused(app, world.home, board.create_role, {"name": "story lead"})
    assert duplicate.field == "name" and "already has a role" in duplicate.message
    assert count(app, world.home, AdvisoryRole) == 1
    # Another partnership's board may use the same name.
    call(app, world.other, board.create_role, {"name": "Story lead"})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "Advisor", "term_months": "0"}, "term_months"),
        ({"name": "Advisor", "term_months": "121"}, "term_months"),
        ({"name": "Advisor", "term_months": "twelve"}, "term_months"),
        ({"name": "Advisor", "term_months": "1.5"}, "term_months"),
        ({"name": "Advisor", "description": "x" * 2001}, "description"),
    ],
)
def test_bad_role_input_is_refused_at_its_field(app, world, data, field):
    assert refused(app, world.home, board.create_role, data).field == field
    assert count(app, world.home, AdvisoryRole) == 0


def test_a_role_nobody_held_is_removed_and_a_held_one_stays(app, world):
    roles = role_ids(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        board.delete_role(ctx, board.get_role(ctx, roles["Peer mentor"]))
        db.session.commit()
    seat(app, world.home, "survivor_advisor", "Advisor")
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError, match="rename it instead"):
            board.delete_role(ctx, board.get_role(ctx, roles["Advisor"]))
        db.session.rollback()
    with app.app_context():
        assert [r.name for r in board.roles(ctx_of(world.home))] == ["Advisor", "Chair"]
    # A seat that has ended still holds its role on record.
    seat_id = seat_of(app, world.home, "survivor_advisor")
    call(app, world.home, lambda ctx: board.end_seat(ctx, board.get_seat(ctx, seat_id), {}))
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError):
            board.delete_role(ctx, board.get_role(ctx, roles["Advisor"]))


def seat_of(app, partnership: PartnershipRec, who: str) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return db.session.scalars(
            select(BoardSeat.id)
            .where(BoardSeat.membership_id == partnership.membership_ids[who])
            .order_by(BoardSeat.id.desc())
        ).first()


# --- seats: admission -----------------------------------------------------------------------------------


def test_a_seat_admits_its_holder_to_advisory_records_and_a_role_alone_does_not(app, world):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    for who in ("coordinator", "member", "survivor_advisor"):
        assert not sees_goal(app, world.home, who, goal_id), who
        assert not admitted(app, world.home, who), who
    seat(app, world.home, "member")
    assert sees_goal(app, world.home, "member", goal_id) and admitted(app, world.home, "member")
    # The goal's author, a coordinator not on the board, still may not read it; nor may the advisor.
    assert not sees_goal(app, world.home, "coordinator", goal_id)
    assert not sees_goal(app, world.home, "survivor_advisor", goal_id)
    assert board_grants(app, world.home) == {world.home.membership_ids["member"]: (board.SEAT_REASON, None)}


def test_a_coordinator_who_sits_on_the_board_is_admitted(app, world):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    seat(app, world.home, "coordinator")
    assert sees_goal(app, world.home, "coordinator", goal_id) and admitted(app, world.home, "coordinator")


def test_another_partnerships_board_admits_nobody_here(app, world):
    other = world.other
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    seat(app, other, "coordinator")
    assert not sees_goal(app, world.home, "coordinator", goal_id)
    assert not admitted(app, world.home, "coordinator")


# --- seats: bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "change", "field", "message"),
    [
        ("observer", {}, "membership_id", "Observers are guests"),
        (None, {"membership_id": ""}, "membership_id", "Choose someone"),
        (None, {"membership_id": "abc"}, "membership_id", "Choose someone"),
        (None, {"membership_id": "99999999999"}, "membership_id", "Choose someone"),
        ("member", {"role_id": ""}, "role_id", "Choose one of the board's roles"),
        ("member", {"role_id": "987654"}, "role_id", "Choose one of the board's roles"),
        ("member", {"term_starts_on": "31/03/2026"}, "term_starts_on", "like 2026-03-31"),
        ("member", {"term_ends_on": "soon"}, "term_ends_on", "or leave it empty"),
        ("member", {"term_starts_on": "2026-05-01", "term_ends_on": "2026-04-30"}, "term_ends_on", "before it starts"),
    ],
)
def test_bad_seat_input_is_refused_at_its_field_and_writes_nothing(app, world, who, change, field, message):
    roles = role_ids(app, world.home)
    data = seat_data(world.home, who or "member", roles["Advisor"]) | change
    error = refused(app, world.home, board.seat_member, data)
    assert (error.field, message in error.message) == (field, True), error.message
    assert count(app, world.home, BoardSeat) == count(app, world.home, BoardTerm) == 0
    assert board_grants(app, world.home) == {}


def test_someone_from_another_partnership_cannot_be_seated(app, world):
    roles = role_ids(app, world.home)
    outsider = str(world.other.membership_ids["coordinator"])
    error = refused(app, world.home, board.seat_member, {"membership_id": outsider, "role_id": str(roles["Advisor"])})
    assert error.field == "membership_id"
    other_role = role_ids(app, world.other)["Advisor"]
    error = refused(app, world.home, board.seat_member, seat_data(world.home, "member", other_role))
    assert error.field == "role_id"
    assert count(app, world.home, BoardSeat) == 0


def test_nobody_holds_two_seats_at_once(app, world):
    seat(app, world.home, "member")
    roles = role_ids(app, world.home)
    error = refused(app, world.home, board.seat_member, seat_data(world.home, "member", roles["Chair"]))
    assert (error.field, error.message) == ("membership_id", "They already sit on the board.")
    assert count(app, world.home, BoardSeat) == 1


# --- seats: terms -----------------------------------------------------------------------------------------


def test_a_seats_term_uses_the_dates_given_or_the_roles_usual_term(app, world):
    today = today_of(app, world.home)
    given = seat(app, world.home, "member", term_starts_on="2026-01-15", term_ends_on="2026-07-14")
    assert terms(app, world.home, given) == [(date(2026, 1, 15), date(2026, 7, 14), False)]
    assert seat_row(app, world.home, given).joined_on == min(date(2026, 1, 15), today)
    usual = seat(app, world.home, "survivor_advisor", "Chair", term_starts_on="2026-02-01")  # 24 months
    assert terms(app, world.home, usual) == [(date(2026, 2, 1), date(2028, 1, 31), False)]
    role_id = call(app, world.home, board.create_role, {"name": "Guest advisor"})  # no usual term
    data = seat_data(world.home, "coordinator", role_id)
    open_ended = call(app, world.home, board.seat_member, data)
    assert terms(app, world.home, open_ended) == [(today, None, False)]
    assert seat_row(app, world.home, open_ended).joined_on == today


def test_a_term_starting_later_joins_the_board_today(app, world):
    today = today_of(app, world.home)
    later = (today + timedelta(days=30)).isoformat()
    seat_id = seat(app, world.home, "member", term_starts_on=later)
    assert seat_row(app, world.home, seat_id).joined_on == today
    assert admitted(app, world.home, "member")


# --- the chair ---------------------------------------------------------------------------------------------


def test_there_is_one_chair_at_a_time(app, world):
    first = seat(app, world.home, "survivor_advisor", "Chair", is_chair=True)
    second = seat(app, world.home, "member", "Chair", is_chair=True)  # naming a new chair unsets the old
    assert (seat_row(app, world.home, first).is_chair, seat_row(app, world.home, second).is_chair) == (False, True)
    roles = role_ids(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        board.update_seat(ctx, board.get_seat(ctx, first), {"role_id": str(roles["Chair"]), "is_chair": True})
        db.session.commit()
    assert (seat_row(app, world.home, first).is_chair, seat_row(app, world.home, second).is_chair) == (True, False)
    with app.app_context():
        assert board.admission(ctx_of(world.home, "survivor_advisor")).is_chair
        assert not board.admission(ctx_of(world.home, "member")).is_chair
        rows = board.roster(ctx_of(world.home))
        assert [(r.name, r.is_chair) for r in rows] == [("Survivor_Advisor Person", True), ("Member Person", False)]


def test_a_seat_changes_role_and_a_bad_role_is_refused(app, world):
    seat_id = seat(app, world.home, "member")
    roles = role_ids(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        found = board.get_seat(ctx, seat_id)
        board.update_seat(ctx, found, {"role_id": str(roles["Peer mentor"]), "is_chair": False})
        db.session.commit()
        with pytest.raises(ServiceError) as error:
            board.update_seat(ctx, found, {"role_id": "", "is_chair": False})
        assert error.value.field == "role_id"
        db.session.rollback()
    assert seat_row(app, world.home, seat_id).role_id == roles["Peer mentor"]


# --- renewals ------------------------------------------------------------------------------------------


def renew(app, partnership: PartnershipRec, seat_id: int, data: dict):
    with app.app_context():
        ctx = ctx_of(partnership)
        term = board.renew_term(ctx, board.get_seat(ctx, seat_id), data)
        db.session.commit()
        return term.id


def test_a_renewal_starts_after_the_current_term_began(app, world):
    seat_id = seat(app, world.home, "member", term_starts_on="2026-01-01", term_ends_on="2026-12-31")
    for starts in ("2026-01-01", "2025-12-31"):
        with app.app_context():
            ctx = ctx_of(world.home)
            with pytest.raises(ServiceError) as error:
                board.renew_term(ctx, board.get_seat(ctx, seat_id), {"term_starts_on": starts})
            assert error.value.field == "term_starts_on", starts
            db.session.rollback()
    renew(app, world.home, seat_id, {"term_starts_on": "2027-01-01", "term_ends_on": "2027-06-30", "note": "Again"})
    # Without an end date, the role's usual term (the Advisor's: 12 months).
    renew(app, world.home, seat_id, {"term_starts_on": "2027-07-01"})
    assert terms(app, world.home, seat_id) == [
        (date(2026, 1, 1), date(2026, 12, 31), False),
        (date(2027, 1, 1), date(2027, 6, 30), True),
        (date(2027, 7, 1), date(2028, 6, 30), True),
    ]
    with app.app_context():
        [row] = board.roster(ctx_of(world.home))
        assert (row.term_starts_on, row.term_ends_on) == (date(2027, 7, 1), date(2028, 6, 30))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"term_starts_on": "2027-02-30"}, "term_starts_on"),
        ({"term_starts_on": "2027-01-01", "term_ends_on": "2026-12-31"}, "term_ends_on"),
        ({"term_starts_on": "2027-01-01", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_renewals_are_refused_at_their_field(app, world, data, field):
    seat_id = seat(app, world.home, "member", term_starts_on="2026-01-01")
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError) as error:
            board.renew_term(ctx, board.get_seat(ctx, seat_id), data)
        assert error.value.field == field
        db.session.rollback()
    assert len(terms(app, world.home, seat_id)) == 1


def test_the_term_state_says_when_a_renewal_is_due(app, world):
    row = board.RosterRow(1, 1, "A", "Advisor", False, date(2026, 1, 1), None, date(2026, 6, 30), True)
    assert row.term_state(date(2026, 4, 1)) == ""
    assert row.term_state(date(2026, 5, 1)) == "renewal due"
    assert row.term_state(date(2026, 6, 30)) == "renewal due"
    assert row.term_state(date(2026, 7, 1)) == "term ended"
    assert (
        board.RosterRow(1, 1, "A", "Advisor", False, date(2026, 1, 1), None, None, True).term_state(date(2030, 1, 1))
        == ""
    )


# --- ending a seat -----------------------------------------------------------------------------------------


def end(app, partnership: PartnershipRec, seat_id: int, data: dict | None = None) -> None:
    with app.app_context():
        ctx = ctx_of(partnership)
        board.end_seat(ctx, board.get_seat(ctx, seat_id), data or {})
        db.session.commit()


def test_ending_a_seat_ends_admission_and_the_chair(app, world):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    seat_id = seat(app, world.home, "survivor_advisor", "Chair", is_chair=True, term_starts_on="2026-01-01")
    assert sees_goal(app, world.home, "survivor_advisor", goal_id)
    end(app, world.home, seat_id)
    found = seat_row(app, world.home, seat_id)
    assert (found.left_on, found.is_chair) == (today_of(app, world.home), False)
    assert not sees_goal(app, world.home, "survivor_advisor", goal_id)
    assert not admitted(app, world.home, "survivor_advisor")
    assert board_grants(app, world.home) == {}
    with app.app_context():
        assert board.roster(ctx_of(world.home)) == [] and board.board_size(ctx_of(world.home)) == 0
    # An ended seat is history: no renewal, no change, no second end; a new seat may be given.
    roles = role_ids(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        found = board.get_seat(ctx, seat_id)
        for attempt in (
            lambda: board.renew_term(ctx, found, {"term_starts_on": "2027-01-01"}),
            lambda: board.update_seat(ctx, found, {"role_id": str(roles["Advisor"])}),
            lambda: board.end_seat(ctx, found, {}),
        ):
            with pytest.raises(ServiceError, match="has ended"):
                attempt()
            db.session.rollback()
    seat(app, world.home, "survivor_advisor")
    assert sees_goal(app, world.home, "survivor_advisor", goal_id)


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("yesterday-ish", "like 2026-03-31"),
        ("2025-12-31", "before they joined"),
        ("tomorrow", "not ahead of it"),
    ],
)
def test_a_bad_last_day_is_refused_at_its_field(app, world, left_on, message):
    seat_id = seat(app, world.home, "member", term_starts_on="2026-01-01")
    if left_on == "tomorrow":
        left_on = (today_of(app, world.home) + timedelta(days=1)).isoformat()
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError) as error:
            board.end_seat(ctx, board.get_seat(ctx, seat_id), {"left_on": left_on})
        assert error.value.field == "left_on" and message in error.value.message
        db.session.rollback()
    assert seat_row(app, world.home, seat_id).left_on is None and admitted(app, world.home, "member")


def test_a_past_last_day_is_recorded(app, world):
    seat_id = seat(app, world.home, "member", term_starts_on="2026-01-01")
    end(app, world.home, seat_id, {"left_on": "2026-01-31"})
    assert seat_row(app, world.home, seat_id).left_on == date(2026, 1, 31)
    assert not admitted(app, world.home, "member")


# --- the chair's grants --------------------------------------------------------------------------------


@pytest.fixture
def chaired(app, world):
    """The survivor advisor chairs the board; nobody else sits on it."""
    seat_on_board(app, world.home, "survivor_advisor", chair="survivor_advisor")
    return world.home


def grant_data(partnership: PartnershipRec, who: str, today: date, **fields) -> dict:
    return {
        "membership_id": str(partnership.membership_ids[who]),
        "reason": "Co-planning the survivor-led training",
        "ends_on": (today + timedelta(days=90)).isoformat(),
    } | fields


def test_the_chair_admits_someone_for_a_reason_until_a_date(app, world, chaired):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    today = today_of(app, chaired)
    assert not sees_goal(app, chaired, "coordinator", goal_id)
    call(app, chaired, board.grant_access, grant_data(chaired, "coordinator", today), who="survivor_advisor")
    assert sees_goal(app, chaired, "coordinator", goal_id) and admitted(app, chaired, "coordinator")
    with app.app_context():
        admission = board.admission(ctx_of(chaired, "coordinator"))
        assert (admission.seat_id, admission.is_chair) == (None, False)
        [row] = board.access_grants(ctx_of(chaired, "survivor_advisor"))
        assert (row.name, row.reason, row.ends_on) == (
            "Cora Coordinator",
            "Co-planning the survivor-led training",
            today + timedelta(days=90),
        )
        assert row.granted_by == "Survivor_Advisor Person"  # the chair, not the person admitted
    # Granting again renews the one grant (a new reason, a new end: a year at most).
    year = (today + timedelta(days=board.GRANT_DAYS_MAX)).isoformat()
    again = grant_data(chaired, "coordinator", today, reason="Budget review", ends_on=year)
    call(app, chaired, board.grant_access, again, who="survivor_advisor")
    grants = board_grants(app, chaired)
    assert grants[chaired.membership_ids["coordinator"]] == ("Budget review", date.fromisoformat(year))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": ""}, "reason", "Say why"),
        ({"reason": "   "}, "reason", "Say why"),
        ({"reason": "x" * 501}, "reason", "at most 500"),
        ({"ends_on": ""}, "ends_on", "Give the last day"),
        ({"ends_on": "next month"}, "ends_on", "Give the last day"),
        ({"ends_on": -1}, "ends_on", "already passed"),
        ({"ends_on": 367}, "ends_on", "a year at most"),
        ({"membership_id": ""}, "membership_id", "Choose someone"),
        ({"membership_id": "observer"}, "membership_id", "Observers are guests"),
        ({"membership_id": "survivor_advisor"}, "membership_id", "admitted already"),
    ],
)
def test_bad_grants_are_refused_at_their_field_and_write_nothing(app, world, chaired, change, field, message):
    today = today_of(app, chaired)
    data = grant_data(chaired, "member", today)
    for key, value in change.items():
        if isinstance(value, int):
            value = (today + timedelta(days=value)).isoformat()
        elif key == "membership_id" and value:
            value = str(chaired.membership_ids[value])
        data[key] = value
    before = count(app, chaired, AuditEntry)
    error = refused(app, chaired, board.grant_access, data, who="survivor_advisor")
    assert error.field == field and message in error.message, error.message
    assert set(board_grants(app, chaired)) == {chaired.membership_ids["survivor_advisor"]}  # the chair's seat only
    assert count(app, chaired, AuditEntry) == before


def test_someone_from_another_partnership_cannot_be_granted(app, world, chaired):
    data = grant_data(chaired, "member", today_of(app, chaired)) | {
        "membership_id": str(world.other.membership_ids["coordinator"])
    }
    assert refused(app, chaired, board.grant_access, data, who="survivor_advisor").field == "membership_id"


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_only_the_chair_grants_and_revokes(app, world, chaired, who):
    data = grant_data(chaired, "member", today_of(app, chaired))
    with app.app_context():
        with pytest.raises(NotFound):
            board.grant_access(ctx_of(chaired, who), data)
        with pytest.raises(NotFound):
            board.revoke_access(ctx_of(chaired, who), {"membership_id": data["membership_id"]})
        with pytest.raises(NotFound):
            board.access_log(ctx_of(chaired, who), 1)
        db.session.rollback()
    # A board member who is not the chair neither.
    seat_on_board(app, chaired, "member")
    with app.app_context(), pytest.raises(NotFound):
        board.grant_access(ctx_of(chaired, "member"), grant_data(chaired, "coordinator", today_of(app, chaired)))


def test_revoking_ends_access_the_same_day_and_keeps_the_history(app, world, chaired):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    today = today_of(app, chaired)
    call(app, chaired, board.grant_access, grant_data(chaired, "member", today), who="survivor_advisor")
    assert sees_goal(app, chaired, "member", goal_id)
    member = str(chaired.membership_ids["member"])
    call(app, chaired, board.revoke_access, {"membership_id": member}, who="survivor_advisor")
    assert not sees_goal(app, chaired, "member", goal_id) and not admitted(app, chaired, "member")
    with app.app_context():
        [row] = board.access_grants(ctx_of(chaired, "survivor_advisor"))
        assert row.ends_on == today - timedelta(days=1) and row.ended(today)
    # Revoking again, or revoking what is not a grant (a seat, nobody), is refused and changes nothing.
    for target in (member, str(chaired.membership_ids["survivor_advisor"]), str(chaired.membership_ids["coordinator"])):
        error = refused(app, chaired, board.revoke_access, {"membership_id": target}, who="survivor_advisor")
        assert error.field == "membership_id", target
    assert board_grants(app, chaired)[chaired.membership_ids["member"]][1] == today - timedelta(days=1)
    assert admitted(app, chaired, "survivor_advisor")  # the chair's seat is untouched


def test_a_grant_admits_until_its_last_day(app, world, chaired):
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    today = today_of(app, chaired)
    data = grant_data(chaired, "member", today, ends_on=today.isoformat())
    call(app, chaired, board.grant_access, data, who="survivor_advisor")
    assert sees_goal(app, chaired, "member", goal_id)  # its last day
    assert not sees_goal(app, chaired, "member", goal_id, on=today + timedelta(days=1))


def test_a_seat_given_to_someone_holding_a_grant_replaces_it(app, world, chaired):
    today = today_of(app, chaired)
    call(app, chaired, board.grant_access, grant_data(chaired, "member", today), who="survivor_advisor")
    seat_id = seat(app, chaired, "member")
    assert board_grants(app, chaired)[chaired.membership_ids["member"]] == (board.SEAT_REASON, None)
    with app.app_context():
        assert board.access_grants(ctx_of(chaired, "survivor_advisor")) == []  # seats are not grants
    end(app, chaired, seat_id)
    assert not admitted(app, chaired, "member")


# --- the chair's review of reads -----------------------------------------------------------------------


def test_the_access_log_lists_reads_of_advisory_records_only(app, world, chaired):
    with app.app_context():
        bind_tenant(db.session, chaired.id)
        ids = chaired.membership_ids
        user_ids = {who: chaired.members[who].id for who in ("coordinator", "survivor_advisor")}
        db.session.add_all(
            [
                AccessLogEntry(
                    user_id=user_ids["coordinator"],
                    membership_id=ids["coordinator"],
                    record_kind="goal",
                    record_id=1,
                    level=Level.LEADERSHIP,
                ),
                AccessLogEntry(
                    user_id=user_ids["survivor_advisor"],
                    membership_id=ids["survivor_advisor"],
                    record_kind="goal",
                    record_id=2,
                    level=Level.ADVISORY,
                ),
                AccessLogEntry(
                    user_id=None,
                    membership_id=None,
                    record_kind="meeting",
                    record_id=3,
                    level=Level.ADVISORY,
                    how="exported",
                ),
                AccessLogEntry(
                    user_id=user_ids["coordinator"],
                    membership_id=ids["coordinator"],
                    record_kind="goal",
                    record_id=4,
                    level=Level.PRIVATE,
                ),
            ]
        )
        db.session.commit()
    with app.app_context():
        page = board.access_log(ctx_of(chaired, "survivor_advisor"), 1)
        assert sorted((r.record_kind, r.record_id, r.name, r.how) for r in page.items) == [
            ("goal", 2, "Survivor_Advisor Person", "viewed"),
            ("meeting", 3, None, "exported"),
        ]
        assert page.total == 2


# --- audit, facts ------------------------------------------------------------------------------------------


def test_audit_entries_carry_ids_and_never_the_reason(app, world, chaired):
    today = today_of(app, chaired)
    reason = "Helping with the sensitive shelter review"
    call(app, chaired, board.grant_access, grant_data(chaired, "member", today, reason=reason), who="survivor_advisor")
    call(
        app,
        chaired,
        board.revoke_access,
        {"membership_id": str(chaired.membership_ids["member"])},
        who="survivor_advisor",
    )
    entries = audit_entries(app, chaired)
    assert [e.action for e in entries][-3:] == [
        "board_seat.created",
        "advisory_access.granted",
        "advisory_access.revoked",
    ]
    for entry in entries:
        assert reason not in repr(entry.details)
    assert entries[-1].details == {"membership_id": chaired.membership_ids["member"]}


def test_the_setup_guide_needs_seats_and_a_chair(app, world):
    def facts():
        with app.app_context():
            ctx = ctx_of(world.home)
            return select_scalars(db.session, board.setup_facts(ctx))

    assert facts() == {"board_seats": 0, "board_chair": 0}
    seat(app, world.home, "member")
    assert facts() == {"board_seats": 1, "board_chair": 0}
    seat(app, world.home, "survivor_advisor", "Chair", is_chair=True)
    assert facts() == {"board_seats": 2, "board_chair": 1}


def test_observers_are_never_admitted_even_with_a_stale_seat(app, world):
    """A person seated while a member and later made an observer reads workspace records only."""
    goal_id = make_goal(app, world.home, title="Board goal", confidentiality="advisory")
    seat(app, world.home, "member")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        from partnership_hub.workspaces.models import Membership

        db.session.get(Membership, world.home.membership_ids["member"]).role = Role.OBSERVER
        db.session.commit()
    assert not sees_goal(app, world.home, "member", goal_id) and not admitted(app, world.home, "member")


def test_a_new_person_can_be_seated_with_the_test_factory(app, world):
    user = create_user(app, "Rosa Advisor")
    add_member(app, world.home, user, Role.SURVIVOR_ADVISOR, key="rosa")
    seat_on_board(app, world.home, "rosa", chair="rosa")
    with app.app_context():
        assert board.admission(ctx_of(world.home, "rosa")).is_chair
