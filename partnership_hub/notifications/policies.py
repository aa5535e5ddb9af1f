"""Notification permissions: everyone keeps their own preferences and notification centre; coordinators
set the partnership's defaults (reminder times, the digest's day and hour)."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, LEADERSHIP

PERMISSIONS = {
    "notifications.own": ALL_ROLES,
    "notifications.settings": LEADERSHIP,
}
