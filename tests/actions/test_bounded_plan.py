"""The action plan stays one bounded page at any size (issue #8): the page is built from two LIMITed,
index-ordered parts (items under goals by goal title, unlinked items by due date) and its total is
counted only up to ``COUNT_CAP`` past the page ("1–25 of 1,000+"); the order and the confidentiality
rule are the same as an unbounded sort's."""

from __future__ import annotations

import re
from datetime import date

from partnership_hub.actions import services
from partnership_hub.actions.services import PAGE_SIZE
from partnership_hub.pagination import Page, count_horizon
from tests.actions.conftest import add_goal, add_items


def titles_in(html: str) -> list[str]:
    return re.findall(r'<a class="action-title" href="[^"]+">([^<]+)</a>', html)


def test_a_capped_page_reads_as_at_least_and_links_ahead():
    page = Page(list(range(25)), 1000, 1, 25, exact=False)
    assert page.total_label == "1,000+" and page.pages == 40 and page.has_next
    assert Page([1], 1234, 1, 25).total_label == "1,234"
    assert count_horizon(25, 1000) == 1000 and count_horizon(1000, 1000) == 2000 and count_horizon(2525, 1000) == 3000


def test_the_plan_counts_up_to_the_cap_and_keeps_its_grouped_order_across_pages(
    app, world, login_as, base, monkeypatch
):
    monkeypatch.setattr(services, "COUNT_CAP", 10)
    goals = {title: add_goal(app, world.home, title) for title in ("b goal", "A goal", "c goal")}
    hidden = add_goal(app, world.home, "0 leadership goal", "leadership")
    rows = []
    for n in range(48):
        goal = [None, *goals.values()][n % 4]
        due = date(2026, 1 + n % 12, 1 + n % 27) if n % 5 else None
        rows.append({"title": f"Item {n:02}", "goal_id": goal, "due_date": due})
    rows.append({"title": "Secret", "goal_id": hidden})
    add_items(app, world.home, *rows)

    # The expected order: goals by title (case-insensitive), unlinked last; soonest due first, undated last.
    title_of = {goal_id: title.lower() for title, goal_id in goals.items()}
    expected = [
        r["title"]
        for r in sorted(
            rows[:-1],
            key=lambda r: (
                r["goal_id"] is None,
                title_of.get(r["goal_id"], ""),
                r["due_date"] is None,
                r["due_date"] or date.min,
            ),
        )
    ]
    client = login_as("member")  # may not see the leadership goal's item
    first = client.get(base).text
    second = client.get(f"{base}?page=2").text
    assert titles_in(first) + titles_in(second) == expected
    # 48 visible items, counted up to 30 (the first multiple of the cap past the page): "30+".
    assert f"Showing 1–{PAGE_SIZE} of 30+ action items." in first
    assert '<span class="count">30+</span>' in first and 'rel="next"' in first
    assert 'class="pagination-gap"' in first
    # The last page is known exactly.
    assert f"Showing {PAGE_SIZE + 1}–48 of 48 action items." in second and 'rel="next"' not in second
    # A page past the end shows the last page.
    assert titles_in(client.get(f"{base}?page=9").text) == titles_in(second)
    assert titles_in(login_as().get(base).text)[0] == "Secret"  # the coordinator sees the leadership goal first


def test_filters_apply_to_both_parts_of_the_page(app, world, login_as, base, ids):
    goal = add_goal(app, world.home, "Goal")
    add_items(
        app,
        world.home,
        {"title": "linked mine", "goal_id": goal, "assignee_membership_id": ids["member"]},
        {"title": "loose mine", "assignee_membership_id": ids["member"], "due_date": date(2020, 1, 1)},
        {"title": "linked theirs", "goal_id": goal},
        {"title": "loose theirs"},
    )
    client = login_as("member")
    assert titles_in(client.get(f"{base}?assignee=me").text) == ["linked mine", "loose mine"]
    assert titles_in(client.get(f"{base}?overdue=1").text) == ["loose mine"]
    assert titles_in(client.get(f"{base}?goal=none").text) == ["loose mine", "loose theirs"]
    assert titles_in(client.get(f"{base}?goal={goal}").text) == ["linked mine", "linked theirs"]
