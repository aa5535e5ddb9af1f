"""Directory pages run a fixed, small number of SQL queries whatever the size of the directory."""

from __future__ import annotations

import pytest

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import CustomSector, Organization, OrganizationSector, Representative, name_key
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, counting
from tests.factories import create_partnership, create_user, sign_in

SECTORS = ["law_enforcement", "dvs_domestic_violence", "healthcare", "survivor_led_orgs", "ut_agriculture"]


def grow_directory(app, partnership, size: int) -> None:
    with app.app_context():
        context_for(partnership.id, partnership.members["coordinator"].id)
        bind_tenant(db.session, partnership.id)
        custom = CustomSector(name="Custom", name_key="custom", parent_key="direct_victim_services")
        db.session.add(custom)
        orgs = [
            Organization(name=f"Org {n}", name_key=name_key(f"Org {n}"), prevention=n % 2 == 0, protection=True)
            for n in range(size)
        ]
        db.session.add_all(orgs)
        db.session.flush()
        for n, org in enumerate(orgs):
            db.session.add(OrganizationSector(organization_id=org.id, sector_key=SECTORS[n % len(SECTORS)]))
            db.session.add(OrganizationSector(organization_id=org.id, custom_sector_id=custom.id))
            db.session.add(Representative(organization_id=org.id, name=f"Contact {n}", email=f"c{n}@example.org"))
            db.session.add(
                Representative(organization_id=org.id, membership_id=partnership.membership_ids["coordinator"])
            )
        db.session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/organizations",
        "/organizations?q=org&p=protection&sector=direct_victim_services",
        "/coverage",
        "/sectors",
    ],
)
def test_directory_pages_cost_the_same_for_5_and_for_200_organizations(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow_directory(app, small, 5)
    grow_directory(app, large, 200)

    assert_fixed_cost(app, small, large, path)


def test_an_organization_page_costs_the_same_with_many_representatives(app):
    counts = {}
    for size in (2, 60):
        partnership = create_partnership(app, create_user(app), f"P{size}")
        grow_directory(app, partnership, 1)
        with app.app_context():
            bind_tenant(db.session, partnership.id)
            org = db.session.scalars(db.select(Organization)).one()
            db.session.add_all(Representative(organization_id=org.id, name=f"Extra {n}") for n in range(size))
            db.session.commit()
            org_id = org.id
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        url = f"/p/{partnership.slug}/organizations/{org_id}"
        client.get(url)
        with counting(app) as statements:
            assert client.get(url).status_code == 200
        counts[size] = len(statements)
    assert counts[2] == counts[60], counts
    assert counts[2] <= BUDGET, counts


def test_the_directory_export_streams_at_a_fixed_cost(app, monkeypatch):
    """The export reads the directory as it streams: the organizations, their sectors and their
    representatives each one statement, read ``streaming.BATCH`` rows at a time. It costs the same at
    3 organizations (one batch) and at 10 and 25 (several batches of each stream, merged across their
    ends), and every organization is there once, in order, with its sectors and representatives."""
    import csv
    import io

    from partnership_hub import streaming
    from partnership_hub.members import services

    monkeypatch.setattr(streaming, "BATCH", 4)
    sizes = {3: 0, 10: 0, 25: 0}
    for size in sizes:
        partnership = create_partnership(app, create_user(app), f"Export {size}")
        grow_directory(app, partnership, size)
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        url = f"/p/{partnership.slug}/organizations.csv"
        client.get(url).get_data()
        with counting(app) as statements:
            body = client.get(url).get_data(as_text=True)  # the body read inside: the batches stream
        header, *rows = list(csv.reader(io.StringIO(body)))
        assert header == services.CSV_HEADER
        names = [row[0] for row in rows]
        assert len(names) == len(set(names)) == size, size
        assert names == sorted(names, key=str.casefold), size
        for row in rows:  # each organization with its own sectors and representatives
            n = row[0].removeprefix("Org ")
            sectors = row[2].split("; ")
            assert len(sectors) == 2 and "Custom" in sectors, row
            assert row[6].startswith(f"Contact {n}, c{n}@example.org; "), row
        sizes[size] = len(statements)
    assert sizes[3] == sizes[10] == sizes[25] <= BUDGET, sizes
