"""What a unit follows up: the plan that applies to it in a year, the years its plans
cover, and the reporting point to show when none is asked for.

The web pages, the reports and the risk and economy pages read these; the set-based
evaluation (``followup.queries.loading``) applies the same rule (``planning.rules.plan_rank``,
nearest unit first) to a whole subtree at once.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from styrkort.followup.models import Outcome
from styrkort.organisation.lookup import ancestor_paths, children_valid_in
from styrkort.periods import Period, reporting_points

from .models import Plan, PlanState
from .rules import plan_rank

__all__ = ["applicable_plan", "default_period", "plan_years", "unit_plan"]


def _best(plans) -> Plan | None:
    """The plan followed up among one unit's plans; a draft never is (``rules.followed``)."""
    return max(plans, key=lambda p: plan_rank(p.state, p.start_year, p.pk), default=None)


def applicable_plan(unit, year: int) -> Plan | None:
    """The plan a unit follows up in ``year``: its own plan covering the year, else the
    nearest superior unit's (a verksamhetsområde reports on its division's indicators).
    Among one unit's plans, ``planning.rules.plan_rank`` decides (adopted first); a draft
    is never followed up, whoever asks: a unit whose only plan for the year is a draft
    follows its superior unit's plan until the draft is adopted."""
    plans = list(
        Plan.objects.select_related("unit", "plan_model")
        .filter(
            unit__path__in=ancestor_paths(unit, include_self=True),
            start_year__lte=year,
            end_year__gte=year,
        )
        .exclude(state=PlanState.DRAFT)
    )
    if not plans:
        return None
    deepest = max(p.unit.depth for p in plans)
    return _best(p for p in plans if p.unit.depth == deepest)


def unit_plan(unit, year: int) -> Plan | None:
    """The unit's own plan covering ``year`` (``plan_rank``: adopted first; never a
    draft), or None."""
    return _best(
        Plan.objects.select_related("plan_model", "unit", "unit__organisation")
        .filter(unit=unit, start_year__lte=year, end_year__gte=year)
        .exclude(state=PlanState.DRAFT)
    )


def plan_years(unit) -> set[int]:
    """The years the unit's own plans and its superior units' plans cover."""
    years: set[int] = set()
    for start, end in Plan.objects.filter(
        unit__path__in=ancestor_paths(unit, include_self=True)
    ).values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    return years


def default_period(unit, today: dt.date | None = None) -> Period:
    """The period of the organisation's open reporting round (the one people are working
    on), else the latest reporting point (DÅ04, DÅ08, ÅR) that has ended by the latest
    outcome of the unit or its children (an indexed lookup by unit), else of its subtree,
    else the latest reporting point that has ended."""
    from styrkort.rounds.status import open_round_period

    today = today or timezone.localdate()
    running = open_round_period(unit, today)
    if running is not None:
        return running
    children = children_valid_in(unit, reporting_points(today.year)[-1]).values("pk")
    near = Outcome.objects.filter(Q(unit_id=unit.pk) | Q(unit_id__in=children))
    latest = near.aggregate(end=Max("period_end"))["end"]
    if latest is None:  # values only further down (a region): look through the subtree
        latest = Outcome.objects.filter(unit__path__startswith=unit.path).aggregate(
            end=Max("period_end")
        )["end"]
    anchor = min(latest, today) if latest else today
    for year in (anchor.year, anchor.year - 1):
        ended = [p for p in reporting_points(year) if p.end <= anchor]
        if ended:
            return ended[-1]
    return reporting_points(today.year)[0]
