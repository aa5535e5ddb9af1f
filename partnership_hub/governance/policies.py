"""Governance permissions, one block per section. Who may see a dispute is the confidentiality
layer's question (disputes are ``leadership`` by default, shared with named parties by grant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS = {
    "governance.view": ALL_ROLES,  # the overview page
    # guidelines (guidelines.py): everyone reads; everyone but observers acknowledges (observers are guests,
    # not bound by the partnership's agreement); coordinators draft, publish and see who has not acknowledged.
    "guidelines.view": ALL_ROLES,
    "guidelines.acknowledge": CONTRIBUTORS,
    "guidelines.draft": LEADERSHIP,
    "guidelines.publish": LEADERSHIP,
    "guidelines.pending": LEADERSHIP,
    # agreements (agreements.py): everyone reads (workspace records); coordinators record and change any,
    # other contributors those with a party organization they represent (record rule below); the home's
    # "expiring / expired" panel is the coordinators'.
    "agreements.view": ALL_ROLES,
    "agreements.create": CONTRIBUTORS,
    "agreements.edit": CONTRIBUTORS,
    "agreements.withdraw": CONTRIBUTORS,
    "agreements.oversee": LEADERSHIP,
    # disputes (disputes.py): only coordinators, the handler and named parties see a dispute (the
    # confidentiality layer decides that, per dispute); coordinators log, edit and share them; the
    # coordinators and the handler add timeline entries and change the status (record rule below).
    # Observers never see one (the layer admits them to nothing above "workspace").
    "disputes.view": CONTRIBUTORS,
    "disputes.manage": LEADERSHIP,
    "disputes.handle": CONTRIBUTORS,
    # trust check-ins (checkins.py): everyone reads the (aggregate) results; everyone but observers answers
    # (observers are guests, not members whose trust is measured); coordinators open and close them.
    "checkins.view": ALL_ROLES,
    "checkins.answer": CONTRIBUTORS,
    "checkins.manage": LEADERSHIP,
}


def may_change_agreement(membership: Membership, entry: Any) -> bool:
    """Coordinators change any agreement; others one with a party they represent (``entry`` is an
    ``agreements.AgreementEntry`` loaded for this viewer: ``represented_by`` is their membership id)."""
    return membership.role == Role.COORDINATOR or getattr(entry, "represented_by", None) == membership.id


def may_handle_dispute(membership: Membership, dispute: Any) -> bool:
    """Coordinators work on any dispute they see; others on the one they handle."""
    return membership.role == Role.COORDINATOR or dispute.handler_membership_id == membership.id


RECORD_RULES: dict[str, Callable[[Membership, Any], bool]] = {
    "disputes.handle": may_handle_dispute,
    "agreements.edit": may_change_agreement,
    "agreements.withdraw": may_change_agreement,
}
MEMBERSHIP_RULES: dict[str, Callable[[Membership], bool]] = {}
