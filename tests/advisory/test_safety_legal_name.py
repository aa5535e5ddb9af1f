"""An advisor's legal name never appears outside their own preferences page and the payments view (issue #13,
item 3): not on any page or download of the product for any role, not in an email, the audit log, the
access log or any other row of the database."""

from __future__ import annotations

import pytest

from tests.advisory.safety_helpers import LEGAL_NAME, save
from tests.conftest import _dump
from tests.factories import seat_on_board, seed_records
from tests.web.walk import fetch, record_ids, routes

ROLES = ("coordinator", "member", "survivor_advisor", "observer")


def allowed(role: str, endpoint: str) -> bool:
    """Where the legal name may be shown: to the advisor on their own page, and in the payments view and its
    export (the compensation section's pages, which their own permissions guard)."""
    if endpoint == "advisory.safety_preferences":
        return role == "survivor_advisor"
    return endpoint.startswith("advisory.compensation")


@pytest.mark.parametrize("role", ROLES)
def test_the_legal_name_is_shown_only_on_the_advisors_own_page_and_the_payments_view(app, world, login_as, role):
    home = world.home
    save(
        app,
        home,
        legal_name=LEGAL_NAME,
        allow_email=True,
        allow_text=True,
        phone="+1 303 555 0142",
        safe_times="Mornings",
        safe_mode=True,
    )
    seed_records(app, home)  # every area's records; the advisor chairs the board
    seat_on_board(app, home, "member", "coordinator")  # more people see the board's page from inside
    ids = record_ids(app, home.id)
    pages = [(endpoint, url) for endpoint, method, url in routes(app, home.slug, ids) if method == "GET"]
    shown, seen = [], 0
    client = login_as(role)
    for endpoint, url in pages:
        response = fetch(client, "GET", url)
        if response.status_code != 200:
            continue
        seen += 1
        if LEGAL_NAME in response.get_data(as_text=True) and not allowed(role, endpoint):
            shown.append(f"{url} ({endpoint})")
    assert seen > 20, f"only {seen} pages answered"
    assert not shown, f"the legal name was shown to the {role} on:\n" + "\n".join(shown)
    own = client.get(f"/p/{home.slug}/advisory/safety")
    assert (LEGAL_NAME in own.text) == (role == "survivor_advisor")


def test_the_legal_name_is_stored_in_one_column_only(app, world, owner_engine):
    """Nothing copies it: no email, audit entry, access-log entry or other row holds it."""
    home = world.home
    save(app, home, legal_name=LEGAL_NAME, allow_email=True, safe_mode=True)
    seed_records(app, home)
    save(app, home, legal_name=LEGAL_NAME + " Jr", allow_email=True, safe_mode=True)
    holders = set()
    for table, rows in _dump(owner_engine):
        for row in rows:
            for column, value in row.items():
                if isinstance(value, str) and LEGAL_NAME in value:
                    holders.add(f"{table.name}.{column}")
    assert holders == {"advisor_profiles.legal_name"}
