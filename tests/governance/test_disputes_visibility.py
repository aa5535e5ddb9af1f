"""Only coordinators, the handler and named parties see a dispute (issue #12, "Bad input and
permissions"): a plain member, an observer and a survivor advisor who are not named reach no dispute
by URL guessing, the log, its search, a count (the overview card, the setup facts) or the activity
feed — and the people admitted by grants do, until the grant goes. (There is no CSV export of
disputes.)"""

from __future__ import annotations

import pytest

from partnership_hub.audit import queries as audit_queries
from partnership_hub.db import select_scalars
from partnership_hub.extensions import db
from partnership_hub.governance import disputes
from tests.governance.disputes_helpers import SECRET, add_entry, ctx_of, make_dispute

OUTSIDERS = ("member", "observer", "survivor_advisor")


def feed_lines(ctx) -> list[tuple[str, str | None]]:
    """The activity feed's lines about disputes, as ``ctx``'s member would read them."""
    return [(line.label, line.title) for line in audit_queries.latest(ctx, 50) if line.entry.target_type == "dispute"]


@pytest.fixture
def dispute_id(app, world):
    found = make_dispute(app, world.home)
    add_entry(app, world.home, found, what_happened="Private conversation notes")
    return found


# Every path that shows a dispute, or a trace of one, by URL.
RECORD_PATHS = {
    "detail": ("get", "/governance/disputes/{id}"),
    "timeline page 2": ("get", "/governance/disputes/{id}?page=2"),
    "edit form": ("get", "/governance/disputes/{id}/edit"),
    "sharing page": ("get", "/governance/disputes/{id}/sharing"),
    "add an entry": ("post", "/governance/disputes/{id}/entries"),
    "change status": ("post", "/governance/disputes/{id}/status"),
    "share": ("post", "/governance/disputes/{id}/sharing"),
    "revoke": ("post", "/governance/disputes/{id}/sharing/revoke"),
}


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("path", RECORD_PATHS)
def test_people_not_named_reach_no_dispute_by_guessing_its_url(app, world, login_as, dispute_id, role, path):
    method, template = RECORD_PATHS[path]
    client = login_as(role)
    url = f"/p/{world.home.slug}{template.format(id=dispute_id)}"
    data = {"what_happened": "x", "status": "in_progress", "membership_id": "1", "reason": "x"}
    response = client.get(url) if method == "get" else client.post(url, data=data)
    missing_url = f"/p/{world.home.slug}{template.format(id=dispute_id + 1000)}"
    missing = client.get(missing_url) if method == "get" else client.post(missing_url, data=data)
    # A dispute one may not see answers exactly as one that does not exist: 404 — and observers, who
    # may never see one, get the same 403 for every id.
    assert response.status_code == missing.status_code == (403 if role == "observer" else 404)
    assert SECRET not in response.text


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize(
    "path",
    [
        "/governance/disputes",
        "/governance/disputes?q=quarrel",
        "/governance/disputes?status=open",
        "/governance",
        "/activity",
        "/setup",
        "/",
    ],
)
def test_people_not_named_find_no_trace_in_lists_search_counts_nav_or_feed(
    app, world, login_as, dispute_id, role, path
):
    response = login_as(role).get(f"/p/{world.home.slug}{path}")
    assert response.status_code in (200, 403), response.status_code  # observers may not open the log
    assert SECRET not in response.text
    assert "Private conversation notes" not in response.text
    # No feed line about it, not even without its title.
    assert "logged the dispute" not in response.text
    assert "added to the timeline of the dispute" not in response.text
    assert "card-disputes-heading" not in response.text  # no overview card
    if role == "observer":
        assert ">Disputes</a>" not in response.text  # observers can never be admitted: no entry at all


@pytest.mark.parametrize("role", OUTSIDERS)
def test_counts_and_facts_are_over_what_the_viewer_may_see(app, world, dispute_id, role):
    with app.app_context():
        ctx = ctx_of(world.home, role)
        assert disputes.overview_card(ctx) is None
        assert select_scalars(db.session, disputes.setup_facts(ctx))["disputes_handled"] == 0
        assert disputes.dispute_log(ctx, disputes.LogFilters(), 1).total == 0
        assert feed_lines(ctx) == []  # the activity feed, whoever may open it, filters by the layer
        coordinator = ctx_of(world.home)
        assert disputes.overview_card(coordinator)["open"] == 1  # type: ignore[index]
        assert disputes.dispute_log(coordinator, disputes.LogFilters(q="quarrel"), 1).total == 1
        assert ("added to the timeline of the dispute", SECRET) in feed_lines(coordinator)


def test_the_coordinator_sees_it_everywhere(app, world, login_as, dispute_id):
    client = login_as("coordinator")
    base = f"/p/{world.home.slug}"
    assert SECRET in client.get(f"{base}/governance/disputes/{dispute_id}").text
    assert SECRET in client.get(f"{base}/governance/disputes?q=QUARREL").text
    assert "card-disputes-heading" in client.get(f"{base}/governance").text
    feed = client.get(f"{base}/activity").text
    assert "logged the dispute" in feed and SECRET in feed
    assert ">Disputes</a>" in client.get(f"{base}/").text


def test_another_partnership_reaches_nothing(app, world, login_as, dispute_id):
    client = login_as(world.other.members["coordinator"])
    assert client.get(f"/p/{world.other.slug}/governance/disputes/{dispute_id}").status_code == 404
    assert SECRET not in client.get(f"/p/{world.other.slug}/governance/disputes").text


# --- admitted by grants ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["handler", "party"])
def test_the_handler_and_a_named_party_are_admitted_and_lose_access_when_no_longer_named(app, world, login_as, how):
    member = world.home.membership_ids["member"]
    organization_ids = [] if how == "party" else None
    fields = {"handler_membership_id": member} if how == "handler" else {"member_ids": [member]}
    if organization_ids is not None:
        fields["organization_ids"] = organization_ids
    found = make_dispute(app, world.home, **fields)
    client = login_as("member")
    base = f"/p/{world.home.slug}"
    page = client.get(f"{base}/governance/disputes/{found}")
    assert page.status_code == 200 and SECRET in page.text
    assert SECRET in client.get(f"{base}/governance/disputes").text
    assert "card-disputes-heading" in client.get(f"{base}/governance").text
    with app.app_context():  # the activity feed (the coordinators' page, the home's panel) lets them see it
        lines = feed_lines(ctx_of(world.home, "member"))
        assert ("logged the dispute", SECRET) in lines
    # Only the handler (and coordinators) may add to the timeline; a party reads.
    posted = client.post(f"{base}/governance/disputes/{found}/entries", data={"what_happened": "We spoke."})
    assert posted.status_code == (302 if how == "handler" else 403)

    # Named no more: the automatic grant goes with the name.
    advisor = world.home.membership_ids["survivor_advisor"]
    with app.app_context():
        ctx = ctx_of(world.home)
        dispute = disputes.get_visible_dispute(ctx, found)
        disputes.update_dispute(ctx, dispute, {"title": SECRET, "kind": "priority", "member_ids": [advisor]})
        db.session.commit()
    assert client.get(f"{base}/governance/disputes/{found}").status_code == 404
    assert SECRET not in client.get(f"{base}/governance/disputes").text
    assert login_as("survivor_advisor").get(f"{base}/governance/disputes/{found}").status_code == 200


def test_a_coordinator_shares_one_dispute_with_a_named_person_and_revokes_it(app, world, login_as, dispute_id):
    coordinator, member = login_as("coordinator"), login_as("member")
    base = f"/p/{world.home.slug}/governance/disputes/{dispute_id}"
    other = make_dispute(app, world.home, title="Another dispute")
    member_id = world.home.membership_ids["member"]
    assert member.get(base).status_code == 404

    shared = coordinator.post(f"{base}/sharing", data={"membership_id": member_id, "reason": "Mediator"})
    assert shared.status_code == 302
    assert member.get(base).status_code == 200
    assert member.get(f"/p/{world.home.slug}/governance/disputes/{other}").status_code == 404  # that one only
    assert "Mediator" in coordinator.get(f"{base}/sharing").text

    revoked = coordinator.post(f"{base}/sharing/revoke", data={"membership_id": member_id})
    assert revoked.status_code == 302
    assert member.get(base).status_code == 404


def test_sharing_refuses_observers_and_needs_a_reason(app, world, login_as, dispute_id):
    coordinator = login_as("coordinator")
    base = f"/p/{world.home.slug}/governance/disputes/{dispute_id}/sharing"
    observer = world.home.membership_ids["observer"]
    refused = coordinator.post(base, data={"membership_id": observer, "reason": "Curious"})
    assert refused.status_code == 422 and "Observers" in refused.text
    no_reason = coordinator.post(base, data={"membership_id": world.home.membership_ids["member"], "reason": ""})
    assert no_reason.status_code == 422 and "Say why" in no_reason.text
    assert login_as("observer").get(f"/p/{world.home.slug}/governance/disputes/{dispute_id}").status_code == 403


def test_the_handler_grant_cannot_be_revoked_by_sharing(app, world, login_as):
    member = world.home.membership_ids["member"]
    found = make_dispute(app, world.home, handler_membership_id=member)
    response = login_as("coordinator").post(
        f"/p/{world.home.slug}/governance/disputes/{found}/sharing/revoke", data={"membership_id": member}
    )
    assert response.status_code == 422 and "handler or party" in response.text
    assert login_as("member").get(f"/p/{world.home.slug}/governance/disputes/{found}").status_code == 200
