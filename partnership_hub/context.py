"""The workspace context: who is acting, in which partnership, on which day.

Every area's services take a ``WorkspaceContext`` first. Requests build it in the tenancy
resolver (``web/tenancy.py``); Celery tasks and CLI commands build it with ``context_for``. It
lives outside every area so any area (and ``web/``) can import it without cycles; it depends only
on the identity models (``accounts.models``, ``workspaces.models``) and the policy module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from partnership_hub import db as dbmod
from partnership_hub.accounts.models import User
from partnership_hub.errors import Forbidden
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Partnership, Role


@dataclass
class WorkspaceContext:
    """Who is acting (``membership``, ``user``; None for system work) in which ``partnership``."""

    partnership: Partnership
    membership: Membership | None
    user: User | None
    # Facts about the acting person that cost a query, computed once per context (a request or a task)
    # by the area that needs them, e.g. the advisory board's admission.
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def role(self) -> Role | None:
        return self.membership.role if self.membership else None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.partnership.time_zone)

    def now(self) -> datetime:
        """The current time (UTC); a statement kept per permission shape reads it as ``VIEWER_NOW``."""
        return dbmod.utcnow()

    def value(self, parameter: Any) -> Any:
        """A ``confidentiality.ViewerParameter``'s value for this context (a kept statement reads the
        parameter instead; see ``SharedContext``)."""
        return parameter.compute(self)

    def today(self, now: datetime | None = None) -> date:
        """The partnership's calendar date (its time zone, not the server's)."""
        return (now or dbmod.utcnow()).astimezone(self.zone).date()

    def can(self, action: str, record: object | None = None) -> bool:
        """May the acting membership do ``action`` (to ``record``)? See ``policies.can``."""
        from partnership_hub.policies import can

        return can(self.membership, action, record)

    def require(self, action: str, record: object | None = None) -> None:
        """Raise ``Forbidden`` unless ``can(action, record)``."""
        if not self.can(action, record):
            raise Forbidden(action)


def context_for(partnership_id: int, user_id: int | None = None) -> WorkspaceContext:
    """Bind the session to ``partnership_id`` and build a context (for tasks and the CLI)."""
    if partnership_id is None:
        raise ValueError("a partnership id is required")
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None:
        raise LookupError(f"no partnership {partnership_id}")
    dbmod.bind_tenant(db.session, partnership.id, user_id)
    membership = user = None
    if user_id is not None:
        user = db.session.get(User, user_id)
        membership = db.session.scalars(select(Membership).where(Membership.user_id == user_id)).one_or_none()
    return WorkspaceContext(partnership, membership, user)
