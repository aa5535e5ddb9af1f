"""Every advisory table, one module per section (imported here so metadata and Alembic see them)."""

from partnership_hub.advisory.assessment_models import *  # noqa: F403
from partnership_hub.advisory.board_models import *  # noqa: F403
from partnership_hub.advisory.compensation_models import *  # noqa: F403
from partnership_hub.advisory.consent_models import *  # noqa: F403
from partnership_hub.advisory.framework_models import *  # noqa: F403
from partnership_hub.advisory.requests_models import *  # noqa: F403
from partnership_hub.advisory.restricted_models import *  # noqa: F403
from partnership_hub.advisory.safety_models import *  # noqa: F403
