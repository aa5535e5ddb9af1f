"""Helpers for the safety section's tests: preferences saved through the real service, read back."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.advisory import safety
from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.factories import PartnershipRec

LEGAL_NAME = "Zephyrine Quillfeather-Oduya"  # found nowhere else in the product


def form(name: str, **prefs) -> dict[str, str]:
    """The page's POST: ``name`` and the preferences, ticked boxes as "y" (unticked ones are not sent)."""
    data = {"name": name}
    for key, value in prefs.items():
        if isinstance(value, bool):
            if value:
                data[key] = "y"
        else:
            data[key] = value
    return data


def save(app, partnership: PartnershipRec, who: str = "survivor_advisor", **prefs) -> None:
    """Save ``who``'s preferences through the service, as them (their current name unless ``name``)."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        data = {"name": ctx.user.name} | prefs
        safety.save_preferences(ctx, data)
        db.session.commit()


def profile(app, partnership: PartnershipRec, who: str = "survivor_advisor") -> AdvisorProfile | None:
    """``who``'s saved preferences (detached), or None."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = db.session.scalars(
            select(AdvisorProfile).where(AdvisorProfile.membership_id == partnership.membership_ids[who])
        ).one_or_none()
        db.session.expunge_all()
        return found
