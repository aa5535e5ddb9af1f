"""The resource map costs the same number of queries for 5 resources as for 200."""

from __future__ import annotations

import pytest

from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user
from tests.resources.conftest import add_resources


def grow(app, partnership, size: int) -> None:
    add_resources(
        app,
        partnership,
        *(
            {"organization_name": f"Org {n}", "service_type": "legal", "trafficking_specific": n % 2 == 0}
            for n in range(size)
        ),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/resources",
        "/resources.csv",
        "/resources?q=org&trafficking=1",
        # Past the end for both (an old link): the list shows the last page instead.
        "/resources?q=org&trafficking=1&page=99",
    ],
)
def test_resource_pages_cost_the_same_for_5_and_for_200_resources(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 5)
    grow(app, large, 200)

    assert_fixed_cost(app, small, large, path)


def test_a_later_page_costs_the_same_as_the_first(app):
    large = create_partnership(app, create_user(app), "Large")
    grow(app, large, 200)

    first = statements_for(app, large, "/resources?q=org&trafficking=1")
    later = statements_for(app, large, "/resources?q=org&trafficking=1&page=2")
    assert first == later <= BUDGET, (first, later)
