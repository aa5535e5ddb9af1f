"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``). Never used by the product itself."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.resources.models import CommunityResource


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A service on the community resource map."""
    db.session.add(CommunityResource(organization_name="Seeded Shelter", service_type="shelter"))
