"""The accounts area: sign-up, sign-in, sessions, password reset, email verification."""

from partnership_hub.areas import Area

AREA = Area(
    name="accounts",
    label="Accounts",
    blueprints=("partnership_hub.accounts.views:bp",),
    init_app="partnership_hub.accounts.views:init_app",
    models="partnership_hub.accounts.models",
)
