"""The awareness pages at any size (issue #8): the index shows a page of the coming days and a page of
the partnership's own days (searched as you type), the year calendar one page of one month, and the day
pickers the chosen day and a page of matches — never every day the partnership observes. Every day is
still reachable (the next pages, the search, the pickers), and a bad day sent by a form is refused at its
field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from partnership_hub import toolkit
from partnership_hub.awareness.models import AwarenessDay, AwarenessHiddenDay, CampaignPlan
from partnership_hub.awareness.queries import COMING_PAGE_SIZE, MONTH_PAGE_SIZE, OWN_PAGE_SIZE
from partnership_hub.awareness.rules import RuleKind
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.picking import PICK_LIMIT
from tests.factories import PartnershipRec, create_partnership, create_user, sign_in

HTMX = {"HX-Request": "true"}
SIZE = 60
MARCH = 30  # of them in March: more than a page of the month


def grow(app, partnership: PartnershipRec) -> dict[str, int]:
    """``SIZE`` days of the partnership's own ("Local day 000"...; ``MARCH`` in March, the rest a month
    each in turn), five offsets counting from the first, one toolkit day hidden. Returns some ids."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        days = [
            AwarenessDay(
                name=f"Local day {n:03}",
                kind=RuleKind.FIXED,
                month=3 if n < MARCH else n % 12 + 1,
                day=n % 28 + 1,
            )
            for n in range(SIZE)
        ]
        db.session.add_all(days)
        db.session.flush()
        offsets = [
            AwarenessDay(name=f"Offset {n}", kind=RuleKind.OFFSET, base_day_id=days[0].id, offset_days=n + 1)
            for n in range(5)
        ]
        db.session.add_all([*offsets, AwarenessHiddenDay(day_key="tip_day")])
        db.session.commit()
        return {
            "partnership": partnership.id,
            "first": days[0].id,
            "last": days[-1].id,
            "last_march": days[MARCH - 1].id,
            "offset": offsets[0].id,
        }


def _grown(app):
    partnership = create_partnership(app, create_user(app), "Many days")
    return partnership, grow(app, partnership)


@pytest.fixture
def grown(app, keep):
    partnership, ids = keep(_grown)
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    return client, f"/p/{partnership.slug}/awareness", ids


def coming_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="day-([^"]+)"', html)


def own_rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="own-day-(\d+)"', html)]


def options_of(html: str, select_id: str) -> list[str]:
    body = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', body)


def options(html: str) -> list[str]:
    return re.findall(r'<option[^>]*value="([^"]*)"', html)


# --- the index ------------------------------------------------------------------------------------


def test_the_index_shows_a_page_of_the_coming_days_and_links_the_rest(grown):
    client, base, _ = grown
    first = client.get(base).text
    rows = coming_rows(first)
    assert len(rows) == COMING_PAGE_SIZE
    assert 'aria-label="Pages of coming days"' in first and 'rel="next"' in first
    assert f'href="{base}/calendar"' in first  # every day of a month in the year calendar

    second = client.get(f"{base}?page=2", headers=HTMX)
    assert second.status_code == 200 and "<html" not in second.text
    assert second.text.lstrip().startswith('<section id="coming"')
    assert "HX-Request" in second.headers["Vary"]
    later = coming_rows(second.text)
    assert len(later) == COMING_PAGE_SIZE and not set(later) & set(rows)

    # Every coming day is on one page or another: the toolkit's (one hidden) and the partnership's own.
    seen = {
        re.sub(r"-\d{4}-\d{2}-\d{2}$", "", row)
        for n in range(1, 6)
        for row in coming_rows(client.get(f"{base}?page={n}").text)
    }
    assert len({row for row in seen if row.startswith("custom-")}) == SIZE + 5
    assert "toolkit-tip_day" not in seen and "toolkit-giving_tuesday" in seen


def test_the_index_lists_a_page_of_the_partnerships_own_days_and_the_toolkits(grown):
    client, base, ids = grown
    html = client.get(base).text
    assert len(own_rows(html)) == OWN_PAGE_SIZE
    assert own_rows(html)[0] == ids["first"]  # by name
    assert 'aria-label="Pages of the partnership&#39;s own days"' in html
    assert "#GivingTuesday" in html and "Observe again" in html  # the toolkit's, the hidden one too
    card = re.search(r'<section class="card" aria-labelledby="observed-heading">.*?</section>', html, re.S).group(0)
    assert len(re.findall(r"<li", card)) <= len(toolkit.AWARENESS_DAYS) + OWN_PAGE_SIZE + 8  # and the page links


def test_the_own_days_search_as_you_type_and_without_javascript(grown):
    client, base, ids = grown
    html = client.get(base).text
    [search] = re.findall(r'<input type="search" id="own-days-q"[^>]*>', html, re.S)
    assert 'hx-trigger="input changed delay:250ms, search"' in search and 'hx-target="#own-days"' in search
    assert re.search(rf'<form method="get" action="{base}/days"', html)  # a plain GET without JS

    plain = client.get(f"{base}/days?q=day 059")
    assert plain.status_code == 200 and "<html" in plain.text and own_rows(plain.text) == [ids["last"]]
    assert 'value="day 059"' in plain.text

    partial = client.get(f"{base}/days?q=Local day 0&page=2", headers=HTMX)
    assert partial.text.lstrip().startswith('<div id="own-days"')
    assert len(own_rows(partial.text)) == OWN_PAGE_SIZE and "Showing 11–20 of 60" in partial.text
    assert re.search(r"/days\?(page=3&amp;q=Local\+day\+0|q=Local\+day\+0&amp;page=3)", partial.text)  # with the search

    nothing = client.get(f"{base}/days?q=%_%", headers=HTMX)  # LIKE's wildcards are taken literally
    assert own_rows(nothing.text) == [] and "matches" in nothing.text


# --- the year calendar ------------------------------------------------------------------------------


def test_the_calendar_shows_the_year_by_month_and_a_page_of_one_month(grown):
    client, base, ids = grown
    march = client.get(f"{base}/calendar?year=2027&month=3").text
    listed = re.findall(r'<li id="day-(custom|toolkit)-', march)
    assert len(listed) == MONTH_PAGE_SIZE
    assert re.search(r'aria-current="page">March</a>\s*<span class="muted">— 3[0-9] days', march)
    assert 'aria-label="Pages of days in March"' in march
    rest = client.get(f"{base}/calendar?year=2027&month=3&page=2").text
    assert 0 < len(re.findall(r'<li id="day-(?:custom|toolkit)-', rest)) <= MONTH_PAGE_SIZE
    # The month view's link to a day lands on the page that lists it.
    shown = client.get(f"{base}/calendar?year=2027&month=3&show=custom:{ids['last_march']}").text
    assert f'id="day-custom-{ids["last_march"]}"' in shown


def test_the_month_view_links_a_day_to_its_month_of_the_calendar(grown):
    client, base, ids = grown
    month = client.get(base.replace("/awareness", "/meetings/month?month=2027-03")).text
    assert f"/awareness/calendar?year=2027&amp;month=3&amp;show=custom:{ids['last_march']}#day-custom-" in month


# --- the pickers ------------------------------------------------------------------------------------


def test_the_counts_from_picker_holds_the_chosen_day_and_a_page_of_matches(grown):
    client, base, ids = grown
    form = client.get(f"{base}/days/{ids['offset']}/edit").text
    values = options_of(form, "base")
    assert values[0] == "" and values[1] == f"custom:{ids['first']}"  # "Choose a day", then the chosen one
    assert len(values) <= PICK_LIMIT + 3  # the blank, the chosen, the matches, "more match"
    assert f"custom:{ids['offset']}" not in values  # never the day edited, nor another offset
    assert 'hx-get="' in form and "pick/counts-from?field=base&amp;excluding=" in form

    url = f"{base}/pick/counts-from?field=base&excluding={ids['offset']}"
    found = client.get(f"{url}&base__q=day 05&base=custom:{ids['first']}")
    assert found.status_code == 200
    got = options(found.text)
    assert got[:2] == ["", f"custom:{ids['first']}"]  # the chosen kept
    assert got[2:] == [f"custom:{i}" for i in range(ids["first"] + 50, ids["first"] + 60)]
    assert options(client.get(f"{url}&base__q=Offset").text) == [""]  # offsets have no date of their own
    offered = options(client.get(f"{url}&base__q=trafficking").text)
    assert "toolkit:tip_day" in offered  # any toolkit day, observed or not, as before
    everything = client.get(url).text
    assert len(options(everything)) == PICK_LIMIT + 2 and "type more of the name" in everything


def test_the_plan_forms_day_picker_offers_the_observed_days(grown):
    client, base, ids = grown
    form = client.get(f"{base}/campaigns/new?day=custom:{ids['last']}&year=2027").text
    values = options_of(form, "day")
    assert values[:2] == ["", f"custom:{ids['last']}"] and len(values) <= PICK_LIMIT + 3
    found = options(client.get(f"{base}/pick/days?field=day&day__q=day 05&day=toolkit:giving_tuesday").text)
    assert found[:2] == ["", "toolkit:giving_tuesday"] and len(found) == 12
    # A hidden toolkit day is not offered; offsets are.
    assert "toolkit:tip_day" not in options(client.get(f"{base}/pick/days?field=day&day__q=trafficking").text)
    assert f"custom:{ids['offset']}" in options(client.get(f"{base}/pick/days?field=day&day__q=Offset 0").text)


def test_a_bad_day_is_refused_at_its_field_and_changes_nothing(app, grown):
    client, base, ids = grown
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(f"{base}/days/new").text).group(1)
    offset = {"csrf_token": token, "name": "Later", "kind": "offset", "offset_days": "2", "direction": "after"}
    for bad, message in (
        ("custom:999999999", "Choose another day to count from"),
        (f"custom:{ids['offset']}", "not from another offset"),
        ("toolkit:nope", "Choose the day it counts from"),
        ("'; DROP TABLE", "Choose the day it counts from"),
    ):
        refused = client.post(f"{base}/days/new", data=offset | {"base": bad})
        assert refused.status_code == 422 and message in refused.text, bad
        assert re.search(r'id="base-error"', refused.text), bad  # at the field
    edit = {**offset, "name": "Offset 0", "base": f"custom:{ids['offset']}"}
    refused = client.post(f"{base}/days/{ids['offset']}/edit", data=edit)  # counting from itself
    assert refused.status_code == 422 and "Choose another day to count from" in refused.text
    plan = {"csrf_token": token, "year": "2027", "title": "Appeal"}
    for bad in ("custom:999999999", "toolkit:nope", ""):
        refused = client.post(f"{base}/campaigns/new", data=plan | {"day": bad})
        assert refused.status_code == 422 and "Choose the awareness day" in refused.text, bad
        assert re.search(r'id="day-error"', refused.text), bad
    with app.app_context():
        bind_tenant(db.session, ids["partnership"])
        assert db.session.execute(select(AwarenessDay.id).where(AwarenessDay.name == "Later")).first() is None
        assert db.session.execute(select(CampaignPlan.id)).first() is None
