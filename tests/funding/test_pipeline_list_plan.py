"""On PostgreSQL, the pipeline's table reads a page of opportunities from an index in its order, never
sorting every opportunity of the partnership (its own statement, EXPLAIN ANALYZEd)."""

from __future__ import annotations

import json

from partnership_hub.funding import pipeline
from tests.funding.pipeline_helpers import ctx_of
from tests.funding.test_pipeline_list_order import pipeline_of  # noqa: F401 - a fixture
from tests.plans import plan_nodes


def test_the_pipeline_table_walks_its_index(app, pipeline_of):  # noqa: F811
    with app.app_context():
        ctx = ctx_of(pipeline_of)
        page = lambda: pipeline.opportunities_page(ctx, pipeline.ListFilters(), 1)  # noqa: E731
        nodes = plan_nodes(pipeline_of.id, page, "funding_opportunities", ("seqscan", "bitmapscan"))
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], json.dumps(nodes, indent=1)
    assert any(n.get("Index Name") == "ix_funding_opportunities_list" for n in nodes)
