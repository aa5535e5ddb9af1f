"""What the awareness area adds to the coordinators' digests (``Area.digest``): the observed days that start
within the partnership's lead time (or are running now), each with its campaign plan if one exists. Two
statements: the observed days (``days.observed_days``) and the plans of the years they fall in."""

from __future__ import annotations

from partnership_hub.awareness.campaigns import plans_by_day
from partnership_hub.awareness.days import observed_days, upcoming
from partnership_hub.notifications.digest import DigestBuild

SECTION = "awareness"


def contribute(build: DigestBuild) -> None:
    build.section(SECTION, "Awareness days coming up", order=80)
    observed = observed_days(build.ctx)
    coming = upcoming(build.ctx, observed, build.today, horizon=observed.lead_days)
    years = {build.today.year, build.today.year + 1}
    plans = plans_by_day(build.ctx, *sorted(years))
    for entry in coming:
        day, when = entry.day, entry.when
        planned = plans.get((day.ref, when.start.year), [])
        if entry.days_away == 0:
            detail = "running now" if when.is_month else "today"
        else:
            detail = f"in {entry.days_away} day{'s' if entry.days_away != 1 else ''}"
        if planned:
            plan_id, _ = planned[0]
            link = build.link("awareness.plan", campaign_plan_id=plan_id)
            detail += " · campaign planned"
        else:
            link = build.link("awareness.index")
            detail += " · no campaign plan yet"
        build.line(
            SECTION,
            f"{day.label} (all month)" if when.is_month else day.label,
            link=link,
            on=when.start,
            detail=detail,
        )
