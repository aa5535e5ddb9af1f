"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``). Never used by the product itself."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.members.models import (
    CustomSector,
    LinkedNetwork,
    Organization,
    OrganizationSector,
    Representative,
    name_key,
)


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """An organization (in a toolkit and a custom sector) with a member and a contact representative,
    a custom sector and a linked network."""
    if ctx.membership is None:
        raise ValueError("the test seed acts as a member; this context has no membership")
    custom = CustomSector(name="Seeded custom sector", name_key=name_key("Seeded custom sector"))
    organization = Organization(name="Seeded Organization", name_key=name_key("Seeded Organization"), prevention=True)
    db.session.add_all([custom, organization])
    db.session.flush()
    db.session.add_all(
        [
            OrganizationSector(organization_id=organization.id, sector_key="law_enforcement"),
            OrganizationSector(organization_id=organization.id, custom_sector_id=custom.id),
            Representative(organization_id=organization.id, name="Seeded Contact", email="contact@example.org"),
            Representative(organization_id=organization.id, membership_id=ctx.membership.id),
            LinkedNetwork(name="Seeded Network", kind="mdt"),
        ]
    )
