"""Row-level security without holes (issue #9, finding 8), as the app role: a person's own memberships
elsewhere are readable but not writable, and the outbox shows a request nothing but lets the delivery
work (which declares itself) read and update every row."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import services as notifications
from partnership_hub.workspaces.models import Role
from tests.factories import add_member

pytestmark = pytest.mark.postgres


def _queue(app, partnership_id=None, key="k") -> int:
    with app.app_context():
        if partnership_id:
            bind_tenant(db.session, partnership_id)
        msg = notifications.queue_email(
            kind="invitation",
            dedup_key=key,
            to="someone@example.org",
            subject="Join",
            template="verify_email",
            partnership_id=partnership_id,
            user=None,
            link="http://localhost/secret-link",
            expires_hours=1,
        )
        assert msg is not None
        message_id = msg.id
        db.session.commit()
        return message_id


def test_own_memberships_elsewhere_can_be_read_but_not_deleted_or_changed(app, world):
    member = world.user("member")
    elsewhere = add_member(app, world.other, member, Role.MEMBER)
    with app.app_context():
        bind_tenant(db.session, world.home.id, member.id)
        # Readable, for the partnership switcher...
        seen = db.session.execute(text("SELECT id FROM memberships WHERE id = :id"), {"id": elsewhere}).scalars().all()
        assert seen == [elsewhere]
        # ...but with another partnership bound, neither deleted nor changed (the rows are not there to write).
        deleted = db.session.execute(text("DELETE FROM memberships WHERE id = :id"), {"id": elsewhere})
        assert deleted.rowcount == 0
        updated = db.session.execute(
            text("UPDATE memberships SET role = 'coordinator' WHERE id = :id"), {"id": elsewhere}
        )
        assert updated.rowcount == 0
        db.session.commit()
        bind_tenant(db.session, world.other.id)
        assert (
            db.session.execute(text("SELECT role FROM memberships WHERE id = :id"), {"id": elsewhere}).scalar()
            == "member"
        )


def test_a_request_can_queue_mail_but_not_read_or_change_the_outbox(app, world):
    own = _queue(app, world.home.id, "own")
    account = _queue(app, None, "account")  # verification, reset: no partnership
    theirs = _queue(app, world.other.id, "theirs")
    with app.app_context():
        bind_tenant(db.session, world.home.id, world.user("coordinator").id)
        assert db.session.execute(text("SELECT count(*) FROM outbox_messages")).scalar() == 0
        assert db.session.execute(text("UPDATE outbox_messages SET status = 'sent'")).rowcount == 0
        assert db.session.execute(text("DELETE FROM outbox_messages")).rowcount == 0
        db.session.rollback()

        bind_tenant(db.session, world.home.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(
                text(
                    "INSERT INTO outbox_messages (dedup_key, kind, partnership_id, to_address, subject, text_body,"
                    " html_body, status, attempts, last_error, created_at)"
                    " VALUES ('forged', 'invitation', :p, 'x@example.org', 's', 't', 'h', 'pending', 0, '', now())"
                ),
                {"p": world.other.id},
            )
        db.session.rollback()

    with app.app_context():  # the delivery work declares itself and sees every row
        notifications.open_outbox()
        ids = db.session.execute(text("SELECT id FROM outbox_messages ORDER BY id")).scalars().all()
        db.session.rollback()
    assert ids == sorted([own, account, theirs])


def test_delivery_and_the_sweep_work_under_the_policy(make_app, smtp_sink, world):
    app = make_app(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_sink.port,
        TASKS_EAGER=False,
        CELERY={"broker_url": "redis://127.0.0.1:1/0", "task_serializer": "json", "accept_content": ["json"]},
    )
    message_id = _queue(app, world.home.id)
    assert smtp_sink.messages == []
    with app.app_context():
        notifications.open_outbox()
        db.session.execute(text("UPDATE outbox_messages SET created_at = now() - interval '10 minutes'"))
        db.session.commit()
        assert notifications.sweep() == 1
        assert notifications.deliver(message_id) == "sent"
    assert len(smtp_sink.messages) == 1


def test_recent_sends_are_counted_across_partnerships_without_opening_their_mail(app, world):
    coordinator = world.user("coordinator")
    with app.app_context():
        for partnership_id, key in ((world.home.id, "a"), (world.other.id, "b")):
            bind_tenant(db.session, partnership_id)
            notifications.queue_email(
                kind="invitation",
                dedup_key=key,
                to="x@example.org",
                subject="s",
                template="verify_email",
                partnership_id=partnership_id,
                sender_id=coordinator.id,
                user=None,
                link="l",
                expires_hours=1,
            )
        db.session.commit()
        bind_tenant(db.session, world.home.id, coordinator.id)
        since = utcnow().replace(year=2000)
        sent = notifications.recent_sends("invitation", world.home.id, coordinator.id, since)
        assert (sent.by_partnership, sent.by_sender) == (1, 2)
        assert db.session.execute(text("SELECT count(*) FROM outbox_messages")).scalar() == 0
