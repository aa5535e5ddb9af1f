"""Retention (``notifications/retention.py``): old sent, failed and superseded mail and old notification
centre entries go, in batches, in every partnership alike; nothing pending, queued ahead or in flight is
touched; a second run deletes nothing; and — since the outbox and the centre are also the record of who
was told — no planner tells anyone twice after a prune, however long it keeps asking.

Time is frozen by passing ``now`` and by the outbox's and the centre's clock (as in the reminder tests);
nothing sleeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from partnership_hub import areas
from partnership_hub.actions import notices as action_notices
from partnership_hub.awareness import days
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.funding import notices as funding_notices
from partnership_hub.governance import checkins
from partnership_hub.governance import notices as governance_notices
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement
from partnership_hub.meetings import reminders
from partnership_hub.meetings import services as meeting_services
from partnership_hub.meetings.models import MeetingKind
from partnership_hub.notifications import centre, notices, retention, services
from partnership_hub.notifications.models import Notification, NotificationPreference, OutboxMessage, OutboxStatus
from partnership_hub.notifications.preferences import REMINDER_CHOICES
from partnership_hub.workspaces.models import Partnership
from tests.actions.conftest import add_items
from tests.budget import counting
from tests.funding.pipeline_helpers import make as make_opportunity

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
PENDING, SENT, FAILED, SUPERSEDED = (
    OutboxStatus.PENDING,
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.SUPERSEDED,
)


class Clock:
    """The time the outbox and the notification centre read (queueing, delivery, the sweep)."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(NOW)
    monkeypatch.setattr(services, "utcnow", clock)
    monkeypatch.setattr(notices, "utcnow", clock)
    monkeypatch.setattr(centre, "utcnow", clock)
    monkeypatch.setattr(retention, "utcnow", clock)
    return clock


_seq = iter(range(1, 10**9))


def message(
    partnership_id: int | None,
    status: str,
    created: datetime,
    *,
    kind: str = "invitation",
    sent: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An outbox row as delivery leaves it (bodies blanked once final)."""
    return {
        "dedup_key": f"{kind}:test-{next(_seq)}",
        "kind": kind,
        "partnership_id": partnership_id,
        "to_address": "someone@example.org",
        "subject": "Subject",
        "text_body": "" if status != PENDING else "body",
        "html_body": "" if status != PENDING else "<p>body</p>",
        "status": status,
        "created_at": created,
        "sent_at": sent,
        **fields,
    }


def write_messages(app, rows: list[dict[str, Any]]) -> None:
    with app.app_context():
        services.open_outbox()
        db.session.execute(insert(OutboxMessage), rows)
        db.session.commit()


def kept_messages(app) -> set[str]:
    with app.app_context():
        services.open_outbox()  # on PostgreSQL only delivery work may read the outbox
        return set(db.session.scalars(select(OutboxMessage.dedup_key)))


def entry(membership_id: int, created: datetime, read: datetime | None = None, kind: str = "meeting_changed") -> dict:
    return {
        "membership_id": membership_id,
        "kind": kind,
        "title": "Something happened",
        "url": "/p/x/notifications",
        "dedup_key": f"{kind}:test-{next(_seq)}:{membership_id}",
        "created_at": created,
        "read_at": read,
    }


def write_entries(app, partnership_id: int, rows: list[dict[str, Any]]) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        db.session.execute(insert(Notification), [{"partnership_id": partnership_id, **row} for row in rows])
        db.session.commit()


def kept_entries(app, partnership_id: int) -> set[str]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        return set(db.session.scalars(select(Notification.dedup_key)))


def prune(app, now: datetime = NOW, **kwargs) -> retention.Pruned:
    with app.app_context():
        return retention.prune(now, **kwargs)


# --- the outbox ---------------------------------------------------------------------------------------


def test_old_final_messages_go_and_pending_queued_ahead_in_flight_and_recent_ones_stay(app, world):
    home, other = world.home.id, world.other.id
    old, recent = NOW - 31 * DAY, NOW - 29 * DAY
    goes = [
        message(home, SENT, old - DAY, sent=old),
        message(home, FAILED, old),  # given up for good: no final time of its own, its created_at counts
        message(home, SUPERSEDED, old, kind="meeting_reminder"),
        message(None, SENT, old, sent=old, kind="verify_email"),  # account mail
        message(other, SENT, old, sent=old),  # another partnership's, alike
        message(other, FAILED, NOW - 400 * DAY),
    ]
    stays = [
        message(home, SENT, recent, sent=recent),
        message(home, SENT, old, sent=recent),  # queued long ago, sent recently: counts from the send
        message(other, FAILED, recent),
        message(home, PENDING, NOW - 400 * DAY),  # due and never sent (a stuck queue is not old mail)
        message(home, PENDING, old, attempts=3, next_attempt_at=NOW + DAY, last_error="SMTPDataError 451"),
        message(home, PENDING, old, next_attempt_at=NOW + 40 * DAY, kind="meeting_reminder"),  # queued ahead
        message(other, PENDING, old, attempts=1, sending_at=old),  # in flight (long dead, still not ours)
    ]
    write_messages(app, goes + stays)

    pruned = prune(app)

    assert pruned.outbox == len(goes) and pruned.finished
    assert kept_messages(app) == {row["dedup_key"] for row in stays}
    assert prune(app) == retention.Pruned(0, 0, True)  # a second run deletes nothing
    assert kept_messages(app) == {row["dedup_key"] for row in stays}


def test_kinds_a_planner_asks_about_longer_are_kept_longer(app, world):
    home = world.home.id
    rows = {
        ("checkin_opened", 60): True,  # a check-in is told while open, up to 92 days
        ("checkin_opened", 96): False,
        ("awareness_upcoming", 100): True,  # up to 120 days ahead of the day
        ("awareness_upcoming", 124): False,
        ("agreement_expiring", 32): True,
        ("agreement_expiring", 34): False,
        ("meeting_reminder", 31): False,  # a week at most: the setting (30 days) decides
        ("digest", 31): False,
    }
    written = {key: message(home, SENT, NOW - key[1] * DAY, sent=NOW - key[1] * DAY, kind=key[0]) for key in rows}
    write_messages(app, list(written.values()))

    prune(app)

    assert kept_messages(app) == {written[key]["dedup_key"] for key, kept in rows.items() if kept}


def test_the_settings_decide_but_never_below_a_planners_lookback(make_app, world):
    app = make_app(OUTBOX_RETENTION_DAYS=5)
    home = world.home.id
    at = NOW - 6 * DAY
    invitation = message(home, SENT, at, sent=at)
    reminder = message(home, SENT, at, sent=at, kind="meeting_reminder")  # asked about up to a week after
    write_messages(app, [invitation, reminder])

    prune(app)

    assert kept_messages(app) == {reminder["dedup_key"]}
    with app.app_context():
        assert retention.kept_for("meeting_reminder", timedelta(days=5)) == retention.LOOKBACK["meeting_reminder"]
        assert retention.kept_for("invitation", timedelta(days=5)) == timedelta(days=5)
        assert retention.kept_for("invitation", timedelta(0)) == retention.DEFAULT_LOOKBACK
        assert retention.kept_for("meeting_changed", timedelta(days=-1)) == retention.DEFAULT_LOOKBACK


def test_a_backlog_goes_in_batches_and_a_spent_time_budget_leaves_the_rest_for_the_next_run(app, world):
    old = NOW - 60 * DAY
    size = retention.BATCH
    rows = [message(world.home.id if n % 2 else world.other.id, SENT, old, sent=old) for n in range(2 * size + 1)]
    recent = message(world.home.id, SENT, NOW, sent=NOW)
    write_messages(app, [*rows, recent])

    first = prune(app, budget=0)  # the budget is spent at once: one batch, then the rest waits
    assert first == retention.Pruned(size, 0, False)
    with counting(app) as statements:
        second = prune(app)
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE FROM OUTBOX_MESSAGES")]
    assert second == retention.Pruned(size + 1, 0, True)
    assert len(deletes) == 2  # a full batch, then the last one
    assert kept_messages(app) == {recent["dedup_key"]}


# --- the notification centre --------------------------------------------------------------------------


def test_centre_entries_go_when_read_and_old_or_unread_and_very_old_in_every_partnership(app, world):
    cases = {
        # (days old, read?): kept?
        (91, True): False,
        (89, True): True,
        (200, False): True,  # unread: kept a year
        (366, False): False,
        (-3, False): True,  # queued ahead (a reminder not shown yet)
    }
    written: dict[int, dict[tuple[int, bool], dict]] = {}
    for rec in (world.home, world.other):
        membership_id = rec.membership_ids["coordinator"]
        written[rec.id] = {
            (age, read): entry(membership_id, NOW - age * DAY, NOW - (age - 1) * DAY if read else None)
            for age, read in cases
        }
        # A check-in stays told while it is open (up to 92 days), read or not.
        written[rec.id][(93, True)] = entry(membership_id, NOW - 93 * DAY, NOW - 92 * DAY, kind="checkin_opened")
        write_entries(app, rec.id, list(written[rec.id].values()))

    pruned = prune(app)

    assert pruned == retention.Pruned(0, 4, True)
    for rec in (world.home, world.other):
        expected = {row["dedup_key"] for key, row in written[rec.id].items() if cases.get(key, True)}
        assert kept_entries(app, rec.id) == expected
    assert prune(app) == retention.Pruned(0, 0, True)


# --- the invariant: nothing is told twice --------------------------------------------------------------


def test_every_notice_kind_says_how_long_its_planner_asks():
    kinds = {kind.key for kind in areas.notice_kinds()} | {"digest"}
    assert kinds <= set(retention.LOOKBACK), f"add {sorted(kinds - set(retention.LOOKBACK))} to retention.LOOKBACK"


def test_each_lookback_covers_its_planners_window(app, world):
    lookback = retention.LOOKBACK
    slack = 2 * action_notices.ZONE_SLACK  # a partnership's or a person's today is the UTC date ± 1
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        with pytest.raises(ServiceError):  # the longest lead time is 120 days
            days.set_lead_days(ctx, {"lead_days": "121"})
        db.session.rollback()
    assert lookback["awareness_upcoming"] >= timedelta(days=120) + slack
    assert lookback["awareness_today"] >= timedelta(days=31) + slack  # a month-long observance
    assert lookback["checkin_opened"] >= timedelta(days=checkins.LONGEST_DAYS) + slack
    assert lookback["agreement_expiring"] >= timedelta(days=max(governance_notices.AGREEMENT_DAYS)) + slack
    assert lookback["funding_deadline"] >= timedelta(days=max(funding_notices.OFFSETS)) + slack
    actions = timedelta(days=action_notices.DUE_SOON_DAYS + action_notices.OVERDUE_WITHIN_DAYS) + slack
    assert lookback["action_due_soon"] >= actions and lookback["action_overdue"] >= actions
    largest = [minutes for minutes, _ in (*reminders.OFFSET_CHOICES, *REMINDER_CHOICES)]
    assert lookback["meeting_reminder"] >= reminders.horizon(largest)
    assert lookback["digest"] >= timedelta(days=7) + slack


def email_only_member_app_only_advisor(app, home) -> None:
    """The member takes every notice by email only, the survivor advisor in the app only."""
    kinds = " ".join(kind.key for kind in areas.notice_kinds())
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.add(NotificationPreference(membership_id=home.membership_ids["member"], app_off=kinds))
        db.session.add(NotificationPreference(membership_id=home.membership_ids["survivor_advisor"], email_off=kinds))
        db.session.commit()


def test_a_checkin_open_for_92_days_is_not_told_again_after_the_mail_and_the_entries_are_old(app, world, clock):
    home = world.home
    email_only_member_app_only_advisor(app, home)
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        today = ctx.today()
        clock.now = datetime.combine(today, time(9), UTC)
        checkins.open_checkin(ctx, checkins.CheckinData(today, today + timedelta(days=checkins.LONGEST_DAYS), 5))
        db.session.commit()
        advisor = context_for(home.id, home.members["survivor_advisor"].id)
        assert centre.mark_all_read(advisor, clock.now) == 1
        db.session.commit()
    told_by_mail = kept_messages(app)
    told_in_app = kept_entries(app, home.id)
    assert len(told_by_mail) == 1 and len(told_in_app) == 1

    # Its last day: the mail and the read entry are older than the settings keep (30 and 90 days).
    last_day = datetime.combine(today + timedelta(days=checkins.LONGEST_DAYS), time(12), UTC)
    clock.now = last_day
    prune(app, last_day)
    with app.app_context():
        assert notices.plan_every_partnership(last_day) == 0
    assert kept_messages(app) == told_by_mail and kept_entries(app, home.id) == told_in_app


def test_no_planner_tells_anyone_twice_while_pruning_every_day_for_longer_than_any_lookback(app, world, clock):
    """Every planner, every day for 130 days, with pruning after each run: a record of each kind, a member
    who takes everything by email only and an advisor who takes everything in the app only and reads it."""
    home, other = world.home, world.other
    longest = max(retention.LOOKBACK.values())
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == home.id).values(time_zone="UTC"))
        db.session.execute(update(Partnership).where(Partnership.id == other.id).values(time_zone="Pacific/Auckland"))
        db.session.commit()
    email_only_member_app_only_advisor(app, home)
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        today = ctx.today()
        start = clock.now = datetime.combine(today, time(9), UTC)
        days.set_lead_days(ctx, {"lead_days": "120"})
        checkins.open_checkin(ctx, checkins.CheckinData(today, today + timedelta(days=checkins.LONGEST_DAYS), 5))
        db.session.add(
            SharingAgreement(
                title="Referral data", status=AgreementStatus.ACTIVE, signed_on=date(2025, 4, 1),
                review_on=today + timedelta(days=40), expires_on=today + timedelta(days=75),
            )
        )  # fmt: skip
        meeting = meeting_services.ScheduleRequest(
            "Full partnership meeting", MeetingKind.FULL_PARTNERSHIP, today + timedelta(days=10), time(10), time(11)
        )
        meeting_services.schedule_meeting(ctx, meeting.data(), start)
        db.session.commit()
        other_ctx = context_for(other.id, other.members["coordinator"].id)
        other_today = other_ctx.today()
        checkins.open_checkin(other_ctx, checkins.CheckinData(other_today, other_today + timedelta(days=60), 3))
        db.session.commit()
    make_opportunity(app, home, application_deadline=(today + timedelta(days=20)).isoformat())
    add_items(
        app,
        home,
        {"due_date": today + timedelta(days=5), "assignee_membership_id": home.membership_ids["member"]},
        {"due_date": today + timedelta(days=50), "assignee_membership_id": home.membership_ids["survivor_advisor"]},
    )

    ever: set[str] = set()  # every key ever told
    previous: set[str] = set()  # the keys left after the last prune
    deleted = retention.Pruned(0, 0, True)
    # Daily while the short-lived notices come due, then every fourth day: every key asked about for longer
    # than the settings keep is asked about on many of those days after the prune that would delete it.
    run_days = [*range(21), *range(21, longest.days + 7, 4)]
    for day in run_days:
        now = clock.now = start + day * DAY
        with app.app_context():
            notices.plan_every_partnership(now)
            services.sweep()  # reminders queued ahead go out when due
            advisor = context_for(home.id, home.members["survivor_advisor"].id)
            centre.mark_all_read(advisor, now)
            db.session.commit()
        keys = kept_messages(app) | kept_entries(app, home.id) | kept_entries(app, other.id)
        told_again = (keys - previous) & ever
        assert not told_again, f"day {day}: told again after a prune: {sorted(told_again)}"
        ever |= keys
        pruned = prune(app, now)
        deleted = retention.Pruned(deleted.outbox + pruned.outbox, deleted.notifications + pruned.notifications, True)
        if pruned.outbox or pruned.notifications:  # the same instant again, after the prune: nothing new
            with app.app_context():
                assert notices.plan_every_partnership(now) == 0, f"day {day}: planned again after a prune"
        previous = kept_messages(app) | kept_entries(app, home.id) | kept_entries(app, other.id)

    kinds_told = {key.split(":")[0] for key in ever}
    assert {"awareness_upcoming", "checkin_opened", "agreement_expiring", "funding_deadline"} <= kinds_told
    assert {"action_due_soon", "action_overdue", "meeting_reminder"} <= kinds_told
    # The run pruned for real (mail and read entries), and what is left is what the lookbacks still keep.
    assert deleted.outbox > 0 and deleted.notifications > 0
    assert len(previous) < len(ever)
