"""The setup guide's part of the demo partnership: questions its meetings have addressed so far, and
the answers its coordinators recorded."""

from __future__ import annotations

from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.setup import services

ANSWERS = {
    "local_leaders": "Met the county commissioners and the district attorney's office in the spring; both named a "
    "contact for the partnership.",
    "trust": "A short check-in round opens every meeting, and decisions are written up in the minutes the same week.",
    "awareness_days": "Note: plan the January awareness month event at the September meeting.",
}


def seed_demo(ctx: WorkspaceContext, people: dict[str, User]) -> None:
    """The setup guide's part of the demo: questions its meetings have addressed so far, and answers."""
    # "information_sharing" and "trust" are checked from the data now (the governance area's agreements
    # and trust check-ins).
    for question in ("local_leaders",):
        services.mark_addressed(ctx, question)
    for question, text in ANSWERS.items():
        services.record_answer(ctx, question, text)
