"""The geometry of a goal page's progress charts: an objective's values over time, scaled into an SVG
box, computed here so the template only draws lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from partnership_hub.goals.models import Objective, ProgressUpdate


@dataclass
class ChartPoint:
    x: float
    y: float
    value: float
    on: date


@dataclass
class Chart:
    """An SVG line chart's geometry."""

    width: int
    height: int
    points: list[ChartPoint]
    target_y: float
    baseline_y: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def progress_chart(
    objective: Objective, updates: list[ProgressUpdate], start: date, width: int = 320, height: int = 96
) -> Chart:
    """The objective's values over time (baseline first, then each update) scaled into the box,
    with the target and baseline as horizontal lines."""
    pad = 8
    series = [(start, objective.baseline)] + [(u.recorded_on, u.value) for u in updates]
    first = min(on for on, _ in series)
    last = max(on for on, _ in series)
    days = max(1, (last - first).days)
    values = [v for _, v in series] + [objective.target, objective.baseline]
    low, high = min(values), max(values)
    spread = (high - low) or 1.0

    def y(value: float) -> float:
        return pad + (high - value) / spread * (height - 2 * pad)

    points = [
        ChartPoint(pad + (on - first).days / days * (width - 2 * pad) if last != first else width / 2, y(v), v, on)
        for on, v in series
    ]
    return Chart(width, height, points, y(objective.target), y(objective.baseline))
