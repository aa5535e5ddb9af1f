"""Configuration, read from environment variables only.

Everything has a safe development default so the embedded mode (SQLite, in-process tasks,
mail to the local outbox) runs with no settings at all. ``APP_ENV=production`` turns on the
strict checks: a real secret key, secure cookies and SMTP delivery.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"  # noqa: S105 - the refused default
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment describes a configuration the app refuses to run with."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _hop_count(value: str) -> int:
    value = value.strip() or "0"
    if not value.isascii() or not value.isdigit() or int(value) > 10:
        raise ConfigError("PROXY_HOPS must be the number of reverse proxies in front of the app (0 to 10).")
    return int(value)


def _sqlalchemy_url(url: str) -> str:
    """Accept the usual ``postgres://`` / ``postgresql://`` forms and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(env: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from ``env`` (the process environment by default)."""
    env = dict(os.environ if env is None else env)
    app_env = env.get("APP_ENV", "development")
    production = app_env == "production"
    instance = Path(env.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))

    database_url = _sqlalchemy_url(env.get("DATABASE_URL") or f"sqlite:///{instance / 'partnership_hub.db'}")
    redis_url = env.get("REDIS_URL", "")
    secret_key = env.get("SECRET_KEY", DEV_SECRET_KEY)

    if production and secret_key == DEV_SECRET_KEY:
        raise ConfigError("APP_ENV=production needs SECRET_KEY set to a long random value.")
    if production and len(secret_key) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production.")

    mail_backend = env.get("MAIL_BACKEND", "smtp" if production else "outbox")
    if production and mail_backend == "outbox":
        raise ConfigError("MAIL_BACKEND=outbox keeps mail inside the app and is for development only.")

    return {
        "APP_ENV": app_env,
        "TESTING": False,
        "SECRET_KEY": secret_key,
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:" + env.get("PORT", "5000")).rstrip("/"),
        "INSTANCE_DIR": str(instance),
        # Database. DATABASE_OWNER_URL is the role that owns the schema (migrations, provisioning);
        # the app itself connects as DATABASE_URL, which must neither own tables nor bypass RLS.
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATABASE_OWNER_URL": _sqlalchemy_url(env.get("DATABASE_OWNER_URL") or database_url),
        # A connection the server closed is refused at checkout without a round trip (db.py);
        # the full ping (3 round trips a request) only where the network drops connections silently.
        # PostgreSQL's JIT compiles plans it overestimates (60–130 ms a statement here) and never
        # pays back on short OLTP statements: off for the app's connections. And every statement is
        # planned for its own values: psycopg prepares a statement after five runs, and PostgreSQL's
        # generic plan for it, made without the partnership's id, suits a small partnership and walks
        # every row of a large one (a meeting's attendance page: 1.5 ms planned, 23 ms generic).
        # SQLAlchemy's compiled-statement cache (it keeps up to 1.5x this many, then drops the least
        # recently used down to it). Every page served compiles about 285 statements, ~20-27 MB kept
        # at 500; at 150 a worker keeps the ~150-225 most recently used, which still holds the pages
        # people come back to, and recompiles a page not visited lately once (the goals overview: 39 ms
        # a request warm, 66 cold). That is the web worker's 150 MB budget (issue #8) with a margin.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "query_cache_size": int(env.get("DATABASE_QUERY_CACHE_SIZE", "150")),
            "pool_pre_ping": _bool(env.get("DATABASE_POOL_PRE_PING")),
            **(
                {"connect_args": {"options": "-c jit=off -c plan_cache_mode=force_custom_plan"}}
                if database_url.startswith("postgresql")
                else {}
            ),
        },
        "SQLALCHEMY_RECORD_QUERIES": _bool(env.get("SQLALCHEMY_RECORD_QUERIES")),
        # Background work: with no broker, tasks run in process right after the commit.
        "REDIS_URL": redis_url,
        "TASKS_EAGER": _bool(env.get("TASKS_EAGER"), default=not redis_url),
        "EMBEDDED_SCHEDULER": _bool(env.get("EMBEDDED_SCHEDULER")),
        "CELERY": {
            "broker_url": redis_url or "memory://",
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True,
            "broker_transport_options": {"visibility_timeout": 3600},
            "timezone": "UTC",
        },
        # Mail.
        "MAIL_BACKEND": mail_backend,
        "MAIL_SERVER": env.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "1025")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "10")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Partnership Hub <no-reply@partnershiphub.local>"),
        # Sessions and cookies.
        "SESSION_COOKIE_NAME": "ph_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool(env.get("SESSION_COOKIE_SECURE")),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        # The cookie's expiry slides with the server-side session's: it is signed and sent again when
        # a request notes the session's activity (every few minutes, accounts.views), not on every
        # response (Flask's default re-signs, compresses and sends it each time).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Rate limits (Redis storage whenever a Redis is configured, so limits hold across workers).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or redis_url or "memory://",
        # Redis down must not lock people out: each process counts in memory until Redis answers again
        # (Flask-Limiter logs the switch both ways), and gives up on an unreachable Redis quickly.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "partnership-hub"),
        "LOGIN_LIMIT_PER_IP": env.get("LOGIN_LIMIT_PER_IP", "20 per 10 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 10 minutes"),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
        "PROXY_HOPS": _hop_count(env.get("PROXY_HOPS", "")),
        # Argon2id cost; empty means argon2-cffi's RFC 9106 defaults. Only tests lower it.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "0")) or None,
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", "0")) or None,
        "ARGON2_PARALLELISM": int(env.get("ARGON2_PARALLELISM", "0")) or None,
        # Token lifetimes.
        "INVITATION_TTL": timedelta(days=int(env.get("INVITATION_TTL_DAYS", "7"))),
        "RESET_TTL": timedelta(hours=1),
        "VERIFY_TTL": timedelta(days=3),
        "OUTBOX_SWEEP_AFTER": timedelta(minutes=2),
        "OUTBOX_RETRY_BASE": 30,  # seconds; retries after base * 2**(n-1), at most an hour
        "OUTBOX_MAX_ATTEMPTS": 8,
        # A row marked in flight (``sending_at``) whose worker died is sent again only after this long,
        # well past MAIL_TIMEOUT, so a slow but live SMTP transaction is never raced by the sweep.
        "OUTBOX_IN_FLIGHT_GRACE": timedelta(minutes=10),
        # Retention (notifications/retention.py): sent, failed and superseded mail, and read and unread
        # notification centre entries, are deleted after this many days — never before the planners are done
        # asking about them (``retention.LOOKBACK``, up to four months for some kinds).
        "OUTBOX_RETENTION_DAYS": int(env.get("OUTBOX_RETENTION_DAYS", "30")),
        "NOTIFICATIONS_READ_RETENTION_DAYS": int(env.get("NOTIFICATIONS_READ_RETENTION_DAYS", "90")),
        "NOTIFICATIONS_UNREAD_RETENTION_DAYS": int(env.get("NOTIFICATIONS_UNREAD_RETENTION_DAYS", "365")),
    }
