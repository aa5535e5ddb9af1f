"""Every funding table, one module per section (imported here so metadata and Alembic see them)."""

from partnership_hub.funding.inkind_models import *  # noqa: F403
from partnership_hub.funding.pipeline_models import *  # noqa: F403
