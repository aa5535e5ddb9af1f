"""Story and image consent (the services): the status as one SQL expression and its Python twin, who may
give, read and withdraw, uses and their flags, bad input (a message at the field, nothing written), audit
entries with ids only, and the coordinators' home panel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from partnership_hub.advisory import consent as services
from partnership_hub.advisory.consent_models import ConsentUse, StoryConsent
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, select_scalars
from partnership_hub.errors import Forbidden, NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.factories import seat_on_board

TODAY = date(2026, 6, 1)


def ctx_of(world, role: str, partnership=None):
    partnership = partnership or world.home
    return context_for(partnership.id, partnership.members[role].id)


def give(app, world, role="survivor_advisor", **fields) -> int:
    """A consent given through the service (the advisor's own unless a coordinator names someone)."""
    data = {"shares": ["story", "name"], "purpose": "Awareness month video", **fields}
    with app.app_context():
        consent = services.give_consent(ctx_of(world, role), data)
        db.session.commit()
        return consent.id


def add_use(app, world, consent_id: int, role="coordinator", **fields) -> int:
    data = {"title": "Video page", "link": "https://example.org/video", "material": ["story"], **fields}
    with app.app_context():
        ctx = ctx_of(world, role)
        consent = services.get_consent(ctx, consent_id)
        use = services.add_use(ctx, consent, data)
        db.session.commit()
        return use.id


def counts(app, partnership) -> tuple[int | None, int | None, int | None]:
    """(consents, uses, audit entries) in the partnership: 'nothing written' compares these."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        return (
            db.session.scalar(select(func.count(StoryConsent.id))),
            db.session.scalar(select(func.count(ConsentUse.id))),
            db.session.scalar(select(func.count(AuditEntry.id))),
        )


# --- status over time -----------------------------------------------------------------------------------


def test_status_is_one_sql_expression_and_its_python_twin_agrees(app, world):
    """Every combination of withdrawn / end date, seen on days before, on and after the end: the SQL
    expression, the Python twin, the filter clauses and the flag clause all say the same."""
    cases = [
        (None, None),  # open-ended, never withdrawn
        (None, TODAY),  # ends today
        (None, TODAY - timedelta(days=1)),  # ended yesterday
        (None, TODAY + timedelta(days=30)),
        (datetime(2026, 5, 1, tzinfo=UTC), None),  # withdrawn, open-ended
        (datetime(2026, 5, 1, tzinfo=UTC), TODAY - timedelta(days=10)),  # withdrawn and ended: withdrawn
    ]
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        advisor = world.home.membership_ids["survivor_advisor"]
        rows = [
            StoryConsent(
                membership_id=advisor,
                shares_story=True,
                purpose="Case",
                starts_on=TODAY - timedelta(days=60),
                ends_on=ends_on,
                withdrawn_at=withdrawn_at,
            )
            for withdrawn_at, ends_on in cases
        ]
        db.session.add_all(rows)
        db.session.commit()
        for today in (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=40)):
            sql: dict[int, str] = {
                consent_id: status
                for consent_id, status in db.session.execute(select(StoryConsent.id, services.effective_status(today)))
            }
            flagged = set(db.session.scalars(select(StoryConsent.id).where(services.consent_flag_clause(today))))
            for row in rows:
                python = services.status_on(row, today)
                assert sql[row.id] == python.value, (today, row.ends_on, row.withdrawn_at)
                assert (row.id in flagged) == (python != services.ConsentStatus.ACTIVE)
                assert (services.flag_of(row, today) is None) == (python == services.ConsentStatus.ACTIVE)
            for status in services.ConsentStatus:
                chosen = set(db.session.scalars(select(StoryConsent.id).where(services.status_clause(status, today))))
                assert chosen == {row.id for row in rows if services.status_on(row, today) == status}, (today, status)


def test_an_end_date_passing_flags_without_anything_being_written(app, world):
    consent_id = give(app, world, ends_on=(date.today() + timedelta(days=400)).isoformat())
    add_use(app, world, consent_id)
    with app.app_context():
        ctx = ctx_of(world, "coordinator")
        assert services.flags_for(ctx, [consent_id]) == {}
        # The end date moves into the past (as time passing would): the flag follows, nothing flips.
        db.session.execute(
            update(StoryConsent)
            .where(StoryConsent.id == consent_id)
            .values(starts_on=ctx.today() - timedelta(days=30), ends_on=ctx.today() - timedelta(days=1))
        )
        db.session.commit()
        flag = services.flags_for(ctx, [consent_id])[consent_id]
        assert flag.status == services.ConsentStatus.EXPIRED and flag.since == ctx.today() - timedelta(days=1)
        assert flag.reason == "consent ended on"
        values = select_scalars(db.session, services.home_takedown_scalars(ctx))
        panel = services.home_takedown_panel(ctx, values)
        assert panel is not None and panel["count"].value == 1


# --- giving consent -----------------------------------------------------------------------------------


def test_an_advisor_gives_their_own_consent(app, world):
    consent_id = give(app, world, ends_on="")
    with app.app_context():
        ctx = ctx_of(world, "survivor_advisor")
        entry = services.get_entry(ctx, consent_id)
        consent = entry.row.consent
        assert consent.membership_id == world.home.membership_ids["survivor_advisor"]
        assert consent.recorded_by_membership_id == consent.membership_id and not entry.row.on_behalf
        assert services.materials_of(consent) == ["story", "name"] and entry.row.materials == "Story, name"
        assert consent.starts_on == ctx.today() and consent.ends_on is None  # open-ended until withdrawn
        assert entry.row.status == services.ConsentStatus.ACTIVE and entry.viewer_is_advisor
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story_consent.given")).one()
        assert audit.target_id == consent_id
        assert audit.details == {
            "membership_id": consent.membership_id,
            "shares": ["story", "name"],
            "on_behalf": False,
        }


def test_a_coordinator_records_one_on_an_advisors_behalf_and_the_advisor_sees_it(app, world):
    advisor = world.home.membership_ids["survivor_advisor"]
    consent_id = give(app, world, "coordinator", membership_id=str(advisor))
    with app.app_context():
        mine = services.search_consents(ctx_of(world, "survivor_advisor"), services.ConsentFilters())
        [row] = mine.items
        assert row.consent.id == consent_id and row.on_behalf and row.recorded_by == "Cora Coordinator"
        assert row.advisor == "Survivor_Advisor Person"


def test_anyone_on_the_board_may_give_consent_but_other_members_and_observers_may_not(app, world):
    with app.app_context():
        for role in ("member", "observer"):
            with pytest.raises(Forbidden):
                services.give_consent(ctx_of(world, role), {"shares": ["story"], "purpose": "A talk"})
            db.session.rollback()
    seat_on_board(app, world.home, "member")
    consent_id = give(app, world, "member")
    with app.app_context():
        assert services.access(ctx_of(world, "member")).may_give
        assert services.get_consent(ctx_of(world, "member"), consent_id).id == consent_id


def test_a_coordinator_may_name_only_an_advisor_or_someone_on_the_board(app, world):
    before = counts(app, world.home)
    with app.app_context():
        ctx = ctx_of(world, "coordinator")
        for membership_id in (
            world.home.membership_ids["member"],  # not on the board
            world.home.membership_ids["observer"],
            world.other.membership_ids["coordinator"],  # another partnership
            "",
            "2147483648",
            "x",
        ):
            with pytest.raises(ServiceError) as refused:
                services.give_consent(ctx, {"membership_id": str(membership_id), "shares": ["story"], "purpose": "A"})
            assert refused.value.field == "membership_id"
            db.session.rollback()
    assert counts(app, world.home) == before


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        # The case: an end before its start.
        ({"starts_on": "2030-03-10", "ends_on": "2030-03-01"}, "ends_on", "can't end before it starts"),
        ({"starts_on": "2000-01-01", "ends_on": "2001-01-01"}, "ends_on", "already passed"),
        ({"shares": []}, "shares", "Tick what may be shared"),
        ({"shares": ["story", "voice"]}, "shares", "Choose from the list"),
        ({"purpose": "  "}, "purpose", "Say what it may be used for"),
        ({"purpose": "x" * 301}, "purpose", "at most 300"),
        ({"starts_on": "2026-02-30"}, "starts_on", "real date"),
        ({"starts_on": "9999-01-01"}, "starts_on", "between 1900 and 2200"),
        ({"ends_on": "next spring"}, "ends_on", "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(app, world, fields, field, words):
    before = counts(app, world.home)
    with app.app_context(), pytest.raises(ServiceError) as refused:
        services.give_consent(ctx_of(world, "survivor_advisor"), {"shares": ["story"], "purpose": "A", **fields})
    assert refused.value.field == field and words in refused.value.message
    assert counts(app, world.home) == before


# --- reading ---------------------------------------------------------------------------------------------


def test_advisors_read_their_own_coordinators_all_and_others_nothing(app, world):
    seat_on_board(app, world.home, "member")
    theirs = give(app, world)
    members = give(app, world, "member", purpose="Board member's talk")
    with app.app_context():
        everything = services.search_consents(ctx_of(world, "coordinator"), services.ConsentFilters())
        assert {row.consent.id for row in everything.items} == {theirs, members}
        mine = services.search_consents(ctx_of(world, "survivor_advisor"), services.ConsentFilters())
        assert [row.consent.id for row in mine.items] == [theirs]
        with pytest.raises(NotFound):
            services.get_entry(ctx_of(world, "survivor_advisor"), members)  # another advisor's: not confirmed
        with pytest.raises(NotFound):
            services.get_consent(ctx_of(world, "member"), theirs)
        with pytest.raises(Forbidden):
            services.search_consents(ctx_of(world, "observer"), services.ConsentFilters())
        with pytest.raises(NotFound):
            services.get_entry(ctx_of(world, "coordinator", world.other), theirs)  # another partnership


def test_someone_with_a_consent_on_record_keeps_their_page_after_a_change_of_role(app, world):
    """Leaving the board (or becoming an observer) never takes away the right to withdraw."""
    seat_on_board(app, world.home, "member")
    consent_id = give(app, world, "member")
    with app.app_context():
        from partnership_hub.advisory import board

        ctx = ctx_of(world, "coordinator")
        seat = db.session.scalars(
            select(board.BoardSeat).where(board.BoardSeat.membership_id == world.home.membership_ids["member"])
        ).one()
        board.end_seat(ctx, seat, {})
        db.session.commit()
        found = services.access(ctx_of(world, "member"))
        assert found.own and not found.may_give
        member = ctx_of(world, "member")
        assert services.withdraw_consent(member, services.get_consent(member, consent_id))
        db.session.commit()


def test_the_register_filters_by_status(app, world):
    active = give(app, world)
    withdrawn = give(app, world, purpose="Old photo")
    with app.app_context():
        ctx = ctx_of(world, "survivor_advisor")
        services.withdraw_consent(ctx, services.get_consent(ctx, withdrawn))
        db.session.commit()
        coordinator = ctx_of(world, "coordinator")
        for status, wanted in (
            ("active", [active]),
            ("withdrawn", [withdrawn]),
            ("expired", []),
            ("", [withdrawn, active]),
        ):
            page = services.search_consents(coordinator, services.parse_filters({"status": status}))
            assert [row.consent.id for row in page.items] == wanted, status
        assert services.parse_filters({"status": "bogus"}).status == ""


# --- withdrawing -----------------------------------------------------------------------------------------


def test_only_the_advisor_withdraws_at_once_and_without_a_reason(app, world):
    advisor = world.home.membership_ids["survivor_advisor"]
    consent_id = give(app, world, "coordinator", membership_id=str(advisor))
    use_id = add_use(app, world, consent_id)
    with app.app_context():
        coordinator = ctx_of(world, "coordinator")
        with pytest.raises(Forbidden):  # not even the coordinator who recorded it
            services.withdraw_consent(coordinator, services.get_consent(coordinator, consent_id))
        db.session.rollback()
        assert services.get_consent(coordinator, consent_id).withdrawn_at is None
        ctx = ctx_of(world, "survivor_advisor")
        assert services.withdraw_consent(ctx, services.get_consent(ctx, consent_id)) is True
        db.session.commit()
        consent = services.get_consent(ctx, consent_id)
        assert consent.withdrawn_at is not None and consent.withdrawal_note == ""
        assert services.withdraw_consent(ctx, consent) is False  # a second click changes nothing
        entry = services.get_entry(coordinator, consent_id)
        assert entry.row.status == services.ConsentStatus.WITHDRAWN and not entry.may_add_use
        [use] = entry.uses
        assert use.use.id == use_id and use.flag is not None and use.flag.reason == "consent withdrawn on"
        assert services.flags_for(coordinator, [consent_id, 999_999])[consent_id].since == consent.withdrawn_at
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story_consent.withdrawn")).one()
        assert audit.target_id == consent_id and audit.details == {"with_note": False}


def test_a_withdrawal_note_is_kept_but_never_audited(app, world):
    consent_id = give(app, world)
    with app.app_context():
        ctx = ctx_of(world, "survivor_advisor")
        services.withdraw_consent(ctx, services.get_consent(ctx, consent_id), {"note": "Please take my photo down."})
        db.session.commit()
        assert services.get_consent(ctx, consent_id).withdrawal_note == "Please take my photo down."
        texts = [str(entry.details) for entry in db.session.scalars(select(AuditEntry))]
        assert not any("photo" in text or "Awareness" in text for text in texts)


# --- uses ----------------------------------------------------------------------------------------------


def test_a_use_is_recorded_by_a_coordinator_or_the_advisor_within_what_the_consent_covers(app, world):
    consent_id = give(app, world)  # story and name
    by_advisor = add_use(app, world, consent_id, "survivor_advisor", title="My talk", link="", material=["name"])
    by_coordinator = add_use(app, world, consent_id, material=["story", "name"])
    with app.app_context():
        entry = services.get_entry(ctx_of(world, "coordinator"), consent_id)
        assert [row.use.id for row in entry.uses] == [by_coordinator, by_advisor]
        assert [row.materials for row in entry.uses] == ["Story, name", "Name"]
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "consent_use.added")).all()
        assert {a.target_id for a in audit} == {by_advisor, by_coordinator}
        assert all(a.details == {"consent_id": consent_id} for a in audit)  # ids only, never the title


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"material": ["image"]}, "material", "does not cover the image"),
        ({"material": []}, "material", "Tick what is used"),
        ({"title": ""}, "title", "Say where it is used"),
        ({"link": "javascript:alert(1)"}, "link", "https://"),
        ({"link": "ftp://example.org/x"}, "link", "https://"),
        ({"title": "x" * 201}, "title", "at most 200"),
    ],
)
def test_bad_uses_are_refused_at_their_field(app, world, fields, field, words):
    consent_id = give(app, world)
    before = counts(app, world.home)
    with pytest.raises(ServiceError) as refused:
        add_use(app, world, consent_id, **fields)
    assert refused.value.field == field and words in refused.value.message
    assert counts(app, world.home) == before


def test_no_new_use_under_a_withdrawn_consent_and_other_advisors_cannot_add_one(app, world):
    seat_on_board(app, world.home, "member")
    consent_id = give(app, world)
    with app.app_context():
        member = ctx_of(world, "member")
        with pytest.raises(NotFound):
            services.get_consent(member, consent_id)
        coordinator_view = services.get_consent(ctx_of(world, "coordinator"), consent_id)
        with pytest.raises(Forbidden):  # even handed the record, another advisor may not add to it
            services.add_use(member, coordinator_view, {"title": "X", "material": ["story"]})
        db.session.rollback()
        ctx = ctx_of(world, "survivor_advisor")
        services.withdraw_consent(ctx, services.get_consent(ctx, consent_id))
        db.session.commit()
    before = counts(app, world.home)
    with pytest.raises(ServiceError) as refused:
        add_use(app, world, consent_id)
    assert refused.value.field is None and "was withdrawn" in refused.value.message
    assert counts(app, world.home) == before


def test_removing_a_use_coordinators_any_an_advisor_only_their_own(app, world):
    consent_id = give(app, world)
    coordinators = add_use(app, world, consent_id)
    advisors = add_use(app, world, consent_id, "survivor_advisor")
    with app.app_context():
        ctx = ctx_of(world, "survivor_advisor")
        use, consent = services.get_use(ctx, coordinators)
        with pytest.raises(Forbidden):
            services.remove_use(ctx, use, consent)
        db.session.rollback()
        use, consent = services.get_use(ctx, advisors)
        services.remove_use(ctx, use, consent)
        coordinator = ctx_of(world, "coordinator")
        use, consent = services.get_use(coordinator, coordinators)
        services.remove_use(coordinator, use, consent)
        db.session.commit()
        assert services.get_entry(coordinator, consent_id).uses == []
        removed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "consent_use.removed")).all()
        assert {a.target_id for a in removed} == {coordinators, advisors}


def test_the_database_refuses_a_use_of_another_partnerships_consent(app, world):
    from sqlalchemy.exc import IntegrityError

    consent_id = give(app, world)
    with app.app_context():
        bind_tenant(db.session, world.other.id)
        db.session.add(ConsentUse(consent_id=consent_id, title="Smuggled", uses_story=True))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_database_refuses_a_consent_sharing_nothing_or_ending_before_it_starts(app, world):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        for fields in ({}, {"shares_story": True, "ends_on": TODAY - timedelta(days=1)}):
            db.session.add(StoryConsent(purpose="X", starts_on=TODAY, **fields))
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


# --- the home panel and the board's page -------------------------------------------------------------------


def test_the_home_panel_counts_uses_to_take_down_and_hides_when_there_are_none(app, world):
    consent_id = give(app, world)
    add_use(app, world, consent_id)
    add_use(app, world, consent_id, title="Poster")
    with app.app_context():
        coordinator = ctx_of(world, "coordinator")
        values = select_scalars(db.session, services.home_takedown_scalars(coordinator))
        assert services.home_takedown_panel(coordinator, values) is None
        ctx = ctx_of(world, "survivor_advisor")
        services.withdraw_consent(ctx, services.get_consent(ctx, consent_id))
        db.session.commit()
        values = select_scalars(db.session, services.home_takedown_scalars(coordinator))
        panel = services.home_takedown_panel(coordinator, values)
        assert panel is not None and panel["count"].value == 2 and panel["count"].label == "2"
        assert services.takedown_count(coordinator).value == 2
        taken = services.search_uses(coordinator, services.TAKEDOWN)
        assert taken.total == 2 and all(row.flag for row in taken.items)
        assert services.Count(101).label == "100+"


def test_the_board_panel_shows_to_coordinators_and_advisors_only(app, world):
    with app.app_context():
        assert services.board_panel(ctx_of(world, "coordinator")) == {"manage": True, "may_give": True}
        assert services.board_panel(ctx_of(world, "survivor_advisor")) == {"manage": False, "may_give": True}
        assert services.board_panel(ctx_of(world, "member")) is None
        assert services.board_panel(ctx_of(world, "observer")) is None


def test_seeds_give_the_route_walk_a_consent_and_a_use(app, world):
    with app.app_context():
        ctx = ctx_of(world, "coordinator")
        services.seed_for_tests(ctx)
        db.session.commit()
        [row] = services.search_consents(ctx, services.ConsentFilters()).items
        assert row.advisor == "Survivor_Advisor Person" and row.uses == 1 and row.on_behalf
