"""What the setup guide adds to the coordinators' digests (``Area.digest``): how far the partnership has
come through the toolkit's questions, until every one is answered. Not news on its own (a digest with
nothing else is not sent). Two statements (the facts, the marks), as the guide's page.

The facts are gathered as a coordinator with no grants and no board seat would see them (workspace and
``leadership`` records): every coordinator may know that much, and the progress of the guide never
depends on who reads it."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.notifications.digest import DigestBuild
from partnership_hub.setup.services import guide_state
from partnership_hub.workspaces.models import Membership, Role

SECTION = "setup"


def contribute(build: DigestBuild) -> None:
    if not build.any_coordinator:
        return
    build.section(SECTION, "Setup guide", order=100)
    # A stand-in coordinator (never added to the session): no grants, no board seat.
    coordinator = Membership(id=0, user_id=0, role=Role.COORDINATOR)
    state = guide_state(WorkspaceContext(build.ctx.partnership, coordinator, None))
    if state.total == 0 or state.done == state.total:
        return
    group = build.group(("section", SECTION), SECTION, ambient=True)
    group.line(
        f"{state.done} of {state.total} questions answered ({state.percent}%)",
        link=build.link("setup.index"),
        detail="the toolkit setup guide",
    )
