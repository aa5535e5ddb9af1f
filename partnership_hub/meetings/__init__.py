"""Meetings: scheduling (one-off and recurring), agendas, attendance, minutes, decisions, calendars."""
