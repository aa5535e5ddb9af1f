"""Advisory-area permissions, one block per section.

Who may read the board's restricted area is not a role question: the confidentiality layer admits the
board (a seat) and the people the chair admits (a grant), and ``board.require_admitted`` answers 404
to everyone else, coordinators included. The role matrix below says who may ask at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

SEE_ADVISORS = frozenset({Role.COORDINATOR, Role.SURVIVOR_ADVISOR})

PERMISSIONS = {
    # board (board.py): the board page is everyone's but observers' (members see what the board is and
    # how to ask it; the roster's names only for people who may know who advisors are); coordinators keep
    # the roles, seats and terms; the restricted area and the chair's pages check admission, not role.
    "advisory.view": CONTRIBUTORS,
    "advisory.roster": SEE_ADVISORS,
    "advisory.manage": LEADERSHIP,
    "advisory.restricted": CONTRIBUTORS,
    # Sections add theirs below (compensation, safety, requests, consent, restricted, framework, assessment).
    # safety (safety.py): a person's own contact and safety preferences. The page is for survivor advisors
    # and anyone with a seat on the board (``safety.require_page``: others 403); the menu entry is shown to
    # survivor advisors only (a seat would cost every page a query), board members reach it from the board.
    "advisory.safety": CONTRIBUTORS,
    "advisory.safety_menu": frozenset({Role.SURVIVOR_ADVISOR}),
    # compensation (compensation.py): coordinators keep the rates and the payments log and see the board's
    # totals; anyone who can be paid (a seat on the board or the survivor advisor role) sees their own record
    # on the same page (``compensation.viewer``; other members 403). The menu entry: coordinators and
    # survivor advisors (a seat would cost every page a query); board members reach it from the board.
    "compensation.view": CONTRIBUTORS,
    "compensation.menu": frozenset({Role.COORDINATOR, Role.SURVIVOR_ADVISOR}),
    "compensation.manage": LEADERSHIP,
    # framework (framework.py): everyone reads the confidentiality framework, observers too (it says how the
    # partnership handles information and holds nobody's); coordinators write the practices and the federal
    # rules checklist; an organization's mandatory-reporting duties: coordinators and the organization's own
    # representatives (the record rule below).
    "advisory.framework": ALL_ROLES,
    "advisory.framework_manage": LEADERSHIP,
    "advisory.framework_reporting": CONTRIBUTORS,
    # consent (consent.py): the section's navigation entry shows to advisors and coordinators; anyone may hold
    # consents (the service admits survivor advisors, the board and anyone with a consent on record, else
    # 403); coordinators keep the register; only the advisor withdraws (the record rule below).
    "advisory.consent": SEE_ADVISORS,
    "advisory.consent_own": ALL_ROLES,
    "advisory.consent_manage": LEADERSHIP,
    "advisory.consent_withdraw": ALL_ROLES,
    # requests (requests.py): anyone but observers asks the board for an advisor's time and follows their
    # own requests; the board's members answer what reached them and set their monthly limit (a seat,
    # checked by the service); coordinators see every request and the board's load (names with roster).
    "requests.file": CONTRIBUTORS,
    "requests.answer": CONTRIBUTORS,
    "requests.oversee": LEADERSHIP,
    # assessment (assessment.py): everyone but observers reads the trauma-informed self-assessment (observers:
    # 403); coordinators and survivor advisors start rounds and rate them, and so does anyone with a seat on
    # the board (``assessment.may_rate`` checks the seat); coordinators discard a round started by mistake.
    "advisory.assessment": CONTRIBUTORS,
    "advisory.assessment_rate": SEE_ADVISORS,
    "advisory.assessment_discard": LEADERSHIP,
}

RECORD_RULES: dict[str, Callable[[Membership, Any], bool]] = {}


def _consent_is_theirs(membership: Membership, consent: Any) -> bool:
    """consent: only the advisor themselves withdraws their consent (coordinators cannot)."""
    return consent.membership_id is not None and consent.membership_id == membership.id


RECORD_RULES["advisory.consent_withdraw"] = _consent_is_theirs


def may_record_reporting(membership: Membership, entry: Any) -> bool:
    """framework: coordinators record any organization's mandatory-reporting duties; others only those of
    an organization they represent (``entry`` is a ``framework.ReportingEntry`` loaded for this viewer)."""
    return membership.role == Role.COORDINATOR or getattr(entry, "represented_by", None) == membership.id


RECORD_RULES["advisory.framework_reporting"] = may_record_reporting

MEMBERSHIP_RULES: dict[str, Callable[[Membership], bool]] = {}

__all__ = ["ALL_ROLES", "MEMBERSHIP_RULES", "PERMISSIONS", "RECORD_RULES"]
