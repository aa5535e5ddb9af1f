"""Governance: guidelines, information-sharing agreements, the dispute log and trust check-ins."""
