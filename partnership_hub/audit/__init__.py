"""Audit: an append-only record of who changed what, in which partnership, and when."""
