"""Accounts: sign-up, login, password reset, email verification, sessions."""
