"""The decision log's capped count: every decision the viewer may see, up to the cap, read in meeting order
so that on PostgreSQL it walks the decisions' (partnership_id, meeting_id) index beside the meetings'."""

from __future__ import annotations

import json

import pytest

from partnership_hub.context import context_for
from partnership_hub.extensions import db
from partnership_hub.meetings import minutes, services
from partnership_hub.meetings.models import MeetingKind
from tests.factories import seat_on_board
from tests.meetings.conftest import rows, schedule
from tests.plans import plan_nodes

INDEX = "ix_decisions_partnership_id_meeting_id"
OPEN, BOARD, PRIVATE = 6, 3, 2  # weekly meetings of each kind, one decision at each


@pytest.fixture
def decided(app, world):
    """One decision at each of six open meetings, three board meetings and two meetings the coordinator
    keeps private; the survivor advisor sits on the board."""
    partnership = world.home
    seat_on_board(app, partnership, "survivor_advisor")
    schedule(app, partnership, repeat="weekly:1", repeat_count=str(OPEN))
    schedule(app, partnership, kind=MeetingKind.ADVISORY_BOARD.value, repeat="weekly:1", repeat_count=str(BOARD))
    schedule(app, partnership, confidentiality="private", repeat="weekly:1", repeat_count=str(PRIVATE))
    with app.app_context():
        for meeting in rows(app, partnership):
            who = "survivor_advisor" if meeting.kind == MeetingKind.ADVISORY_BOARD else "coordinator"
            ctx = context_for(partnership.id, partnership.membership_ids[who])
            minutes.record_decision(ctx, services.get_meeting(ctx, meeting.id)[0], {"text": f"Decided {meeting.id}"})
        db.session.commit()
    return partnership


@pytest.mark.parametrize(
    ("who", "visible"),
    [("coordinator", OPEN + PRIVATE), ("survivor_advisor", OPEN + BOARD), ("member", OPEN), ("observer", OPEN)],
)
@pytest.mark.parametrize("cap", [3, 5])
def test_the_count_is_what_the_viewer_may_see_up_to_the_cap(app, decided, monkeypatch, who, visible, cap):
    # page size = cap: the count looks as far as the first multiple of the cap past the page (2 × cap)
    monkeypatch.setattr(minutes, "COUNT_CAP", cap)
    monkeypatch.setattr(minutes, "DECISION_PAGE_SIZE", cap)
    with app.app_context():
        page = minutes.decision_log(context_for(decided.id, decided.membership_ids[who]), "", 1)
    assert len(page.items) == min(cap, visible)
    assert (page.total, page.exact) == ((visible, True) if visible <= 2 * cap else (2 * cap, False))


def test_a_search_counts_its_matches_only(app, decided):
    with app.app_context():
        ctx = context_for(decided.id, decided.membership_ids["survivor_advisor"])
        everything = minutes.decision_log(ctx, "", 1)
        searched = minutes.decision_log(ctx, everything.items[-1].text, 1)
    assert [d.text for d in searched.items] == [everything.items[-1].text]
    assert (searched.total, searched.exact) == (1, True)


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_count_walks_the_decisions_in_meeting_order(app, decided, who):
    """With hash joins and nested loops off, the count can only merge: it does so on the decisions'
    (partnership_id, meeting_id) index, read index-only, with no sort of the decisions before it."""
    with app.app_context():
        ctx = context_for(decided.id, decided.membership_ids[who])
        off = ("seqscan", "bitmapscan", "hashjoin", "nestloop")
        nodes = plan_nodes(decided.id, lambda: minutes.decision_log(ctx, "", 1), "decisions", off)
    [count] = [n for n in nodes if n["Node Type"] == "Aggregate"]
    below, stack = [], list(count["Plans"])
    while stack:
        node = stack.pop()
        below.append(node)
        stack.extend(node.get("Plans", []))
    dump = json.dumps(count, indent=1)
    assert not [n for n in below if n["Node Type"] in ("Sort", "Incremental Sort")], dump
    merges = [n for n in below if n["Node Type"] == "Merge Join"]
    assert len(merges) == 1 and "meeting_id" in merges[0]["Merge Cond"], dump
    decisions = [n for n in below if n.get("Relation Name") == "decisions"]
    assert [(n["Node Type"], n["Index Name"]) for n in decisions] == [("Index Only Scan", INDEX)], dump
