"""The funding pipeline's pages: coordinators manage, everyone else reads (403 on every change); bad input
is a 422 at its field with nothing written; the warnings on the page and in the flash; moving a card by a
plain POST from the board and from its page; the list's htmx filter; the export; the access log; and the
owner's funding deadlines on the home. (Another partnership's ids are the route walk's: 404 everywhere.)"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from markupsafe import escape

from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_models import FundingStatus
from tests.factories import seat_on_board
from tests.funding.pipeline_helpers import (
    SECRET,
    access_log,
    counts,
    grants_on,
    load,
    make,
    snapshot,
    today_of,
)
from tests.funding.test_pipeline import BAD_INPUT

DAY = timedelta(days=1)
ROLES = ("coordinator", "member", "survivor_advisor", "observer")


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/funding"


def form(**fields) -> dict:
    return {
        "title": "State victim services grant",
        "funder": "State Division of Criminal Justice",
        "source_type": "government_grant",
        "status": "applying",
        "amount_asked": "85,000",
        "amount_awarded": "",
        "currency": "USD",
        "application_deadline": "",
        "report_deadline": "",
        "fiscal_year": "",
        "lead_organization_id": "",
        "owner_membership_id": "",
        "confidentiality": "workspace",
        "notes": "",
        **fields,
    }


def field_error(html: str, name: str) -> str:
    """The error shown at field ``name`` ("" when none)."""
    match = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


# --- who may do what ----------------------------------------------------------------------------------


def test_a_coordinator_adds_an_opportunity_and_everyone_reads_it(app, world, login_as, base):
    response = login_as().post(f"{base}/opportunities/new", data=form())
    assert response.status_code == 302
    [row] = snapshot(app, world.home)
    assert response.headers["Location"].endswith(f"/funding/opportunities/{row[0]}")
    for role in ROLES:
        page = login_as(role).get(response.headers["Location"])
        assert page.status_code == 200, role
        assert "State victim services grant" in page.text and "USD 85,000.00" in page.text
        assert ("Edit" in page.text) == (role == "coordinator"), role
        assert ("Move or remove" in page.text) == (role == "coordinator"), role


@pytest.mark.parametrize("role", ROLES)
def test_coordinators_manage_and_everyone_else_reads(app, world, login_as, base, role):
    opportunity_id = make(app, world.home)
    client = login_as(role)
    for path in (
        "",
        "/opportunities",
        "/opportunities?status=applying",
        "/totals",
        "/opportunities.csv",
        f"/opportunities/{opportunity_id}",
    ):
        assert client.get(f"{base}{path}").status_code == 200, (role, path)
    manages = role == "coordinator"
    for path in ("/opportunities/new", f"/opportunities/{opportunity_id}/edit"):
        assert client.get(f"{base}{path}").status_code == (200 if manages else 403), (role, path)
    board = client.get(base).text
    assert ("data-status-form" in board) == manages and ('draggable="true"' in board) == manages
    assert ("Add an opportunity" in board) == manages
    if manages:
        return
    before = snapshot(app, world.home), counts(app, world.home)
    posts = {
        "/opportunities/new": form(),
        f"/opportunities/{opportunity_id}/edit": form(title="Changed"),
        f"/opportunities/{opportunity_id}/move": {"status": "submitted", "return_to": "board"},
        f"/opportunities/{opportunity_id}/delete": {},
    }
    for path, data in posts.items():
        assert client.post(f"{base}{path}", data=data).status_code == 403, (role, path)
    assert (snapshot(app, world.home), counts(app, world.home)) == before


def test_a_leadership_opportunity_is_a_404_for_a_member_and_out_of_every_page(app, world, login_as, base):
    secret = make(
        app,
        world.home,
        title=SECRET,
        confidentiality="leadership",
        amount_asked="777",
        fiscal_year=str(today_of(app, world.home).year),
    )
    make(app, world.home, title="Shared grant", amount_asked="100", fiscal_year=str(today_of(app, world.home).year))
    member = login_as("member")
    for path in (f"/opportunities/{secret}", f"/opportunities/{secret}/edit"):
        assert member.get(f"{base}{path}").status_code == 404, path
    assert member.post(f"{base}/opportunities/{secret}/move", data={"status": "idea"}).status_code == 404
    for path in ("", "/opportunities", "/opportunities?q=Family", "/totals", "/opportunities.csv"):
        page = member.get(f"{base}{path}").text
        assert SECRET not in page and "777" not in page, path
        assert "Shared grant" in page or "USD 100.00" in page or "Matching" in page, path
    home = member.get(f"/p/{world.home.slug}/").text
    assert SECRET not in home
    assert access_log(app, world.home) == []  # nothing above workspace was shown
    coordinator = login_as()
    for path in ("", "/opportunities", f"/opportunities/{secret}"):
        assert SECRET in coordinator.get(f"{base}{path}").text, path
    assert "USD 877.00" in coordinator.get(f"{base}/totals").text


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field", "words"), BAD_INPUT)
def test_bad_input_is_a_422_at_its_field_and_nothing_is_written(app, world, login_as, base, change, field, words):
    existing = make(app, world.home, title="Existing", amount_asked="10")
    before = snapshot(app, world.home), counts(app, world.home)
    client = login_as()
    if field == "title" and len(change.get("title", "")) > 200:
        words = "Use at most 200 characters"  # the form's own length rule answers first
    for path in ("/opportunities/new", f"/opportunities/{existing}/edit"):
        response = client.post(f"{base}{path}", data=form(**change))
        assert response.status_code == 422, (path, change)
        assert str(escape(words)) in field_error(response.text, field), (path, field, response.text[-3000:])
    assert (snapshot(app, world.home), counts(app, world.home)) == before


def test_links_into_another_partnership_are_refused_at_their_fields(app, world, login_as, base):
    from tests.actions.conftest import add_goal
    from tests.factories import create_organization

    their_goal = add_goal(app, world.other, "Their goal")
    their_organization = create_organization(app, world.other, "Elsewhere Org")
    before = counts(app, world.home)
    client = login_as()
    cases: dict[str, dict[str, Any]] = {
        "goal_ids": {"goal_ids": [str(their_goal)]},
        "lead_organization_id": {"lead_organization_id": str(their_organization)},
        "owner_membership_id": {"owner_membership_id": str(world.home.membership_ids["observer"])},
        "access": {"confidentiality": "leadership", "access": [str(world.other.membership_ids["coordinator"])]},
    }
    for name, change in cases.items():
        response = client.post(f"{base}/opportunities/new", data=form(**change))
        assert response.status_code == 422 and field_error(response.text, name), name
        assert "Their goal" not in response.text and "Elsewhere Org" not in response.text
    assert counts(app, world.home) == before


# --- warnings ---------------------------------------------------------------------------------------------------


def test_an_award_above_the_ask_is_accepted_with_a_warning_in_the_flash_and_on_the_page(app, world, login_as, base):
    client = login_as()
    response = client.post(
        f"{base}/opportunities/new", data=form(status="awarded", amount_asked="100", amount_awarded="150")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    flashed = page.split('id="flash-messages"', 1)[1].split("</div>\n", 1)[0]
    assert "is in the pipeline" in flashed and "Please check: The award is larger than the ask" in flashed
    assert 'class="alert alert-warning"' in page and page.count("award is larger than the ask") == 2
    [row] = snapshot(app, world.home)
    assert load(app, world.home, row[0]).amount_awarded == 150


def test_a_new_opportunity_with_a_passed_deadline_is_accepted_with_a_warning(app, world, login_as, base):
    client = login_as()
    passed = today_of(app, world.home) - 3 * DAY
    response = client.post(f"{base}/opportunities/new", data=form(application_deadline=passed.isoformat()))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    flashed = page.split('id="flash-messages"', 1)[1].split("</div>\n", 1)[0]
    assert "Please check: The application deadline" in flashed and "has passed" in flashed
    assert page.count("has passed, and it is still “Applying”") == 2  # the flash and the page's warning
    board = client.get(base).text
    assert "Deadline passed" in board
    edited = client.post(
        response.headers["Location"] + "/edit", data=form(status="submitted", application_deadline=passed.isoformat())
    )
    assert edited.status_code == 302
    assert "has passed" not in client.get(edited.headers["Location"]).text  # submitted: nothing to check


# --- confidentiality in the form --------------------------------------------------------------------------------


def test_named_people_are_kept_and_shown_and_the_form_shows_them_again(app, world, login_as, base):
    ids = world.home.membership_ids
    client = login_as()
    response = client.post(
        f"{base}/opportunities/new", data=form(confidentiality="leadership", access=[str(ids["member"])])
    )
    opportunity_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert grants_on(app, world.home, opportunity_id) == [ids["member"]]
    page = client.get(response.headers["Location"]).text
    assert "Coordinators only (also: Member Person)" in page
    assert login_as("member").get(response.headers["Location"]).status_code == 200  # named: admitted
    assert login_as("survivor_advisor").get(response.headers["Location"]).status_code == 404
    edit = client.get(f"{base}/opportunities/{opportunity_id}/edit").text
    access = edit.split('id="access"', 1)[1].split("</select>", 1)[0]
    assert f'<option selected value="{ids["member"]}">' in access or re.search(
        rf'value="{ids["member"]}"\s+selected|selected\s+value="{ids["member"]}"', access
    )
    assert "access log" in edit  # the level's hint says reads are noted


def test_a_coordinator_who_saves_an_advisory_opportunity_is_not_sent_to_a_404(app, world, login_as, base):
    client = login_as()
    response = client.post(f"{base}/opportunities/new", data=form(title=SECRET, confidentiality="advisory"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/funding")
    board = client.get(response.headers["Location"]).text
    assert "you are not among them" in board and SECRET not in board
    seat_on_board(app, world.home, "survivor_advisor", chair="survivor_advisor")
    assert SECRET in login_as("survivor_advisor").get(base).text


# --- moving a card --------------------------------------------------------------------------------------------------


def test_a_card_moves_by_a_plain_post_from_the_board(app, world, login_as, base):
    opportunity_id = make(app, world.home, title="Moving grant")
    client = login_as()
    response = client.post(
        f"{base}/opportunities/{opportunity_id}/move", data={"status": "submitted", "return_to": "board"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/funding#opportunity-{opportunity_id}")
    board = client.get(base).text
    assert "“Moving grant” is now submitted." in board
    submitted = board.split('id="col-submitted"', 1)[1].split("</section>", 1)[0]
    assert f'id="opportunity-{opportunity_id}"' in submitted
    assert load(app, world.home, opportunity_id).status == FundingStatus.SUBMITTED


def test_a_card_moves_from_its_own_page_back_to_that_page(app, world, login_as, base):
    opportunity_id = make(app, world.home, title="Moving grant")
    client = login_as()
    response = client.post(f"{base}/opportunities/{opportunity_id}/move", data={"status": "awarded"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/funding/opportunities/{opportunity_id}")
    page = client.get(response.headers["Location"]).text
    assert "is now awarded" in page and "Status: <strong>Awarded</strong>" in page


def test_a_move_to_an_unknown_status_says_so_and_changes_nothing(app, world, login_as, base):
    opportunity_id = make(app, world.home, title="Staying grant")
    before = snapshot(app, world.home)
    client = login_as()
    response = client.post(f"{base}/opportunities/{opportunity_id}/move", data={"status": "won", "return_to": "board"})
    assert response.status_code == 302
    board = client.get(response.headers["Location"]).text
    assert "The card was not moved. Choose a status from the list." in board
    assert snapshot(app, world.home) == before


# --- the list, the export, the totals ---------------------------------------------------------------------------


def test_the_list_filters_and_htmx_gets_the_results_block_only(app, world, login_as, base):
    make(app, world.home, title="Awarded grant", status="awarded", amount_asked="10", amount_awarded="10")
    make(app, world.home, title="An idea", status="idea", source_type="individual_giving")
    client = login_as("member")
    page = client.get(f"{base}/opportunities?status=awarded").text
    assert "Awarded grant" in page and "An idea" not in page and "<html" in page
    fragment = client.get(f"{base}/opportunities?status=idea", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section id="results"')
    assert "An idea" in fragment.text and "Awarded grant" not in fragment.text
    assert 'id="results-status" hx-swap-oob="innerHTML">1 opportunity.' in fragment.text
    assert "An idea" in client.get(f"{base}/opportunities?type=individual_giving&q=idea").text
    nothing = client.get(f"{base}/opportunities?q=zzz&year=abc&status=nonsense&page=99")
    assert nothing.status_code == 200 and "No funding opportunity matches these filters." in nothing.text


def test_the_export_streams_what_the_viewer_may_see_and_logs_rows_above_everyone(app, world, login_as, base):
    ids = world.home.membership_ids
    shared = make(app, world.home, title="=HYPERLINK(1)", amount_asked="1250.5", currency="EUR")
    secret = make(
        app,
        world.home,
        title=SECRET,
        confidentiality="leadership",
        status="awarded",
        amount_asked="10",
        amount_awarded="12",
    )
    response = login_as().get(f"{base}/opportunities.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].endswith('-funding-opportunities.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(pipeline.EXPORT_HEADER)
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", SECRET]  # the formula guard
    assert rows[1][4:7] == ["1,250.50", "", "EUR"] and rows[2][3] == "Awarded"
    assert rows[2][-1] == "Coordinators only"
    assert access_log(app, world.home) == [("funding_opportunity", secret, "exported", ids["coordinator"])]
    assert shared not in [entry[1] for entry in access_log(app, world.home)]
    member = login_as("member").get(f"{base}/opportunities.csv?status=awarded").get_data(as_text=True)
    assert SECRET not in member and len(list(csv.reader(io.StringIO(member)))) == 1
    assert len(access_log(app, world.home)) == 1


def test_opening_a_leadership_opportunity_is_access_logged(app, world, login_as, base):
    secret = make(app, world.home, title=SECRET, confidentiality="leadership")
    shared = make(app, world.home, title="Shared grant")
    client = login_as()
    client.get(f"{base}/opportunities/{shared}")
    client.get(f"{base}/opportunities/{secret}")
    assert access_log(app, world.home) == [
        ("funding_opportunity", secret, "viewed", world.home.membership_ids["coordinator"])
    ]


def test_the_totals_page_shows_the_year_the_types_and_a_chart_with_its_table(app, world, login_as, base):
    year = today_of(app, world.home).year
    make(app, world.home, status="awarded", amount_asked="1000", amount_awarded="800", fiscal_year=str(year))
    make(
        app, world.home, status="awarded", amount_asked="50", amount_awarded="50", currency="EUR", fiscal_year=str(year)
    )
    client = login_as("observer")
    page = client.get(f"{base}/totals").text
    assert "USD 1,000.00" in page and "USD 800.00" in page and "EUR" in page
    assert '<svg viewBox="0 0 640 260" role="img"' in page and "<caption" in page
    assert "(amounts in other currencies are totalled apart)" in page
    euros = client.get(f"{base}/totals?currency=eur").text
    assert "EUR 50.00" in euros and "USD 1,000.00" not in euros
    earlier = client.get(f"{base}/totals?year={year - 1}").text
    assert f"Nothing recorded for {year - 1}." in earlier
    assert client.get(f"{base}/totals?year=99999&currency=%00").status_code == 200


# --- your work ------------------------------------------------------------------------------------------------------


def test_the_owner_sees_their_funding_deadlines_on_the_home(app, world, login_as):
    ids = world.home.membership_ids
    today = today_of(app, world.home)
    me = str(ids["member"])
    later = make(
        app,
        world.home,
        title="Report later",
        status="reporting",
        report_deadline=(today + 20 * DAY).isoformat(),
        owner_membership_id=me,
    )
    sooner = make(
        app,
        world.home,
        title="Apply sooner",
        status="applying",
        application_deadline=(today + 4 * DAY).isoformat(),
        owner_membership_id=me,
    )
    make(
        app,
        world.home,
        title="Far away",
        status="applying",
        application_deadline=(today + 45 * DAY).isoformat(),
        owner_membership_id=me,
    )
    home = login_as("member").get(f"/p/{world.home.slug}/").text
    work = home.split("Funding deadlines", 1)[1].split("</section>", 1)[0]
    assert work.index("Apply sooner") < work.index("Report later") and "Far away" not in work
    assert f"/funding/opportunities/{sooner}" in work and f"/funding/opportunities/{later}" in work
    assert "Application due" in work and "Report due" in work
    assert "No funding deadline of yours" in login_as("survivor_advisor").get(f"/p/{world.home.slug}/").text
    assert "Funding deadlines" not in login_as("observer").get(f"/p/{world.home.slug}/").text


def test_more_deadlines_than_the_home_shows_link_to_the_list_of_mine(app, world, login_as, base):
    from partnership_hub.workspaces.services import YOUR_WORK_LIMIT

    ids = world.home.membership_ids
    soon = (today_of(app, world.home) + 2 * DAY).isoformat()
    for n in range(YOUR_WORK_LIMIT + 2):
        make(app, world.home, title=f"Mine {n}", application_deadline=soon, owner_membership_id=str(ids["member"]))
    make(app, world.home, title="Someone else's", owner_membership_id=str(ids["coordinator"]))
    client = login_as("member")
    work = client.get(f"/p/{world.home.slug}/").text.split("Funding deadlines", 1)[1].split("</section>", 1)[0]
    assert work.count("Mine ") == YOUR_WORK_LIMIT
    assert f'href="{base}/opportunities?owner=me"' in work and ">and 2 more</a>" in work
    mine = client.get(f"{base}/opportunities?owner=me").text
    assert mine.count("Mine ") == YOUR_WORK_LIMIT + 2 and "Someone else" not in mine
    assert 'id="owner" name="owner" value="me" checked' in mine
    assert "Someone else" in client.get(f"{base}/opportunities").text
