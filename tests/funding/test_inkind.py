"""In-kind offers, needs and matches (the services): who offers on whose behalf, how much and when,
matching and unmatching (the statuses that follow), links into another partnership (refused by the
service and by the database), the audit, the lists (filters, names of survivor advisors) and the
setup guide's fact."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, select_scalars
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.funding import inkind
from partnership_hub.funding.inkind_models import InkindMatch, InkindNeed, InkindOffer, NeedStatus, OfferStatus
from partnership_hub.funding.policies import may_change_inkind
from partnership_hub.workspaces.models import Membership
from partnership_hub.workspaces.services import context_for
from tests.factories import create_organization
from tests.funding.inkind_helpers import (
    make_match,
    make_need,
    make_offer,
    matches_of,
    need_data,
    needs_of,
    offer_data,
    offers_of,
)


def ctx_of(partnership, who="coordinator"):
    return context_for(partnership.id, partnership.members[who].id)


# --- offers ------------------------------------------------------------------------------------------


def test_a_member_offers_on_their_own_behalf(app, world):
    offer_id = make_offer(app, world.home, "member", quantity="2 rooms, Tuesdays", hours="7.5")
    [offer] = offers_of(app, world.home)
    assert offer.id == offer_id
    member = world.home.membership_ids["member"]
    assert (offer.author_membership_id, offer.offered_by_membership_id) == (member, member)
    assert offer.status == OfferStatus.AVAILABLE and offer.hours == Decimal("7.5")
    assert inkind.how_much(offer) == "7.5 hours · 2 rooms, Tuesdays"


def test_only_coordinators_record_an_offer_for_someone_else(app, world):
    member = world.home.membership_ids["member"]
    make_offer(app, world.home, "coordinator", offered_by_membership_id=str(member))
    assert offers_of(app, world.home)[0].offered_by_membership_id == member
    with pytest.raises(ServiceError) as refused:
        make_offer(app, world.home, "member", offered_by_membership_id=str(world.home.membership_ids["coordinator"]))
    assert refused.value.field is None  # above the form: members are not shown the field
    with pytest.raises(ServiceError) as observer:
        make_offer(app, world.home, "coordinator", offered_by_membership_id=str(world.home.membership_ids["observer"]))
    assert observer.value.field == "offered_by_membership_id"  # observers offer nothing
    assert len(offers_of(app, world.home)) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "money"}, "kind", "Choose what kind"),
        ({"title": "  "}, "title", "short title"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"hours": "", "quantity": ""}, "hours", "Say how much"),
        ({"hours": "-1"}, "hours", "as a number"),
        ({"hours": "1.555"}, "hours", "two decimals"),
        ({"hours": "20000"}, "hours", "at most 10,000"),
        ({"available_from": "2026-05-01", "available_until": "2026-04-30"}, "available_until", "on or after"),
        ({"available_from": "9999-01-01"}, "available_from", "between 1900 and 2200"),
        ({"available_until": "soon"}, "available_until", "YYYY-MM-DD"),
        ({"organization_id": "2147483648"}, "organization_id", "from the list"),
        ({"organization_id": "999999"}, "organization_id", "from the list"),
        ({"description": "x" * 4001}, "description", "4,000"),
    ],
)
def test_bad_offers_are_refused_at_the_field(app, world, fields, field, message):
    with pytest.raises(ServiceError) as refused:
        make_offer(app, world.home, **fields)
    assert refused.value.field == field and message in refused.value.message
    assert offers_of(app, world.home) == []


def test_zero_hours_or_a_quantity_alone_is_fine(app, world):
    make_offer(app, world.home, hours="0")
    make_offer(app, world.home, hours="", quantity="Boxes of hygiene kits")
    assert [o.hours for o in offers_of(app, world.home)] == [Decimal(0), None]


def test_an_organization_of_another_partnership_is_refused_by_the_service_and_the_database(app, world):
    stranger = create_organization(app, world.other, "Elsewhere Org")
    for name in ("organization_id", "used_by_organization_id"):
        with pytest.raises(ServiceError) as refused:
            make_offer(app, world.home, **{name: str(stranger)})
        assert refused.value.field == name
    offer_id = make_offer(app, world.home)
    for name in ("organization_id", "used_by_organization_id"):
        with app.app_context(), pytest.raises(IntegrityError):
            bind_tenant(db.session, world.home.id)
            db.session.execute(update(InkindOffer).where(InkindOffer.id == offer_id).values({name: stranger}))
            db.session.flush()


def test_the_database_refuses_negative_hours_and_a_backwards_period(app, world):
    offer_id = make_offer(app, world.home)
    for values in ({"hours": Decimal(-1)}, {"available_from": date(2026, 5, 2), "available_until": date(2026, 5, 1)}):
        with app.app_context(), pytest.raises(IntegrityError):
            bind_tenant(db.session, world.home.id)
            db.session.execute(update(InkindOffer).where(InkindOffer.id == offer_id).values(values))
            db.session.flush()


def test_changing_an_offer_audits_field_names_only_and_matched_needs_a_match(app, world):
    organization = create_organization(app, world.home, "Grace Church")
    offer_id = make_offer(app, world.home, "member")
    with app.app_context():
        ctx = ctx_of(world.home, "member")
        offer = inkind.get_offer(ctx, offer_id)
        with pytest.raises(ServiceError) as refused:
            inkind.update_offer(ctx, offer, offer_data(status="matched"))
        assert refused.value.field == "status"
        db.session.rollback()
        offer = inkind.get_offer(ctx, offer_id)
        inkind.update_offer(
            ctx,
            offer,
            offer_data(title="Secret title", status="in_use", used_by_organization_id=str(organization)),
        )
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "inkind_offer.updated"
        assert entry.details == {"fields": ["status", "title", "used_by_organization_id"]}
        assert "Secret" not in repr(entry.details) and "Secret" not in repr(offer)
    offer = offers_of(app, world.home)[0]
    assert (offer.status, offer.used_by_organization_id, offer.offered_by_membership_id) == (
        OfferStatus.IN_USE,
        organization,
        world.home.membership_ids["member"],  # a member's edit keeps the person offering
    )


def test_withdrawing_keeps_the_offer_on_record(app, world):
    offer_id = make_offer(app, world.home, "member")
    with app.app_context():
        ctx = ctx_of(world.home, "member")
        offer = inkind.get_offer(ctx, offer_id)
        assert inkind.withdraw_offer(ctx, offer) is True
        assert inkind.withdraw_offer(ctx, offer) is False
        db.session.commit()
        actions = list(db.session.scalars(select(AuditEntry.action)))
        assert actions.count("inkind_offer.withdrawn") == 1
    assert offers_of(app, world.home)[0].status == OfferStatus.WITHDRAWN


# --- needs -------------------------------------------------------------------------------------------


def test_a_need_is_posted_by_its_author_and_a_passed_date_is_refused_only_when_new(app, world):
    with app.app_context():
        ctx = ctx_of(world.home, "survivor_advisor")
        today = ctx.today()
        with pytest.raises(ServiceError) as refused:
            inkind.create_need(ctx, need_data(needed_by=today - timedelta(days=1)))
        assert refused.value.field == "needed_by"
        db.session.rollback()
        need = inkind.create_need(ctx, need_data(needed_by=today, kind=""))
        db.session.commit()
        assert need.posted_by_membership_id == world.home.membership_ids["survivor_advisor"] and need.kind is None
        # A stored date that has since passed stays when the need is edited.
        db.session.execute(update(InkindNeed).values(needed_by=today - timedelta(days=5)))
        db.session.commit()
        need = inkind.get_need(ctx, need.id)
        inkind.update_need(ctx, need, need_data(needed_by=need.needed_by, status="met"))
        db.session.commit()
        assert need.status == NeedStatus.MET


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"details": ""}, "details"),
        ({"kind": "money"}, "kind"),
        ({"needed_by": "2026-02-30"}, "needed_by"),
    ],
)
def test_bad_needs_are_refused_at_the_field(app, world, fields, field):
    with pytest.raises(ServiceError) as refused:
        make_need(app, world.home, **fields)
    assert refused.value.field == field
    assert needs_of(app, world.home) == []


def test_a_bad_status_is_refused(app, world):
    need_id, offer_id = make_need(app, world.home), make_offer(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        with pytest.raises(ServiceError) as need_refused:
            inkind.update_need(ctx, inkind.get_need(ctx, need_id), need_data(status="done"))
        with pytest.raises(ServiceError) as offer_refused:
            inkind.update_offer(ctx, inkind.get_offer(ctx, offer_id), offer_data(status="gone"))
    assert need_refused.value.field == offer_refused.value.field == "status"


# --- matching ----------------------------------------------------------------------------------------


def test_matching_sets_the_offer_matched_and_the_need_met(app, world):
    offer_id, need_id = make_offer(app, world.home, "member"), make_need(app, world.home, "member")
    make_match(app, world.home, offer_id, need_id, note="Tuesdays")
    [match] = matches_of(app, world.home)
    assert (match.offer_id, match.need_id, match.note) == (offer_id, need_id, "Tuesdays")
    assert match.matched_by_membership_id == world.home.membership_ids["coordinator"]
    assert offers_of(app, world.home)[0].status == OfferStatus.MATCHED
    assert needs_of(app, world.home)[0].status == NeedStatus.MET


def test_a_coordinator_may_keep_the_need_open_and_match_more(app, world):
    first, second, need_id = make_offer(app, world.home), make_offer(app, world.home), make_need(app, world.home)
    make_match(app, world.home, first, need_id, more_needed=True)
    assert needs_of(app, world.home)[0].status == NeedStatus.OPEN
    make_match(app, world.home, second, need_id)
    assert needs_of(app, world.home)[0].status == NeedStatus.MET
    assert [o.status for o in offers_of(app, world.home)] == [OfferStatus.MATCHED, OfferStatus.MATCHED]


def test_matching_an_offer_in_use_leaves_its_status(app, world):
    offer_id, need_id = make_offer(app, world.home), make_need(app, world.home)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(InkindOffer).values(status="in_use"))
        db.session.commit()
    make_match(app, world.home, offer_id, need_id)
    assert offers_of(app, world.home)[0].status == OfferStatus.IN_USE


@pytest.mark.parametrize(
    ("offer_status", "need_status", "message"),
    [
        ("withdrawn", "open", "was withdrawn"),
        ("used_up", "open", "is used up"),
        ("available", "closed", "This need is closed"),
    ],
)
def test_matching_refuses_what_cannot_be_matched(app, world, offer_status, need_status, message):
    offer_id, need_id = make_offer(app, world.home), make_need(app, world.home)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(InkindOffer).values(status=offer_status))
        db.session.execute(update(InkindNeed).values(status=need_status))
        db.session.commit()
    with pytest.raises(ServiceError) as refused:
        make_match(app, world.home, offer_id, need_id)
    assert refused.value.field == (None if need_status == "closed" else "offer_id")
    assert message in refused.value.message and matches_of(app, world.home) == []


def test_a_pair_is_matched_once_and_a_missing_offer_is_refused(app, world):
    offer_id, need_id = make_offer(app, world.home), make_need(app, world.home)
    make_match(app, world.home, offer_id, need_id)
    for offer in (offer_id, "", "2147483648", 999_999):
        with pytest.raises(ServiceError) as refused:
            make_match(app, world.home, offer, need_id)
        assert refused.value.field == "offer_id"
    assert len(matches_of(app, world.home)) == 1
    with app.app_context(), pytest.raises(IntegrityError):
        bind_tenant(db.session, world.home.id)
        db.session.add(InkindMatch(offer_id=offer_id, need_id=need_id))
        db.session.flush()


def test_an_offer_of_another_partnership_is_not_found_and_the_database_refuses_the_link(app, world):
    theirs = make_offer(app, world.other)
    need_id = make_need(app, world.home)
    with pytest.raises(ServiceError):
        make_match(app, world.home, theirs, need_id)
    with app.app_context(), pytest.raises(IntegrityError):
        bind_tenant(db.session, world.home.id)
        db.session.add(InkindMatch(offer_id=theirs, need_id=need_id))
        db.session.flush()
    with app.app_context():
        ctx = ctx_of(world.home)
        for load in (inkind.get_offer, inkind.offer_page):
            with pytest.raises(NotFound):
                load(ctx, theirs)


def test_removing_the_last_match_puts_offer_and_need_back(app, world):
    first, second, need_id = make_offer(app, world.home), make_offer(app, world.home), make_need(app, world.home)
    one = make_match(app, world.home, first, need_id, more_needed=True)
    two = make_match(app, world.home, second, need_id)
    with app.app_context():
        ctx = ctx_of(world.home)
        done = inkind.unmatch(ctx, inkind.get_match(ctx, two))
        db.session.commit()
        assert (done.offer_available, done.need_reopened) == (True, False)  # the first match still meets it
        done = inkind.unmatch(ctx, inkind.get_match(ctx, one))
        db.session.commit()
        assert (done.offer_available, done.need_reopened) == (True, True)
        actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "inkind_need")))
    assert actions.count("inkind_match.created") == 2 and actions.count("inkind_match.removed") == 2
    assert [o.status for o in offers_of(app, world.home)] == [OfferStatus.AVAILABLE, OfferStatus.AVAILABLE]
    assert needs_of(app, world.home)[0].status == NeedStatus.OPEN


def test_a_need_met_by_hand_or_an_offer_in_use_stays_after_unmatching(app, world):
    offer_id, need_id = make_offer(app, world.home), make_need(app, world.home)
    match_id = make_match(app, world.home, offer_id, need_id)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(InkindOffer).values(status="in_use"))
        db.session.execute(update(InkindNeed).values(status="closed"))
        db.session.commit()
        ctx = ctx_of(world.home)
        done = inkind.unmatch(ctx, inkind.get_match(ctx, match_id))
        db.session.commit()
    assert (done.offer_available, done.need_reopened) == (False, False)
    assert (offers_of(app, world.home)[0].status, needs_of(app, world.home)[0].status) == (
        OfferStatus.IN_USE,
        NeedStatus.CLOSED,
    )


# --- who may change what -----------------------------------------------------------------------------


def test_the_poster_or_the_person_offering_changes_an_offer_coordinators_any(app, world):
    offer_id = make_offer(
        app, world.home, "coordinator", offered_by_membership_id=str(world.home.membership_ids["member"])
    )
    need_id = make_need(app, world.home, "survivor_advisor")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        offer, need = db.session.get(InkindOffer, offer_id), db.session.get(InkindNeed, need_id)
        people = {m.id: m for m in db.session.scalars(select(Membership))}
        ids = world.home.membership_ids
        assert may_change_inkind(people[ids["coordinator"]], need)
        assert may_change_inkind(people[ids["member"]], offer)  # offered in their name
        assert not may_change_inkind(people[ids["survivor_advisor"]], offer)
        assert may_change_inkind(people[ids["survivor_advisor"]], need)
        assert not may_change_inkind(people[ids["member"]], need)


# --- the lists ---------------------------------------------------------------------------------------


def test_lists_filter_by_kind_status_and_title(app, world):
    make_offer(app, world.home, kind="space", title="Meeting room", hours="", quantity="1 room")
    legal = make_offer(app, world.home, kind="skills", title="Legal hours")
    make_need(app, world.home, kind="space", title="A room")
    with app.app_context():
        ctx = ctx_of(world.home)
        inkind.withdraw_offer(ctx, inkind.get_offer(ctx, legal))
        db.session.commit()

        def titles(filters):
            return [row.offer.title for row in inkind.search_offers(ctx, filters).items]

        assert titles(inkind.Filters()) == ["Legal hours", "Meeting room"]  # newest first
        assert titles(inkind.Filters(kind="space")) == ["Meeting room"]
        assert titles(inkind.Filters(status="withdrawn")) == ["Legal hours"]
        assert titles(inkind.Filters(q="ROOM")) == ["Meeting room"]
        assert titles(inkind.Filters(q="100%_")) == []  # wildcards are taken literally
        assert [r.need.title for r in inkind.search_needs(ctx, inkind.Filters(kind="space")).items] == ["A room"]
        assert inkind.search_needs(ctx, inkind.Filters(status="met")).items == []
        counts = inkind.tab_counts(ctx)
        assert (counts.available, counts.open) == (1, 1)


def test_unusable_filters_mean_any(app):
    filters = inkind.parse_offer_filters({"kind": "money", "status": "lost", "q": "  a\x00b  "})
    assert (filters.kind, filters.status, filters.q) == ("", "", "ab")
    assert inkind.parse_need_filters({"status": "met"}).status == "met"


def test_survivor_advisors_are_named_only_to_those_who_may_know_them(app, world):
    make_offer(app, world.home, "survivor_advisor")
    make_need(app, world.home, "survivor_advisor")
    name = world.user("survivor_advisor").name
    with app.app_context():
        for who, shown in (("member", inkind.ADVISOR_LABEL), ("coordinator", name), ("survivor_advisor", name)):
            ctx = ctx_of(world.home, who)
            [offer] = inkind.search_offers(ctx, inkind.Filters()).items
            [need] = inkind.search_needs(ctx, inkind.Filters()).items
            page = inkind.offer_page(ctx, offer.offer.id)
            assert (offer.offered_by, need.posted_by, page.row.author) == (shown, shown, shown), who


def test_the_offer_picker_leaves_out_what_cannot_be_matched(app, world):
    matched, free, gone = (make_offer(app, world.home, title=t) for t in ("Matched", "Free", "Gone"))
    need_id = make_need(app, world.home)
    make_match(app, world.home, matched, need_id, more_needed=True)
    with app.app_context():
        ctx = ctx_of(world.home)
        inkind.withdraw_offer(ctx, inkind.get_offer(ctx, gone))
        db.session.commit()
        assert [label for _, label in inkind.pick_offers(ctx, "", [], need_id).matches] == ["Free"]
        assert [label for _, label in inkind.pick_offers(ctx, "").matches] == ["Free", "Matched"]
        assert inkind.pick_offers(ctx, "fre", [free]).chosen == [(str(free), "Free")]


# --- the setup guide, demo and seeds -----------------------------------------------------------------


def test_the_guide_counts_offers_not_withdrawn(app, world):
    offer_id = make_offer(app, world.home)
    with app.app_context():
        ctx = ctx_of(world.home)
        assert select_scalars(db.session, inkind.setup_facts(ctx))["inkind_offers"] == 1
        inkind.withdraw_offer(ctx, inkind.get_offer(ctx, offer_id))
        assert select_scalars(db.session, inkind.setup_facts(ctx))["inkind_offers"] == 0


def test_the_demo_and_the_route_walk_seed(app, world):
    from partnership_hub.accounts.models import User

    with app.app_context():
        ctx = ctx_of(world.home)
        member = db.session.get(User, world.user("member").id)
        inkind.seed_demo(ctx, {"marcus.bell": member})
        db.session.commit()
        offers = {o.title: o for o in db.session.scalars(select(InkindOffer))}
        assert len(offers) == 3 and {o.kind for o in offers.values()} == {"student_placement", "skills", "space"}
        assert offers["Social work student placements"].offered_by_membership_id == world.home.membership_ids["member"]
        assert all(o.organization_id for o in offers.values())
        needs = {n.title: n.status for n in db.session.scalars(select(InkindNeed))}
        assert needs == {
            "Interpreters for survivor interviews": NeedStatus.OPEN,
            "A room for the advisory board's meetings": NeedStatus.MET,
        }
        assert len(db.session.scalars(select(InkindMatch)).all()) == 1

    with app.app_context():
        ctx = ctx_of(world.other)
        inkind.seed_for_tests(ctx)
        db.session.commit()
        assert [len(db.session.scalars(select(m)).all()) for m in (InkindOffer, InkindNeed, InkindMatch)] == [1, 1, 1]
