"""The demo the README's run command seeds: it loads once and gives every page something real."""

from __future__ import annotations

from partnership_hub.demo import DEMO_PASSWORD, seed
from partnership_hub.setup.services import guide_state
from partnership_hub.workspaces.services import context_for, partnership_by_slug


def test_the_demo_seeds_once_and_fills_the_pages(app):
    with app.app_context():
        assert seed() == (True, "coordinator@demo.partnershiphub.local")
        assert seed()[0] is False
        partnership = partnership_by_slug("front-range")
        state = guide_state(context_for(partnership.id))
        assert 0 < state.done < state.total  # some progress, plenty left to show

    client = app.test_client()
    response = client.post("/login", data={"email": "coordinator@demo.partnershiphub.local", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    for path in ("/", "/profile", "/organizations", "/coverage", "/resources", "/setup", "/people", "/planning"):
        page = client.get(f"/p/front-range{path}")
        assert page.status_code == 200, path
    coverage = client.get("/p/front-range/coverage").text
    assert "Have you considered inviting" in coverage
