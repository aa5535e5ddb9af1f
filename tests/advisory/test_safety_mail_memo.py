"""The safe-mode mail rule asks the database once per partnership per transaction (a planning run queues
hundreds of messages), and never answers from preferences that have changed since it asked."""

from __future__ import annotations

from partnership_hub.extensions import db
from partnership_hub.notifications.services import mail_verdict
from partnership_hub.workspaces.services import context_for
from tests.advisory.safety_helpers import save
from tests.budget import counting


def test_one_query_for_many_messages_in_a_transaction(app, world):
    save(app, world.home, allow_email=True, safe_mode=True)
    advisor = world.home.members["survivor_advisor"].email
    others = [world.home.members[who].email for who in ("member", "coordinator")]
    with app.app_context():
        context_for(world.home.id, world.home.members["coordinator"].id)
        mail_verdict(world.home.id, others[0], "agenda_published")  # the binding's own statements first
        db.session.commit()
        with counting(app) as statements:
            verdicts = [mail_verdict(world.home.id, to, "agenda_published") for to in [advisor, *others] * 20]
        assert verdicts[:3] == ["safe", "send", "send"]
        profile_reads = [s for s in statements if "advisor_profiles" in s]
        assert len(profile_reads) == 1, statements


def test_a_preference_saved_in_the_same_transaction_is_read_again(app, world):
    save(app, world.home, allow_email=True)
    advisor = world.home.members["survivor_advisor"].email
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["survivor_advisor"].id)
        assert mail_verdict(world.home.id, advisor, "agenda_published") == "send"
        from partnership_hub.advisory import safety

        safety.save_preferences(ctx, {"name": ctx.user.name, "allow_email": True, "safe_mode": True})
        assert mail_verdict(world.home.id, advisor, "agenda_published") == "safe"
        db.session.rollback()
        assert mail_verdict(world.home.id, advisor, "agenda_published") == "send"


def test_each_partnership_is_asked_about_its_own_preferences(app, world):
    from partnership_hub.workspaces.models import Role
    from tests.factories import add_member

    add_member(app, world.other, world.home.members["survivor_advisor"], Role.SURVIVOR_ADVISOR)
    save(app, world.home, allow_email=False)
    advisor = world.home.members["survivor_advisor"].email
    with app.app_context():
        context_for(world.home.id, world.home.members["coordinator"].id)
        assert mail_verdict(world.home.id, advisor, "agenda_published") == "drop"
        context_for(world.other.id, world.other.members["coordinator"].id)
        assert mail_verdict(world.other.id, advisor, "agenda_published") == "send"
