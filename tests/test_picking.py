"""Pickers never load the whole list: bounded matches, the chosen records kept, the viewer's limits."""

from __future__ import annotations

import pytest

from partnership_hub.picking import PICK_LIMIT, chosen_ids, clean_query
from tests import factories


def _options(response) -> list[tuple[str, str, bool]]:
    import re

    return [
        (value, label, "selected" in attrs)
        for value, attrs, label in re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', response.text)
    ]


def test_people_picker_answers_at_most_a_page_of_matches_and_keeps_the_choice(app, world, login_as):
    for n in range(PICK_LIMIT + 5):
        factories.add_member(
            app, world.home, factories.create_user(app, f"Zed Person {n:02}"), factories.Role.MEMBER, f"z{n}"
        )
    client = login_as("coordinator")
    chosen = world.home.membership_ids["z24"]
    response = client.get(
        f"/p/{world.home.slug}/pick/people",
        query_string={"field": "owner", "owner__q": "zed", "owner": str(chosen), "blank": "Nobody"},
    )
    assert response.status_code == 200
    options = _options(response)
    assert options[0] == ("", "Nobody", False)
    assert options[1] == (str(chosen), "Zed Person 24", True)
    matches = [o for o in options[2:] if o[0]]
    assert len(matches) == PICK_LIMIT and all(label.startswith("Zed Person") for _, label, _ in matches)
    assert str(chosen) not in [value for value, _, _ in matches]
    assert "More match" in response.text


def test_people_picker_hides_survivor_advisors_from_members_and_refuses_observers(app, world, login_as):
    advisor = world.user("survivor_advisor").name
    assert advisor not in login_as("member").get(f"/p/{world.home.slug}/pick/people?field=x&x__q=").text
    assert advisor in login_as("coordinator").get(f"/p/{world.home.slug}/pick/people?field=x&x__q=").text
    assert login_as("observer").get(f"/p/{world.home.slug}/pick/people?field=x").status_code == 403


def test_another_partnerships_ids_are_not_offered_even_when_sent_as_chosen(app, world, login_as):
    outsider = world.other.membership_ids["coordinator"]
    response = login_as("coordinator").get(
        f"/p/{world.home.slug}/pick/people", query_string={"field": "x", "x": str(outsider)}
    )
    assert f'value="{outsider}"' not in response.text
    assert world.other.members["coordinator"].name not in response.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  Ana\x00 Ruiz\n", "Ana Ruiz"), ("x" * 500, "x" * 100), (None, "")],
)
def test_search_text_is_one_bounded_line(raw, expected):
    assert clean_query(raw) == expected


def test_chosen_ids_are_ascii_positive_and_bounded():
    assert chosen_ids(["3", "3", "²", "-1", "0", "99999999999", "abc", " 7 "]) == [3, 7]


@pytest.mark.parametrize(
    "path",
    [
        "/pick/people?field=x",
        "/pick/people?field=x&role=member",
        "/planning",
        "/pick/representatives?field=x",
        "/people",
        "/people?role=member",
    ],
)
def test_member_pickers_and_lists_sort_by_the_memberships_key_not_the_users_name(app, world, path):
    """Ordered by ``memberships.sort_name`` (served by its indexes), never by ``lower(users.name)``,
    which sorts every member of the partnership first (issue #8)."""
    from tests.budget import counting

    client = app.test_client()
    factories.sign_in(client, app, world.user("coordinator"))
    with counting(app) as statements:
        response = client.get(f"/p/{world.home.slug}{path}")
    assert response.status_code == 200
    ordered = [s for s in statements if "ORDER BY" in s and "memberships" in s]
    assert ordered and all("memberships.sort_name" in s.split("ORDER BY", 1)[1] for s in ordered)
    assert not any("lower(users.name)" in s.split("ORDER BY", 1)[1] for s in ordered)
