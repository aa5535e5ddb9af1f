"""On PostgreSQL, the totals read the years shown from one index that carries every column they need (an
index-only scan, whatever the viewer's role): no opportunity is fetched from the table to be summed."""

from __future__ import annotations

import json

import pytest

from partnership_hub.funding import pipeline
from partnership_hub.workspaces.models import Role
from tests.factories import add_member, create_partnership, create_user
from tests.funding.pipeline_helpers import bulk, ctx_of, today_of
from tests.plans import plan_nodes

INDEX = "ix_funding_opportunities_totals"
# every kind of scan off: an index-only scan then wins only where the index carries every column read
ALL_SCANS = ("seqscan", "bitmapscan", "indexscan")


@pytest.fixture
def pipeline_of(app):
    partnership = create_partnership(app, create_user(app), "Totals")
    add_member(app, partnership, create_user(app), Role.MEMBER, "member")
    bulk(app, partnership, 60)
    return partnership


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_totals_are_an_index_only_scan(app, pipeline_of, who):
    with app.app_context():
        ctx = ctx_of(pipeline_of, who)
        year = today_of(app, pipeline_of).year
        nodes = plan_nodes(pipeline_of.id, lambda: pipeline.totals(ctx, year, None), "funding_opportunities", ALL_SCANS)
    reads = [n for n in nodes if n.get("Relation Name") == "funding_opportunities"]
    assert reads, json.dumps(nodes, indent=1)
    assert all(n["Node Type"] == "Index Only Scan" and n["Index Name"] == INDEX for n in reads), json.dumps(
        reads, indent=1
    )
