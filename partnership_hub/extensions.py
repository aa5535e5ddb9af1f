"""Extension objects, created unbound; ``create_app`` binds them. Nothing here does work.

Flask-Migrate is not among them: only the processes that migrate load it (``cli.attach_migrations``).

``Model`` is the base every model class inherits. At run time it is Flask-SQLAlchemy's generated
``db.Model`` (automatic table names, the session binding); a type checker cannot follow that
attribute, so for it ``Model`` is the declarative ``Base`` the generated class derives from.
"""

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from partnership_hub.db import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
