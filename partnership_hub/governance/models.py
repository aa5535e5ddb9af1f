"""Every governance table, one module per section (imported here so metadata and Alembic see them)."""

from partnership_hub.governance.agreements_models import *  # noqa: F403
from partnership_hub.governance.checkins_models import *  # noqa: F403
from partnership_hub.governance.disputes_models import *  # noqa: F403
from partnership_hub.governance.guidelines_models import *  # noqa: F403
