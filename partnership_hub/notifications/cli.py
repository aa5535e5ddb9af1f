"""The notifications area's operator command: ``flask outbox-status``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from partnership_hub.notifications import services


@click.command("outbox-status")
@click.option(
    "--fail-if-older-than",
    type=click.IntRange(min=0),
    default=None,
    metavar="MINUTES",
    help="Exit with status 1 when a message has waited longer than this (for a monitoring check).",
)
@with_appcontext
def outbox_status(fail_if_older_than: int | None) -> None:
    """Pending, in-flight and failed outbox counts, and the oldest waiting message's age."""
    status = services.outbox_status()
    oldest = status.oldest_pending
    click.echo(
        f"pending: {status.pending} (retrying after a failure: {status.retrying}, in flight: {status.in_flight})"
        f"\nqueued ahead (not due yet): {status.scheduled}"
        f"\nfailed: {status.failed} (queued in the last 24 h: {status.failed_last_day})"
        f"\noldest pending: {'none' if oldest is None else f'{int(oldest.total_seconds() // 60)} min'}"
    )
    if fail_if_older_than is not None and oldest is not None and oldest.total_seconds() > fail_if_older_than * 60:
        raise SystemExit(1)
