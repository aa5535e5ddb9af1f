"""Routes of the advisory area's compensation section, registered on the area's blueprint. (Being built.)"""

from partnership_hub.advisory.views import bp  # noqa: F401
