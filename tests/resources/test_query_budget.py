"""The resource map costs the same number of queries for 5 resources as for 200."""

from __future__ import annotations

import pytest

from tests.budget import assert_fixed_cost
from tests.factories import create_partnership, create_user
from tests.resources.conftest import add_resources


@pytest.mark.parametrize("path", ["/resources", "/resources.csv", "/resources?q=org&trafficking=1&page=2"])
def test_resource_pages_cost_the_same_for_5_and_for_200_resources(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership, size in ((small, 5), (large, 200)):
        add_resources(
            app,
            partnership,
            *(
                {"organization_name": f"Org {n}", "service_type": "legal", "trafficking_specific": n % 2 == 0}
                for n in range(size)
            ),
        )

    assert_fixed_cost(app, small, large, path)
