"""Routes of the advisory area's requests section, registered on the area's blueprint. (Being built.)"""

from partnership_hub.advisory.views import bp  # noqa: F401
