"""The awareness pages as each role: the calendar, the partnership's own days, campaign plans and their
tasks, the month view and the personal calendar feed."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.awareness.models import AwarenessDay, CampaignPlan
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db


def _csrf(client, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).text).group(1)


def test_everyone_reads_the_calendar_with_the_toolkit_days(login_as, world):
    for role in ("coordinator", "member", "survivor_advisor", "observer"):
        client = login_as(role)
        page = client.get(f"/p/{world.home.slug}/awareness")
        assert page.status_code == 200, role
        assert "#GivingTuesday" in page.text and "Human Trafficking Awareness Month" in page.text
        year = client.get(f"/p/{world.home.slug}/awareness/calendar?year=2025&month=12")
        assert year.status_code == 200 and "Tuesday after Thanksgiving" not in year.text
        assert '<time datetime="2025-12-02">' in year.text  # GivingTuesday 2025


def test_only_coordinators_keep_the_partnerships_own_days(app, login_as, world):
    base = f"/p/{world.home.slug}/awareness"
    assert login_as("member").get(f"{base}/days/new").status_code == 403
    client = login_as("coordinator")
    token = _csrf(client, f"{base}/days/new")
    leap = {"csrf_token": token, "name": "Leap", "kind": "fixed", "month": "2", "day": "30"}
    bad = client.post(f"{base}/days/new", data=leap)
    assert bad.status_code == 422 and "February never has a 30th day" in bad.text
    good = client.post(
        f"{base}/days/new",
        data={
            "csrf_token": token,
            "name": "Survivor Leadership Day",
            "kind": "nth_weekday",
            "month": "5",
            "nth": "2",
            "weekday": "5",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalars(select(AwarenessDay.name)).all() == ["Survivor Leadership Day"]
    assert "The second Saturday of May" in client.get(base).text


def test_a_member_plans_a_campaign_the_owner_adds_tasks_others_may_not(app, login_as, world):
    base = f"/p/{world.home.slug}/awareness"
    member = login_as("member")
    form = member.get(f"{base}/campaigns/new?day=toolkit:giving_tuesday&year=2027")
    assert form.status_code == 200 and "suits local fundraising" in form.text  # the toolkit's GivingTuesday note
    token = _csrf(member, f"{base}/campaigns/new")
    made = member.post(
        f"{base}/campaigns/new",
        data={
            "csrf_token": token,
            "day": "toolkit:giving_tuesday",
            "year": "2027",
            "title": "GivingTuesday appeal 2027",
            "owner_membership_id": str(world.home.membership_ids["member"]),
        },
    )
    assert made.status_code == 302
    plan_url = made.headers["Location"]
    task_data = {"csrf_token": token, "title": "Draft the appeal", "due_date": "2027-11-01"}
    task = member.post(f"{plan_url}/tasks", data=task_data)
    assert task.status_code == 302
    page = member.get(plan_url).text
    assert "Draft the appeal" in page and "30 Nov 2027" in page  # GivingTuesday 2027
    advisor = login_as("survivor_advisor")
    refused = advisor.post(f"{plan_url}/tasks", data={"csrf_token": _csrf(advisor, plan_url), "title": "x"})
    assert refused.status_code == 403
    assert login_as("observer").get(f"{base}/campaigns/new").status_code == 403
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        plan = db.session.scalars(select(CampaignPlan)).one()
        item = db.session.scalars(select(ActionItem).where(ActionItem.campaign_plan_id == plan.id)).one()
        assert item.title == "Draft the appeal" and item.due_date == date(2027, 11, 1)


def test_a_plan_refuses_bad_input_at_the_field(login_as, world):
    base = f"/p/{world.home.slug}/awareness"
    client = login_as("coordinator")
    token = _csrf(client, f"{base}/campaigns/new")
    for data, message in (
        ({"day": "toolkit:nope", "year": "2027", "title": "x"}, "Choose the awareness day"),
        ({"day": "toolkit:tip_day", "year": "27", "title": "x"}, "Enter the year"),
        ({"day": "toolkit:tip_day", "year": "2027", "title": ""}, "Give the plan a title"),
        (
            {"day": "toolkit:tip_day", "year": "2027", "title": "x", "funding_opportunity_id": "999999"},
            "funding opportunities",
        ),
    ):
        response = client.post(f"{base}/campaigns/new", data={"csrf_token": token, **data})
        assert response.status_code == 422 and message in response.text, data


def test_awareness_days_join_the_month_view_and_the_calendar_feed(app, login_as, world):
    client = login_as("member")
    month = client.get(f"/p/{world.home.slug}/meetings/month?month=2026-07")
    assert month.status_code == 200 and "World Day Against Trafficking in Persons" in month.text
    token = _csrf(client, f"/p/{world.home.slug}/meetings/calendar-feed")
    made = client.post(f"/p/{world.home.slug}/meetings/calendar-feed", data={"csrf_token": token})
    feed_url = re.search(r"(/calendar/[^\"<\s]+\.ics)", made.text).group(1)
    body = app.test_client().get(feed_url).text
    assert "SUMMARY:#GivingTuesday" in body
    assert re.search(r"DTSTART;VALUE=DATE:\d{8}", body) and "TRANSP:TRANSPARENT" in body
