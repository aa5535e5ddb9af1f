"""Trust check-ins: a short anonymous pulse survey a coordinator opens for a period.

Everyone but observers answers once per check-in (1-5 on the toolkit's trust statements and an
optional comment). Who answered is kept apart from what was answered (see ``checkins_models``).

Results are aggregates only (mean, distribution and count per statement; the comments in random order,
apart from the scores) and are shown only for a check-in that has **closed** with at least its
``min_responses`` answers. Closed, not merely full: results that changed with every new answer would
let anyone who knows who answered last read that person's scores off the difference. Below the
minimum nothing is shown but the count, not even the comments.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, case, delete, exists, func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from partnership_hub import toolkit
from partnership_hub.areas import WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit.services import record as audit
from partnership_hub.confidentiality import VIEWER_ID, VIEWER_TODAY, SqlDate
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.governance.checkins_models import (
    QUESTION_KEYS,
    CheckinParticipation,
    CheckinResponse,
    TrustCheckin,
)
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import date_error, parse_date, parse_int

MIN_RESPONSES = 5  # the default; a coordinator may choose another for a check-in
MIN_RESPONSES_LOW, MIN_RESPONSES_HIGH = 3, 100
LONGEST_DAYS = 92  # a check-in is a pulse, not a standing survey
OPENS_WITHIN_DAYS = 365
DEFAULT_DAYS = 14
COMMENT_MAX = 1000
COMMENTS_SHOWN = 100  # the comments of one check-in are at most its members'; a cap all the same
PAST_PER_PAGE = 12  # past check-ins on a page (and points on the trend chart)
FACT_CAP = 100

QUESTIONS = toolkit.TRUST_CHECKIN_QUESTIONS
SCORES = tuple(range(1, 6))
SCORE_MESSAGE = "Choose an answer from 1 (strongly disagree) to 5 (strongly agree)."
ALREADY_ANSWERED = (
    "You have already answered this check-in. Answers are anonymous, so they cannot be changed or shown again."
)


# --- state ------------------------------------------------------------------------------------------


def is_finished(checkin: TrustCheckin, today: date) -> bool:
    """Closed early, or past its last day."""
    return checkin.closed_at is not None or checkin.closes_on < today


def is_open(checkin: TrustCheckin, today: date) -> bool:
    """Taking answers today."""
    return not is_finished(checkin, today) and checkin.opens_on <= today


def _unfinished(today: SqlDate) -> Any:
    return and_(TrustCheckin.closed_at.is_(None), TrustCheckin.closes_on >= today)


def _open_today(today: SqlDate) -> Any:
    return and_(_unfinished(today), TrustCheckin.opens_on <= today)


def status_label(checkin: TrustCheckin, today: date) -> str:
    if is_open(checkin, today):
        return "Open"
    if not is_finished(checkin, today):
        return "Scheduled"
    return "Closed"


def get_checkin(ctx: WorkspaceContext, checkin_id: object) -> TrustCheckin:
    """The partnership's check-in ``checkin_id`` (``NotFound`` otherwise)."""
    return get_scoped(db.session, TrustCheckin, checkin_id)


# --- opening and closing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinData:
    opens_on: object = ""
    closes_on: object = ""
    min_responses: object = MIN_RESPONSES


def _date(value: object, name: str, what: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ServiceError(f"Enter the {what}, like 2026-03-31.", name)
    parsed = parse_date(text)
    if parsed is None:
        raise ServiceError(date_error(text) or "Enter a date like 2026-03-31.", name)
    return parsed


def open_checkin(ctx: WorkspaceContext, data: CheckinData) -> TrustCheckin:
    """Open a check-in for ``opens_on``..``closes_on``; one at a time (scheduled or open)."""
    ctx.require("checkins.manage")
    today = ctx.today()
    opens_on = _date(data.opens_on, "opens_on", "first day")
    closes_on = _date(data.closes_on, "closes_on", "last day")
    if opens_on < today:
        raise ServiceError("A check-in cannot open in the past: choose today or a later day.", "opens_on")
    if opens_on > today + timedelta(days=OPENS_WITHIN_DAYS):
        raise ServiceError("Choose a first day within the next year.", "opens_on")
    if closes_on < opens_on:
        raise ServiceError("The last day cannot be before the first day.", "closes_on")
    if closes_on > opens_on + timedelta(days=LONGEST_DAYS):
        raise ServiceError(f"Keep a check-in to at most {LONGEST_DAYS} days.", "closes_on")
    minimum = parse_int(str(data.min_responses).strip(), low=MIN_RESPONSES_LOW, high=MIN_RESPONSES_HIGH)
    if minimum is None:
        raise ServiceError(f"Enter a whole number from {MIN_RESPONSES_LOW} to {MIN_RESPONSES_HIGH}.", "min_responses")
    # One at a time: the partnership's row lock makes two coordinators opening at once take turns.
    from partnership_hub.workspaces.models import Partnership

    db.session.execute(select(Partnership.id).where(Partnership.id == ctx.partnership.id).with_for_update())
    current = db.session.scalars(scoped(select(TrustCheckin).where(_unfinished(today)).limit(1))).first()
    if current is not None:
        raise ServiceError(
            f"A check-in is already {status_label(current, today).lower()} (until {current.closes_on:%d %b %Y}). "
            "Close it before opening another."
        )
    checkin = TrustCheckin(
        opens_on=opens_on,
        closes_on=closes_on,
        min_responses=minimum,
        opened_by_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(checkin)
    db.session.flush()
    audit(ctx, "trust_checkin.opened", "trust_checkin", checkin.id)
    # Everyone asked to answer is told now when it opens today; on its first day otherwise (the planner).
    from partnership_hub.governance import notices

    notices.checkin_opened(ctx, checkin, today)
    return checkin


def close_checkin(ctx: WorkspaceContext, checkin: TrustCheckin) -> TrustCheckin:
    """Close a scheduled or open check-in now (its last day becomes today)."""
    ctx.require("checkins.manage")
    today = ctx.today()
    if is_finished(checkin, today):
        raise ServiceError("This check-in has already closed.")
    checkin.closed_at = utcnow()
    checkin.closes_on = max(checkin.opens_on, min(checkin.closes_on, today))
    db.session.flush()
    audit(ctx, "trust_checkin.closed", "trust_checkin", checkin.id)
    return checkin


# --- answering ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerData:
    scores: dict[str, object] = field(default_factory=dict)  # QUESTION_KEYS -> "1".."5"
    comment: str = ""


def _scores(data: AnswerData) -> dict[str, int]:
    scores = {}
    for key in QUESTION_KEYS:
        score = parse_int(str(data.scores.get(key) or "").strip(), low=1, high=5)
        if score is None:
            raise ServiceError(SCORE_MESSAGE, key)
        scores[key] = score
    return scores


def has_answered(ctx: WorkspaceContext, checkin: TrustCheckin) -> bool:
    if ctx.membership is None:
        return False
    mine = select(CheckinParticipation.id).where(
        CheckinParticipation.checkin_id == checkin.id, CheckinParticipation.membership_id == ctx.membership.id
    )
    return bool(db.session.scalar(select(exists(scoped(mine)))))


def answer_checkin(ctx: WorkspaceContext, checkin: TrustCheckin, data: AnswerData) -> None:
    """Record that ``ctx``'s member answered and, apart from it, what they answered.

    Nothing links the two rows (``checkins_models``): the response carries no person and no time, and
    every response of the check-in is written again, in the order of their random keys, in the same
    transaction, so neither the row order nor PostgreSQL's transaction id points at the newest one.
    Not audited: an entry would say who answered when."""
    ctx.require("checkins.answer")
    membership = ctx.membership
    assert membership is not None, "checkins.answer needs a membership"
    # Answers to one check-in take turns (its row lock): the rewrite below reads what the previous
    # answer committed, and "a second answer" is checked after the first one committed.
    locked = db.session.scalars(
        scoped(select(TrustCheckin).where(TrustCheckin.id == checkin.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise NotFound("TrustCheckin")
    today = ctx.today()
    if locked.opens_on > today:
        raise ServiceError(f"This check-in opens on {locked.opens_on:%d %b %Y}; answers are taken from then.")
    if is_finished(locked, today):
        raise ServiceError("This check-in has closed; it no longer takes answers.")
    if has_answered(ctx, locked):
        raise ServiceError(ALREADY_ANSWERED)
    scores = _scores(data)
    comment = (data.comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ServiceError(f"Use at most {COMMENT_MAX} characters.", "comment")

    try:
        with db.session.begin_nested():
            db.session.add(CheckinParticipation(checkin_id=locked.id, membership_id=membership.id))
    except IntegrityError:
        raise ServiceError(ALREADY_ANSWERED) from None

    columns = [CheckinResponse.id, CheckinResponse.comment, *(getattr(CheckinResponse, k) for k in QUESTION_KEYS)]
    earlier = [
        row._asdict() for row in db.session.execute(select(*columns).where(CheckinResponse.checkin_id == locked.id))
    ]
    db.session.execute(
        delete(CheckinResponse)
        .where(CheckinResponse.checkin_id == locked.id)
        .execution_options(synchronize_session=False)
    )
    rows = [*earlier, {"id": uuid.uuid4(), "comment": comment, **scores}]
    rows.sort(key=lambda row: row["id"])
    common = {"partnership_id": ctx.partnership.id, "checkin_id": locked.id}
    db.session.execute(insert(CheckinResponse), [common | row for row in rows])


# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    key: str
    label: str
    statement: str
    mean: float
    counts: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Result:
    """A check-in's results as anyone may see them: the count always; the rest only when ``shown``."""

    checkin: TrustCheckin
    responses: int
    questions: tuple[QuestionResult, ...] = ()
    comments: tuple[str, ...] = ()
    comments_total: int = 0

    @property
    def shown(self) -> bool:
        return bool(self.questions)

    @property
    def minimum(self) -> int:
        return self.checkin.min_responses

    @property
    def short_of_minimum(self) -> bool:
        return self.responses < self.checkin.min_responses


AGGREGATES = ("responses", *(f"{k}_{part}" for k in QUESTION_KEYS for part in ("mean", *map(str, SCORES))))


def _aggregate_columns() -> list[Any]:
    """Count, mean and distribution per statement, in the order of ``AGGREGATES``."""
    columns: list[Any] = [func.count(CheckinResponse.id).label("responses")]
    for key in QUESTION_KEYS:
        column = getattr(CheckinResponse, key)
        columns.append(func.avg(column).label(f"{key}_mean"))
        columns.extend(func.sum(case((column == score, 1), else_=0)).label(f"{key}_{score}") for score in SCORES)
    return columns


def _result(
    checkin: TrustCheckin, values: Mapping[str, Any], today: date, comments: Sequence[str] = (), total: int = 0
) -> Result:
    """What anyone may see of ``checkin`` given its aggregates: below the minimum, or while it is still
    open, the count and nothing else."""
    responses = int(values.get("responses") or 0)
    if not results_shown(checkin, responses, today):
        return Result(checkin, responses)
    questions = tuple(
        QuestionResult(
            q.key,
            q.label,
            q.description,
            round(float(values[f"{q.key}_mean"]), 2),
            tuple(int(values[f"{q.key}_{score}"] or 0) for score in SCORES),
        )
        for q in QUESTIONS
    )
    return Result(checkin, responses, questions, tuple(comments), total)


def results_shown(checkin: TrustCheckin, responses: int, today: date) -> bool:
    return is_finished(checkin, today) and responses >= checkin.min_responses


def checkin_results(ctx: WorkspaceContext, checkin: TrustCheckin) -> Result:
    """One check-in's results: the aggregates in one statement; the comments (random order, apart
    from the scores) in a second, only when the results are shown."""
    today = ctx.today()
    aggregates = scoped(select(*_aggregate_columns()).where(CheckinResponse.checkin_id == checkin.id))
    values = dict(db.session.execute(aggregates).one()._mapping)
    if not results_shown(checkin, int(values["responses"] or 0), today):
        return Result(checkin, int(values["responses"] or 0))
    written = CheckinResponse.comment != ""
    comments = db.session.execute(
        scoped(
            select(CheckinResponse.comment, func.count().over().label("total"))
            .where(CheckinResponse.checkin_id == checkin.id, written)
            .order_by(func.random())
            .limit(COMMENTS_SHOWN)
        )
    ).all()
    return _result(checkin, values, today, [c.comment for c in comments], comments[0].total if comments else 0)


# --- the check-ins page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Current:
    """The scheduled or open check-in, how many answered, and whether the viewer did."""

    checkin: TrustCheckin
    responses: int
    answered: bool
    open: bool


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float


@dataclass(frozen=True)
class TrendSeries:
    key: str
    label: str
    points: tuple[TrendPoint, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Trend:
    """The SVG geometry of the means over time (a picture of the table beside it)."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    value_ticks: tuple[tuple[float, str], ...]
    date_ticks: tuple[tuple[float, str], ...]
    series: tuple[TrendSeries, ...]


TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 44, 18, 16, 32


def trend_chart(results: Sequence[Result], width: int = 560, height: int = 220) -> Trend | None:
    """The means of the check-ins with results, oldest first; None with fewer than two."""
    shown = sorted((r for r in results if r.shown), key=lambda r: (r.checkin.opens_on, r.checkin.id))
    if len(shown) < 2:
        return None
    right, bottom = width - TREND_RIGHT, height - TREND_BOTTOM
    step = (right - TREND_LEFT) / (len(shown) - 1)

    def y(value: float) -> float:
        return TREND_TOP + (5 - value) / 4 * (bottom - TREND_TOP)

    xs = [TREND_LEFT + index * step for index in range(len(shown))]
    series = tuple(
        TrendSeries(
            q.key,
            q.label,
            tuple(TrendPoint(x, y(r.questions[index].mean)) for x, r in zip(xs, shown, strict=True)),
        )
        for index, q in enumerate(QUESTIONS)
    )
    dates = tuple((x, f"{r.checkin.closes_on:%b %Y}") for x, r in zip(xs, shown, strict=True))
    return Trend(
        width,
        height,
        TREND_LEFT,
        right,
        TREND_TOP,
        bottom,
        tuple((y(v), str(v)) for v in SCORES),
        dates if len(dates) <= 6 else (dates[0], dates[len(dates) // 2], dates[-1]),
        series,
    )


@dataclass(frozen=True)
class CheckinsPage:
    current: Current | None
    past: Page[Result]
    trend: Trend | None
    stage: toolkit.Choice | None


def _current(ctx: WorkspaceContext, today: date) -> Current | None:
    """The scheduled or open check-in (at most one) with its count and the viewer's participation, in
    one statement."""
    me = ctx.membership.id if ctx.membership else -1
    responses = (
        select(func.count(CheckinResponse.id)).where(CheckinResponse.checkin_id == TrustCheckin.id).scalar_subquery()
    )
    answered = exists(
        select(CheckinParticipation.id).where(
            CheckinParticipation.checkin_id == TrustCheckin.id, CheckinParticipation.membership_id == me
        )
    )
    row = db.session.execute(
        scoped(
            select(TrustCheckin, responses.label("responses"), answered.label("answered"))
            .where(_unfinished(today))
            .order_by(TrustCheckin.opens_on, TrustCheckin.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    checkin = row[0]
    return Current(checkin, int(row.responses), bool(row.answered), is_open(checkin, today))


def checkins_page(ctx: WorkspaceContext, page: int) -> CheckinsPage:
    """The check-ins page: the current check-in, a page of past ones (newest first) with their results
    as anyone may see them, the trend of those results, and the partnership's stage. Two statements."""
    today = ctx.today()
    current = _current(ctx, today)
    finished = ~_unfinished(today)
    counts = (
        select(CheckinResponse.checkin_id.label("checkin_id"), *_aggregate_columns())
        .group_by(CheckinResponse.checkin_id)
        .subquery()
    )
    stmt = (
        select(TrustCheckin, counts)
        .outerjoin(counts, counts.c.checkin_id == TrustCheckin.id)
        .where(finished)
        .order_by(TrustCheckin.opens_on.desc(), TrustCheckin.id.desc())
    )
    past = paginate(
        scoped(stmt),
        page,
        PAST_PER_PAGE,
        row=lambda row: _result(row[0], dict(zip(AGGREGATES, row[2:], strict=True)), today),
    )
    stage = next((s for s in toolkit.STAGES if s.key == ctx.partnership.stage), None)
    return CheckinsPage(current, past, trend_chart(past.items), stage)


# --- the overview card, "your work", setup facts -----------------------------------------------------------


def overview_card(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The governance overview's card: the scheduled or open check-in and whether the viewer answered
    it, else the latest closed one's count (ONE statement)."""
    if not ctx.can("checkins.view"):
        return None
    today = ctx.today()
    current = _current(ctx, today)
    return {
        "current": current,
        "can_answer": ctx.can("checkins.answer"),
        "can_manage": ctx.can("checkins.manage"),
        "today": today,
    }


@lru_cache(maxsize=8)
def _your_work_checkins(limit: int) -> Select[Any]:
    """``your_work_checkins``' SELECT; the person and their day are parameters (``VIEWER_ID``, ``VIEWER_TODAY``)."""
    answered = exists(
        select(CheckinParticipation.id).where(
            CheckinParticipation.checkin_id == TrustCheckin.id, CheckinParticipation.membership_id == VIEWER_ID
        )
    )
    waiting = and_(_open_today(VIEWER_TODAY), ~answered)
    counted = select(TrustCheckin.id).where(waiting).limit(FACT_CAP + 1).subquery()
    found = select(func.count()).select_from(counted).scalar_subquery()
    columns = work_columns(
        record_id=TrustCheckin.id, title=literal("Trust check-in"), due=TrustCheckin.closes_on, found=found
    )
    return select(*columns).where(waiting).order_by(TrustCheckin.closes_on, TrustCheckin.id).limit(limit)


def your_work_checkins(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """The home's "Trust check-in open": the open check-in ``ctx``'s member has not answered (at most
    one is open), as a LIMIT read of the check-ins index with a probe of the participation. The SELECT
    is kept (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None:
        return None
    stmt = _your_work_checkins(limit)

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = tuple(
            WorkItem(
                "Trust check-in open",
                "governance.checkins_index",
                {},
                due=row.due,
                note="Anonymous, four statements",
                action="Answer",
                action_endpoint="governance.answer_checkin",
                action_args={"trust_checkin_id": row.id},
            )
            for row in sorted(rows, key=lambda row: (row.due or date.max, row.id))
        )
        found = rows[0].found if rows else 0
        return WorkList.counted(items, found, cap=FACT_CAP)

    return WorkQuery(stmt, build)


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The setup guide's trust question: how many check-ins the partnership has run (capped)."""
    return {"trust_checkins": select(func.count()).select_from(select(TrustCheckin.id).limit(FACT_CAP).subquery())}


# --- seeds -----------------------------------------------------------------------------------------------------


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A closed check-in (with results) and an open one, for the route walk."""
    today = ctx.today()
    closed = TrustCheckin(
        opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=16), closed_at=utcnow(), min_responses=3
    )
    current = TrustCheckin(opens_on=today, closes_on=today + timedelta(days=14), min_responses=MIN_RESPONSES)
    db.session.add_all([closed, current])
    db.session.flush()
    db.session.execute(
        insert(CheckinResponse),
        [
            {
                "partnership_id": ctx.partnership.id,
                "checkin_id": closed.id,
                "comment": "",
                **dict.fromkeys(QUESTION_KEYS, n),
            }
            for n in (3, 4, 5)
        ],
    )


def _demo_answers(
    ctx: WorkspaceContext, checkin: TrustCheckin, answers: Sequence[tuple[int, ...]], comments: dict
) -> None:
    rows = [
        {"id": uuid.uuid4(), "comment": comments.get(index, ""), **dict(zip(QUESTION_KEYS, scores, strict=True))}
        for index, scores in enumerate(answers)
    ]
    rows.sort(key=lambda row: row["id"])
    common = {"partnership_id": ctx.partnership.id, "checkin_id": checkin.id}
    db.session.execute(insert(CheckinResponse), [common | row for row in rows])


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Two closed check-ins of six answers each (trust, voice and clear goals rising between them; one
    answer each came from someone who has since left), and an open one with two answers so far, neither
    the demo coordinator's, so their home lists it. Who answered is recorded; what they answered is not
    theirs (the rows are made apart, as the service makes them)."""
    from partnership_hub.workspaces.models import Membership, Role

    today = ctx.today()

    def membership_of(local: str) -> int | None:
        user = people.get(local)
        return user and db.session.scalar(scoped(select(Membership.id).where(Membership.user_id == user.id)))

    contributors = list(
        db.session.scalars(
            scoped(select(Membership.id).where(Membership.role != Role.OBSERVER).order_by(Membership.id))
        )
    )
    spring = TrustCheckin(opens_on=today - timedelta(days=120), closes_on=today - timedelta(days=106))
    summer = TrustCheckin(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=16))
    now = TrustCheckin(opens_on=today - timedelta(days=2), closes_on=today + timedelta(days=12))
    for checkin in (spring, summer, now):
        checkin.min_responses = MIN_RESPONSES
        checkin.opened_by_membership_id = membership_of("coordinator")
    db.session.add_all([spring, summer, now])
    db.session.flush()
    _demo_answers(
        ctx,
        spring,
        [(3, 2, 2, 2), (3, 3, 2, 3), (2, 3, 3, 2), (4, 3, 2, 3), (3, 2, 3, 2), (3, 4, 2, 3)],
        {1: "We are still learning what each agency can share.", 4: "Meetings feel run by the largest agencies."},
    )
    _demo_answers(
        ctx,
        summer,
        [(4, 4, 3, 3), (4, 4, 4, 3), (3, 4, 3, 4), (4, 5, 4, 3), (4, 3, 3, 4), (5, 4, 4, 4)],
        {0: "The rotating chair helps smaller organizations speak up.", 3: "Clearer goals since the spring retreat."},
    )
    _demo_answers(ctx, now, [(4, 4, 4, 4), (5, 4, 3, 4)], {})
    answered_now = [m for m in (membership_of("priya.raman"), membership_of("marcus.bell")) if m is not None]
    participations = [(checkin.id, m) for checkin in (spring, summer) for m in contributors]
    participations += [(now.id, m) for m in answered_now]
    db.session.add_all(CheckinParticipation(checkin_id=c, membership_id=m) for c, m in participations)
