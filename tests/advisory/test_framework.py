"""The confidentiality framework's services: the practices (edited in place, a stale save refused), the
federal rules checklist, each organization's mandatory-reporting duties (the LEFT JOIN list and its
filters), the setup guide's facts, and the database's refusal of an organization of another partnership."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from partnership_hub import toolkit
from partnership_hub.advisory import framework
from partnership_hub.advisory.framework_models import (
    ConfidentialityFramework,
    FederalRuleReview,
    OrganizationReporting,
    ReporterStatus,
    RuleStatus,
)
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization, Representative
from partnership_hub.workspaces.services import context_for
from tests.factories import create_organization

RULE_KEYS = [rule.key for rule in toolkit.FEDERAL_CONFIDENTIALITY_RULES]


def ctx(world, role: str = "coordinator"):
    return context_for(world.home.id, world.user(role).id)


def audit_actions(partnership_id: int) -> list[tuple[str, dict]]:
    bind_tenant(db.session, partnership_id)
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.details).order_by(AuditEntry.id)).all()
    return [(action, details) for action, details in rows]


def all_reviewed(status: str = "addressed") -> dict[str, str]:
    return {f"{key}_status": status for key in RULE_KEYS}


# --- reference data -----------------------------------------------------------------------------------


def test_the_federal_rules_are_the_toolkits_keyed_list():
    assert RULE_KEYS == ["confidentiality_of_information", "hipaa", "prea", "vawa_voca"]
    assert tuple(r.label for r in toolkit.FEDERAL_CONFIDENTIALITY_RULES) == toolkit.FEDERAL_CONFIDENTIALITY_LAWS
    assert "Health Insurance Portability and Accountability Act (HIPAA)" in toolkit.FEDERAL_CONFIDENTIALITY_LAWS


# --- practices ------------------------------------------------------------------------------------------


def test_practices_are_written_then_edited_in_place_with_an_audit_entry_naming_the_sections(app, world):
    with app.app_context():
        context = ctx(world)
        assert framework.framework_state(context).empty
        framework.save_practices(context, {"consent": "Written consent first.", "privacy": "", "revision": "0"})
        db.session.commit()
        state = framework.framework_state(context)
        assert state.revision == 1 and not state.written and state.updated_by == world.user("coordinator").name
        framework.save_practices(context, state.values() | {"privacy": "No names, ever."})
        db.session.commit()
        framework.save_practices(context, framework.framework_state(context).values())  # nothing changed
        db.session.commit()
        state = framework.framework_state(context)
        assert state.written and state.revision == 2
        assert db.session.scalar(select(db.func.count(ConfidentialityFramework.id))) == 1
    with app.app_context():
        entries = [d for action, d in audit_actions(world.home.id) if action == "confidentiality_framework.updated"]
        assert entries == [{"fields": ["consent"]}, {"fields": ["privacy"]}]  # field names, never the text


def test_a_save_based_on_an_older_revision_is_refused_and_nothing_is_written(app, world):
    with app.app_context():
        context = ctx(world)
        framework.save_practices(context, {"consent": "First.", "revision": "0"})
        db.session.commit()
        with pytest.raises(ServiceError) as refused:
            framework.save_practices(context, {"consent": "Second, from an old page.", "revision": "0"})
        assert refused.value.field is None and "Someone else saved" in refused.value.message
        db.session.rollback()
        assert framework.framework_state(context).practices[0].text == "First."
        assert framework.current_revision(context) == 1


@pytest.mark.parametrize("revision", ["x", "-1", "99"])
def test_a_first_save_needs_revision_zero(app, world, revision):
    with app.app_context(), pytest.raises(ServiceError):
        framework.save_practices(ctx(world), {"consent": "Text", "revision": revision})


def test_an_over_long_section_is_refused_at_its_field(app, world):
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            framework.save_practices(ctx(world), {"retention": "x" * (framework.PRACTICE_MAX + 1), "revision": "0"})
        assert refused.value.field == "retention"


def test_practices_render_markdown_without_raw_html(app, world):
    with app.app_context():
        context = ctx(world)
        framework.save_practices(context, {"consent": "**Ask** first <script>alert(1)</script>", "revision": "0"})
        html = str(framework.framework_state(context).practices[0].html)
        assert "<strong>Ask</strong>" in html and "<script>" not in html


# --- federal rules ------------------------------------------------------------------------------------


def test_the_checklist_starts_not_started_and_records_who_reviewed_what(app, world):
    with app.app_context():
        context = ctx(world)
        assert [r.status for r in framework.federal_checklist(context)] == [RuleStatus.NOT_STARTED] * 4
        changed = framework.review_federal_rules(
            context, {"hipaa_status": "addressed", "hipaa_notes": "The clinic is a covered entity."}
        )
        db.session.commit()
        assert changed == 1
        checklist = {r.rule.key: r for r in framework.federal_checklist(context)}
        assert checklist["hipaa"].done and checklist["hipaa"].notes == "The clinic is a covered entity."
        assert checklist["hipaa"].reviewed_by == world.user("coordinator").name and checklist["hipaa"].reviewed_at
        assert checklist["prea"].status == RuleStatus.NOT_STARTED and checklist["prea"].reviewed_at is None
        # Values not sent keep what is stored; a no-op writes nothing.
        assert framework.review_federal_rules(context, {"prea_status": "in_progress"}) == 1
        assert framework.review_federal_rules(context, {}) == 0
        db.session.commit()
        assert framework.federal_checklist(context)[1].status == RuleStatus.ADDRESSED
    with app.app_context():
        entries = [d for action, d in audit_actions(world.home.id) if action == "federal_rule_review.updated"]
        assert entries == [{"rule": "hipaa", "fields": ["status", "notes"]}, {"rule": "prea", "fields": ["status"]}]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hipaa_status": "done"}, "hipaa_status"),
        ({"prea_status": ""}, "prea_status"),
        ({"vawa_voca_status": "expired"}, "vawa_voca_status"),
        ({"prea_notes": "x" * (framework.NOTES_MAX + 1)}, "prea_notes"),
        ({"prea_notes": ["a", "list"]}, "prea_notes"),
    ],
)
def test_a_bad_checklist_value_is_refused_at_its_field_before_anything_is_written(app, world, data, field):
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            framework.review_federal_rules(ctx(world), {"confidentiality_of_information_status": "addressed", **data})
        assert refused.value.field == field
        db.session.rollback()
        assert db.session.scalars(select(FederalRuleReview)).all() == []


# --- mandatory reporting -----------------------------------------------------------------------------


def test_reporting_is_recorded_changed_and_audited_by_field_name(app, world):
    org = create_organization(app, world.home, "County Police")
    with app.app_context():
        context = ctx(world)
        entry = framework.reporting_entry(context, org)
        assert entry.status is None and entry.status_label == "Not recorded"
        framework.save_reporting(context, entry, {"is_mandatory_reporter": "yes", "reports_for": "child abuse"})
        db.session.commit()
        entry = framework.reporting_entry(context, org)
        assert entry.status == ReporterStatus.YES and entry.reporting and entry.reporting.reports_for == "child abuse"
        assert entry.updated_by == world.user("coordinator").name
        framework.save_reporting(context, entry, entry.values())  # unchanged: no entry
        framework.save_reporting(context, entry, entry.values() | {"notes": "Colorado law."})
        db.session.commit()
        assert db.session.scalar(select(db.func.count(OrganizationReporting.id))) == 1
    with app.app_context():
        entries = [(a, d) for a, d in audit_actions(world.home.id) if a == "organization_reporting.updated"]
        assert [d for _, d in entries] == [{"fields": ["is_mandatory_reporter", "reports_for"]}, {"fields": ["notes"]}]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "is_mandatory_reporter", "Choose whether"),
        ({"is_mandatory_reporter": "maybe"}, "is_mandatory_reporter", "Choose whether"),
        ({"is_mandatory_reporter": "yes"}, "reports_for", "Say what its staff must report"),
        ({"is_mandatory_reporter": "no", "reports_for": "child abuse"}, "reports_for", "Leave this empty"),
        ({"is_mandatory_reporter": "unsure", "reports_for": "x" * 501}, "reports_for", "at most 500"),
        ({"is_mandatory_reporter": "unsure", "notes": "x" * (framework.NOTES_MAX + 1)}, "notes", "at most"),
    ],
)
def test_bad_reporting_input_is_refused_at_its_field(app, world, data, field, message):
    org = create_organization(app, world.home)
    with app.app_context():
        context = ctx(world)
        with pytest.raises(ServiceError) as refused:
            framework.save_reporting(context, framework.reporting_entry(context, org), data)
        assert refused.value.field == field and message in refused.value.message
        db.session.rollback()
        assert db.session.scalars(select(OrganizationReporting)).all() == []


def test_an_organization_of_another_partnership_is_not_found(app, world):
    theirs = create_organization(app, world.other, "Their Org")
    with app.app_context():
        with pytest.raises(NotFound):
            framework.reporting_entry(ctx(world), theirs)
        with pytest.raises(NotFound):
            framework.reporting_entry(ctx(world), "2147483648")


def test_the_database_refuses_a_reporting_row_for_another_partnerships_organization(app, world):
    theirs = create_organization(app, world.other, "Their Org")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(OrganizationReporting(organization_id=theirs, is_mandatory_reporter=ReporterStatus.NO))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_list_shows_every_active_organization_with_its_answer_or_not_recorded(app, world):
    police = create_organization(app, world.home, "County Police")
    clinic = create_organization(app, world.home, "Community Clinic")
    shelter = create_organization(app, world.home, "Safe Harbor")
    old = create_organization(app, world.home, "Archived Org")
    create_organization(app, world.other, "Elsewhere Org")
    with app.app_context():
        context = ctx(world)
        for org, status, what in ((police, "yes", "child abuse, neglect"), (clinic, "unsure", "")):
            framework.save_reporting(
                context, framework.reporting_entry(context, org), {"is_mandatory_reporter": status, "reports_for": what}
            )
        bind_tenant(db.session, world.home.id)
        db.session.get(Organization, old).archived_at = utcnow()
        db.session.add(Representative(organization_id=shelter, membership_id=world.home.membership_ids["member"]))
        db.session.commit()

        def names(role="coordinator", **args):
            filters = framework.parse_reporting_filters(args)
            page = framework.reporting_page(ctx(world, role), filters)
            return [(row.name, row.status_label, row.represented) for row in page.items]

        assert names() == [
            ("Community Clinic", "Not sure yet", False),
            ("County Police", "Mandatory reporter", False),
            ("Safe Harbor", "Not recorded", False),
        ]
        assert names(status="yes") == [("County Police", "Mandatory reporter", False)]
        assert names(status="not_recorded") == [("Safe Harbor", "Not recorded", False)]
        assert names(status="nonsense") == names()  # an unusable filter means "any"
        assert [n for n, *_ in names(q="POLICE")] == ["County Police"]
        assert names("member", mine="1") == [("Safe Harbor", "Not recorded", True)]
        assert names("observer", mine="1") == []
        summary = framework.reporting_summary(context)
        assert (summary.organizations, summary.reporters, summary.unsure, summary.not_recorded) == (3, 1, 1, 1)


def test_a_survivor_advisors_name_stays_with_coordinators_and_advisors(app, world):
    org = create_organization(app, world.home)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(Representative(organization_id=org, membership_id=world.home.membership_ids["survivor_advisor"]))
        db.session.commit()
        advisor = ctx(world, "survivor_advisor")
        entry = framework.reporting_entry(advisor, org)
        assert entry.represented_by == world.home.membership_ids["survivor_advisor"]
        framework.save_reporting(advisor, entry, {"is_mandatory_reporter": "no"})
        db.session.commit()
        name = world.user("survivor_advisor").name
        assert framework.reporting_entry(ctx(world), org).updated_by == name
        assert framework.reporting_entry(advisor, org).updated_by == name
        assert framework.reporting_entry(ctx(world, "member"), org).updated_by == framework.SOMEONE
        assert framework.reporting_entry(ctx(world, "observer"), org).updated_by == framework.SOMEONE


# --- the setup guide ---------------------------------------------------------------------------------


def facts(world) -> dict:
    context = ctx(world)
    return select_scalars(db.session, framework.setup_facts(context))


def test_the_guides_question_needs_consent_privacy_and_every_rule_reviewed(app, world):
    with app.app_context():
        context = ctx(world)
        assert not framework.is_answered(facts(world))
        framework.save_practices(context, {"consent": "Asked in writing.", "privacy": "No names.", "revision": "0"})
        framework.review_federal_rules(context, all_reviewed() | {"prea_status": "in_progress"})
        db.session.commit()
        assert facts(world) == {"framework_practices": 1, "federal_rules_reviewed": 3}
        assert not framework.is_answered(facts(world))
        framework.review_federal_rules(context, {"prea_status": "not_applicable"})
        db.session.commit()
        assert framework.is_answered(facts(world))
        # Privacy emptied again: the question opens again.
        framework.save_practices(context, framework.framework_state(context).values() | {"privacy": "  "})
        db.session.commit()
        assert facts(world)["framework_practices"] == 0 and not framework.is_answered(facts(world))
