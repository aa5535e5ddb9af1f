"""The geometry of a goal page's progress charts: an objective's values over time, scaled into an SVG
box with a value axis, a date axis and the target line, computed here so the template only draws.

The chart is a picture of the table next to it (templates/goals/detail.html), which carries every
value for people who do not see the picture."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from partnership_hub.goals.models import Objective, ProgressUpdate

# The drawing area inside the box: room on the left for the value axis's numbers, below for dates.
LEFT, RIGHT, TOP, BOTTOM = 52, 18, 16, 32
VALUE_LABELS_UP_TO = 8  # points labelled with their value; past this only the latest is


@dataclass
class ChartPoint:
    x: float
    y: float
    value: float
    on: date
    labelled: bool = False  # the value is written next to the point


@dataclass
class Tick:
    at: float  # x for a date tick, y for a value tick
    label: str


@dataclass
class Chart:
    """An SVG line chart's geometry."""

    width: int
    height: int
    points: list[ChartPoint]
    target_y: float
    baseline_y: float
    target: float = 0.0
    left: float = LEFT
    right: float = 0.0  # the drawing area's right and bottom edges (set from the box)
    top: float = TOP
    bottom: float = 0.0
    value_ticks: list[Tick] = field(default_factory=list)
    date_ticks: list[Tick] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def number(value: float) -> str:
    """A value as people write it: thousands separated, no trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values from ``low`` to ``high`` for an axis (at most ``most`` of them, steps of 1, 2 or 5
    times a power of ten), always including both ends' rounded neighbours."""
    if high <= low:
        return [low]
    raw = (high - low) / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _date_label(on: date, span_days: int) -> str:
    return on.strftime("%b %Y") if span_days > 300 else f"{on.day} {on:%b}"


def progress_chart(
    objective: Objective, updates: list[ProgressUpdate], start: date, width: int = 560, height: int = 220
) -> Chart:
    """The objective's values over time (baseline first, then each update) scaled into the box,
    with the value axis, the first, middle and last dates, and the target and baseline lines."""
    series = [(start, objective.baseline)] + [(u.recorded_on, u.value) for u in updates]
    first = min(on for on, _ in series)
    last = max(on for on, _ in series)
    days = max(1, (last - first).days)
    values = [v for _, v in series] + [objective.target, objective.baseline]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    spread = (high - low) or 1.0
    right, bottom = width - RIGHT, height - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / spread * (bottom - TOP)

    def x(on: date) -> float:
        return LEFT + (on - first).days / days * (right - LEFT) if last != first else (LEFT + right) / 2

    labelled = len(series) <= VALUE_LABELS_UP_TO
    points = [
        ChartPoint(x(on), y(v), v, on, labelled or index == len(series) - 1) for index, (on, v) in enumerate(series)
    ]
    span = (last - first).days
    shown_dates = [first] if last == first else [first, last]
    if span >= 60:
        shown_dates.insert(1, first + (last - first) / 2)
    return Chart(
        width,
        height,
        points,
        y(objective.target),
        y(objective.baseline),
        target=objective.target,
        right=right,
        bottom=bottom,
        value_ticks=[Tick(y(t), number(t)) for t in ticks],
        date_ticks=[Tick(x(on), _date_label(on, span)) for on in shown_dates],
    )
