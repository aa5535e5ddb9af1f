"""The funding pipeline's services and reads: create, update, move and delete; every bad value refused at
its field with nothing written; the two warnings; totals by type and year in one currency; the board's
columns; and what the confidentiality layer keeps from people not admitted (board, list, totals, export,
the page, the feed and "your work")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from partnership_hub.audit import queries as feed
from partnership_hub.awareness.models import CampaignPlan
from partnership_hub.confidentiality import Level, viewer_params
from partnership_hub.db import bind_tenant
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_models import FundingOpportunity, FundingStatus
from partnership_hub.workspaces import services as workspaces
from tests.actions.conftest import add_goal
from tests.factories import create_organization
from tests.funding.pipeline_helpers import (
    SECRET,
    audit_of,
    bulk,
    counts,
    ctx_of,
    goal_links,
    grants_on,
    load,
    make,
    snapshot,
    today_of,
)

DAY = timedelta(days=1)


# --- create, update, move, delete -----------------------------------------------------------------


def test_an_opportunity_is_recorded_with_its_goals_lead_owner_and_named_people(app, world):
    ids = world.home.membership_ids
    goals = [add_goal(app, world.home, "Housing"), add_goal(app, world.home, "Training")]
    organization = create_organization(app, world.home, "Streets of Hope")
    deadline = today_of(app, world.home) + 40 * DAY
    opportunity_id = make(
        app,
        world.home,
        title=SECRET,
        funder="A family foundation",
        source_type="private_grant",
        status="researching",
        amount_asked="25,000.50",
        currency="eur",
        application_deadline=deadline.isoformat(),
        report_deadline="",
        fiscal_year="",
        goal_ids=[str(goals[1]), str(goals[0])],
        lead_organization_id=str(organization),
        owner_membership_id=str(ids["member"]),
        confidentiality="leadership",
        access=[str(ids["member"])],
        notes="Met them in March.",
    )
    found = load(app, world.home, opportunity_id)
    assert (found.title, found.funder, found.source_type, found.status) == (
        SECRET,
        "A family foundation",
        "private_grant",
        FundingStatus.RESEARCHING,
    )
    assert (found.amount_asked, found.amount_awarded, found.currency) == (Decimal("25000.50"), None, "EUR")
    assert (found.application_deadline, found.report_deadline) == (deadline, None)
    assert found.fiscal_year == deadline.year  # the deadline's year when none is given
    assert (found.lead_organization_id, found.owner_membership_id) == (organization, ids["member"])
    assert found.author_membership_id == ids["coordinator"]
    assert found.confidentiality.value == "leadership" and found.notes == "Met them in March."
    assert goal_links(app, world.home, opportunity_id) == sorted(goals)
    assert grants_on(app, world.home, opportunity_id) == [ids["member"]]
    [(action, target, details)] = audit_of(app, world.home)
    assert (action, target, details) == ("funding_opportunity.created", opportunity_id, {"status": "researching"})


def test_a_new_card_goes_to_the_end_of_its_column(app, world):
    first, second = make(app, world.home, title="One"), make(app, world.home, title="Two")
    other = make(app, world.home, title="Elsewhere", status="idea")
    positions = {i: load(app, world.home, i).position for i in (first, second, other)}
    assert positions[first] < positions[second]
    assert positions[other] == 1  # each column counts on its own


def test_an_update_names_the_fields_it_changed_and_never_their_values(app, world):
    ids = world.home.membership_ids
    goal = add_goal(app, world.home, "Housing")
    opportunity_id = make(app, world.home, amount_asked="100", goal_ids=[str(goal)])
    with app.app_context():
        ctx = ctx_of(world.home)
        found = pipeline.get_opportunity(ctx, opportunity_id)
        pipeline.update_opportunity(
            ctx,
            found,
            {
                "title": "State victim services grant",
                "source_type": "government_grant",
                "status": "applying",
                "amount_asked": "100.00",
                "amount_awarded": "",
                "currency": "USD",
                "funder": "The state",
                "confidentiality": "private",
                "access": [str(ids["survivor_advisor"])],
                "goal_ids": [],
                "fiscal_year": str(found.fiscal_year),
            },
        )
        db.session.commit()
    _, (action, target, details) = audit_of(app, world.home)
    assert (action, target) == ("funding_opportunity.updated", opportunity_id)
    assert details == {"fields": ["confidentiality", "funder"]}  # 100 and 100.00 are the same amount
    assert goal_links(app, world.home, opportunity_id) == []
    assert grants_on(app, world.home, opportunity_id) == [ids["survivor_advisor"]]


def test_back_to_everyone_drops_the_named_people(app, world):
    ids = world.home.membership_ids
    opportunity_id = make(app, world.home, confidentiality="leadership", access=[str(ids["member"])])
    with app.app_context():
        ctx = ctx_of(world.home)
        found = pipeline.get_opportunity(ctx, opportunity_id)
        data = {"title": found.title, "source_type": found.source_type, "status": "applying"}
        pipeline.update_opportunity(ctx, found, data | {"confidentiality": "workspace", "access": [str(ids["member"])]})
        db.session.commit()
    assert grants_on(app, world.home, opportunity_id) == []


def test_a_move_sends_the_card_to_the_end_of_the_other_column_and_is_audited(app, world):
    waiting = make(app, world.home, title="Already submitted", status="submitted")
    moving = make(app, world.home, title="Moving")
    with app.app_context():
        ctx = ctx_of(world.home)
        found = pipeline.get_opportunity(ctx, moving)
        pipeline.move_opportunity(ctx, found, {"status": "submitted"})
        pipeline.move_opportunity(ctx, found, {"status": "submitted"})  # where it is: nothing happens
        db.session.commit()
    moved, other = load(app, world.home, moving), load(app, world.home, waiting)
    assert moved.status == FundingStatus.SUBMITTED and moved.position > other.position
    moves = [entry for entry in audit_of(app, world.home) if entry[0] == "funding_opportunity.moved"]
    assert moves == [("funding_opportunity.moved", moving, {"before": "applying", "after": "submitted"})]


@pytest.mark.parametrize("status", ["", "won", "Awarded", None])
def test_a_move_to_an_unknown_status_is_refused(app, world, status):
    opportunity_id = make(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError) as refused:
            pipeline.move_opportunity(ctx, pipeline.get_opportunity(ctx, opportunity_id), {"status": status})
    assert refused.value.field == "status"


def test_removing_an_opportunity_takes_its_links_and_grants_and_unlinks_campaigns(app, world):
    ids = world.home.membership_ids
    goal = add_goal(app, world.home, "Housing")
    opportunity_id = make(
        app, world.home, goal_ids=[str(goal)], confidentiality="leadership", access=[str(ids["member"])]
    )
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        plan = CampaignPlan(
            day_key="human_trafficking_awareness_day", year=2027, title="January", funding_opportunity_id=opportunity_id
        )
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
    with app.app_context():
        ctx = ctx_of(world.home)
        pipeline.delete_opportunity(ctx, pipeline.get_opportunity(ctx, opportunity_id))
        db.session.commit()
    assert counts(app, world.home) | {"audit": 0} == {"opportunities": 0, "goals": 0, "grants": 0, "audit": 0}
    assert audit_of(app, world.home)[-1] == ("funding_opportunity.deleted", opportunity_id, {})
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        unlinked = db.session.get(CampaignPlan, plan_id)
        assert unlinked is not None and unlinked.funding_opportunity_id is None


# --- bad input: refused at its field, nothing written ---------------------------------------------------

# (change to a good form, the field the refusal names, words of its message)
BAD_INPUT = [
    ({"title": ""}, "title", "Give the opportunity a name"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
    ({"amount_asked": "-5"}, "amount_asked", "cannot be negative"),
    ({"amount_asked": "\u22125"}, "amount_asked", "cannot be negative"),
    ({"amount_awarded": "-0.01"}, "amount_awarded", "cannot be negative"),
    ({"amount_asked": "lots"}, "amount_asked", "Enter an amount like 150"),
    ({"amount_asked": "1e6"}, "amount_asked", "Enter an amount like 150"),
    ({"amount_asked": "NaN"}, "amount_asked", "Enter an amount like 150"),
    ({"amount_awarded": "12,34"}, "amount_awarded", "Enter an amount like 150"),
    ({"amount_asked": "10.505"}, "amount_asked", "at most 2 decimal places"),
    ({"amount_asked": "10.5", "currency": "JPY"}, "amount_asked", "Enter a whole amount"),
    ({"amount_asked": "99999999999"}, "amount_asked", "at most 9,999,999,999.99"),
    ({"currency": "XYZ"}, "currency", "Choose a currency from the list"),
    ({"currency": "dollars"}, "currency", "Choose a currency from the list"),
    ({"source_type": "lottery"}, "source_type", "Choose the type of funding"),
    ({"source_type": ""}, "source_type", "Choose the type of funding"),
    ({"status": "won"}, "status", "Choose a status from the list"),
    ({"confidentiality": "secret"}, "confidentiality", "Choose who may see it"),
    ({"application_deadline": "31/03/2027"}, "application_deadline", "like 2027-03-31"),
    ({"application_deadline": "2027-02-30"}, "application_deadline", "like 2027-03-31"),
    ({"report_deadline": "soon"}, "report_deadline", "like 2027-03-31"),
    ({"report_deadline": "1800-01-01"}, "report_deadline", "like 2027-03-31"),
    ({"fiscal_year": "20x7"}, "fiscal_year", "the year it counts in"),
    ({"fiscal_year": "1999"}, "fiscal_year", "the year it counts in"),
    ({"goal_ids": ["abc"]}, "goal_ids", "Choose goals"),
    ({"owner_membership_id": "abc"}, "owner_membership_id", "Choose someone from this partnership"),
    ({"lead_organization_id": "999999"}, "lead_organization_id", "Choose one of the partnership"),
    ({"confidentiality": "leadership", "access": ["x"]}, "access", "Choose people from the list"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD_INPUT)
def test_bad_input_is_refused_at_its_field(app, world, change, field, words):
    existing = make(app, world.home, title="Existing", amount_asked="10")
    before = snapshot(app, world.home), counts(app, world.home)
    data = {"title": "New", "source_type": "government_grant", "status": "applying"} | change
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError) as refused:
            pipeline.create_opportunity(ctx, dict(data))
        db.session.rollback()
        assert (refused.value.field, words in refused.value.message) == (field, True), refused.value.message
        with pytest.raises(ServiceError) as refused:
            pipeline.update_opportunity(ctx, pipeline.get_opportunity(ctx, existing), dict(data))
        db.session.rollback()
        assert (refused.value.field, words in refused.value.message) == (field, True), refused.value.message
    assert (snapshot(app, world.home), counts(app, world.home)) == before


def test_links_to_another_partnership_or_to_an_observer_are_refused(app, world):
    ids = world.home.membership_ids
    their_goal = add_goal(app, world.other, "Their goal")
    their_organization = create_organization(app, world.other, "Elsewhere Org")
    their_coordinator = world.other.membership_ids["coordinator"]
    hidden_goal = add_goal(app, world.home, "Advisory only", "advisory")  # the coordinator is not on the board
    before = counts(app, world.home)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"goal_ids": [str(their_goal)]}, "goal_ids"),
        ({"goal_ids": [str(hidden_goal)]}, "goal_ids"),
        ({"lead_organization_id": str(their_organization)}, "lead_organization_id"),
        ({"owner_membership_id": str(their_coordinator)}, "owner_membership_id"),
        ({"owner_membership_id": str(ids["observer"])}, "owner_membership_id"),
        ({"confidentiality": "leadership", "access": [str(their_coordinator)]}, "access"),
        ({"confidentiality": "leadership", "access": [str(ids["observer"])]}, "access"),
    ]
    for change, field in cases:
        with app.app_context():
            with pytest.raises(ServiceError) as refused:
                pipeline.create_opportunity(
                    ctx_of(world.home), {"title": "New", "source_type": "other", "status": "idea"} | change
                )
            db.session.rollback()
        assert refused.value.field == field, change
    assert counts(app, world.home) == before


def test_more_than_ten_goals_are_refused(app, world):
    goals = [str(add_goal(app, world.home, f"Goal {n}")) for n in range(11)]
    with app.app_context(), pytest.raises(ServiceError) as refused:
        pipeline.create_opportunity(
            ctx_of(world.home), {"title": "New", "source_type": "other", "status": "idea", "goal_ids": goals}
        )
    assert refused.value.field == "goal_ids"


# --- warnings: accepted, and said ------------------------------------------------------------------------


def test_an_award_above_the_ask_and_a_passed_deadline_are_accepted_with_warnings(app, world):
    today = today_of(app, world.home)
    bigger = make(app, world.home, status="awarded", amount_asked="100", amount_awarded="120")
    late = make(app, world.home, status="applying", application_deadline=(today - DAY).isoformat())
    submitted = make(app, world.home, status="submitted", application_deadline=(today - DAY).isoformat())
    equal = make(app, world.home, status="awarded", amount_asked="100", amount_awarded="100")
    found = {i: load(app, world.home, i) for i in (bigger, late, submitted, equal)}
    [award] = pipeline.warnings_for(found[bigger], today)
    assert "award is larger than the ask" in award
    [deadline] = pipeline.warnings_for(found[late], today)
    assert "has passed" in deadline and "Applying" in deadline
    assert pipeline.warnings_for(found[submitted], today) == []  # applied in time: nothing to check
    assert pipeline.warnings_for(found[equal], today) == []


# --- totals ------------------------------------------------------------------------------------------------


def test_totals_by_type_and_year_in_one_currency_count_awards_only_once_awarded(app, world):
    year = today_of(app, world.home).year
    y = str(year)
    make(
        app,
        world.home,
        source_type="government_grant",
        status="awarded",
        amount_asked="1000",
        amount_awarded="800",
        fiscal_year=y,
    )
    make(
        app,
        world.home,
        source_type="government_grant",
        status="reporting",
        amount_asked="500",
        amount_awarded="500",
        fiscal_year=y,
    )
    make(
        app,
        world.home,
        source_type="private_grant",
        status="closed",
        amount_asked="200",
        amount_awarded="250",
        fiscal_year=y,
    )
    # Awards typed on opportunities that are not (or no longer) awarded are not counted as awarded.
    make(
        app,
        world.home,
        source_type="private_grant",
        status="submitted",
        amount_asked="300",
        amount_awarded="300",
        fiscal_year=y,
    )
    make(
        app,
        world.home,
        source_type="corporate_grant",
        status="declined",
        amount_asked="50",
        amount_awarded="50",
        fiscal_year=y,
    )
    make(app, world.home, source_type="individual_giving", status="idea", fiscal_year=y)  # no amounts
    make(
        app,
        world.home,
        source_type="government_grant",
        status="awarded",
        amount_asked="70",
        amount_awarded="70",
        fiscal_year=str(year - 2),
    )
    make(
        app,
        world.home,
        source_type="government_grant",
        status="awarded",
        amount_asked="9000",
        amount_awarded="9000",
        currency="EUR",
        fiscal_year=y,
    )
    make(
        app,
        world.home,
        source_type="government_grant",
        status="awarded",
        amount_asked="5",
        amount_awarded="5",
        fiscal_year=str(year - pipeline.TOTAL_YEARS),
    )  # before the years shown
    with app.app_context():
        result = pipeline.totals(ctx_of(world.home), year, None)
    assert (result.currency, result.currencies) == ("USD", ["USD", "EUR"])
    labels = pipeline.TYPE_LABELS
    assert [label for label, _, _ in result.by_type] == [  # the toolkit's order
        labels[key] for key in ("government_grant", "private_grant", "corporate_grant", "individual_giving")
    ]
    by_type = {label: (asked, awarded) for label, asked, awarded in result.by_type}
    assert by_type[labels["government_grant"]] == (Decimal(1500), Decimal(1300))
    assert by_type[labels["private_grant"]] == (Decimal(500), Decimal(250))
    assert by_type[labels["corporate_grant"]] == (Decimal(50), Decimal(0))
    assert (result.asked, result.awarded) == (Decimal(2050), Decimal(1550))
    by_year = {y: (asked, awarded) for y, asked, awarded in result.by_year}
    assert sorted(by_year) == list(range(year - pipeline.TOTAL_YEARS + 1, year + 1))
    assert by_year[year] == (Decimal(2050), Decimal(1550))
    assert by_year[year - 2] == (Decimal(70), Decimal(70))
    assert by_year[year - 1] == (Decimal(0), Decimal(0))
    with app.app_context():
        euros = pipeline.totals(ctx_of(world.home), year, "EUR")
        unknown = pipeline.totals(ctx_of(world.home), year, "GBP")  # not used: the first one used instead
    assert (euros.currency, euros.asked, euros.awarded) == ("EUR", Decimal(9000), Decimal(9000))
    assert [label for label, _, _ in euros.by_type] == [labels["government_grant"]]
    assert unknown.currency == "USD"


def test_totals_leave_out_what_the_viewer_may_not_see(app, world):
    year = str(today_of(app, world.home).year)
    make(app, world.home, amount_asked="100", fiscal_year=year)
    make(app, world.home, title=SECRET, amount_asked="5000", fiscal_year=year, confidentiality="leadership")
    with app.app_context():
        coordinator = pipeline.totals(ctx_of(world.home), int(year), None)
        member = pipeline.totals(ctx_of(world.home, "member"), int(year), None)
    assert (coordinator.asked, member.asked) == (Decimal(5100), Decimal(100))


def test_the_chart_is_scaled_to_the_largest_bar(app, world):
    year = today_of(app, world.home).year
    make(app, world.home, status="awarded", amount_asked="400", amount_awarded="200", fiscal_year=str(year))
    with app.app_context():
        result = pipeline.totals(ctx_of(world.home), year, None)
    chart = pipeline.chart(result)
    assert len(chart.bars) == pipeline.TOTAL_YEARS
    last_year, asked, awarded = chart.bars[-1]
    assert last_year == year and asked.height == pytest.approx(2 * awarded.height)
    assert asked.y + asked.height == pytest.approx(chart.baseline)
    assert all(bar.height == 0 for _, bar, _ in chart.bars[:-1])


# --- the board ---------------------------------------------------------------------------------------------


def test_the_board_has_every_status_in_order_with_its_cards_and_how_many_more(app, world):
    for n in range(pipeline.COLUMN_CARDS + 3):
        make(app, world.home, title=f"Idea {n:02}", status="idea")
    make(app, world.home, title="Being written", status="applying")
    make(app, world.home, title=SECRET, status="applying", confidentiality="leadership")
    with app.app_context():
        columns = pipeline.board(ctx_of(world.home))
        seen_by_member = pipeline.board(ctx_of(world.home, "member"))
    assert [column.status for column in columns] == list(FundingStatus)
    ideas = columns[0]
    assert [card.title for card in ideas.cards] == [f"Idea {n:02}" for n in range(pipeline.COLUMN_CARDS)]
    assert (ideas.count, ideas.more, ideas.count_label) == (pipeline.COLUMN_CARDS + 3, 3, "15")
    applying = columns[list(FundingStatus).index(FundingStatus.APPLYING)]
    assert [card.title for card in applying.cards] == ["Being written", SECRET]
    assert [card.title for card in seen_by_member[2].cards] == ["Being written"]
    assert seen_by_member[2].count == 1
    assert all(column.cards == [] and column.count == 0 for column in columns[3:])


def test_the_board_counts_only_this_partnership(app, world):
    bulk(app, world.other, 20, status=FundingStatus.IDEA, confidentiality=Level.WORKSPACE)
    make(app, world.home, title="Ours", status="idea")
    with app.app_context():
        ideas = pipeline.board(ctx_of(world.home))[0]
        listed = pipeline.opportunities_page(ctx_of(world.home), pipeline.ListFilters(), 1)
        year = ctx_of(world.home).today().year
        result = pipeline.totals(ctx_of(world.home), year, None)
    assert ([card.title for card in ideas.cards], ideas.count) == (["Ours"], 1)
    assert (listed.total, result.asked) == (1, Decimal(0))


def test_a_column_counts_up_to_its_cap(app, world, monkeypatch):
    monkeypatch.setattr(pipeline, "COUNT_CAP", 4)
    for n in range(6):
        make(app, world.home, title=f"Idea {n}", status="idea")
    with app.app_context():
        ideas = pipeline.board(ctx_of(world.home))[0]
    assert ideas.count == 5 and ideas.count_label == "4+"


# --- confidentiality ---------------------------------------------------------------------------------------


def test_a_leadership_opportunity_is_out_of_every_read_for_a_member(app, world):
    ids = world.home.membership_ids
    today = today_of(app, world.home)
    shared = make(app, world.home, title="Shared grant")
    secret = make(
        app,
        world.home,
        title=SECRET,
        confidentiality="leadership",
        owner_membership_id=str(ids["member"]),  # even as its owner, the member is not admitted
        application_deadline=(today + 3 * DAY).isoformat(),
    )
    with app.app_context():
        member = ctx_of(world.home, "member")
        with pytest.raises(NotFound):
            pipeline.get_opportunity(member, secret)
        assert pipeline.get_opportunity(member, shared).id == shared
        listed = pipeline.opportunities_page(member, pipeline.ListFilters(), 1)
        assert [card.id for card in listed.items] == [shared]
        exported = list(pipeline.export_rows(member, pipeline.ListFilters()))
        assert [row[0] for row in exported] == ["Shared grant"]
        coordinator = ctx_of(world.home)
        everything = pipeline.opportunities_page(coordinator, pipeline.ListFilters(), 1)
        assert sorted(card.id for card in everything.items) == sorted([shared, secret])
        work = pipeline.your_work_deadlines(member, 5)
        assert work is not None and list(db.session.execute(work.select, viewer_params(member))) == []
        mine = workspaces.your_work(member)
        assert all(SECRET not in [item.title for item in found.items] for _, found in mine)
        titles = [item.title for _, found in workspaces.your_work(ctx_of(world.home)) for item in found.items]
        assert SECRET not in titles  # the coordinator does not own it


def test_the_feed_leaves_a_leadership_opportunity_out_for_a_member(app, world):
    secret = make(app, world.home, title=SECRET, confidentiality="leadership")
    shared = make(app, world.home, title="Shared grant")
    with app.app_context():
        member = feed.latest(ctx_of(world.home, "member"), 20)
        coordinator = feed.latest(ctx_of(world.home), 20)
    about = [(item.entry.target_id, item.title) for item in member if item.entry.target_type == "funding_opportunity"]
    assert about == [(shared, "Shared grant")]
    about = [
        (item.entry.target_id, item.title) for item in coordinator if item.entry.target_type == "funding_opportunity"
    ]
    assert about == [(shared, "Shared grant"), (secret, SECRET)]


def test_private_and_advisory_follow_the_layer(app, world):
    ids = world.home.membership_ids
    private = make(app, world.home, title="Mine only", confidentiality="private")
    advisory = make(app, world.home, title="The board's", confidentiality="advisory", access=[str(ids["member"])])
    with app.app_context():
        coordinator, member, advisor = (ctx_of(world.home, r) for r in ("coordinator", "member", "survivor_advisor"))
        assert pipeline.get_opportunity(coordinator, private).id == private
        with pytest.raises(NotFound):
            pipeline.get_opportunity(member, private)
        assert pipeline.get_opportunity(member, advisory).id == advisory  # named
        for ctx in (coordinator, advisor):  # nobody sits on the board in this world
            with pytest.raises(NotFound):
                pipeline.get_opportunity(ctx, advisory)


# --- your work -----------------------------------------------------------------------------------------------


def test_the_owner_sees_deadlines_within_30_days_soonest_first(app, world):
    ids = world.home.membership_ids
    today = today_of(app, world.home)
    me = str(ids["member"])

    def on(days: int) -> str:
        return (today + days * DAY).isoformat()

    make(app, world.home, title="Report soon", status="reporting", report_deadline=on(5), owner_membership_id=me)
    make(app, world.home, title="Apply soonest", status="applying", application_deadline=on(2), owner_membership_id=me)
    make(app, world.home, title="Apply later", status="idea", application_deadline=on(30), owner_membership_id=me)
    make(app, world.home, title="Too far", status="applying", application_deadline=on(31), owner_membership_id=me)
    make(app, world.home, title="Submitted", status="submitted", application_deadline=on(3), owner_membership_id=me)
    make(app, world.home, title="Declined", status="declined", report_deadline=on(3), owner_membership_id=me)
    make(app, world.home, title="Not mine", status="applying", application_deadline=on(1))
    with app.app_context():
        [(entry, work)] = [
            found for found in workspaces.your_work(ctx_of(world.home, "member")) if found[0].key == "funding_deadlines"
        ]
    assert entry.heading == "Funding deadlines"
    assert [item.title for item in work.items] == ["Apply soonest", "Report soon", "Apply later"]
    assert [item.note for item in work.items] == ["Application due", "Report due", "Application due"]
    assert [item.due for item in work.items] == [today + 2 * DAY, today + 5 * DAY, today + 30 * DAY]
    assert work.items[0].endpoint == "funding.opportunity"


# --- setup fact ------------------------------------------------------------------------------------------------


def test_the_setup_fact_counts_what_the_viewer_may_see(app, world):
    make(app, world.home, title=SECRET, confidentiality="leadership")
    with app.app_context():
        for role, expected in (("coordinator", 1), ("member", 0)):
            ctx = ctx_of(world.home, role)
            facts = pipeline.setup_facts(ctx)
            assert db.session.scalar(select(facts["funding_opportunities"])) == expected, role


def test_repr_carries_no_title(app, world):
    opportunity_id = make(app, world.home, title=SECRET)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert SECRET not in repr(db.session.get(FundingOpportunity, opportunity_id))
