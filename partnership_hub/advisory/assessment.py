"""The trauma-informed self-assessment (issue #13): the partnership rates itself, round after round, on
each of the toolkit's ten key areas (``toolkit.TRAUMA_INFORMED_AREAS``) against the six principles of a
trauma-informed approach (``toolkit.TRAUMA_INFORMED_PRINCIPLES``), on a scale of 0 (not yet considered)
to 4 (embedded), with notes and next steps per area.

A round is rated one area at a time (one POST saves an area's six scores, notes and next steps; a
principle left unrated stays unrated while the round is in progress). Completing a round needs every
area fully rated, and a completed round is read-only: every change locks the round's row and refuses a
completed one. One round is in progress at a time (checked under the partnership's lock, and a partial
unique index). Completed rounds are compared in a chart of per-area averages (``comparison_chart``:
the geometry here, the template draws it) with the same numbers in a table beside it.

Who: coordinators and survivor advisors, and anyone with a seat on the advisory board, start rounds
and rate (``may_rate``); everyone but observers reads the results; coordinators discard a round in
progress that was started by mistake. Every page runs a fixed number of statements: a round is at most
60 ratings and 10 notes (the reference data bounds it), the comparison reads at most
``COMPARE_ROUNDS`` rounds in one statement, and the list of rounds is paginated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from partnership_hub import toolkit
from partnership_hub.advisory import board
from partnership_hub.advisory.assessment_models import AssessmentAreaNote, AssessmentRating, TraumaAssessment
from partnership_hub.audit.services import record as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import Forbidden, NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id, parse_int
from partnership_hub.workspaces.models import Membership, Partnership, User

# --- reference data -----------------------------------------------------------------------------------

AREAS: tuple[toolkit.Choice, ...] = toolkit.TRAUMA_INFORMED_AREAS
PRINCIPLES: tuple[toolkit.Choice, ...] = toolkit.TRAUMA_INFORMED_PRINCIPLES
AREA_KEYS: tuple[str, ...] = tuple(area.key for area in AREAS)
PRINCIPLE_KEYS: tuple[str, ...] = tuple(principle.key for principle in PRINCIPLES)

# The rating scale (the toolkit gives none; this is the product's). Keys are the stored scores.
SCALE: tuple[toolkit.Choice, ...] = (
    toolkit.Choice("0", "Not yet considered", "The partnership has not looked at this yet."),
    toolkit.Choice("1", "Beginning", "It has been discussed; little is in place yet."),
    toolkit.Choice("2", "Developing", "Some practice is in place, but not consistently."),
    toolkit.Choice("3", "Established", "Practice is in place and followed across the partnership."),
    toolkit.Choice("4", "Embedded", "It is part of how the partnership works, and is reviewed and improved."),
)
SCORE_MIN, SCORE_MAX = 0, len(SCALE) - 1
SCORE_MESSAGE = "Choose a score from 0 (not yet considered) to 4 (embedded), or leave it unrated for now."

TITLE_MAX = max_length(TraumaAssessment.__table__.c.title)
TEXT_MAX = 2000
ROUNDS_PER_PAGE = 12
COMPARE_ROUNDS = 4  # the comparison chart's rounds: the newest completed ones
FACT_CAP = 100

COMPLETED_MESSAGE = "This assessment has been completed, so it can no longer be changed."


def score_label(score: int | None) -> str:
    """The scale's word for a score ("Developing"); "Not rated" for none."""
    if score is None:
        return "Not rated"
    return SCALE[score].label if SCORE_MIN <= score <= SCORE_MAX else str(score)


def area_label(key: str) -> str:
    return toolkit.label_of(AREAS, key)


def principle_label(key: str) -> str:
    return toolkit.label_of(PRINCIPLES, key)


def mean_text(value: float | None) -> str:
    """An average as the pages show it: one decimal, or a dash when nothing was rated."""
    return "–" if value is None else f"{value:.1f}"


def _mean(values: Iterable[int | float]) -> float | None:
    found = list(values)
    return round(sum(found) / len(found), 2) if found else None


# --- who ---------------------------------------------------------------------------------------------


def may_rate(ctx: WorkspaceContext) -> bool:
    """Coordinators and survivor advisors rate (the role matrix's ``advisory.assessment_rate``), and so does
    anyone else with a seat on the advisory board (one memoised query, asked only for them)."""
    if ctx.can("advisory.assessment_rate"):
        return True
    return ctx.can("advisory.assessment") and board.admission(ctx).seat_id is not None


def require_rater(ctx: WorkspaceContext) -> None:
    if not may_rate(ctx):
        raise Forbidden("advisory.assessment_rate")


def _me(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


# --- loading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """A round with the names of who started and completed it."""

    assessment: TraumaAssessment
    started_by: str | None
    completed_by: str | None

    @property
    def id(self) -> int:
        return self.assessment.id

    @property
    def completed(self) -> bool:
        return self.assessment.completed


def get_round(ctx: WorkspaceContext, assessment_id: object) -> Round:
    """The partnership's round ``assessment_id`` and who started and completed it (ONE statement;
    ``NotFound`` otherwise)."""
    record_id = parse_id(assessment_id)
    if record_id is None:
        raise NotFound("TraumaAssessment (not an id)")
    starter, finisher = aliased(Membership), aliased(Membership)
    starter_user, finisher_user = aliased(User), aliased(User)
    row = db.session.execute(
        scoped(
            select(TraumaAssessment, starter_user.name, finisher_user.name)
            .outerjoin(starter, starter.id == TraumaAssessment.started_by_membership_id)
            .outerjoin(starter_user, starter_user.id == starter.user_id)
            .outerjoin(finisher, finisher.id == TraumaAssessment.completed_by_membership_id)
            .outerjoin(finisher_user, finisher_user.id == finisher.user_id)
            .where(TraumaAssessment.id == record_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"TraumaAssessment {record_id}")
    return Round(row[0], row[1], row[2])


@dataclass(frozen=True)
class AreaNote:
    notes: str
    next_steps: str
    updated_by: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class AreaStatus:
    area: toolkit.Choice
    rated: int  # principles rated, of len(PRINCIPLES)
    saved: bool  # the area has been saved at least once (a notes row)

    @property
    def complete(self) -> bool:
        return self.rated == len(PRINCIPLES)

    @property
    def label(self) -> str:
        if self.complete:
            return "Rated"
        if self.rated:
            return f"{self.rated} of {len(PRINCIPLES)} principles rated"
        return "Not started"


@dataclass(frozen=True)
class Sheet:
    """Everything rated in a round: its scores by (area, principle) and its notes by area."""

    scores: dict[tuple[str, str], int] = field(default_factory=dict)
    notes: dict[str, AreaNote] = field(default_factory=dict)

    def score(self, area_key: str, principle_key: str) -> int | None:
        return self.scores.get((area_key, principle_key))

    def rated_in(self, area_key: str) -> int:
        return sum(1 for key in PRINCIPLE_KEYS if (area_key, key) in self.scores)

    def statuses(self) -> list[AreaStatus]:
        return [AreaStatus(area, self.rated_in(area.key), area.key in self.notes) for area in AREAS]

    @property
    def areas_rated(self) -> int:
        return sum(1 for area in AREAS if self.rated_in(area.key) == len(PRINCIPLES))

    def missing_areas(self) -> list[AreaStatus]:
        return [status for status in self.statuses() if not status.complete]

    def first_open_area(self) -> str:
        """The first area not fully rated (the first area when all are)."""
        missing = self.missing_areas()
        return missing[0].area.key if missing else AREA_KEYS[0]

    def area_mean(self, area_key: str) -> float | None:
        return _mean(score for (area, _), score in self.scores.items() if area == area_key)

    def principle_mean(self, principle_key: str) -> float | None:
        return _mean(score for (_, principle), score in self.scores.items() if principle == principle_key)

    @property
    def overall_mean(self) -> float | None:
        return _mean(self.scores.values())

    @property
    def has_notes(self) -> bool:
        return any(note.notes or note.next_steps for note in self.notes.values())


def sheet(ctx: WorkspaceContext, assessment: TraumaAssessment) -> Sheet:
    """A round's scores and notes (two statements, at most 60 and 10 rows)."""
    ratings = db.session.execute(
        scoped(
            select(AssessmentRating.area_key, AssessmentRating.principle_key, AssessmentRating.score).where(
                AssessmentRating.assessment_id == assessment.id
            )
        )
    )
    scores = {(area, principle): int(score) for area, principle, score in ratings}
    notes = db.session.execute(
        scoped(
            select(
                AssessmentAreaNote.area_key,
                AssessmentAreaNote.notes,
                AssessmentAreaNote.next_steps,
                User.name,
                AssessmentAreaNote.updated_at,
            )
            .outerjoin(Membership, Membership.id == AssessmentAreaNote.updated_by_membership_id)
            .outerjoin(User, User.id == Membership.user_id)
            .where(AssessmentAreaNote.assessment_id == assessment.id)
        )
    )
    return Sheet(scores, {row[0]: AreaNote(row[1], row[2], row[3], row[4]) for row in notes})


# --- starting a round ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartData:
    title: object = ""
    started_on: object = ""


def suggested_title(today: date) -> str:
    """A name for a round started on ``today``: its season and year ("Spring 2026"; December, January and
    February are winter)."""
    season = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}
    season |= {6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"}
    return f"{season[today.month]} {today.year}"


def _lock_partnership(ctx: WorkspaceContext) -> None:
    db.session.execute(select(Partnership.id).where(Partnership.id == ctx.partnership.id).with_for_update())


def in_progress(ctx: WorkspaceContext) -> TraumaAssessment | None:
    """The round in progress, if any (at most one)."""
    return db.session.scalars(
        scoped(select(TraumaAssessment).where(TraumaAssessment.completed_on.is_(None)).limit(1))
    ).first()


def _already_in_progress(current: TraumaAssessment) -> ServiceError:
    return ServiceError(
        f"“{current.title}” is still in progress. Complete it before starting another "
        "(a coordinator can discard it if it was started by mistake)."
    )


def start_assessment(ctx: WorkspaceContext, data: StartData) -> TraumaAssessment:
    """Start a round: a title and the day it started (today or earlier). One round at a time."""
    require_rater(ctx)
    title = form_text({"title": data.title}, "title", TITLE_MAX, "Give the round a name, for example “Spring 2026”.")
    today = ctx.today()
    raw = data.started_on
    text = raw.isoformat() if isinstance(raw, date) else str(raw or "").strip()
    started_on = parse_date(text) if text else today
    if started_on is None:
        raise ServiceError(date_error(text) or "Enter a date like 2026-03-31.", "started_on")
    if started_on > today:
        raise ServiceError("A round cannot start in the future: choose today or an earlier day.", "started_on")
    # One round in progress: two people starting at once take turns on the partnership's row lock.
    _lock_partnership(ctx)
    current = in_progress(ctx)
    if current is not None:
        raise _already_in_progress(current)
    clash = select(TraumaAssessment.id).where(func.lower(TraumaAssessment.title) == title.lower()).limit(1)
    if db.session.scalars(scoped(clash)).first() is not None:
        raise ServiceError("The partnership already has a round with this name; choose another.", "title")
    assessment = TraumaAssessment(title=title, started_on=started_on, started_by_membership_id=_me(ctx))
    try:
        with db.session.begin_nested():
            db.session.add(assessment)
    except IntegrityError:  # the partial unique index: someone started one a moment ago
        raise ServiceError("Another round was started a moment ago; open it from the assessment page.") from None
    audit(ctx, "trauma_assessment.started", "trauma_assessment", assessment.id)
    return assessment


# --- rating an area -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaData:
    area: object = ""
    scores: Mapping[str, object] = field(default_factory=dict)  # principle key -> "0".."4" or "" (unrated)
    notes: object = ""
    next_steps: object = ""


def _lock_round(assessment: TraumaAssessment) -> TraumaAssessment:
    """The round's row, locked: every change to a round (and completing it) takes turns on it."""
    locked = db.session.scalars(
        scoped(select(TraumaAssessment).where(TraumaAssessment.id == assessment.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise NotFound("TraumaAssessment")
    return locked


def _scores(data: AreaData) -> dict[str, int]:
    scores = {}
    for key in PRINCIPLE_KEYS:
        raw = data.scores.get(key)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue  # unrated for now
        score = parse_int(text, low=SCORE_MIN, high=SCORE_MAX)
        if score is None:
            raise ServiceError(SCORE_MESSAGE, key)
        scores[key] = score
    return scores


def save_area(ctx: WorkspaceContext, assessment: TraumaAssessment, data: AreaData) -> int:
    """Save one key area of a round in progress: its scores (every principle at once; one left out is
    unrated), notes and next steps. Returns how many principles are rated."""
    require_rater(ctx)
    if assessment.completed:
        raise ServiceError(COMPLETED_MESSAGE)
    area = str(data.area or "").strip()
    if area not in AREA_KEYS:
        raise ServiceError("Choose one of the toolkit's ten key areas to rate.")
    scores = _scores(data)
    notes = form_text({"notes": data.notes}, "notes", TEXT_MAX)
    next_steps = form_text({"next_steps": data.next_steps}, "next_steps", TEXT_MAX)
    locked = _lock_round(assessment)
    if locked.completed:
        raise ServiceError(COMPLETED_MESSAGE)
    db.session.execute(
        delete(AssessmentRating)
        .where(AssessmentRating.assessment_id == locked.id, AssessmentRating.area_key == area)
        .execution_options(synchronize_session=False)
    )
    db.session.add_all(
        AssessmentRating(assessment_id=locked.id, area_key=area, principle_key=key, score=score)
        for key, score in scores.items()
    )
    note = db.session.scalars(
        scoped(
            select(AssessmentAreaNote).where(
                AssessmentAreaNote.assessment_id == locked.id, AssessmentAreaNote.area_key == area
            )
        )
    ).one_or_none()
    if note is None:
        note = AssessmentAreaNote(assessment_id=locked.id, area_key=area)
        db.session.add(note)
    note.notes, note.next_steps = notes, next_steps
    note.updated_by_membership_id, note.updated_at = _me(ctx), utcnow()
    db.session.flush()
    audit(ctx, "trauma_assessment.area_saved", "trauma_assessment", locked.id, area=area, rated=len(scores))
    return len(scores)


# --- completing, discarding ---------------------------------------------------------------------------


def _rated_per_area(assessment_id: int) -> dict[str, int]:
    rows = db.session.execute(
        scoped(
            select(AssessmentRating.area_key, func.count(AssessmentRating.id))
            .where(AssessmentRating.assessment_id == assessment_id)
            .group_by(AssessmentRating.area_key)
        )
    )
    return {area: int(count) for area, count in rows}


def missing_message(missing: Sequence[str]) -> str:
    names = [area_label(key) for key in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Rate every principle in every key area before completing the round. Still to rate: {listed}."


def complete_assessment(ctx: WorkspaceContext, assessment: TraumaAssessment) -> TraumaAssessment:
    """Complete a round whose ten areas are fully rated; from then on it is read-only."""
    require_rater(ctx)
    locked = _lock_round(assessment)
    if locked.completed:
        raise ServiceError("This assessment has already been completed.")
    rated = _rated_per_area(locked.id)
    missing = [key for key in AREA_KEYS if rated.get(key, 0) < len(PRINCIPLES)]
    if missing:
        raise ServiceError(missing_message(missing))
    locked.completed_on = max(ctx.today(), locked.started_on)
    locked.completed_by_membership_id = _me(ctx)
    db.session.flush()
    audit(ctx, "trauma_assessment.completed", "trauma_assessment", locked.id)
    return locked


def discard_assessment(ctx: WorkspaceContext, assessment: TraumaAssessment) -> None:
    """A coordinator removes a round in progress (started by mistake) with its ratings and notes; a
    completed round stays on record."""
    ctx.require("advisory.assessment_discard")
    locked = _lock_round(assessment)
    if locked.completed:
        raise ServiceError("A completed assessment stays on record; it cannot be discarded.")
    for model in (AssessmentRating, AssessmentAreaNote):
        db.session.execute(
            delete(model).where(model.assessment_id == locked.id).execution_options(synchronize_session=False)
        )
    audit(ctx, "trauma_assessment.discarded", "trauma_assessment", locked.id)
    db.session.delete(locked)
    db.session.flush()


# --- the assessment's home page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Current:
    assessment: TraumaAssessment
    areas_rated: int


@dataclass(frozen=True)
class CompletedRow:
    assessment: TraumaAssessment
    mean: float | None


@dataclass(frozen=True)
class AssessmentsPage:
    current: Current | None
    completed: Page[CompletedRow]


def _current(ctx: WorkspaceContext) -> Current | None:
    """The round in progress and how many areas it has fully rated (ONE statement)."""
    open_round = select(TraumaAssessment.id).where(TraumaAssessment.completed_on.is_(None))
    full_areas = (
        select(AssessmentRating.area_key)
        .where(AssessmentRating.assessment_id.in_(open_round))
        .group_by(AssessmentRating.area_key)
        .having(func.count(AssessmentRating.id) >= len(PRINCIPLES))
        .subquery()
    )
    rated = select(func.count()).select_from(full_areas).scalar_subquery()
    row = db.session.execute(
        scoped(select(TraumaAssessment, rated.label("rated")).where(TraumaAssessment.completed_on.is_(None)).limit(1))
    ).first()
    return Current(row[0], int(row.rated or 0)) if row is not None else None


def assessments_page(ctx: WorkspaceContext, page: int) -> AssessmentsPage:
    """The round in progress (one statement) and a page of completed rounds, newest first, with each
    one's average score (one statement)."""
    mean = (
        select(func.avg(AssessmentRating.score))
        .where(AssessmentRating.assessment_id == TraumaAssessment.id)
        .correlate(TraumaAssessment)
        .scalar_subquery()
    )
    stmt = (
        select(TraumaAssessment, mean.label("mean"))
        .where(TraumaAssessment.completed_on.is_not(None))
        .order_by(TraumaAssessment.completed_on.desc(), TraumaAssessment.id.desc())
    )
    completed = paginate(
        scoped(stmt),
        page,
        ROUNDS_PER_PAGE,
        row=lambda row: CompletedRow(row[0], round(float(row[1]), 2) if row[1] is not None else None),
    )
    return AssessmentsPage(_current(ctx), completed)


# --- comparing rounds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundMeans:
    """One completed round's averages: per area, per principle and overall."""

    id: int
    title: str
    completed_on: date
    areas: dict[str, float | None]
    principles: dict[str, float | None]
    overall: float | None


@dataclass(frozen=True)
class Change:
    """How an average moved between the two newest rounds, in words (never colour alone)."""

    delta: float

    @property
    def text(self) -> str:
        if abs(self.delta) < 0.05:
            return "No change"
        return f"{'Up' if self.delta > 0 else 'Down'} {abs(self.delta):.1f}"


def change(newer: float | None, older: float | None) -> Change | None:
    return None if newer is None or older is None else Change(round(newer - older, 2))


def recent_rounds(ctx: WorkspaceContext, limit: int = COMPARE_ROUNDS) -> list[RoundMeans]:
    """The newest ``limit`` completed rounds, oldest first, with their averages: ONE statement reading
    their ratings (at most ``limit`` × 60 rows)."""
    recent = (
        select(TraumaAssessment.id)
        .where(TraumaAssessment.completed_on.is_not(None))
        .order_by(TraumaAssessment.completed_on.desc(), TraumaAssessment.id.desc())
        .limit(limit)
        .subquery()
    )
    rows = db.session.execute(
        scoped(
            select(
                TraumaAssessment.id,
                TraumaAssessment.title,
                TraumaAssessment.completed_on,
                AssessmentRating.area_key,
                AssessmentRating.principle_key,
                AssessmentRating.score,
            )
            .join(recent, recent.c.id == TraumaAssessment.id)
            .outerjoin(AssessmentRating, AssessmentRating.assessment_id == TraumaAssessment.id)
        )
    ).all()
    rounds: dict[int, tuple[str, date, dict[tuple[str, str], int]]] = {}
    for round_id, title, completed_on, area, principle, score in rows:
        entry = rounds.setdefault(round_id, (title, completed_on, {}))
        if area is not None and score is not None:
            entry[2][(area, principle)] = int(score)
    found = []
    for round_id, (title, completed_on, scores) in rounds.items():
        found.append(
            RoundMeans(
                round_id,
                title,
                completed_on,
                {a: _mean(s for (area, _), s in scores.items() if area == a) for a in AREA_KEYS},
                {p: _mean(s for (_, principle), s in scores.items() if principle == p) for p in PRINCIPLE_KEYS},
                _mean(scores.values()),
            )
        )
    return sorted(found, key=lambda r: (r.completed_on, r.id))


# The comparison chart: grouped horizontal bars, one group per key area (its name above), one bar per
# round (oldest at the top), each bar's average written at its end. Rounds differ by colour AND fill
# (solid, hatched, dotted, cross-hatched) and come in the legend's order; the table beside it has every
# number. Geometry here; templates/advisory/assessment/_chart.html draws it.
CHART_LEFT, CHART_RIGHT = 8, 44
AXIS_HEIGHT = 28  # the scale's numbers above the bars (its words are in the caption below)
LABEL_HEIGHT = 22  # an area's name above its bars
BAR_HEIGHT, BAR_GAP, GROUP_GAP = 16, 3, 14
# Newest first: the newest round is always solid blue; older ones get a pattern too.
SERIES_STYLES = (
    ("#0b5cad", ""),
    ("#9a4a00", "hatch"),
    ("#1a7f37", "dots"),
    ("#8250df", "cross"),
)


@dataclass(frozen=True)
class Series:
    index: int
    round_id: int
    title: str
    completed_on: date
    colour: str
    pattern: str  # "" for solid

    @property
    def fill(self) -> str:
        return f"url(#assessment-fill-{self.pattern})" if self.pattern else self.colour


@dataclass(frozen=True)
class Bar:
    series: Series
    x: float
    y: float
    width: float
    height: float
    value: float | None
    text_x: float
    text_y: float

    @property
    def text(self) -> str:
        return mean_text(self.value)


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class ScaleTick:
    x: float
    number: str
    anchor: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: tuple[ScaleTick, ...]
    groups: tuple[BarGroup, ...]
    series: tuple[Series, ...]


def comparison_chart(rounds: Sequence[RoundMeans], width: int = 480) -> BarChart | None:
    """The per-area averages of ``rounds`` (oldest first) as grouped bars; None without rounds."""
    if not rounds:
        return None
    shown = list(rounds)[-len(SERIES_STYLES) :]
    count = len(shown)
    series = tuple(  # the newest (last) gets the first style
        Series(index, r.id, r.title, r.completed_on, *SERIES_STYLES[count - 1 - index]) for index, r in enumerate(shown)
    )
    left, right = float(CHART_LEFT), float(width - CHART_RIGHT)
    span = right - left

    def x(value: float) -> float:
        return left + value / SCORE_MAX * span

    ticks = tuple(
        ScaleTick(x(n), str(n), "start" if n == 0 else ("end" if n == SCORE_MAX else "middle"))
        for n in range(SCORE_MIN, SCORE_MAX + 1)
    )
    groups = []
    y = float(AXIS_HEIGHT)
    for area in AREAS:
        label_y = y + LABEL_HEIGHT - 6
        bar_y = y + LABEL_HEIGHT
        bars = []
        for s, r in zip(series, shown, strict=True):
            value = r.areas.get(area.key)
            end = x(value or 0.0)
            bars.append(Bar(s, left, bar_y, end - left, BAR_HEIGHT, value, end + 4, bar_y + BAR_HEIGHT - 4))
            bar_y += BAR_HEIGHT + BAR_GAP
        groups.append(BarGroup(area.label, label_y, tuple(bars)))
        y = bar_y - BAR_GAP + GROUP_GAP
    height = int(y)
    return BarChart(width, height, left, right, float(AXIS_HEIGHT), y - GROUP_GAP, ticks, tuple(groups), series)


@dataclass(frozen=True)
class Comparison:
    rounds: list[RoundMeans]
    chart: BarChart | None

    @property
    def newest(self) -> RoundMeans | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def previous(self) -> RoundMeans | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None


def comparison(ctx: WorkspaceContext) -> Comparison:
    rounds = recent_rounds(ctx)
    return Comparison(rounds, comparison_chart(rounds))


# --- setup facts, seeds ------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's trauma-informed question: how many rounds the partnership completed (capped)."""
    completed = select(TraumaAssessment.id).where(TraumaAssessment.completed_on.is_not(None)).limit(FACT_CAP)
    return {"trauma_assessments_completed": select(func.count()).select_from(completed.subquery()).scalar_subquery()}


def _write_round(
    ctx: WorkspaceContext,
    title: str,
    started_on: date,
    completed_on: date | None,
    scores: Mapping[str, Sequence[int]],
    notes: Mapping[str, tuple[str, str]],
    by: Mapping[str, int | None],
) -> TraumaAssessment:
    """A round written directly (the seeds: chosen dates, several people): ``scores`` maps an area key
    to its six scores in principle order; ``by`` names who started, completed and saved each area."""
    assessment = TraumaAssessment(
        title=title,
        started_on=started_on,
        completed_on=completed_on,
        started_by_membership_id=by.get("started"),
        completed_by_membership_id=by.get("completed") if completed_on else None,
    )
    db.session.add(assessment)
    db.session.flush()
    for area, values in scores.items():
        db.session.add_all(
            AssessmentRating(assessment_id=assessment.id, area_key=area, principle_key=key, score=score)
            for key, score in zip(PRINCIPLE_KEYS, values, strict=False)
        )
        text, steps = notes.get(area, ("", ""))
        db.session.add(
            AssessmentAreaNote(
                assessment_id=assessment.id,
                area_key=area,
                notes=text,
                next_steps=steps,
                updated_by_membership_id=by.get(area, by.get("started")),
            )
        )
    db.session.flush()
    return assessment


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's rounds: a completed one (its ``trauma_assessment_id`` is the first) and one in
    progress with two areas rated."""
    today = ctx.today()
    me = {"started": _me(ctx), "completed": _me(ctx)}
    full = {area: (2, 3, 2, 1, 2, 3) for area in AREA_KEYS}
    _write_round(ctx, "Last year", today.replace(day=1), today, full, {"policy": ("A note.", "A next step.")}, me)
    partial = {"governance_leadership": (3, 3, 2, 2, 3, 2), "policy": (1, 2)}
    _write_round(ctx, "This year", today, None, partial, {}, me)


# The demo's two rounds: scores per area in principle order (safety, trust and transparency, survivor
# support, collaboration, empowerment, cultural), autumn then spring, rising where the partnership worked.
DEMO_AUTUMN = {
    "governance_leadership": (2, 2, 1, 2, 1, 1),
    "policy": (2, 1, 1, 1, 1, 1),
    "physical_environment": (2, 1, 1, 1, 1, 1),
    "engagement": (1, 2, 2, 2, 1, 1),
    "cross_sector": (2, 2, 1, 3, 2, 1),
    "screening_treatment": (2, 1, 2, 2, 2, 1),
    "training_workforce": (1, 1, 1, 2, 1, 0),
    "monitoring_quality": (1, 1, 0, 1, 1, 0),
    "financing": (1, 1, 0, 1, 0, 0),
    "evaluation": (1, 1, 0, 1, 1, 0),
}
DEMO_SPRING = {
    "governance_leadership": (3, 3, 3, 3, 2, 2),
    "policy": (3, 2, 2, 2, 2, 1),
    "physical_environment": (2, 2, 1, 2, 2, 1),
    "engagement": (3, 3, 3, 3, 3, 2),
    "cross_sector": (3, 3, 2, 3, 2, 2),
    "screening_treatment": (2, 2, 2, 2, 2, 2),
    "training_workforce": (2, 2, 2, 2, 2, 1),
    "monitoring_quality": (2, 2, 1, 2, 1, 1),
    "financing": (1, 2, 1, 1, 1, 0),
    "evaluation": (2, 1, 1, 2, 1, 1),
}
DEMO_NOTES_AUTUMN = {
    "governance_leadership": (
        "Survivors are consulted on single projects but have no standing voice in decisions.",
        "Form a survivor advisory board with a chair and paid seats.",
    ),
    "training_workforce": (
        "Only a few member organizations have had trauma-informed training.",
        "Ask the board to co-design a first training for front-line staff.",
    ),
    "financing": ("Nothing in the budget pays for survivors' time.", "Set an hourly rate for advisors."),
}
DEMO_NOTES_SPRING = {
    "governance_leadership": (
        "The advisory board meets monthly and its chair joins the steering group.",
        "Give the board a standing item on every partnership agenda.",
    ),
    "engagement": (
        "Advisors choose how they are contacted and which requests they take on.",
        "Review the participation requests together after six months.",
    ),
    "physical_environment": (
        "Two meeting rooms still have no quiet space and one is hard to reach by bus.",
        "Move the quarterly meeting to the library's community room.",
    ),
    "evaluation": ("", "Add survivor-defined measures to the goals' objectives."),
}


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Two completed rounds, "Autumn 2025" and "Spring 2026", rising where the partnership worked (the
    board, engagement, training), with a few notes and next steps; nothing in progress, so the demo
    coordinator can start the next one."""

    def member(local: str) -> int | None:
        user = people.get(local)
        if user is None:
            return None
        return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user.id))).first()

    today = ctx.today()

    def on(year: int, month: int, day: int) -> date:
        return min(date(year, month, day), today)

    coordinator, jordan, amara = member("coordinator"), member("jordan.reyes"), member("amara.okafor")
    _write_round(
        ctx,
        "Autumn 2025",
        on(2025, 10, 6),
        on(2025, 11, 14),
        {area: DEMO_AUTUMN[area] for area in AREA_KEYS},
        DEMO_NOTES_AUTUMN,
        {"started": coordinator, "completed": coordinator, "training_workforce": amara},
    )
    _write_round(
        ctx,
        "Spring 2026",
        on(2026, 4, 6),
        on(2026, 5, 15),
        {area: DEMO_SPRING[area] for area in AREA_KEYS},
        DEMO_NOTES_SPRING,
        {"started": jordan, "completed": coordinator, "governance_leadership": amara, "engagement": jordan},
    )
