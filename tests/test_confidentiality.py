"""The confidentiality layer: for every model that opts in (found through the registry, so later
areas are covered without editing this file), the per-record rule and the SQL clause agree for
every role × level × author × grant; grants and the access log behave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from partnership_hub import areas, confidentiality
from partnership_hub.confidentiality import AccessLogEntry, ConfidentialGrant, Level, may_see, visibility_clause
from partnership_hub.context import context_for
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership
from tests import factories

areas.import_models()
MODELS = confidentiality.confidential_models()


def test_at_least_goals_opt_in():
    assert "Goal" in [model.__name__ for model in MODELS]


def _seeded(app, world):
    factories.seed_records(app, world.home)
    return world


@pytest.fixture
def seeded(keep, world):
    return keep(_seeded, world)


def _record(model):
    record = db.session.scalars(select(model).order_by(model.id)).first()
    assert record is not None, f"seed a {model.__name__} in its area's test_seed (Area.test_seed)"
    return record


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_rule_and_the_sql_clause_agree_for_every_role_level_author_and_grant(app, seeded, model):
    with app.app_context():
        ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        today = ctx.today()
        record = _record(model)
        memberships = list(db.session.scalars(select(Membership).order_by(Membership.id)))
        assert {m.role.value for m in memberships} == {"coordinator", "member", "survivor_advisor", "observer"}
        checked = 0
        for level in Level:
            for author in memberships:
                for grant_state in (None, "active", "ending_today", "ended"):
                    for viewer in memberships:
                        record.confidentiality = level
                        setattr(record, model.confidential_author, author.id)
                        db.session.execute(
                            delete(ConfidentialGrant).where(
                                ConfidentialGrant.record_kind == model.confidential_kind,
                                ConfidentialGrant.record_id == record.id,
                            )
                        )
                        if grant_state:
                            ends = {"active": None, "ending_today": today, "ended": today - timedelta(days=1)}
                            db.session.add(
                                ConfidentialGrant(
                                    record_kind=model.confidential_kind,
                                    record_id=record.id,
                                    membership_id=viewer.id,
                                    ends_on=ends[grant_state],
                                )
                            )
                        db.session.flush()
                        granted = confidentiality.is_granted(record, viewer, today)
                        in_python = may_see(viewer, record, granted=granted)
                        in_sql = db.session.scalar(
                            select(func.count())
                            .select_from(model)
                            .where(model.id == record.id, visibility_clause(model, viewer, today))
                        )
                        assert in_python == bool(in_sql), (level, author.role, grant_state, viewer.role)
                        # The same rule built once for the viewer's permission shape, id and date bound.
                        shared = confidentiality.shared_viewer(confidentiality.permission_shape(viewer))
                        in_shared = db.session.scalar(
                            select(func.count())
                            .select_from(model)
                            .where(
                                model.id == record.id, visibility_clause(model, shared, confidentiality.VIEWER_TODAY)
                            ),
                            {"viewer_membership_id": viewer.id, "viewer_today": today},
                        )
                        assert in_python == bool(in_shared), ("shared", level, author.role, grant_state, viewer.role)
                        checked += 1
        db.session.rollback()
    assert checked == len(Level) * 4 * 4 * 4


def test_a_shared_viewer_is_allowed_exactly_what_a_membership_of_its_shape_is():
    """Rules built once per permission shape (``shared_viewer``) are only right if no permission rule
    reads anything of a membership beyond its shape: ``Viewer`` has nothing else to read, so a rule
    that did would raise here, and any answer that differed would fail."""
    from partnership_hub.policies import can
    from partnership_hub.workspaces.models import Role

    actions = sorted(areas.role_matrix())
    assert len(actions) > 50
    for role in Role:
        for on_planning_team in (False, True):
            for directory_editor in (False, True):
                shape = (role, on_planning_team, directory_editor)
                viewer = confidentiality.shared_viewer(shape)
                member = Membership(
                    id=4242,
                    user_id=99,
                    role=role,
                    on_planning_team=on_planning_team,
                    directory_editor=directory_editor,
                    getting_started_dismissed=True,
                )
                assert confidentiality.permission_shape(member) == shape
                for action in actions:
                    assert can(viewer, action) == can(member, action), (shape, action)


@pytest.mark.parametrize(
    ("level", "role", "granted", "visible"),
    [
        ("workspace", "observer", False, True),
        ("leadership", "coordinator", False, True),
        ("leadership", "member", False, False),
        ("leadership", "member", True, True),
        # The board is admitted by grants (a seat, or the chair's): a role alone admits nobody.
        ("advisory", "survivor_advisor", False, False),
        ("advisory", "survivor_advisor", True, True),
        ("advisory", "coordinator", False, False),
        ("advisory", "coordinator", True, True),
        ("advisory", "member", False, False),
        ("advisory", "member", True, True),
        ("advisory", "observer", True, False),
        ("private", "coordinator", False, False),
        ("private", "coordinator", True, True),
    ],
)
def test_the_levels_mean_what_the_design_says(app, seeded, level, role, granted, visible):
    with app.app_context():
        context_for(seeded.home.id)
        goal = _record(MODELS[[m.__name__ for m in MODELS].index("Goal")])
        goal.confidentiality = Level(level)
        goal.author_membership_id = None
        viewer = db.session.get(Membership, seeded.home.membership_ids[role])
        assert may_see(viewer, goal, granted=granted) is visible
        db.session.rollback()


def _goal(world):
    from partnership_hub.goals.models import Goal

    return db.session.scalars(select(Goal).order_by(Goal.id)).first()


def test_a_grant_says_who_granted_it_why_and_until_when(app, seeded):
    with app.app_context():
        ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        goal = _goal(seeded)
        member = seeded.home.membership_ids["member"]
        row = confidentiality.grant(
            ctx, goal, member, reason="Reviewing the report", ends_on=ctx.today() + timedelta(days=30)
        )
        db.session.commit()
        assert (row.granted_by_membership_id, row.reason) == (ctx.membership.id, "Reviewing the report")
        # Granting again updates the one grant instead of adding a second.
        confidentiality.grant(ctx, goal, member, reason="Still reviewing")
        db.session.commit()
        rows = [g for g in confidentiality.grants_for(goal) if g.membership_id == member]
        assert [(g.reason, g.ends_on) for g in rows] == [("Still reviewing", None)]


@pytest.mark.parametrize(
    ("who", "kwargs", "field", "message"),
    [
        ("observer", {}, "access", "Observers can only see"),
        ("member", {"require_reason": True}, "reason", "Say why"),
        ("member", {"ends_on": "yesterday"}, "ends_on", "already passed"),
    ],
)
def test_bad_grants_are_refused_at_the_field_and_change_nothing(app, seeded, who, kwargs, field, message):
    with app.app_context():
        ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        goal = _goal(seeded)
        before = len(confidentiality.grants_for(goal))
        if kwargs.get("ends_on") == "yesterday":
            kwargs["ends_on"] = ctx.today() - timedelta(days=1)
        with pytest.raises(ServiceError) as refused:
            confidentiality.grant(ctx, goal, seeded.home.membership_ids[who], **kwargs)
        assert refused.value.field == field and message in refused.value.message
        db.session.rollback()
        assert len(confidentiality.grants_for(goal)) == before


def test_reads_above_workspace_go_to_the_access_log(app, seeded):
    with app.app_context():
        ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        goal = _goal(seeded)
        goal.confidentiality = Level.WORKSPACE
        assert confidentiality.record_read(ctx, goal) is None
        goal.confidentiality = Level.LEADERSHIP
        confidentiality.record_read(ctx, goal, "exported")
        db.session.commit()
        entries = db.session.execute(
            select(AccessLogEntry.record_kind, AccessLogEntry.record_id, AccessLogEntry.level, AccessLogEntry.how)
        ).all()
        assert entries == [("goal", goal.id, Level.LEADERSHIP, "exported")]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_loading_any_opted_in_record_in_a_request_notes_the_read(app, seeded, model):
    """Every model that opts in has its reads noted by the layer (the "load" event on the mixin):
    a record above ``workspace`` loaded while a workspace request is answered is written to the
    access log after it; a ``workspace`` one is not."""
    from flask import g

    with app.app_context():
        context_for(seeded.home.id, seeded.user("coordinator").id)
        record_id = _record(model).id
        db.session.execute(delete(ConfidentialGrant))  # no grants: the level alone decides
        db.session.commit()
    for level, expected in ((Level.WORKSPACE, []), (Level.LEADERSHIP, [(model.confidential_kind, record_id)])):
        with app.test_request_context(f"/p/{seeded.home.slug}/"):
            context_for(seeded.home.id, seeded.user("coordinator").id)
            db.session.execute(select(model).where(model.id == record_id)).scalar_one().confidentiality = level
            db.session.commit()
            db.session.expunge_all()
            g.ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
            db.session.execute(select(model).where(model.id == record_id)).scalar_one()  # a load in a request
            assert confidentiality.write_noted_reads(app.response_class("shown")).status_code == 200
            reads = db.session.execute(select(AccessLogEntry.record_kind, AccessLogEntry.record_id)).all()
            assert [tuple(read) for read in reads] == expected
