"""The setup guide's state: which toolkit questions the data answers, which a coordinator marked, and
the answers and notes coordinators recorded against them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import joinedload

from partnership_hub import areas
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.setup.guide import ITEMS, SECTIONS, Facts, GuideItem, GuideSection
from partnership_hub.setup.models import SetupGuideAnswer, SetupGuideMark
from partnership_hub.workspaces import services as workspaces

ANSWER_MAX = 2000


@dataclass
class ItemState:
    item: GuideItem
    answered_by_data: bool
    mark: SetupGuideMark | None
    answer: SetupGuideAnswer | None = None  # the newest answer or note a coordinator recorded

    @property
    def done(self) -> bool:
        return self.answered_by_data or self.mark is not None

    @property
    def automatic(self) -> bool:
        return self.item.check is not None


@dataclass
class SectionState:
    section: GuideSection
    items: list[ItemState]

    @property
    def done(self) -> int:
        return sum(state.done for state in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class GuideState:
    sections: list[SectionState]

    @property
    def done(self) -> int:
        return sum(section.done for section in self.sections)

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """Every installed area's setup facts (``Area.setup_facts``): plain values and scalar subqueries."""
    return areas.setup_values(ctx) | areas.setup_fact_queries(ctx)


def collect_facts(ctx: WorkspaceContext) -> Facts:
    """Everything the guide's checks read, evaluated in one query (kept per permission shape:
    ``workspaces.scalar_values``)."""
    return _normalized(workspaces.scalar_values(ctx, (workspaces.SETUP_FACTS,)))


def _normalized(facts: dict[str, Any]) -> Facts:
    facts = dict(facts)
    if "survivor_sector_covered" in facts:
        facts["survivor_sector_covered"] = bool(facts["survivor_sector_covered"])
    return facts


def home_progress_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """The home's setup-guide panel: progress by section, from the facts gathered with every panel's."""
    return {"setup": guide_state(ctx, _normalized(values))}


def evaluate(
    facts: Facts, marks: dict[str, SetupGuideMark], answers: dict[str, SetupGuideAnswer] | None = None
) -> GuideState:
    """The guide's state for these facts, marks and answers (pure: no database)."""
    answers = answers or {}
    return GuideState(
        [
            SectionState(
                section,
                [
                    ItemState(
                        item,
                        bool(item.check and item.check(facts)),
                        None if item.check else marks.get(item.key),
                        answers.get(item.key),
                    )
                    for item in section.items
                ],
            )
            for section in SECTIONS
        ]
    )


def guide_state(ctx: WorkspaceContext, facts: Facts | None = None, *, answers: bool = False) -> GuideState:
    """The partnership's progress through the setup guide (a fixed number of queries). Pass
    ``facts`` already collected (``collect_facts``) to save their query; ``answers`` loads the newest
    answer to each question too (one more query, whatever their number)."""
    marks = db.session.scalars(scoped(select(SetupGuideMark).options(joinedload(SetupGuideMark.marked_by))))
    return evaluate(
        facts if facts is not None else collect_facts(ctx),
        {mark.item_key: mark for mark in marks},
        latest_answers() if answers else None,
    )


def latest_answers() -> dict[str, SetupGuideAnswer]:
    """The newest answer recorded to each question, with who recorded it: one row per question."""
    newest = scoped(select(func.max(SetupGuideAnswer.id)).group_by(SetupGuideAnswer.item_key))
    rows = db.session.scalars(
        scoped(
            select(SetupGuideAnswer)
            .where(SetupGuideAnswer.id.in_(newest))
            .options(joinedload(SetupGuideAnswer.recorded_by))
        )
    )
    return {answer.item_key: answer for answer in rows}


def _manual_item(key: str) -> GuideItem:
    item = ITEMS.get(key)
    if item is None:
        raise NotFound(f"setup-guide question {key!r}")
    if item.check is not None:
        raise ServiceError("This question is checked from your partnership's data and can't be marked by hand.")
    return item


def mark_addressed(ctx: WorkspaceContext, key: str, now: datetime | None = None) -> SetupGuideMark:
    """Record that the partnership has addressed a question the data can't show."""
    _manual_item(key)
    existing = db.session.scalars(scoped(select(SetupGuideMark).where(SetupGuideMark.item_key == key))).first()
    if existing is not None:
        return existing
    mark = SetupGuideMark(item_key=key, marked_by_id=ctx.user.id if ctx.user else None)
    if now is not None:
        mark.marked_at = now
    db.session.add(mark)
    db.session.flush()
    audit.record(ctx, "setup.marked", "setup_guide_mark", mark.id, item=key)
    return mark


def unmark(ctx: WorkspaceContext, key: str) -> None:
    """Take a mark back: the question shows as open again."""
    _manual_item(key)
    result = db.session.execute(scoped(delete(SetupGuideMark).where(SetupGuideMark.item_key == key)))
    if cast(CursorResult[Any], result).rowcount:  # a DELETE's result is a cursor result
        audit.record(ctx, "setup.unmarked", "setup_guide_mark", None, item=key)


def record_answer(
    ctx: WorkspaceContext, key: str, text: str, *, addressed: bool = False, now: datetime | None = None
) -> SetupGuideAnswer:
    """Record the partnership's answer to a question, or a note on it, with who and when. With
    ``addressed``, a question the data can't show is marked as addressed too (a mark with a note)."""
    item = ITEMS.get(key)
    if item is None:
        raise NotFound(f"setup-guide question {key!r}")
    text = text.strip()
    if not text:
        raise ServiceError("Write the answer or note first.", field="text")
    if len(text) > ANSWER_MAX:
        raise ServiceError(f"Use at most {ANSWER_MAX:,} characters.", field="text")
    answer = SetupGuideAnswer(item_key=key, text=text, recorded_by_id=ctx.user.id if ctx.user else None)
    if now is not None:
        answer.recorded_at = now
    db.session.add(answer)
    db.session.flush()
    audit.record(ctx, "setup.answered", "setup_guide_answer", answer.id, item=key)
    if addressed and item.check is None:
        mark_addressed(ctx, key, now)
    return answer
