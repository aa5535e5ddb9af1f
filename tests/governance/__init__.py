"""Tests of the governance area."""
