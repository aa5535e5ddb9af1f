"""Member-directory rules: organizations, sectors, representatives, coverage, linked networks."""

from __future__ import annotations

from sqlalchemy import func, select

from partnership_hub import toolkit
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.members.models import LinkedNetwork, Organization, OrganizationSector

SURVIVOR_SECTOR_KEYS = frozenset(sector.key for sector, _parent in toolkit.all_sectors() if sector.survivor)


def setup_facts(ctx) -> dict[str, int | bool]:
    """What the setup guide needs to know about the directory (a fixed number of queries)."""
    active = Organization.archived_at.is_(None)
    organizations = db.session.scalar(scoped(select(func.count(Organization.id)).where(active)))
    sector_keys = set(
        db.session.scalars(
            scoped(
                select(OrganizationSector.sector_key)
                .join(OrganizationSector.organization)
                .where(active, OrganizationSector.sector_key.is_not(None))
                .distinct()
            )
        )
    )
    networks = db.session.scalar(scoped(select(func.count(LinkedNetwork.id))))
    return {
        "organizations": organizations,
        "sectors_covered": len(sector_keys),
        "survivor_sector_covered": bool(sector_keys & SURVIVOR_SECTOR_KEYS),
        "linked_networks": networks,
    }
