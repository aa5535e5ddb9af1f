"""The setup guide's part of the demo partnership: questions its meetings have addressed so far."""

from __future__ import annotations

from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.setup import services


def seed_demo(ctx: WorkspaceContext, people: dict[str, User]) -> None:
    """The setup guide's part of the demo: questions its meetings have addressed so far."""
    for question in ("local_leaders", "information_sharing", "trust"):
        services.mark_addressed(ctx, question)
