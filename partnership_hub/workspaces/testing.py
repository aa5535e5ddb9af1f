"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``). Never used by the product itself."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import OrientationCompletion, OrientationItem, Role


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A pending invitation and an orientation step, ticked off by the acting coordinator."""
    if ctx.membership is None:
        raise ValueError("the test seed acts as a member; this context has no membership")
    from partnership_hub.workspaces.services import invite

    invite(ctx, "pending@example.org", Role.MEMBER)
    item = OrientationItem(title="Read the partnership guidelines", position=1)
    db.session.add(item)
    db.session.flush()
    db.session.add(OrientationCompletion(orientation_item_id=item.id, membership_id=ctx.membership.id))
