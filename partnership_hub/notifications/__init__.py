"""Notifications: the transactional email outbox, delivery tasks and the development mailbox."""
