"""Linked networks: existing partnerships to link with."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import LinkedNetwork
from tests.factories import seed_directory
from tests.members.conftest import audit_entries


def networks(app, partnership_id):
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        return [
            (n.id, n.name, n.kind, n.contact_email, n.website)
            for n in db.session.scalars(select(LinkedNetwork).order_by(LinkedNetwork.id))
        ]


def network_form(**overrides):
    data = {
        "name": "Metro Denver MDT",
        "kind": "mdt",
        "contact_name": "Sam Lee",
        "contact_email": "sam@mdt.example.org",
        "website": "https://mdt.example.org",
        "relationship_notes": "Monthly case reviews.",
    }
    data.update(overrides)
    return data


def test_add_edit_and_delete_a_linked_network(app, world, coordinator, login_as, base):
    assert coordinator.post(f"{base}/networks/new", data=network_form()).status_code == 302
    ((network_id, name, kind, email, website),) = networks(app, world.home.id)
    assert (name, kind, email, website) == ("Metro Denver MDT", "mdt", "sam@mdt.example.org", "https://mdt.example.org")

    page = coordinator.get(f"{base}/networks").text
    assert "Metro Denver MDT" in page and "Multidisciplinary team (MDT)" in page and "sam@mdt.example.org" in page
    observer_page = login_as("observer").get(f"{base}/networks").text
    assert "Metro Denver MDT" in observer_page and "sam@mdt.example.org" not in observer_page

    assert coordinator.get(f"{base}/networks/{network_id}/edit").status_code == 200
    response = coordinator.post(
        f"{base}/networks/{network_id}/edit", data=network_form(name="Front Range SART", kind="sart")
    )
    assert response.status_code == 302
    assert networks(app, world.home.id)[0][1:3] == ("Front Range SART", "sart")

    assert "Remove Front Range SART" in coordinator.get(f"{base}/networks/{network_id}/delete").text
    assert coordinator.post(f"{base}/networks/{network_id}/delete").status_code == 302
    assert networks(app, world.home.id) == []
    actions = [e[0] for e in audit_entries(app, world.home.id)]
    assert [a for a in actions if a.startswith("linked_network.")] == [
        "linked_network.created",
        "linked_network.updated",
        "linked_network.deleted",
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Name the network."),
        ({"name": "x" * 161}, "Use at most 160 characters."),
        ({"kind": "cabal"}, "Choose what kind of network this is."),
        ({"contact_email": "not an email"}, "Enter an email address"),
        ({"website": "ftp://mdt.example.org"}, "starting with http:// or https://"),
        ({"contact_name": "x" * 121}, "Use at most 120 characters."),
    ],
)
def test_network_refusals(app, world, coordinator, base, overrides, message):
    response = coordinator.post(f"{base}/networks/new", data=network_form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert networks(app, world.home.id) == []


def test_another_partnerships_network_is_404(app, world, coordinator, base):
    seed_directory(app, world.other)
    ((theirs, *_),) = networks(app, world.other.id)
    assert coordinator.get(f"{base}/networks/{theirs}/edit").status_code == 404
    assert coordinator.post(f"{base}/networks/{theirs}/edit", data=network_form()).status_code == 404
    assert coordinator.post(f"{base}/networks/{theirs}/delete").status_code == 404
    assert len(networks(app, world.other.id)) == 1
