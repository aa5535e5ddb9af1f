"""Community resource map rules."""

from __future__ import annotations

from sqlalchemy import func, select

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.resources.models import CommunityResource


def setup_facts(ctx) -> dict[str, int | bool]:
    """What the setup guide needs to know about the resource map (one query)."""
    return {"community_resources": db.session.scalar(scoped(select(func.count(CommunityResource.id))))}
