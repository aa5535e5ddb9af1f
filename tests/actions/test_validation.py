"""Bad input gets a message at its field, a 422 and nothing written — never a 500."""

from __future__ import annotations

import pytest

from tests.actions.conftest import add_items, audit_of, items_of


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Enter what needs to be done."),
        ({"title": "   "}, "Enter what needs to be done."),
        ({"title": "x" * 201}, "Use at most 200 characters."),
        ({"title": "ok", "description": "x" * 4001}, "Use at most 4000 characters."),
        ({"title": "ok", "due_date": "31/05/2026"}, "Enter the due date as year-month-day"),
        ({"title": "ok", "due_date": "2026-02-30"}, "Enter the due date as year-month-day"),
        ({"title": "ok", "status": "finished"}, "Choose a status from the list."),
        ({"title": "ok", "goal_id": "abc"}, "Choose a goal from the list."),
        ({"title": "ok", "goal_id": "999999"}, "Choose a goal from the list."),
        ({"title": "ok", "objective_id": "999999"}, "Choose an objective from the list."),
        ({"title": "ok", "assignee_membership_id": "999999"}, "Choose someone from the partnership"),
        ({"title": "ok", "assignee_membership_id": "1e3"}, "Choose someone from the partnership"),
    ],
)
def test_bad_input_is_refused_at_the_field(app, world, login_as, base, data, message):
    client = login_as()
    response = client.post(f"{base}/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="field-error"' in response.text
    assert items_of(app, world.home) == []

    [item] = add_items(app, world.home, {"title": "Existing"})
    response = client.post(f"{base}/{item}/edit", data=data)
    assert response.status_code == 422 and message in response.text
    assert items_of(app, world.home)[0]["title"] == "Existing"
    assert audit_of(app, world.home) == []


def test_observers_cannot_be_assigned(app, world, login_as, base, ids):
    response = login_as().post(f"{base}/new", data={"title": "ok", "assignee_membership_id": ids["observer"]})
    assert response.status_code == 422
    assert items_of(app, world.home) == []
