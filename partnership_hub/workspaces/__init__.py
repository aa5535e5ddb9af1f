"""Workspaces: partnerships (the tenants), memberships, roles, invitations and the role matrix."""
