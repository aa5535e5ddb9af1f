"""The workspace navigation marks the entry a page belongs to."""

from __future__ import annotations

import re

import pytest

from tests.factories import sign_in


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/profile/edit", "Profile"),
        ("/sectors", "Coverage"),
        ("/organizations/new", "Organizations"),
        ("/resources/new", "Resource map"),
        ("/orientation/manage", "Planning"),
        ("/setup", "Setup guide"),
    ],
)
def test_the_current_section_is_marked(app, client, world, path, current):
    sign_in(client, app, world.user("coordinator"))
    html = client.get(f"/p/{world.home.slug}{path}").text
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html)
    assert current in marked
