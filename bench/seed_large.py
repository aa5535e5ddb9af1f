"""Seed the benchmark database: the demo partnership, copies of it, and one partnership grown large.

Everything is written as the schema owner in bulk — lists of dicts on the models' tables
(``db.metadata.tables``), written with PostgreSQL's COPY and the columns' own defaults — never one
service call per row:

1. the real demo seed (``partnership_hub.demo.seed``, the ``flask seed-demo`` data) runs once,
   with cheap Argon2 — it is the one partnership built through the services — and gets the few
   records a measured page needs that the demo lacks (``_complete_demo``: a guidelines draft, an
   assessment round in progress, a board discussion by the board's chair);
2. its rows (the partnership, its people and every tenant table) are copied ``small_count - 1``
   times into small partnerships the size of the demo, and once more into the large one. A copy
   shifts every primary key, every foreign key into a copied table and the few id columns that
   have no foreign key (``ID_REFERENCES``) by the same offset, and rewrites the unique strings
   (``UNIQUE_REWRITES``); a unique column the copy does not know about stops the seed, so a schema
   change cannot silently produce a wrong copy;
3. the large partnership then grows: members with accounts, pending invitations, organizations,
   goals with objectives and progress updates, action items and audit entries.

All accounts end up with one precomputed Argon2 hash (the app's default cost) of ``PASSWORD``.
"""

from __future__ import annotations

import enum
import hashlib
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Engine, Integer, Table, UniqueConstraint, func, select, text

PASSWORD = "demo-partnership-2026"  # noqa: S105 - the published demo password (partnership_hub.demo)
LARGE_SLUG = "large"
# A demo copy grown just enough that every list fills its first page (25 goals, 50 people, ...): the
# benchmark compares a page that misses large/small against it, to tell what the partnership's size
# costs from what a fuller page costs (the demo shows 7 goals where the large partnership shows 25).
FULL_PAGE_SLUG = "fullpage"
FULL_PAGE_SCALE = 0.0125
BOARD_CHAIR = "amara.okafor"  # the demo board's chair (email local part); bench/pages.py measures the board as them

# Id columns that point at another record without a foreign key: shifted with the copy.
ID_REFERENCES = {
    "audit_entries": {"target_id"},
    "confidential_grants": {"record_id"},
    "access_log": {"record_id"},
}

# The large partnership at full size (``scale`` multiplies every count).
FULL_SIZE = {
    "members": 10_000,
    "invitations": 10_000,
    "organizations": 2_000,
    "goals": 2_000,
    "objectives_per_goal": 10,
    "updates_per_objective": 20,
    "action_items": 20_000,
    "audit_entries": 50_000,
    "meetings": 5_000,
    "funding_opportunities": 5_000,
    "inkind_offers": 2_000,
    "inkind_needs": 1_000,
    "awareness_days": 200,
    "notifications": 100_000,  # centre entries: a tenth the measured coordinator's, the rest everyone else's
}
AGENDA_ITEMS_PER_MEETING = 10  # fixed at every scale, like the objectives per goal
INVITEES_PER_MEETING = 5


@dataclass(frozen=True)
class Seeded:
    """What the benchmark needs to know about the seeded data."""

    small_slug: str
    small_coordinator: str
    large_slug: str
    large_coordinator: str
    full_page_slug: str
    full_page_coordinator: str
    password: str
    partnerships: int
    rows: dict[str, int]
    seconds: float


def _unique_email(email: str, tag: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local}@{tag}.{domain}"


# (table, column) -> how a copy rewrites a unique value, given the copy's tag ("p17", "large").
UNIQUE_REWRITES: dict[tuple[str, str], Callable[[Any, str], Any]] = {
    ("users", "email"): _unique_email,
    ("partnerships", "slug"): lambda value, tag: tag if tag in (LARGE_SLUG, FULL_PAGE_SLUG) else f"{value}-{tag}",
    ("invitations", "token_hash"): lambda value, tag: hashlib.sha256(f"{tag}:{value}".encode()).hexdigest(),
    ("calendar_feeds", "token_hash"): lambda value, tag: hashlib.sha256(f"{tag}:{value}".encode()).hexdigest(),
}


def seed(owner_url: str, *, small_count: int, scale: float, log: Callable[[str], None] = print) -> Seeded:
    """Seed ``small_count`` demo-sized partnerships and one large one (``scale`` × FULL_SIZE)."""
    from argon2 import PasswordHasher
    from sqlalchemy import create_engine

    started = time.perf_counter()
    demo_id = _seed_demo(owner_url, log)
    log(f"  demo partnership seeded through the services ({time.perf_counter() - started:.1f}s)")

    engine = create_engine(owner_url)
    try:
        tables = _tables()
        copy = _Copier(engine, tables, demo_id)
        log(f"  demo shape: {sum(len(r) for r in copy.rows.values())} rows in {len(copy.rows)} tables")
        copies = [f"p{k}" for k in range(1, small_count)] + [LARGE_SLUG, FULL_PAGE_SLUG]
        for start in range(0, len(copies), 100):
            copy.write(engine, copies[start : start + 100], first_index=start + 1)
        log(f"  {small_count - 1} copies of the demo + the large base written ({time.perf_counter() - started:.1f}s)")

        large_id, large_coordinator = copy.partnership_of(LARGE_SLUG)
        _grow(engine, tables, large_id, scale, log)
        full_page_id, full_page_coordinator = copy.partnership_of(FULL_PAGE_SLUG)
        _grow(engine, tables, full_page_id, FULL_PAGE_SCALE, log, tag=FULL_PAGE_SLUG)
        password_hash = PasswordHasher().hash(PASSWORD)
        with engine.begin() as conn:
            conn.execute(tables["users"].update().values(password_hash=password_hash))
            _reset_sequences(conn, tables)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            rows = {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in sorted(tables.items())
            }
            small_slug = f"{_demo_slug(conn, demo_id)}-p{max(1, small_count // 2)}" if small_count > 1 else None
            small_slug = small_slug or _demo_slug(conn, demo_id)
            small_coordinator = _coordinator_email(conn, tables, small_slug)
    finally:
        engine.dispose()
    return Seeded(
        small_slug=small_slug,
        small_coordinator=small_coordinator,
        large_slug=LARGE_SLUG,
        large_coordinator=large_coordinator,
        full_page_slug=FULL_PAGE_SLUG,
        full_page_coordinator=full_page_coordinator,
        password=PASSWORD,
        partnerships=small_count + 2,
        rows=rows,
        seconds=time.perf_counter() - started,
    )


# --- the demo seed -------------------------------------------------------------------------------


def _seed_demo(owner_url: str, log: Callable[[str], None]) -> int:
    """Run ``flask seed-demo``'s seed as the owner with cheap hashing; return the partnership id."""
    from partnership_hub import create_app
    from partnership_hub.config import load_config
    from partnership_hub.extensions import db
    from partnership_hub.workspaces.models import Partnership

    config = load_config({"DATABASE_URL": owner_url, "APP_ENV": "development"})
    config.update(
        ARGON2_TIME_COST=1,
        ARGON2_MEMORY_COST=64,
        TASKS_EAGER=True,
        MAIL_BACKEND="outbox",
        RATELIMIT_ENABLED=False,
        SQLALCHEMY_ENGINE_OPTIONS={},
    )
    app = create_app(config)
    with app.app_context():
        from partnership_hub.demo import seed as demo_seed

        try:
            demo_seed()
        except Exception as exc:  # an area being refactored right now must not stop the benchmark
            db.session.rollback()
            log(f"  WARNING: flask seed-demo failed ({type(exc).__name__}: {exc}); seeding area by area instead")
            _seed_demo_tolerant(log)
        demo_id = db.session.scalars(select(Partnership.id).where(Partnership.slug == "front-range")).one()
        _complete_demo(demo_id, log)
        db.session.remove()
        db.engine.dispose()
    return demo_id


def _complete_demo(demo_id: int, log: Callable[[str], None]) -> None:
    """What the demo leaves out that a measured page needs, added through the services so every copy of
    the demo gets it with the rest of its rows: a draft of the governance guidelines (the demo publishes
    both its versions; the draft page opens only on a draft), a round of the trauma-informed assessment
    in progress (the area page opens only on one) and a board discussion started by the board's chair
    (a thread's edit page is its author's; the bench measures the board's pages as the chair)."""
    from partnership_hub import demo
    from partnership_hub.accounts.models import User
    from partnership_hub.advisory import assessment, restricted
    from partnership_hub.context import context_for
    from partnership_hub.extensions import db
    from partnership_hub.governance import guidelines

    def user_id(local: str) -> int:
        return db.session.scalars(select(User.id).where(User.email == f"{local}@{demo.DEMO_DOMAIN}")).one()

    additions = [
        ("a guidelines draft", "coordinator", lambda ctx: guidelines.start_draft(ctx, "guidelines")),
        (
            "an assessment round in progress",
            BOARD_CHAIR,
            lambda ctx: assessment.start_assessment(ctx, assessment.StartData(title="Bench round")),
        ),
        (
            "a board discussion by the chair",
            BOARD_CHAIR,
            lambda ctx: restricted.create_thread(
                ctx, {"title": "Agenda ideas for the spring", "body": "What should the board take up next?"}
            ),
        ),
    ]
    for what, local, add in additions:
        try:
            with db.session.begin_nested():
                add(context_for(demo_id, user_id(local)))
        except Exception as exc:  # an area being refactored right now must not stop the benchmark
            log(f"  WARNING: no {what} ({type(exc).__name__}: {exc}); its page is not measured")
    db.session.commit()


def _seed_demo_tolerant(log: Callable[[str], None]) -> None:
    """``partnership_hub.demo.seed`` with each area's demo data in a savepoint: an area whose demo
    fails is skipped (and reported), so its pages show up as having no records."""
    from partnership_hub import areas, demo
    from partnership_hub.accounts import services as accounts
    from partnership_hub.db import bind_tenant
    from partnership_hub.extensions import db
    from partnership_hub.workspaces import services as workspaces
    from partnership_hub.workspaces.models import Membership, Role

    users = {
        local: accounts.create_user(name, f"{local}@{demo.DEMO_DOMAIN}", demo.DEMO_PASSWORD, verified=True)
        for name, local, _role in demo.PEOPLE
    }
    ctx = workspaces.create_partnership(users["coordinator"], demo.DEMO_PARTNERSHIP, time_zone="America/Denver")
    ctx.partnership.slug = "front-range"
    db.session.flush()
    bind_tenant(db.session, ctx.partnership.id, users["coordinator"].id)
    for _name, local, role in demo.PEOPLE[1:]:
        db.session.add(Membership(user_id=users[local].id, role=role))
    db.session.flush()
    workspaces.invite(ctx, "outreach@streetshope.example.org", Role.MEMBER)
    workspaces.invite(ctx, "caseworker@cdle.example.gov", Role.MEMBER)
    for area in areas.installed():
        if not area.demo:
            continue
        try:
            with db.session.begin_nested():
                areas.resolve(area.demo)(ctx, users)
        except Exception as exc:
            log(f"  WARNING: the {area.name} area's demo data failed and is left out: {type(exc).__name__}: {exc}")
    db.session.commit()


def _tables() -> dict[str, Table]:
    from partnership_hub.extensions import db

    return dict(db.metadata.tables)


def _is_tenant(table: Table) -> bool:
    column = table.columns.get("partnership_id")
    return column is not None and not column.nullable


def _demo_slug(conn, demo_id: int) -> str:
    return conn.execute(text("SELECT slug FROM partnerships WHERE id = :id"), {"id": demo_id}).scalar_one()


def _coordinator_email(conn, tables: dict[str, Table], slug: str) -> str:
    users, memberships, partnerships = tables["users"], tables["memberships"], tables["partnerships"]
    return conn.execute(
        select(users.c.email)
        .join(memberships, memberships.c.user_id == users.c.id)
        .join(partnerships, partnerships.c.id == memberships.c.partnership_id)
        .where(partnerships.c.slug == slug, users.c.email.like("coordinator@%"))
    ).scalar_one()


# --- copying the demo ----------------------------------------------------------------------------


class _Copier:
    """The demo partnership's rows, and how to write shifted copies of them."""

    def __init__(self, engine: Engine, tables: dict[str, Table], demo_id: int) -> None:
        from partnership_hub.extensions import db

        ordered = [t for t in db.metadata.sorted_tables if t.name in ("users", "partnerships") or _is_tenant(t)]
        self.tables = ordered
        names = {t.name for t in ordered}
        self.shift: dict[str, set[str]] = {}
        for table in ordered:
            shifted = set(ID_REFERENCES.get(table.name, ()))
            for column in table.columns:
                if column.primary_key and isinstance(column.type, Integer):
                    shifted.add(column.name)
                if any(fk.column.table.name in names for fk in column.foreign_keys):
                    shifted.add(column.name)
            self.shift[table.name] = shifted
            self._check_unique(table, shifted)

        self.rows: dict[str, list[dict[str, Any]]] = {}
        with engine.connect() as conn:
            for table in ordered:
                if table.name == "users":
                    members = select(tables["memberships"].c.user_id).where(
                        tables["memberships"].c.partnership_id == demo_id
                    )
                    stmt = select(table).where(table.c.id.in_(members))
                elif table.name == "partnerships":
                    stmt = select(table).where(table.c.id == demo_id)
                else:
                    stmt = select(table).where(table.c.partnership_id == demo_id)
                rows = [dict(r._mapping) for r in conn.execute(stmt.order_by(*table.primary_key.columns))]
                if rows:
                    self.rows[table.name] = rows
            top = max(
                conn.execute(select(func.max(t.c.id))).scalar() or 0
                for t in ordered
                if "id" in t.columns and t.c.id.type.python_type is int
            )
        # One offset for every table keeps each copy's ids in step with the demo's.
        self.stride = (top // 1000 + 1) * 1000
        self.ids: dict[str, tuple[int, int]] = {}  # tag -> (partnership id, index)

    def _check_unique(self, table: Table, shifted: set[str]) -> None:
        groups: list[set[str]] = [{c.name} for c in table.columns if c.unique]
        groups += [{c.name for c in k.columns} for k in table.constraints if isinstance(k, UniqueConstraint)]
        groups += [{c.name for c in i.columns} for i in table.indexes if i.unique]
        for group in groups:
            if "partnership_id" in group or group & shifted:  # a shifted id makes each copy distinct
                continue
            if not any((table.name, name) in UNIQUE_REWRITES for name in group):
                raise SystemExit(
                    f"bench seed: {table.name}({', '.join(sorted(group))}) is unique and the demo copy does not "
                    "know how to rewrite it: add it to UNIQUE_REWRITES in bench/seed_large.py"
                )

    def write(self, engine: Engine, tags: list[str], first_index: int) -> None:
        """Write one copy of the demo per tag (copy number ``first_index`` onwards)."""
        with engine.begin() as conn:
            for table in self.tables:
                source = self.rows.get(table.name)
                if not source:
                    continue
                batch = []
                for n, tag in enumerate(tags):
                    offset = (first_index + n) * self.stride
                    for row in source:
                        batch.append(self._copy(table.name, row, offset, tag))
                _insert(conn, table, batch)
        for n, tag in enumerate(tags):
            self.ids[tag] = (self.rows["partnerships"][0]["id"] + (first_index + n) * self.stride, first_index + n)

    def _copy(self, name: str, row: dict[str, Any], offset: int, tag: str) -> dict[str, Any]:
        new = dict(row)
        for column in self.shift[name]:
            # 0 is never a record's id: it names a partnership-wide target (the advisory board's grants and
            # its restricted area's audit entries), the same in every copy.
            if new[column] is not None and new[column] != 0:
                new[column] += offset
        for (table, column), rewrite in UNIQUE_REWRITES.items():
            if table == name and new.get(column) is not None:
                new[column] = rewrite(new[column], tag)
        if name == "partnerships":
            new["name"] = f"{row['name']} ({tag})"
        if isinstance(new.get("id"), uuid.UUID):  # random keys (check-in responses): a fresh one per copy
            new["id"] = uuid.uuid4()
        return new

    def partnership_of(self, tag: str) -> tuple[int, str]:
        """The copy's partnership id and its coordinator's email."""
        partnership_id, _index = self.ids[tag]
        coordinator = next(u for u in self.rows["users"] if u["email"].startswith("coordinator@"))
        return partnership_id, _unique_email(coordinator["email"], tag)


# --- growing the large partnership ---------------------------------------------------------------


def board_starts_to_fill(meetings: list[dict[str, Any]], now: datetime) -> list[datetime]:
    """When the board meetings start that the full-page copy adds to ``meetings``, so that the board's list
    (upcoming soonest first, then past ones latest first, one walk each: ``meetings.meeting_list``) reads
    and shows what the large partnership's first page does: a page of upcoming ones with more behind it,
    and a page's worth of past ones. At the full-page scale the kinds drawn give it two or so (the large
    partnership has about 500). Weekly, from a week away in both directions."""
    from partnership_hub.advisory.restricted import PAGE_SIZE

    board = [m["starts_at"] for m in meetings if m["kind"] == "advisory_board"]
    upcoming = PAGE_SIZE + 1 - sum(start >= now for start in board)
    past = PAGE_SIZE - sum(start < now for start in board)
    at = now.replace(hour=17, minute=30, second=0, microsecond=0)
    return [at + timedelta(weeks=week) for week in range(1, upcoming + 1)] + [
        at - timedelta(weeks=week) for week in range(1, past + 1)
    ]


def full_page_advisors(people: int) -> int:
    """How many of the full-page copy's people are survivor advisors (the first ones it adds). Its usual 2 %
    (two or three) left advisor compensation's list of the people who can be paid nearly empty, where the
    large partnership's ~200 fill its ``PEOPLE_LIMIT``; the copy fills it too."""
    from partnership_hub.advisory.compensation import PEOPLE_LIMIT

    return min(people, PEOPLE_LIMIT)


def full_page_opportunities(share: int) -> int:
    """How many funding opportunities the full-page copy gets. Its 1.25 % share (62) left each column of the
    pipeline's board short of the ``COLUMN_CARDS`` cards it shows, so the board compared the large
    partnership's full columns with part-filled ones; it gets enough to fill every status column (``_grow``
    deals the statuses out in turn)."""
    from partnership_hub.funding.pipeline import COLUMN_CARDS
    from partnership_hub.funding.pipeline_models import FundingStatus

    return max(share, len(FundingStatus) * COLUMN_CARDS)


def full_page_day_numbers(month: int) -> list[int]:
    """Which of the large partnership's own awareness days (numbered as ``_grow`` writes them: day ``n`` falls
    in month ``n % 12 + 1``) the full-page copy gets. Its 1.25 % share would be two days, in January and
    February, so the year calendar (which opens on this month) compared the large partnership's full month
    with an empty one, and the days' other lists a page with two rows. It gets every day the large
    partnership has in ``month`` (the calendar shows the same month, day for day) and then the first of
    the others, up to a page of the longest awareness list: the coming days, the own days and the
    campaign plans (each day has one) fill their first page too."""
    from partnership_hub.awareness.campaigns import PLANS_PAGE_SIZE
    from partnership_hub.awareness.queries import COMING_PAGE_SIZE, MONTH_PAGE_SIZE, OWN_PAGE_SIZE

    large = range(FULL_SIZE["awareness_days"])
    in_month = [n for n in large if n % 12 + 1 == month]
    wanted = max(PLANS_PAGE_SIZE, COMING_PAGE_SIZE, MONTH_PAGE_SIZE, OWN_PAGE_SIZE, len(in_month))
    return in_month + [n for n in large if n % 12 + 1 != month][: wanted - len(in_month)]


class _Ids:
    """Hands out explicit primary keys (so rows can point at each other before they are written)."""

    def __init__(self, conn, tables: dict[str, Table]) -> None:
        self.next = {
            name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
            for name, t in tables.items()
            if "id" in t.columns and t.c.id.type.python_type is int  # not the check-ins' random UUID keys
        }

    def take(self, table: str, count: int) -> list[int]:
        start = self.next[table]
        self.next[table] = start + count
        return list(range(start, start + count))


def _insert(conn, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` (dicts with the same keys) with PostgreSQL's COPY, in the caller's
    transaction. The columns' Python-side defaults are applied here, as ``insert()`` would."""
    from psycopg.types.json import Json

    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    given = set(first)
    columns = [c for c in table.columns if c.name in given or c.default is not None or c.server_default is None]
    defaults = {}
    for column in columns:
        if column.name in given or column.default is None:
            continue
        default = column.default
        defaults[column.name] = (lambda d=default: d.arg(None)) if default.is_callable else (lambda d=default: d.arg)
    json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
    names = ", ".join(conn.dialect.identifier_preparer.quote(c.name) for c in columns)
    written = 0
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in itertools.chain((first,), iterator):
            values = []
            for column in columns:
                name = column.name
                value = row[name] if name in row else defaults[name]() if name in defaults else None
                if isinstance(value, enum.Enum):
                    value = value.value
                elif name in json_columns and value is not None:
                    value = Json(value)
                values.append(value)
            copy.write_row(values)
            written += 1
    return written


def _grow(
    engine: Engine, tables: dict[str, Table], pid: int, scale: float, log: Callable[[str], None], tag: str = "large"
) -> None:
    """Add the bulk of the large partnership on top of its demo copy (``tag`` keeps emails unique)."""
    from partnership_hub import toolkit
    from partnership_hub.funding.pipeline_models import FundingStatus

    size = {
        k: v if k.endswith("_per_goal") or k.endswith("_per_objective") else max(1, int(v * scale))
        for k, v in FULL_SIZE.items()
    }
    rng = random.Random(8)  # noqa: S311 - reproducible data, not security
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    t = tables
    started = time.perf_counter()
    with engine.begin() as conn:
        ids = _Ids(conn, tables)
        coordinator_user, coordinator_membership = conn.execute(
            select(t["memberships"].c.user_id, t["memberships"].c.id)
            .join(t["users"], t["users"].c.id == t["memberships"].c.user_id)
            .where(t["memberships"].c.partnership_id == pid, t["users"].c.email.like("coordinator@%"))
        ).one()

        # People: accounts and memberships (mostly members; some observers and advisors).
        user_ids = ids.take("users", size["members"])
        member_ids = ids.take("memberships", size["members"])
        _insert(
            conn,
            t["users"],
            (
                {
                    "id": uid,
                    "email": f"member{n:05d}@{tag}.bench.example.org",
                    "name": f"Member {n:05d} {rng.choice(('Ortega', 'Raman', 'Bell', 'Okafor', 'Cho', 'Nguyen'))}",
                    "password_hash": "x",
                    "email_verified_at": now - timedelta(days=rng.randint(1, 700)),
                    "created_at": now - timedelta(days=rng.randint(1, 700)),
                }
                for n, uid in enumerate(user_ids)
            ),
        )
        roles = ["member"] * 94 + ["observer"] * 4 + ["survivor_advisor"] * 2
        advisors_first = full_page_advisors(len(member_ids)) if tag == FULL_PAGE_SLUG else 0
        _insert(
            conn,
            t["memberships"],
            (
                {
                    "id": mid,
                    "partnership_id": pid,
                    "user_id": uid,
                    "role": "survivor_advisor" if n < advisors_first else rng.choice(roles),
                    "on_planning_team": n % 50 == 0,
                    "directory_editor": n % 200 == 0,
                    "created_at": now - timedelta(days=rng.randint(1, 700)),
                }
                for n, (mid, uid) in enumerate(zip(member_ids, user_ids, strict=True))
            ),
        )
        _insert(
            conn,
            t["invitations"],
            (
                {
                    "id": iid,
                    "partnership_id": pid,
                    "email": f"invitee{n:05d}@{tag}.bench.example.org",
                    "role": "member",
                    "token_hash": hashlib.sha256(f"{tag}-invitation-{n}".encode()).hexdigest(),
                    "invited_by_id": coordinator_user,
                    "expires_at": now + timedelta(days=rng.randint(1, 7)),
                    "send_count": 1,
                    "last_sent_at": now - timedelta(days=rng.randint(0, 6)),
                    "created_at": now - timedelta(days=rng.randint(0, 6)),
                }
                for n, iid in enumerate(ids.take("invitations", size["invitations"]))
            ),
        )
        log(
            f"  large: {size['members']} members, {size['invitations']} invitations "
            f"({time.perf_counter() - started:.1f}s)"
        )

        # Organizations, each in one toolkit sector with one member as representative.
        org_ids = ids.take("organizations", size["organizations"])
        sectors = [s.key for s in toolkit.SECTORS]
        _insert(
            conn,
            t["organizations"],
            (
                {
                    "id": oid,
                    "partnership_id": pid,
                    "name": f"Bench Organization {n:05d}",
                    "name_key": f"bench organization {n:05d}",
                    "service_area": "Front Range",
                    "prevention": n % 2 == 0,
                    "protection": n % 3 == 0,
                    "prosecution": n % 5 == 0,
                    "partnership": n % 7 == 0,
                    "archived_at": now - timedelta(days=3) if n % 20 == 0 else None,
                    "created_at": now - timedelta(days=rng.randint(1, 700)),
                    "updated_at": now - timedelta(days=rng.randint(0, 100)),
                }
                for n, oid in enumerate(org_ids)
            ),
        )
        _insert(
            conn,
            t["organization_sectors"],
            (
                {"id": sid, "partnership_id": pid, "organization_id": oid, "sector_key": sectors[n % len(sectors)]}
                for n, (sid, oid) in enumerate(
                    zip(ids.take("organization_sectors", len(org_ids)), org_ids, strict=True)
                )
            ),
        )
        _insert(
            conn,
            t["representatives"],
            (
                {"id": rid, "partnership_id": pid, "organization_id": oid, "membership_id": member_ids[n * 3]}
                for n, (rid, oid) in enumerate(zip(ids.take("representatives", len(org_ids)), org_ids, strict=True))
                if n * 3 < len(member_ids)
            ),
        )

        # Goals, objectives and their progress history.
        goal_ids = ids.take("goals", size["goals"])
        statuses = ["active"] * 10 + ["proposed"] * 4 + ["on_hold"] * 2 + ["achieved"] * 3 + ["dropped"]
        levels = ["workspace"] * 85 + ["leadership"] * 10 + ["advisory"] * 3 + ["private"] * 2
        goals = []
        for n, gid in enumerate(goal_ids):
            start = today - timedelta(days=rng.randint(30, 600))
            goals.append(
                {
                    "id": gid,
                    "partnership_id": pid,
                    "title": f"Bench goal {n:05d}: reach more survivors in region {n % 40}",
                    "description": "A goal the benchmark seeded.",
                    "horizon": ("short", "medium", "long")[n % 3],
                    "ps": [("prevention", "protection", "prosecution", "partnership")[n % 4]],
                    "status": rng.choice(statuses),
                    "confidentiality": rng.choice(levels),
                    "owner_membership_id": rng.choice(member_ids),
                    "author_membership_id": coordinator_membership if n % 3 else rng.choice(member_ids),
                    "start_date": start,
                    "target_date": start + timedelta(days=rng.randint(60, 900)),
                    "created_at": datetime.combine(start, datetime.min.time(), UTC),
                    "updated_at": now - timedelta(days=rng.randint(0, 90)),
                }
            )
        per_goal, per_objective = size["objectives_per_goal"], size["updates_per_objective"]
        objective_ids = ids.take("objectives", len(goal_ids) * per_goal)
        update_ids = iter(ids.take("progress_updates", len(objective_ids) * per_objective))
        objectives, updates = [], []
        for n, oid in enumerate(objective_ids):
            goal = goals[n // per_goal]
            stalled = n % 10 == 0  # a tenth of the objectives have had no update for months
            last_day = today - timedelta(days=rng.randint(60, 120) if stalled else rng.randint(0, 20))
            values = sorted(rng.uniform(0, 180) for _ in range(per_objective))
            for u, value in enumerate(values):
                day = last_day - timedelta(days=15 * (per_objective - 1 - u))
                updates.append(
                    {
                        "id": next(update_ids),
                        "partnership_id": pid,
                        "objective_id": oid,
                        "value": round(value, 1),
                        "note": "" if u % 4 else "Monthly count from the intake forms",
                        "recorded_on": day,
                        "author_membership_id": goal["owner_membership_id"],
                        "created_at": datetime.combine(day, datetime.min.time(), UTC),
                    }
                )
            objectives.append(
                {
                    "id": oid,
                    "partnership_id": pid,
                    "goal_id": goal["id"],
                    "title": f"Objective {n % per_goal + 1} of goal {n // per_goal:05d}",
                    "metric": "People reached",
                    "unit": "people",
                    "baseline": 0.0,
                    "target": 200.0,
                    "current_value": round(values[-1], 1),
                    "due_date": today + timedelta(days=rng.randint(-60, 400)),
                    "owner_membership_id": rng.choice(member_ids),
                    "position": n % per_goal,
                    "last_update_at": datetime.combine(last_day, datetime.min.time(), UTC),
                    "created_at": goal["created_at"],
                }
            )
        # A goal's stored last activity (goals.last_activity_at, as the services keep it): its last
        # post, else the first moment of its start date (every seeded goal has posts).
        last_post: dict[int, datetime] = {}
        for objective in objectives:
            at = objective["last_update_at"]
            last_post[objective["goal_id"]] = max(at, last_post.get(objective["goal_id"], at))
        for goal in goals:
            goal["last_activity_at"] = last_post.get(goal["id"], goal["created_at"])
        _insert(conn, t["goals"], goals)
        _insert(
            conn,
            t["goal_lead_organizations"],
            (
                {"id": lid, "partnership_id": pid, "goal_id": gid, "organization_id": org_ids[n % len(org_ids)]}
                for n, (lid, gid) in enumerate(
                    zip(ids.take("goal_lead_organizations", len(goal_ids)), goal_ids, strict=True)
                )
            ),
        )
        _insert(conn, t["objectives"], objectives)
        # Fresh statistics before the biggest insert: with the planner still believing the parent
        # tables are tiny, each foreign-key check scans them and the seed turns quadratic.
        conn.execute(text("ANALYZE memberships, goals, objectives"))
        _insert(conn, t["progress_updates"], updates)
        log(
            f"  large: {len(goal_ids)} goals, {len(objectives)} objectives, {len(updates)} progress updates "
            f"({time.perf_counter() - started:.1f}s)"
        )

        # The action plan: some items under a goal or an objective, most assigned.
        action_statuses = ["open"] * 8 + ["in_progress"] * 5 + ["done"] * 6 + ["cancelled"]
        actions = []
        for aid in ids.take("action_items", size["action_items"]):
            status = rng.choice(action_statuses)
            link = rng.random()
            objective = rng.randrange(len(objectives))
            actions.append(
                {
                    "id": aid,
                    "partnership_id": pid,
                    "title": f"Bench action {aid}: follow up with the referral partners",
                    "description": "",
                    "goal_id": objectives[objective]["goal_id"] if link < 0.5 else None,
                    "objective_id": objectives[objective]["id"] if link < 0.2 else None,
                    "assignee_membership_id": rng.choice(member_ids) if rng.random() < 0.9 else None,
                    "due_date": today + timedelta(days=rng.randint(-60, 120)) if rng.random() < 0.8 else None,
                    "status": status,
                    "completed_at": now - timedelta(days=rng.randint(0, 60)) if status == "done" else None,
                    "created_by_membership_id": coordinator_membership,
                    "created_at": now - timedelta(days=rng.randint(1, 300)),
                    "updated_at": now - timedelta(days=rng.randint(0, 30)),
                }
            )
        conn.execute(text("ANALYZE progress_updates"))
        _insert(conn, t["action_items"], actions)

        # Meetings: one-offs over the past years and the coming months, some for the advisory board.
        kinds = ["full_partnership"] * 4 + ["planning_team"] * 3 + ["committee"] * 2 + ["advisory_board"]
        meetings = []
        for n, mid in enumerate(ids.take("meetings", size["meetings"])):
            kind = rng.choice(kinds)
            starts = now.replace(minute=0, second=0) + timedelta(days=n - size["meetings"] * 9 // 10, hours=n % 8)
            meetings.append(
                {
                    "id": mid,
                    "partnership_id": pid,
                    "title": f"Bench meeting {mid}",
                    "kind": kind,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(minutes=90),
                    "time_zone": "America/Denver",
                    "location": "Community room",
                    "online_url": "",
                    "facilitator_membership_id": rng.choice(member_ids),
                    "status": "cancelled" if rng.random() < 0.05 else "scheduled",
                    "sequence": 0,
                    "version": 1,
                    "invite_scope": "all",
                    "minutes_md": "",
                    "confidentiality": "advisory" if kind == "advisory_board" else "workspace",
                    "author_membership_id": coordinator_membership,
                    "created_at": starts - timedelta(days=30),
                    "updated_at": starts - timedelta(days=30),
                }
            )
        _insert(conn, t["meetings"], meetings)

        # Each meeting's agenda (AGENDA_ITEMS_PER_MEETING items: 50,000 at full size), a few invitees
        # with their RSVP (attendance recorded once the meeting is over) and a decision at past ones.
        agenda, invitees, decisions = [], [], []
        item_ids = iter(ids.take("agenda_items", len(meetings) * AGENDA_ITEMS_PER_MEETING))
        invitee_ids = iter(ids.take("meeting_invitees", len(meetings) * INVITEES_PER_MEETING))
        decision_ids = iter(ids.take("decisions", len(meetings)))
        for meeting in meetings:
            over = meeting["starts_at"] < now
            first_item = None
            for position in range(1, AGENDA_ITEMS_PER_MEETING + 1):
                item_id = next(item_ids)
                first_item = first_item or item_id
                agenda.append(
                    {
                        "id": item_id,
                        "partnership_id": pid,
                        "meeting_id": meeting["id"],
                        "position": position,
                        "title": f"Agenda item {position}: referral partners' update",
                        "kind": ("information", "discussion", "decision")[position % 3],
                        "presenter_membership_id": rng.choice(member_ids),
                        "minutes_allotted": 10,
                        "status": "accepted",
                        "outcome": "discussed" if over else None,
                        "minutes_md": "Discussed; see the decision log." if over else "",
                        "created_at": meeting["created_at"],
                        "updated_at": meeting["created_at"],
                    }
                )
            for membership_id in rng.sample(member_ids, min(INVITEES_PER_MEETING, len(member_ids))):
                invitees.append(
                    {
                        "id": next(invitee_ids),
                        "partnership_id": pid,
                        "meeting_id": meeting["id"],
                        "membership_id": membership_id,
                        "organization_id": rng.choice(org_ids) if over else None,
                        "rsvp": rng.choice(["yes", "no", "maybe", "none"]),
                        "attended": rng.random() < 0.7 if over else None,
                        "created_at": meeting["created_at"],
                        "updated_at": meeting["created_at"],
                    }
                )
            decision_id = next(decision_ids)
            if over:
                decisions.append(
                    {
                        "id": decision_id,
                        "partnership_id": pid,
                        "meeting_id": meeting["id"],
                        "agenda_item_id": first_item,
                        "text": "Agreed to share the referral contacts with every member organization.",
                        "recorded_by_membership_id": coordinator_membership,
                        "created_at": meeting["ends_at"],
                    }
                )
        conn.execute(text("ANALYZE meetings"))
        _insert(conn, t["agenda_items"], agenda)
        _insert(conn, t["meeting_invitees"], invitees)
        _insert(conn, t["decisions"], decisions)
        log(f"  large: {len(meetings)} meetings, {len(agenda)} agenda items, {len(invitees)} invitees")
        if tag == FULL_PAGE_SLUG:
            starts = board_starts_to_fill(meetings, now)
            _insert(
                conn,
                t["meetings"],
                (
                    {
                        "id": mid,
                        "partnership_id": pid,
                        "title": f"Bench meeting {mid}",
                        "kind": "advisory_board",
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=90),
                        "time_zone": "America/Denver",
                        "location": "Community room",
                        "online_url": "",
                        "status": "scheduled",
                        "sequence": 0,
                        "version": 1,
                        "invite_scope": "all",
                        "minutes_md": "",
                        "confidentiality": "advisory",
                        "author_membership_id": coordinator_membership,
                        "created_at": start - timedelta(days=30),
                        "updated_at": start - timedelta(days=30),
                    }
                    for mid, start in zip(ids.take("meetings", len(starts)), starts, strict=True)
                ),
            )
            log(f"  {tag}: {len(starts)} more board meetings, to fill the board's list")

        # The funding pipeline (issue #14): opportunities of every type and status over ten years, most
        # for everyone, some for coordinators only; each a goal it would fund.
        statuses = [status.value for status in FundingStatus]  # opportunity n gets statuses[n % 8]
        types = [choice.key for choice in toolkit.FUNDING_TYPES]
        opportunities = size["funding_opportunities"]
        if tag == FULL_PAGE_SLUG:
            opportunities = full_page_opportunities(opportunities)
        opportunity_ids = ids.take("funding_opportunities", opportunities)
        _insert(
            conn,
            t["funding_opportunities"],
            (
                {
                    "id": fid,
                    "partnership_id": pid,
                    "title": f"Opportunity {n:05d}",
                    "funder": f"Funder {n % 400:03d}",
                    "source_type": types[n % len(types)],
                    "status": statuses[n % len(statuses)],
                    "position": n,
                    "amount_asked": 1000 + (n * 37) % 250_000,
                    "amount_awarded": (1000 + (n * 37) % 250_000) // 2
                    if statuses[n % 8] in ("awarded", "reporting")
                    else None,
                    "currency": "USD",
                    "application_deadline": today + timedelta(days=(n % 730) - 365),
                    "report_deadline": today + timedelta(days=(n % 730) - 200) if n % 3 == 0 else None,
                    "fiscal_year": today.year - 5 + n % 10,
                    "lead_organization_id": org_ids[n % len(org_ids)],
                    "owner_membership_id": member_ids[n % len(member_ids)] if n % 5 else coordinator_membership,
                    "author_membership_id": coordinator_membership,
                    "notes": "",
                    "confidentiality": "leadership" if n % 10 == 0 else "workspace",
                    "created_at": now - timedelta(days=n % 900),
                    "updated_at": now - timedelta(days=n % 300),
                }
                for n, fid in enumerate(opportunity_ids)
            ),
        )
        goal_rows = (
            conn.execute(
                select(t["goals"].c.id).where(t["goals"].c.partnership_id == pid).order_by(t["goals"].c.id).limit(500)
            )
            .scalars()
            .all()
        )
        _insert(
            conn,
            t["funding_opportunity_goals"],
            (
                {"id": lid, "partnership_id": pid, "opportunity_id": fid, "goal_id": goal_rows[n % len(goal_rows)]}
                for n, (lid, fid) in enumerate(
                    zip(ids.take("funding_opportunity_goals", len(opportunity_ids)), opportunity_ids, strict=True)
                )
            ),
        )
        # Awareness days of its own (fixed dates and weekdays of months), each with a campaign plan this year.
        day_numbers = (
            full_page_day_numbers(today.month) if tag == FULL_PAGE_SLUG else list(range(size["awareness_days"]))
        )
        day_ids = ids.take("awareness_days", len(day_numbers))
        _insert(
            conn,
            t["awareness_days"],
            (
                {
                    "id": did,
                    "partnership_id": pid,
                    "name": f"Local day {n:03d}",
                    "description": "",
                    "kind": "fixed" if n % 2 else "nth_weekday",
                    "month": n % 12 + 1,
                    "day": n % 28 + 1 if n % 2 else None,
                    "weekday": None if n % 2 else n % 7,
                    "nth": None if n % 2 else n % 4 + 1,
                    "on_date": None,
                    "base_key": None,
                    "base_day_id": None,
                    "offset_days": 0,
                    "created_by_membership_id": coordinator_membership,
                    "created_at": now,
                }
                for n, did in zip(day_numbers, day_ids, strict=True)
            ),
        )
        _insert(
            conn,
            t["campaign_plans"],
            (
                {
                    "id": cid,
                    "partnership_id": pid,
                    "day_key": None,
                    "awareness_day_id": did,
                    "year": today.year,
                    "title": f"Campaign for local day {n:03d}",
                    "owner_membership_id": member_ids[k % len(member_ids)],
                    "funding_opportunity_id": opportunity_ids[k % len(opportunity_ids)],
                    "goal_text": "",
                    "outcome": "",
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for k, (n, cid, did) in enumerate(
                    zip(day_numbers, ids.take("campaign_plans", len(day_ids)), day_ids, strict=True)
                )
            ),
        )
        log(f"  large: {len(opportunity_ids)} funding opportunities, {len(day_ids)} awareness days and plans")

        # In-kind resources (issue #14): offers of every kind and status from organizations and members,
        # needs, and every fourth need matched to an offer.
        inkind_kinds = [choice.key for choice in toolkit.IN_KIND_TYPES]
        offer_statuses = ["available", "matched", "in_use", "used_up", "withdrawn"]
        offer_ids = ids.take("inkind_offers", size["inkind_offers"])
        _insert(
            conn,
            t["inkind_offers"],
            (
                {
                    "id": oid,
                    "partnership_id": pid,
                    "kind": inkind_kinds[n % len(inkind_kinds)],
                    "title": f"In-kind offer {n:05d}",
                    "description": "Offered to the partnership. " * 5,
                    "hours": n % 200 if n % 3 else None,
                    "quantity": "2 rooms, Tuesdays" if n % 2 else "",
                    "available_from": today - timedelta(days=n % 300),
                    "available_until": today + timedelta(days=n % 400) if n % 4 else None,
                    "status": offer_statuses[n % len(offer_statuses)],
                    "organization_id": org_ids[n % len(org_ids)] if n % 5 else None,
                    "used_by_organization_id": org_ids[(n + 7) % len(org_ids)] if n % 5 == 2 else None,
                    "offered_by_membership_id": member_ids[n % len(member_ids)],
                    "author_membership_id": member_ids[n % len(member_ids)] if n % 3 else coordinator_membership,
                    "created_at": now - timedelta(days=n % 700),
                    "updated_at": now - timedelta(days=n % 100),
                }
                for n, oid in enumerate(offer_ids)
            ),
        )
        need_statuses = ["open", "met", "closed"]
        need_ids = ids.take("inkind_needs", size["inkind_needs"])
        _insert(
            conn,
            t["inkind_needs"],
            (
                {
                    "id": nid,
                    "partnership_id": pid,
                    "title": f"In-kind need {n:05d}",
                    "details": "What the partnership needs. " * 5,
                    "kind": inkind_kinds[n % len(inkind_kinds)] if n % 4 else None,
                    "needed_by": today + timedelta(days=n % 120) if n % 2 else None,
                    "status": need_statuses[n % len(need_statuses)],
                    "posted_by_membership_id": member_ids[(n * 7) % len(member_ids)],
                    "created_at": now - timedelta(days=n % 500),
                    "updated_at": now - timedelta(days=n % 50),
                }
                for n, nid in enumerate(need_ids)
            ),
        )
        matched = [(offer_ids[n % len(offer_ids)], nid) for n, nid in enumerate(need_ids) if n % 4 == 0]
        _insert(
            conn,
            t["inkind_matches"],
            (
                {
                    "id": mid,
                    "partnership_id": pid,
                    "offer_id": oid,
                    "need_id": nid,
                    "note": "",
                    "matched_by_membership_id": coordinator_membership,
                    "created_at": now,
                }
                for mid, (oid, nid) in zip(ids.take("inkind_matches", len(matched)), matched, strict=True)
            ),
        )
        log(f"  large: {len(offer_ids)} in-kind offers, {len(need_ids)} needs, {len(matched)} matches")

        # The activity log: the demo's own kinds of entries, by many people, over a year.
        kinds = [
            (r.action, r.target_type, r.target_id, r.details)
            for r in conn.execute(
                select(
                    t["audit_entries"].c.action,
                    t["audit_entries"].c.target_type,
                    t["audit_entries"].c.target_id,
                    t["audit_entries"].c.details,
                ).where(t["audit_entries"].c.partnership_id == pid)
            )
        ]
        if not kinds:
            kinds = [("member.joined", "membership", coordinator_membership, {})]
        _insert(
            conn,
            t["audit_entries"],
            (
                {
                    "id": eid,
                    "partnership_id": pid,
                    "actor_id": rng.choice(user_ids),
                    "action": kind[0],
                    "target_type": kind[1],
                    "target_id": kind[2],
                    "details": kind[3],
                    "created_at": now - timedelta(seconds=rng.randint(60, 365 * 86400)),
                }
                for eid in ids.take("audit_entries", size["audit_entries"])
                for kind in (rng.choice(kinds),)
            ),
        )
        log(
            f"  large: {len(actions)} action items, {size['audit_entries']} audit entries "
            f"({time.perf_counter() - started:.1f}s)"
        )

        # The notification centre: the measured coordinator's entries (a third unread) among everyone's.
        _insert(
            conn,
            t["notifications"],
            (
                {
                    "id": nid,
                    "partnership_id": pid,
                    "membership_id": coordinator_membership if n % 10 == 0 else member_ids[n % len(member_ids)],
                    "kind": "agenda_published",
                    "title": f"The agenda of meeting {n} is published",
                    "url": "/",
                    "dedup_key": f"bench:{n}",
                    "created_at": now - timedelta(minutes=n),
                    "read_at": None if n % 3 == 0 else now,
                }
                for n, nid in enumerate(ids.take("notifications", size["notifications"]))
            ),
        )
        log(f"  large: {size['notifications']} notification centre entries")


def _reset_sequences(conn, tables: dict[str, Table]) -> None:
    """Explicit ids were written: move every id sequence past them."""
    for name, table in tables.items():
        if "id" not in table.columns or not isinstance(table.c.id.type, Integer):
            continue
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}).scalar()
        if sequence:
            conn.execute(
                text(f"SELECT setval(:s, GREATEST((SELECT max(id) FROM {table.name}), 1))"),  # noqa: S608 - our names
                {"s": sequence},
            )
